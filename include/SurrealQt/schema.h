#pragma once

#include <SurrealQt/modelinfo.h>
#include <SurrealQt/schemachange.h>
#include <SurrealQt/schemaoptions.h>

#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QStringList>

namespace SurrealQt {

class Connection;

/*! Table, field and index definitions generated from a model, and migrations that bring a
    database in line with them.

    statements() is pure: DEFINE TABLE / DEFINE FIELD / DEFINE INDEX text for the model (types
    from the C++ property types; ASSERTs for required and maxLength; DEFAULT from default=, and
    time::now() for autoNow/autoNowAdd; READONLY; COMMENT from description; a UNIQUE index for
    unique fields and a plain one for index fields). Index names are `<table>_<field>`.

    plan() compares the model with what the database holds (INFO FOR TABLE / INFO FOR DB). It
    lets the server itself write the model's definitions in canonical form, on a scratch table
    that is removed again, so the comparison is exact and no spelling difference shows up as a
    change. apply() runs the plan and returns the changes it made: a second apply() of the same
    model finds nothing to do and touches nothing.

    \code
    SurrealQt::Schema schema(db->connection());
    schema.apply<User>().then(context,
                              [](const QList<SurrealQt::SchemaChange> &done) { qInfo() << done.size(); });
    \endcode */
class SURREALQT_EXPORT Schema
{
public:
    /*! Null means Model::defaultConnection() at the time of each call. */
    explicit Schema(Connection *connection = nullptr);

    /*! The DEFINE statements for model, in the order they must run; sends nothing. */
    [[nodiscard]] static QStringList statements(const ModelInfo &model, const SchemaOptions &options = {});
    /*! statements() for model class T. */
    template<typename T>
    [[nodiscard]] static QStringList statements(const SchemaOptions &options = {})
    {
        return statements(ModelInfo::of<T>(), options);
    }

    /*! What apply() would do, in the order it would do it. */
    [[nodiscard]] QFuture<QList<SchemaChange>> plan(const ModelInfo &model,
                                                    const SchemaOptions &options = {}) const;
    /*! Makes the database match the model; fails with the server's error when a statement is
        refused (e.g. a UNIQUE index over rows that hold duplicates), after the changes before it. */
    [[nodiscard]] QFuture<QList<SchemaChange>> apply(const ModelInfo &model,
                                                     const SchemaOptions &options = {}) const;

    /*! plan() for model class T. */
    template<typename T>
    [[nodiscard]] QFuture<QList<SchemaChange>> plan(const SchemaOptions &options = {}) const
    {
        return plan(ModelInfo::of<T>(), options);
    }
    /*! apply() for model class T. */
    template<typename T>
    [[nodiscard]] QFuture<QList<SchemaChange>> apply(const SchemaOptions &options = {}) const
    {
        return apply(ModelInfo::of<T>(), options);
    }

    /*! Blocking twins; they throw SurrealQt::Exception. Not on the manager's I/O thread. */
    [[nodiscard]] QList<SchemaChange> planSync(const ModelInfo &model,
                                               const SchemaOptions &options = {}) const;
    /*! Blocking apply(); throws SurrealQt::Exception. Not on the manager's I/O thread. */
    QList<SchemaChange> applySync(const ModelInfo &model, const SchemaOptions &options = {}) const;
    /*! planSync() for model class T. */
    template<typename T>
    [[nodiscard]] QList<SchemaChange> planSync(const SchemaOptions &options = {}) const
    {
        return planSync(ModelInfo::of<T>(), options);
    }
    /*! applySync() for model class T. */
    template<typename T>
    QList<SchemaChange> applySync(const SchemaOptions &options = {}) const
    {
        return applySync(ModelInfo::of<T>(), options);
    }

    /*! The connection given to the constructor (may be null: Model::defaultConnection() is used). */
    [[nodiscard]] Connection *connection() const;

private:
    Connection *m_connection;
};

} // namespace SurrealQt
