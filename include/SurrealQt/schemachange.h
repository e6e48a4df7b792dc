#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace SurrealQt {

/*! One step of a migration: what differs between a model and the database, and the statement
    that makes the database match. Both definitions are in the server's own canonical text, so
    two spellings of the same definition never count as a difference. */
class SURREALQT_EXPORT SchemaChange
{
    Q_GADGET
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(QString current READ current CONSTANT)
    Q_PROPERTY(QString desired READ desired CONSTANT)
    Q_PROPERTY(QString statement READ statement CONSTANT)

public:
    /*! What a change does, in the order Schema::plan() lists them. */
    enum class Kind {
        CreateTable,    //!< the table does not exist
        MakeSchemafull, //!< the table exists schemaless; SchemaOptions::schemafull asks for more
        AddField,       //!< the model declares a field the database does not define
        ChangeField,    //!< the field is defined differently (type, assertion, default, ...)
        RemoveField,    //!< defined in the database, not declared by the model
        AddIndex,       //!< a unique/index field has no index of that name
        ChangeIndex,    //!< the index covers other fields or differs in uniqueness
        RemoveIndex,    //!< an index the model does not declare
    };
    Q_ENUM(Kind)

    SchemaChange() = default;
    /*! A change as Schema::plan() makes it; rarely built by hand. */
    SchemaChange(Kind kind, const QString &name, const QString &current, const QString &desired,
                 const QString &statement)
        : m_kind(kind)
        , m_name(name)
        , m_current(current)
        , m_desired(desired)
        , m_statement(statement)
    {}

    /*! What the change does. */
    [[nodiscard]] Kind kind() const { return m_kind; }
    /*! The table, field or index concerned. */
    [[nodiscard]] QString name() const { return m_name; }
    /*! The database's definition; empty when it has none. */
    [[nodiscard]] QString current() const { return m_current; }
    /*! The model's definition as the server writes it; empty for removals. */
    [[nodiscard]] QString desired() const { return m_desired; }
    /*! The SurrealQL that applies this change. */
    [[nodiscard]] QString statement() const { return m_statement; }
    /*! True for changes that delete data when applied (RemoveField, RemoveIndex). */
    [[nodiscard]] bool isDestructive() const
    {
        return m_kind == Kind::RemoveField || m_kind == Kind::RemoveIndex;
    }

    /*! One line for logs: the kind, the name and the statement. */
    [[nodiscard]] QString toString() const;

    friend bool operator==(const SchemaChange &a, const SchemaChange &b)
    {
        return a.m_kind == b.m_kind && a.m_name == b.m_name && a.m_current == b.m_current &&
               a.m_desired == b.m_desired && a.m_statement == b.m_statement;
    }

private:
    Kind m_kind = Kind::AddField;
    QString m_name;
    QString m_current;
    QString m_desired;
    QString m_statement;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::SchemaChange)
