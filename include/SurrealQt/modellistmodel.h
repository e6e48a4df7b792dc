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

/*! The typed list model: the rows of a model class's table as `Model` objects, for item views and
    QML. It is a QueryListModel underneath (same paging, live following, resync and edits with
    rollback; see querylistmodel.h and docs/views/querylistmodel.md); this class maps its rows
    one to one and adds what a model class knows.

     * Roles: Qt::DisplayRole ("display"), ObjectRole ("object": the row's Model as a QObject*),
       IdRole ("id": the RecordId), then one role per field of the model class, named after it, in
       declaration order (FirstFieldRole + i). Field values have the property's C++ type.
     * object(row) hands out the row's Model instance. It is created when first asked for (rows
       cost no QObject until then), filled from the row, and owned by the list model (it is the
       object's parent, so the QML engine never collects it). It stays the same instance while
       the record is in the list: live changes and edits update its properties (their NOTIFY
       signals fire) instead of replacing it. Fields the object has unsaved changes for (dirty)
       keep the caller's value. When the row leaves the list the object is deleted later
       (deleteLater) and never reused for another record; do not keep the pointer past
       rowsRemoved (use QPointer). Changing the object's fields changes the row's roles at once
       (dataChanged); save() writes them, and the live change that follows is a no-op.
     * setData() on a field role (or setField()) writes the field back like QueryListModel does:
       shown at once, rolled back with writeFailed() when the database did not apply it. The value
       is checked against the field first (type, required, maxLength): a bad one is refused with
       a Validation error before any request.

    The table is the model class's; filter, bindings, orderBy, descending, live and pageSize are
    QueryListModel's. With no connection given, the model class's default connection is used
    (ModelInfo::defaultConnection, else Model::defaultConnection). */
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
    /*! The same values as QueryListModel::Status. */
    enum Status { Null, Loading, Ready, Error };
    Q_ENUM(Status)

    /*! ObjectRole: the row's Model; IdRole: its RecordId; FirstFieldRole + i: field i of the model class. */
    enum Role { ObjectRole = Qt::UserRole, IdRole, FirstFieldRole };
    Q_ENUM(Role)

    /*! Without a model class the list is empty (status Null) until setModelInfo(). */
    explicit ModelListModel(QObject *parent = nullptr);
    /*! The rows of info's model class, read through connection (null: the class's default connection). */
    explicit ModelListModel(const ModelInfo &info, Connection *connection = nullptr,
                            QObject *parent = nullptr);
    ~ModelListModel() override;

    /*! A list of T rows, e.g. ModelListModel::of<Task>(db->connection(), this). */
    template<typename T>
    [[nodiscard]] static ModelListModel *of(Connection *connection = nullptr, QObject *parent = nullptr)
    {
        static_assert(std::is_base_of_v<Model, T>,
                      "ModelListModel::of<T>: T must derive from SurrealQt::Model");
        return new ModelListModel(ModelInfo::of<T>(), connection, parent);
    }

    /*! The model class; null before setModelInfo(). */
    [[nodiscard]] const ModelInfo *modelInfo() const;
    /*! Switches the model class (the table, the roles) and reloads. */
    void setModelInfo(const ModelInfo *info);
    /*! The model class's name, e.g. "app::Task"; empty without one. */
    [[nodiscard]] QString modelClass() const;
    /*! The model class's table. */
    [[nodiscard]] QString table() const;
    /*! The model's fields, in role order (FirstFieldRole + i). */
    [[nodiscard]] QStringList fieldNames() const;
    /*! -1 for a name that is not a field of the model. */
    [[nodiscard]] int roleForField(const QString &field) const;

    /*! The connection it reads through; null when it uses the class's default. */
    [[nodiscard]] Connection *connection() const;
    /*! Reads through connection from now on (not owned; null: the class's default); reloads. */
    void setConnection(Connection *connection);

    /*! Where loading stands (see QueryListModel::Status). */
    [[nodiscard]] Status status() const;
    /*! The error of the last failed load; invalid otherwise. */
    [[nodiscard]] SurrealQt::Error error() const;
    /*! error()'s message; empty without an error. */
    [[nodiscard]] QString errorString() const;
    /*! Rows loaded so far. */
    [[nodiscard]] int count() const;
    /*! Rows the table (with the filter) holds; -1 until known. */
    [[nodiscard]] qint64 totalCount() const;
    /*! The SurrealQL condition; empty for every record. */
    [[nodiscard]] QString filter() const;
    /*! Sets the condition: code written by the program, values as `$name` bindings; reloads. */
    void setFilter(const QString &condition);
    /*! The values of the filter's `$name` variables. */
    [[nodiscard]] QVariantMap bindings() const;
    /*! Sets the filter's bind variables; reloads. */
    void setBindings(const QVariantMap &bindings);
    /*! The ordering field; empty for the record id. */
    [[nodiscard]] QString orderBy() const;
    /*! Orders by field (empty: record id); a field with the `unique` or `index` option pages in constant
     * time. Reloads. */
    void setOrderBy(const QString &field);
    /*! True for a descending order. */
    [[nodiscard]] bool descending() const;
    /*! Sets the order's direction; reloads. */
    void setDescending(bool descending);
    /*! True when the model follows changes through a live query. */
    [[nodiscard]] bool isLive() const;
    /*! Follows creates, updates and deletes (and rows entering or leaving the filter); needs a WebSocket. */
    void setLive(bool live);
    /*! Rows per page. */
    [[nodiscard]] int pageSize() const;
    /*! Rows per page loaded by fetchMore(). */
    void setPageSize(int rows);
    /*! The field DisplayRole shows. */
    [[nodiscard]] QString displayField() const;
    /*! Sets displayField(). */
    void setDisplayField(const QString &field);
    /*! True when pages continue by a key range (ordered by id or an indexed field, ascending). */
    [[nodiscard]] bool isPagedInConstantTime() const;

    /*! The row's object (see the class comment); null for a row out of range or a row that is
        still being created (insertRows). */
    Q_INVOKABLE [[nodiscard]] SurrealQt::Model *object(int row) const;
    /*! object(row) cast to T; null when the row's object is not a T. */
    template<typename T>
    [[nodiscard]] T *object(int row) const
    {
        return qobject_cast<T *>(object(row));
    }
    /*! The record id of a row (a SurrealQt::RecordId), and the row of a record id (-1). */
    Q_INVOKABLE [[nodiscard]] QVariant recordId(int row) const;
    /*! The row holding recordId among the loaded rows, or -1. */
    Q_INVOKABLE [[nodiscard]] int rowOf(const QVariant &recordId) const;
    /*! The typed form of rowOf(const QVariant &) for C++: the row of \a id, or -1. */
    [[nodiscard]] int rowOf(const RecordId &id) const;
    /*! Writes one field of a row (see setData()). False for an unknown row or field or a value
        the field refuses. */
    Q_INVOKABLE bool setField(int row, const QString &field, const QVariant &value);
    /*! Creates a record of the model's table; it shows up where the order puts it. */
    Q_INVOKABLE void createRecord(const QVariantMap &data);
    /*! Deletes the row's record (see removeRows()); false for a row that does not exist. */
    Q_INVOKABLE bool removeRecord(int row);

    /*! The QueryListModel underneath, for what this class does not forward. Owned by this model;
        do not change its table, query or roles. */
    [[nodiscard]] QueryListModel *sourceModel() const;

    /*! QAbstractItemModel */
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    /*! The value of a role for the row: field values in the property's C++ type, the object, the id. */
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /*! Writes a field (checked against the field first); see the class description. */
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    /*! Editable for fields that can be written. */
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    /*! display, object, id and one role per field, named after it (for QML). */
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    /*! True while pages remain. */
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent = {}) const override;
    /*! Loads the next page. */
    void fetchMore(const QModelIndex &parent = {}) override;
    /*! Inserts rows that exist in the model alone until submit() (see QueryListModel::insertRows()). */
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    /*! Removes the rows and deletes their records (see QueryListModel::removeRows()). */
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    /*! Creates the records of inserted rows (see QueryListModel::submit()). */
    bool submit() override;

public Q_SLOTS:
    /*! Drops the rows (and their objects) and loads the first page again. */
    void reload();
    /*! Loads every remaining page. */
    void fetchAll();

Q_SIGNALS:
    /*! The model class changed (table, roles and fieldNames with it). */
    void modelInfoChanged();
    /*! connection() changed. */
    void connectionChanged();
    /*! status() changed. */
    void statusChanged(SurrealQt::ModelListModel::Status status);
    /*! error() changed. */
    void errorChanged();
    /*! count() changed. */
    void countChanged();
    /*! totalCount() changed. */
    void totalCountChanged();
    /*! filter() changed. */
    void filterChanged();
    /*! bindings() changed. */
    void bindingsChanged();
    /*! orderBy() changed. */
    void orderByChanged();
    /*! descending() changed. */
    void descendingChanged();
    /*! isLive() changed. */
    void liveChanged();
    /*! pageSize() changed. */
    void pageSizeChanged();
    /*! displayField() changed. */
    void displayFieldChanged();
    /*! A page arrived (rows first..last were inserted). */
    void pageLoaded(int first, int last);
    /*! Every page is in (canFetchMore() is false). */
    void fullyLoaded();
    /*! A write made through the model (setData, setField, insertRows, removeRows, createRecord)
        did not happen, or a value was refused before sending. */
    void writeFailed(const QVariant &recordId, const SurrealQt::Error &error);
    /*! Live changes have been applied (after each notification batch and after a resync). */
    void liveChangesApplied();

private Q_SLOTS:
    // A NOTIFY signal of one of the row objects.
    void objectFieldChanged();

private:
    friend class ModelListModelPrivate;
    std::unique_ptr<ModelListModelPrivate> d;
};

} // namespace SurrealQt
