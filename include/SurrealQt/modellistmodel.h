#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/querylistmodel.h>

#include <QtCore/QAbstractListModel>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <memory>
#include <type_traits>

namespace SurrealQt {

class Connection;
class ModelListModelPrivate;

/*! The typed list model: the rows of a model class's table as `Model` objects, for item views and
    QML. It is a QueryListModel (same paging, live following, resync, edits with rollback, and the
    same properties: filter, bindings, orderBy, descending, live, pageSize, displayField...; see
    querylistmodel.h and docs/views/querylistmodel.md) whose table and roles come from the model
    class, with what a model class adds:

     * Roles: Qt::DisplayRole ("display"), ObjectRole ("object": the row's Model as a QObject*),
       IdRole ("id": the RecordId), DirtyRole ("dirty": an edit not written yet), then one role per field of
   the model class, named after it, in declaration order (FirstFieldRole + i). Field values have the
   property's C++ type.
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

    The table, the roles and the query are the model class's: do not set table, query or roles.
    With no connection given, the model class's default connection is used
    (ModelInfo::defaultConnection, else Model::defaultConnection). */
// The base is named in full: the QML type registrar resolves it by that name.
class SURREALQT_EXPORT ModelListModel : public SurrealQt::QueryListModel
{
    Q_OBJECT
    Q_PROPERTY(QString modelClass READ modelClass NOTIFY modelInfoChanged)
    Q_PROPERTY(QStringList fieldNames READ fieldNames NOTIFY modelInfoChanged)

public:
    /*! ObjectRole: the row's Model; IdRole: its RecordId; DirtyRole: an edit not written yet (as
        QueryListModel::DirtyRole); FirstFieldRole + i: field i of the model class. */
    enum Role { ObjectRole = Qt::UserRole, IdRole, DirtyRole, FirstFieldRole };
    Q_ENUM(Role)

    /*! Without a model class the list is empty (status Null) until setModelInfo(). */
    explicit ModelListModel(QObject *parent = nullptr);
    /*! The rows of info's model class, read through connection (null: the class's default connection). */
    explicit ModelListModel(const ModelInfo &info, Connection *connection = nullptr,
                            QObject *parent = nullptr);
    ~ModelListModel() override;

    /*! A list of T rows, e.g. ModelListModel::of<Task>(db->connection(), this); owned by parent. */
    template<typename T>
    [[nodiscard]] static ModelListModel *of(Connection *connection = nullptr, QObject *parent = nullptr)
    {
        static_assert(std::is_base_of_v<Model, T>,
                      "ModelListModel::of<T>: T must derive from SurrealQt::Model");
        return new ModelListModel(ModelInfo::of<T>(), connection, parent);
    }

    /*! The model class; null until set. */
    [[nodiscard]] const ModelInfo *modelInfo() const;
    /*! Switches the model class (the table, the roles) and reloads. */
    void setModelInfo(const ModelInfo *info);
    /*! The model class's C++ name; empty without one. */
    [[nodiscard]] QString modelClass() const;
    /*! The model's fields, in role order (FirstFieldRole + i); unlike QueryListModel's, no `id`. */
    [[nodiscard]] QStringList fieldNames() const;
    /*! The role of field; -1 for a name that is not a field of the model. */
    [[nodiscard]] int roleForField(const QString &field) const;

    /*! The row's object (see the class comment); null for a row out of range or a row that is
        still being created (insertRows). */
    Q_INVOKABLE [[nodiscard]] SurrealQt::Model *object(int row) const;
    /*! object(row) as a T (null when it is not one). */
    template<typename T>
    [[nodiscard]] T *object(int row) const
    {
        return qobject_cast<T *>(object(row));
    }

    /*! The row's value for role (see the class comment for the roles). */
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /*! display, object, id, dirty, then the model class's fields. */
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /*! The model class (and so the table and the roles) changed. */
    void modelInfoChanged();

private Q_SLOTS:
    // A NOTIFY signal of one of the row objects.
    void objectFieldChanged();

private:
    friend class ModelListModelPrivate;
};

} // namespace SurrealQt
