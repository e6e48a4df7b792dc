#pragma once

#include "surrealqtqml_global.h"

#include <SurrealQt/modellistmodel.h>

#include <QtCore/QPointer>
#include <QtQml/qqml.h>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

class QmlDatabase;

// Makes ModelListModel (the base of the QML ModelListModel, from the core library) known to the
// QML type system and to the module's .qmltypes, so tools see the inherited properties.
struct ModelListModelForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::ModelListModel)
    QML_ANONYMOUS
};

// QML `ModelListModel`: the typed list model of a model class the C++ application defines
// (SURREALQT_MODEL), found by class name or table with ModelInfo::find(). It takes its
// connection from a `Database` and loads once the component is complete.
//
//   ModelListModel {
//       database: db
//       modelName: "Task"
//       filter: "done = $done"; bindings: ({done: false}); orderBy: "priority"
//       live: true
//   }
//
// Delegates read the fields as roles (`required property string title`) and the row's object
// as `object` (a QtObject whose properties are the fields, with save(), remove(), refresh()).
// The objects belong to the model (the QML engine never collects them); one is deleted after
// its row left the list. `error` is the message text here (ModelListModel::error() in C++).
class SURREALQT_QML_EXPORT QmlModelListModel : public SurrealQt::ModelListModel, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(ModelListModel)
    Q_PROPERTY(SurrealQt::QmlDatabase *database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(QString modelName READ modelName WRITE setModelName NOTIFY modelNameChanged)
    Q_PROPERTY(QString error READ errorText NOTIFY errorChanged)
    Q_PROPERTY(QString errorKind READ errorKind NOTIFY errorChanged)
    // The last error as a `surrealError` (kind, kindName, message, details, ...; valid is false
    // when there is none): the same fields as Database.lastError and the calls' rejections.
    // `error` (text) and `errorKind` are its message and kindName, kept for older code.
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY errorChanged)
    // The base class's qint64 totalCount, as a number QML tools know (qmllint has no type for
    // qlonglong and warns on every use of it); the same value, -1 until known.
    Q_PROPERTY(double totalCount READ totalCountNumber NOTIFY totalCountChanged)

public:
    explicit QmlModelListModel(QObject *parent = nullptr);
    ~QmlModelListModel() override;

    [[nodiscard]] QmlDatabase *database() const { return m_database; }
    void setDatabase(QmlDatabase *database);
    [[nodiscard]] QString modelName() const { return m_modelName; }
    void setModelName(const QString &name);
    [[nodiscard]] QString errorText() const;
    [[nodiscard]] QString errorKind() const;
    [[nodiscard]] SurrealQt::Error lastError() const;
    [[nodiscard]] double totalCountNumber() const { return double(totalCount()); }

    void classBegin() override;
    void componentComplete() override;

    // The row's object (see ModelListModel::object()), explicitly kept out of the garbage
    // collector's hands: objects returned by invokable methods default to JavaScript ownership.
    Q_INVOKABLE [[nodiscard]] SurrealQt::Model *object(int row) const;
    // The record id of a row as "table:id" text, ready for the Database calls.
    Q_INVOKABLE QString idOf(int row) const;
    // The row's fields as a JavaScript object (record ids as text, datetimes as Date).
    Q_INVOKABLE QVariantMap get(int row) const;

Q_SIGNALS:
    void databaseChanged();
    void modelNameChanged();
    // A write through the model did not happen (the row shows the database's state again).
    // Deprecated: writeFailed(recordId, error) carries the whole error (a surrealError).
    void writeRefused(const QString &recordId, const QString &message, const QString &kind);

private:
    void attach();

    QPointer<QmlDatabase> m_database;
    QString m_modelName;
    QString m_modelError;
    bool m_complete = false;
};

} // namespace SurrealQt
