#include <SurrealQt/modellistmodel.h>

#include "orm/modelrowloader_p.h"
#include "views/listmodelsupport_p.h"
#include "views/querylistmodel_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QHash>
#include <QtCore/QMetaMethod>
#include <QtCore/QMetaProperty>

#include <optional>

using namespace Qt::StringLiterals;

namespace SurrealQt {

// A QueryListModel's private part with what a model class adds: roles from the model class,
// values in the properties' types, and one object per record kept in step with the row.
class ModelListModelPrivate : public QueryListModelPrivate
{
public:
    [[nodiscard]] static ModelListModelPrivate *get(const ModelListModel *model)
    {
        return static_cast<ModelListModelPrivate *>(model->d.get());
    }

    ~ModelListModelPrivate() override { delete scratch; }

    const ModelInfo *info = nullptr;
    // A hidden instance of the model class that converts values exactly as an object does
    // (Model::fromMap / toMap) without creating an object per row.
    Model *scratch = nullptr;
    // Loads the rows into objects with the field lookup worked out once for the model class.
    std::optional<ModelRowLoader> loader;
    // Objects by record id: rows move (sort key changes, resync), records do not.
    mutable QHash<RecordId, Model *> objects;
    // NOTIFY signal index of a field -> its role.
    QHash<int, int> roleOfSignal;
    // True while an object is updated from its row: its NOTIFY signals are not edits.
    bool applying = false;

    [[nodiscard]] ModelListModel *model() const { return static_cast<ModelListModel *>(q); }

    // The row as the object takes it: every field present (NONE for an absent one, so a field
    // removed on the server is cleared too), minus the object's unsaved fields.
    [[nodiscard]] QVariantMap rowForObject(int row, const Model *object) const
    {
        QVariantMap map = store.recordAt(row);
        for (const FieldInfo &f : info->fields()) {
            if (!map.contains(f.name()))
                map.insert(f.name(), noneValue());
        }
        if (object) {
            for (const QString &dirty : object->dirtyFields())
                map.remove(dirty);
        }
        return map;
    }

    void load(Model *object, int row)
    {
        const bool was = applying;
        applying = true;
        const std::optional<Error> e = loader->loadInto(object, rowForObject(row, object));
        applying = was;
        if (e)
            qCWarning(lcViews) << "ModelListModel:" << e->toString();
    }

    Model *objectAt(int row) const
    {
        if (!info || row < 0 || row >= store.size())
            return nullptr;
        const RecordId id = store.idAt(row);
        if (!id.isValid())
            return nullptr;
        if (Model *existing = objects.value(id))
            return existing;
        auto *self = const_cast<ModelListModelPrivate *>(this);
        Model *object = info->newInstance(q);
        if (!object)
            return nullptr;
        if (Connection *c = connection)
            object->setConnection(c);
        self->load(object, row);
        objects.insert(id, object);
        // Deleted by its user: forget it, the next object(row) makes a new one.
        QObject::connect(object, &QObject::destroyed, q, [self, id, object] {
            if (self->objects.value(id) == object)
                self->objects.remove(id);
        });
        // The object's own edits show in the row at once.
        const int slot = q->metaObject()->indexOfSlot("objectFieldChanged()");
        for (auto it = roleOfSignal.cbegin(); it != roleOfSignal.cend(); ++it)
            QMetaObject::connect(object, it.key(), q, slot);
        return object;
    }

    void dropObject(const RecordId &id)
    {
        if (Model *object = objects.take(id)) {
            QObject::disconnect(object, nullptr, q, nullptr);
            object->deleteLater();
        }
    }

    void dropAll()
    {
        for (Model *object : std::as_const(objects)) {
            QObject::disconnect(object, nullptr, q, nullptr);
            object->deleteLater();
        }
        objects.clear();
    }

    // A field value of a row in its property's type, as the row's object would hold it.
    [[nodiscard]] QVariant fieldValue(int row, int fieldIndex) const
    {
        const FieldInfo f = info->fields().at(fieldIndex);
        const RecordId id = store.idAt(row);
        if (id.isValid()) {
            if (const Model *object = objects.value(id))
                return info->metaObject()->property(f.propertyIndex()).read(object);
        }
        QVariant value = store.recordAt(row).value(f.name());
        if (!value.isValid())
            value = noneValue();
        const Error e = scratch->fromMap({{f.name(), value}});
        if (e.isValid())
            return value;
        return info->metaObject()->property(f.propertyIndex()).read(scratch);
    }

    void setInfo(const ModelInfo *newInfo)
    {
        info = newInfo;
        delete scratch;
        scratch = info ? info->newInstance() : nullptr;
        loader.reset();
        if (info)
            loader.emplace(*info);
        roleOfSignal.clear();
        QStringList roles;
        if (info) {
            const QMetaObject *mo = info->metaObject();
            for (int i = 0; i < info->fields().size(); ++i) {
                const QMetaProperty p = mo->property(info->fields().at(i).propertyIndex());
                if (p.hasNotifySignal())
                    roleOfSignal.insert(p.notifySignalIndex(), ModelListModel::FirstFieldRole + i);
            }
            roles = info->fieldNames();
            roles.prepend(u"id"_s);
        }
        // Fixed roles: the field roles no longer depend on the first page.
        q->setRoles(roles);
        q->setTable(info ? info->tableName() : QString());
    }

    // Our role for the base's field role (FirstFieldRole + index in `fields`); -1: none.
    [[nodiscard]] int roleOfBaseRole(int role) const
    {
        if (role == Qt::DisplayRole)
            return Qt::DisplayRole;
        if (role == QueryListModel::DirtyRole)
            return ModelListModel::DirtyRole;
        const int i = role - QueryListModel::FirstFieldRole;
        if (i < 0 || i >= fields.size())
            return -1;
        return fields.at(i) == u"id"_s ? int(ModelListModel::IdRole) : model()->roleForField(fields.at(i));
    }

    QString fieldOfRole(int role, int column) const override
    {
        if (role == Qt::EditRole || role == Qt::DisplayRole)
            return fieldOfColumn(column);
        const int field = role - ModelListModel::FirstFieldRole;
        if (!info || field < 0 || field >= info->fields().size())
            return {};
        return info->fields().at(field).name();
    }

    void notifyChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles) override
    {
        QList<int> mapped;
        for (int r : roles) {
            const int ours = roleOfBaseRole(r);
            if (ours >= 0 && !mapped.contains(ours))
                mapped.append(ours);
        }
        // Only roles we do not show changed (e.g. a field the model class lacks).
        if (!roles.isEmpty() && mapped.isEmpty())
            return;
        if (mapped != QList<int>{ModelListModel::DirtyRole}) {
            for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                if (Model *object = objects.value(store.idAt(row)))
                    load(object, row);
            }
        }
        Q_EMIT q->dataChanged(topLeft, bottomRight, mapped);
    }

    bool setField(int row, const QString &field, const QVariant &value) override
    {
        if (!info || row < 0 || row >= store.size())
            return false;
        const FieldInfo f = info->field(field);
        if (!f.isValid() || f.isReadOnly())
            return false;
        // Through the property, as the object would take it: the same conversion and the same wire
        // value (NONE for an empty optional field) as Model::save().
        const bool written = info->metaObject()->property(f.propertyIndex()).write(scratch, value);
        if (!written) {
            Q_EMIT q->writeFailed(q->recordId(row),
                                  Error(Error::Kind::Validation,
                                        u"%1.%2: the value (%3) does not fit the field"_s.arg(
                                            info->className(), field, QString::fromLatin1(value.typeName())),
                                        u"ModelListModel::setData"_s));
            return false;
        }
        const QVariant wire = scratch->toMap({field}).value(field);
        const Error e = f.check(wire, info->className());
        if (e.isValid()) {
            Q_EMIT q->writeFailed(q->recordId(row), e);
            return false;
        }
        // Already in the property's type: written as Model::save() would, without a second conversion.
        return writer.writeField(row, field, wire);
    }

    void connectSelf()
    {
        QObject::connect(q, &QAbstractItemModel::rowsAboutToBeRemoved, q,
                         [this](const QModelIndex &, int first, int last) {
                             for (int row = first; row <= last; ++row) {
                                 const RecordId id = store.idAt(row);
                                 if (id.isValid())
                                     dropObject(id);
                             }
                         });
        QObject::connect(q, &QAbstractItemModel::modelAboutToBeReset, q, [this] { dropAll(); });
        // Objects made before a connection change keep saving through the old one otherwise.
        QObject::connect(q, &QueryListModel::connectionChanged, q, [this] {
            if (Connection *c = connection) {
                for (Model *object : std::as_const(objects))
                    object->setConnection(c);
            }
        });
    }
};

ModelListModel::ModelListModel(QObject *parent)
    : QueryListModel(*new ModelListModelPrivate, parent)
{
    ModelListModelPrivate::get(this)->connectSelf();
}

ModelListModel::ModelListModel(const ModelInfo &info, Connection *connection, QObject *parent)
    : ModelListModel(parent)
{
    ModelListModelPrivate::get(this)->setInfo(&info);
    setConnection(connection ? connection : info.defaultConnection());
}

ModelListModel::~ModelListModel() = default;

const ModelInfo *ModelListModel::modelInfo() const
{
    return ModelListModelPrivate::get(this)->info;
}

void ModelListModel::setModelInfo(const ModelInfo *info)
{
    auto *dm = ModelListModelPrivate::get(this);
    if (dm->info == info)
        return;
    // New roles at once; the rows follow with the reload (queued).
    beginResetModel();
    dm->dropAll();
    dm->setInfo(info);
    endResetModel();
    Q_EMIT modelInfoChanged();
}

QString ModelListModel::modelClass() const
{
    const ModelInfo *info = modelInfo();
    return info ? info->className() : QString();
}

QStringList ModelListModel::fieldNames() const
{
    const ModelInfo *info = modelInfo();
    return info ? info->fieldNames() : QStringList();
}

int ModelListModel::roleForField(const QString &field) const
{
    const ModelInfo *info = modelInfo();
    const int i = info ? info->fieldIndex(field) : -1;
    return i < 0 ? -1 : FirstFieldRole + i;
}

Model *ModelListModel::object(int row) const
{
    return ModelListModelPrivate::get(this)->objectAt(row);
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    const auto *dm = ModelListModelPrivate::get(this);
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid) || !dm->info)
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return QueryListModel::data(index, role);
    case ObjectRole:
        if (Model *object = dm->objectAt(row))
            return QVariant::fromValue(static_cast<QObject *>(object));
        return {};
    case IdRole:
        return recordId(row);
    case DirtyRole:
        return isDirty(index);
    default:
        break;
    }
    const int field = role - FirstFieldRole;
    if (field < 0 || field >= dm->info->fields().size())
        return {};
    return dm->fieldValue(row, field);
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    QHash<int, QByteArray> names{
        {Qt::DisplayRole, "display"}, {ObjectRole, "object"}, {IdRole, "id"}, {DirtyRole, "dirty"}};
    const QStringList fields = fieldNames();
    for (int i = 0; i < fields.size(); ++i)
        names.insert(FirstFieldRole + i, fields.at(i).toUtf8());
    return names;
}

void ModelListModel::objectFieldChanged()
{
    auto *dm = ModelListModelPrivate::get(this);
    if (dm->applying)
        return;
    auto *object = qobject_cast<Model *>(sender());
    const int role = dm->roleOfSignal.value(senderSignalIndex(), -1);
    if (!object || role < 0)
        return;
    const int row = rowOf(QVariant::fromValue(object->id()));
    if (row < 0 || dm->objects.value(object->id()) != object)
        return;
    Q_EMIT dataChanged(index(row), index(row), {role});
}

} // namespace SurrealQt
