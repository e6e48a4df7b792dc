#pragma once

#include "qmlqueryrole.h"
#include "surrealqtqml_global.h"

#include <SurrealQt/querylistmodel.h>

#include <QtCore/QPointer>
#include <QtQml/qqml.h>
#include <QtQml/QQmlListProperty>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

class QmlDatabase;

// Makes QueryListModel (the base of QueryModel, from the core library) known to the QML type
// system and to the module's .qmltypes, so tools see the inherited properties.
struct QueryListModelForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::QueryListModel)
    QML_ANONYMOUS
};

// QML `QueryModel`: a QueryListModel that takes its connection from a `Database` and loads
// once the component is complete (and again whenever the database reconnects).
//
//   QueryModel {
//       database: db
//       table: "task"; filter: "done = $done"; bindings: ({done: false}); orderBy: "created"
//       live: true
//   }
//
// `error` is the message text here (QueryListModel's Error value is `lastError` in C++).
//
// Typed roles are declared as children (the default property, `queryRoles`), as XmlListModel's
// roles are; see QueryRole for how values are read, defaulted and converted:
//
//   QueryModel {
//       database: db; table: "person"
//       QueryRole { name: "age"; type: QueryRole.Int; defaultValue: 0 }
//   }
class SURREALQT_QML_EXPORT QmlQueryModel : public SurrealQt::QueryListModel, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(QueryModel)
    Q_PROPERTY(SurrealQt::QmlDatabase *database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(QString error READ errorString NOTIFY errorChanged)
    Q_PROPERTY(QString errorKind READ errorKind NOTIFY errorChanged)
    // The last error as a `surrealError` (kind, kindName, message, details, ...; valid is false
    // when there is none): the same fields as Database.lastError and the calls' rejections.
    // `error` (text) and `errorKind` are its message and kindName, kept for older code.
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY errorChanged)
    // The base class's qint64 totalCount, as a number QML tools know (qmllint has no type for
    // qlonglong and warns on every use of it); the same value, -1 until known.
    Q_PROPERTY(double totalCount READ totalCountNumber NOTIFY totalCountChanged)
    // The typed roles declared as children; when there are any, they are the model's roles.
    Q_PROPERTY(QQmlListProperty<SurrealQt::QmlQueryRole> queryRoles READ queryRoles)
    Q_CLASSINFO("DefaultProperty", "queryRoles")

public:
    explicit QmlQueryModel(QObject *parent = nullptr);
    ~QmlQueryModel() override;

    [[nodiscard]] QmlDatabase *database() const { return m_database; }
    void setDatabase(QmlDatabase *database);
    [[nodiscard]] QString errorKind() const;
    [[nodiscard]] SurrealQt::Error lastError() const;
    [[nodiscard]] double totalCountNumber() const { return double(totalCount()); }
    /*! The QueryRole children (QML's `queryRoles`, the default property). */
    [[nodiscard]] QQmlListProperty<QmlQueryRole> queryRoles();
    /*! The declared role named \a name, or null (an untyped role, or no such role). */
    [[nodiscard]] QmlQueryRole *queryRole(const QString &name) const;

    /*! A declared role's value as its QueryRole type (converted, or its default); other roles as
        QueryListModel gives them. */
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /*! A declared role's value is converted to its type first; one that cannot be is refused
        with writeFailed() (a Validation error naming the role) and false. */
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    void classBegin() override;
    void componentComplete() override;

    // The record id of a row as "table:id" text, ready for the Database calls.
    Q_INVOKABLE QString idOf(int row) const;
    // The whole row as a JavaScript object (record ids as text, datetimes as Date; declared
    // roles as their QueryRole type, missing ones with their default).
    Q_INVOKABLE QVariantMap get(int row) const;

    // ListModel-style editing, each a real write shown at once and rolled back (with
    // writeFailed) when the database refuses it. Where it differs from ListModel: a new record
    // takes its place in the model's order (not the end); set() and setProperty() change fields
    // the rows already have (roles); remove() and clear() delete records, clear() the rows loaded
    // so far. A value that cannot be stored (a function, NaN, ...) throws a Validation error;
    // a row out of range returns false. Fields of declared roles (QueryRole) are converted to
    // their type first; a value that cannot be throws a Validation error naming the role.
    // Creates one record, or one per object of an array; a declared role the object leaves out
    // is stored as its defaultValue (when it has one).
    Q_INVOKABLE void append(const QJSValue &object);
    // Writes the object's fields into the row's record as one write (one MERGE): all of them
    // are stored, or, when the database refuses it, all are rolled back (one writeFailed).
    Q_INVOKABLE bool set(int row, const QJSValue &object);
    Q_INVOKABLE bool setProperty(int row, const QString &role, const QJSValue &value);
    using QObject::setProperty;
    Q_INVOKABLE bool remove(int row, int count = 1);
    Q_INVOKABLE void clear();

Q_SIGNALS:
    void databaseChanged();
    // A write through the model did not happen (the row shows the database's state again).
    // Deprecated: writeFailed(recordId, error) carries the whole error (a surrealError).
    void writeRefused(const QString &recordId, const QString &message, const QString &kind);

private:
    void attach();
    void applyRoles();
    bool convert(const QJSValue &value, const QString &path, const QString &call, QVariant *out);
    bool throwValidation(const QString &message, const QString &call);
    bool typeFields(QVariantMap *fields, bool withDefaults, const QString &call);

    static void appendRole(QQmlListProperty<QmlQueryRole> *list, QmlQueryRole *role);
    static qsizetype roleCount(QQmlListProperty<QmlQueryRole> *list);
    static QmlQueryRole *roleAt(QQmlListProperty<QmlQueryRole> *list, qsizetype index);
    static void clearRoles(QQmlListProperty<QmlQueryRole> *list);

    QList<QmlQueryRole *> m_roles;

    QPointer<QmlDatabase> m_database;
    bool m_complete = false;
};

} // namespace SurrealQt
