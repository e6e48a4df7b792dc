#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>

#include <QtCore/QAbstractListModel>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <memory>
#include <type_traits>

namespace SurrealQt {

class Connection;
class QueryListModel;
class ModelListModelPrivate;

// The typed list model: the rows of a model class's table as `Model` objects, for item views and
// QML. It is a QueryListModel underneath (same paging, live following, resync and edits with
// rollback; see querylistmodel.h and docs/views/querylistmodel.md); this class maps its rows
// one to one and adds what a model class knows.
//
//  * Roles: Qt::DisplayRole ("display"), ObjectRole ("object": the row's Model as a QObject*),
//    IdRole ("id": the RecordId), then one role per field of the model class, named after it, in
//    declaration order (FirstFieldRole + i). Field values have the property's C++ type.
//  * object(row) hands out the row's Model instance. It is created when first asked for (rows
//    cost no QObject until then), filled from the row, and owned by the list model (it is the
//    object's parent, so the QML engine never collects it). It stays the same instance while
//    the record is in the list: live changes and edits update its properties (their NOTIFY
//    signals fire) instead of replacing it. Fields the object has unsaved changes for (dirty)
//    keep the caller's value. When the row leaves the list the object is deleted later
//    (deleteLater) and never reused for another record; do not keep the pointer past
//    rowsRemoved (use QPointer). Changing the object's fields changes the row's roles at once
//    (dataChanged); save() writes them, and the live change that follows is a no-op.
//  * setData() on a field role (or setField()) writes the field back like QueryListModel does:
//    shown at once, rolled back with writeFailed() when the database did not apply it. The value
//    is checked against the field first (type, required, maxLength): a bad one is refused with
//    a Validation error before any request.
//
// The table is the model class's; filter, bindings, orderBy, descending, live and pageSize are
// QueryListModel's. With no connection given, the model class's default connection is used
// (ModelInfo::defaultConnection, else Model::defaultConnection).
class SURREALQT_EXPORT ModelListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(SurrealQt::Connection *connection READ connection WRITE setConnection NOTIFY connectionChanged)
    Q_PROPERTY(QString modelClass READ modelClass NOTIFY modelInfoChanged)
    Q_PROPERTY(QString table READ table NOTIFY modelInfoChanged)
    Q_PROPERTY(QStringList fieldNames READ fieldNames NOTIFY modelInfoChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(SurrealQt::Error error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(QVariantMap bindings READ bindings WRITE setBindings NOTIFY bindingsChanged)
    Q_PROPERTY(QString orderBy READ orderBy WRITE setOrderBy NOTIFY orderByChanged)
    Q_PROPERTY(bool descending READ descending WRITE setDescending NOTIFY descendingChanged)
    Q_PROPERTY(bool live READ isLive WRITE setLive NOTIFY liveChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)
    Q_PROPERTY(QString displayField READ displayField WRITE setDisplayField NOTIFY displayFieldChanged)
    Q_PROPERTY(bool pagedInConstantTime READ isPagedInConstantTime NOTIFY statusChanged)

public:
    // The same values as QueryListModel::Status.
    enum Status { Null, Loading, Ready, Error };
    Q_ENUM(Status)

    enum Role { ObjectRole = Qt::UserRole, IdRole, FirstFieldRole };
    Q_ENUM(Role)

    // Without a model class the list is empty (status Null) until setModelInfo().
    explicit ModelListModel(QObject *parent = nullptr);
    explicit ModelListModel(const ModelInfo &info, Connection *connection = nullptr,
                            QObject *parent = nullptr);
    ~ModelListModel() override;

    // A list of T rows, e.g. ModelListModel::of<Task>(db->connection(), this).
    template<typename T>
    [[nodiscard]] static ModelListModel *of(Connection *connection = nullptr, QObject *parent = nullptr)
    {
        static_assert(std::is_base_of_v<Model, T>,
                      "ModelListModel::of<T>: T must derive from SurrealQt::Model");
        return new ModelListModel(ModelInfo::of<T>(), connection, parent);
    }

    [[nodiscard]] const ModelInfo *modelInfo() const;
    // Switches the model class (the table, the roles) and reloads.
    void setModelInfo(const ModelInfo *info);
    [[nodiscard]] QString modelClass() const;
    [[nodiscard]] QString table() const;
    // The model's fields, in role order (FirstFieldRole + i).
    [[nodiscard]] QStringList fieldNames() const;
    // -1 for a name that is not a field of the model.
    [[nodiscard]] int roleForField(const QString &field) const;

    [[nodiscard]] Connection *connection() const;
    void setConnection(Connection *connection);

    [[nodiscard]] Status status() const;
    [[nodiscard]] SurrealQt::Error error() const;
    [[nodiscard]] QString errorString() const;
    [[nodiscard]] int count() const;
    [[nodiscard]] qint64 totalCount() const;
    [[nodiscard]] QString filter() const;
    void setFilter(const QString &condition);
    [[nodiscard]] QVariantMap bindings() const;
    void setBindings(const QVariantMap &bindings);
    [[nodiscard]] QString orderBy() const;
    void setOrderBy(const QString &field);
    [[nodiscard]] bool descending() const;
    void setDescending(bool descending);
    [[nodiscard]] bool isLive() const;
    void setLive(bool live);
    [[nodiscard]] int pageSize() const;
    void setPageSize(int rows);
    [[nodiscard]] QString displayField() const;
    void setDisplayField(const QString &field);
    [[nodiscard]] bool isPagedInConstantTime() const;

    // The row's object (see the class comment); null for a row out of range or a row that is
    // still being created (insertRows).
    Q_INVOKABLE [[nodiscard]] SurrealQt::Model *object(int row) const;
    template<typename T>
    [[nodiscard]] T *object(int row) const
    {
        return qobject_cast<T *>(object(row));
    }
    // The record id of a row (a SurrealQt::RecordId), and the row of a record id (-1).
    Q_INVOKABLE [[nodiscard]] QVariant recordId(int row) const;
    Q_INVOKABLE [[nodiscard]] int rowOf(const QVariant &recordId) const;
    // Writes one field of a row (see setData()). False for an unknown row or field or a value
    // the field refuses.
    Q_INVOKABLE bool setField(int row, const QString &field, const QVariant &value);
    // Creates a record of the model's table; it shows up where the order puts it.
    Q_INVOKABLE void createRecord(const QVariantMap &data);
    Q_INVOKABLE bool removeRecord(int row);

    // The QueryListModel underneath, for what this class does not forward. Owned by this model;
    // do not change its table, query or roles.
    [[nodiscard]] QueryListModel *sourceModel() const;

    // QAbstractItemModel
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    // Creates the records of inserted rows (see QueryListModel::submit()).
    bool submit() override;

public Q_SLOTS:
    void reload();
    void fetchAll();

Q_SIGNALS:
    void modelInfoChanged();
    void connectionChanged();
    void statusChanged(SurrealQt::ModelListModel::Status status);
    void errorChanged();
    void countChanged();
    void totalCountChanged();
    void filterChanged();
    void bindingsChanged();
    void orderByChanged();
    void descendingChanged();
    void liveChanged();
    void pageSizeChanged();
    void displayFieldChanged();
    void pageLoaded(int first, int last);
    void fullyLoaded();
    // A write made through the model (setData, setField, insertRows, removeRows, createRecord)
    // did not happen, or a value was refused before sending.
    void writeFailed(const QVariant &recordId, const SurrealQt::Error &error);
    void liveChangesApplied();

private Q_SLOTS:
    // A NOTIFY signal of one of the row objects.
    void objectFieldChanged();

private:
    friend class ModelListModelPrivate;
    std::unique_ptr<ModelListModelPrivate> d;
};

} // namespace SurrealQt
