#include <SurrealQt/modellistmodel.h>

#include "orm/modelrowloader_p.h"
#include "views/querylistmodel_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/none.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QHash>
#include <QtCore/QMetaMethod>
#include <QtCore/QMetaProperty>

using namespace Qt::StringLiterals;

namespace SurrealQt {

// The rows are QueryListModel's, mapped one to one (same row numbers), so paging, live
// following, resync and write-back with rollback are its code, not a copy. What this class
// adds: roles from the model class, values in the properties' types, and one object per record
// kept in step with the row.
class ModelListModelPrivate
{
public:
    explicit ModelListModelPrivate(ModelListModel *q)
        : q(q)
        , source(new QueryListModel(q))
    {}

    ModelListModel *q;
    QueryListModel *source;
    const ModelInfo *info = nullptr;
    // A hidden instance of the model class that converts values exactly as an object does
    // (Model::fromMap / toMap) without creating an object per row.
    Model *scratch = nullptr;
    // Objects by record id: rows move (sort key changes, resync), records do not.
    mutable QHash<RecordId, Model *> objects;
    // NOTIFY signal index of a field -> its role.
    QHash<int, int> roleOfSignal;
    // Source field role -> our role.
    QHash<int, int> roleOfSourceRole;
    // True while an object is updated from its row: its NOTIFY signals are not edits.
    bool applying = false;

    [[nodiscard]] static RecordId idOf(const QVariant &v)
    {
        return v.metaType() == QMetaType::fromType<RecordId>() ? v.value<RecordId>() : RecordId();
    }
    [[nodiscard]] RecordId idAt(int row) const { return idOf(source->recordId(row)); }

    // The row as the object takes it: every field present (NONE for an absent one, so a field
    // removed on the server is cleared too), minus the object's unsaved fields.
    [[nodiscard]] QVariantMap rowForObject(int row, const Model *object) const
    {
        QVariantMap map = source->get(row);
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
        const Error e = ModelRowLoader::load(object, rowForObject(row, object));
        applying = was;
        if (e.isValid())
            qCWarning(lcViews) << "ModelListModel:" << e.toString();
    }

    Model *objectAt(int row) const
    {
        if (!info || row < 0 || row >= source->rowCount())
            return nullptr;
        const RecordId id = idAt(row);
        if (!id.isValid())
            return nullptr;
        if (Model *existing = objects.value(id))
            return existing;
        auto *self = const_cast<ModelListModelPrivate *>(this);
        Model *object = info->newInstance(q);
        if (!object)
            return nullptr;
        if (Connection *c = source->connection())
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
        const RecordId id = idAt(row);
        if (id.isValid()) {
            if (const Model *object = objects.value(id))
                return info->metaObject()->property(f.propertyIndex()).read(object);
        }
        QVariant value = source->get(row).value(f.name());
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
        // Fixed roles in the source: its field roles no longer depend on the first page.
        source->setRoles(roles);
        source->setTable(info ? info->tableName() : QString());
        mapSourceRoles();
    }

    void mapSourceRoles()
    {
        roleOfSourceRole.clear();
        roleOfSourceRole.insert(Qt::DisplayRole, Qt::DisplayRole);
        if (!info)
            return;
        const QStringList names = source->fieldNames();
        for (int i = 0; i < names.size(); ++i) {
            const int ours =
                names.at(i) == u"id"_s ? int(ModelListModel::IdRole) : q->roleForField(names.at(i));
            if (ours >= 0)
                roleOfSourceRole.insert(QueryListModel::FirstFieldRole + i, ours);
        }
    }

    void connectSource();
};

void ModelListModelPrivate::connectSource()
{
    QueryListModel *s = source;
    // Structure: forwarded one to one (same rows).
    QObject::connect(
        s, &QAbstractItemModel::rowsAboutToBeInserted, q,
        [this](const QModelIndex &, int first, int last) { q->beginInsertRows({}, first, last); });
    QObject::connect(s, &QAbstractItemModel::rowsInserted, q, [this] { q->endInsertRows(); });
    QObject::connect(s, &QAbstractItemModel::rowsAboutToBeRemoved, q,
                     [this](const QModelIndex &, int first, int last) {
                         q->beginRemoveRows({}, first, last);
                         for (int row = first; row <= last; ++row) {
                             const RecordId id = idAt(row);
                             if (id.isValid())
                                 dropObject(id);
                         }
                     });
    QObject::connect(s, &QAbstractItemModel::rowsRemoved, q, [this] { q->endRemoveRows(); });
    QObject::connect(s, &QAbstractItemModel::rowsAboutToBeMoved, q,
                     [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                         q->beginMoveRows({}, first, last, {}, to);
                     });
    QObject::connect(s, &QAbstractItemModel::rowsMoved, q, [this] { q->endMoveRows(); });
    QObject::connect(s, &QAbstractItemModel::modelAboutToBeReset, q, [this] { q->beginResetModel(); });
    QObject::connect(s, &QAbstractItemModel::modelReset, q, [this] {
        dropAll();
        mapSourceRoles();
        q->endResetModel();
    });
    QObject::connect(
        s, &QAbstractItemModel::dataChanged, q,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
            QList<int> mapped;
            for (int r : roles) {
                const int ours = roleOfSourceRole.value(r, -1);
                if (ours >= 0 && !mapped.contains(ours))
                    mapped.append(ours);
            }
            // Only roles we do not show changed (e.g. a field the model class lacks).
            if (!roles.isEmpty() && mapped.isEmpty())
                return;
            for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                if (Model *object = objects.value(idAt(row)))
                    load(object, row);
            }
            Q_EMIT q->dataChanged(q->index(topLeft.row()), q->index(bottomRight.row()), mapped);
        });

    // Properties and signals.
    QObject::connect(s, &QueryListModel::connectionChanged, q, &ModelListModel::connectionChanged);
    QObject::connect(s, &QueryListModel::statusChanged, q, [this](QueryListModel::Status st) {
        Q_EMIT q->statusChanged(ModelListModel::Status(st));
    });
    QObject::connect(s, &QueryListModel::errorChanged, q, &ModelListModel::errorChanged);
    QObject::connect(s, &QueryListModel::countChanged, q, &ModelListModel::countChanged);
    QObject::connect(s, &QueryListModel::totalCountChanged, q, &ModelListModel::totalCountChanged);
    QObject::connect(s, &QueryListModel::filterChanged, q, &ModelListModel::filterChanged);
    QObject::connect(s, &QueryListModel::bindingsChanged, q, &ModelListModel::bindingsChanged);
    QObject::connect(s, &QueryListModel::orderByChanged, q, &ModelListModel::orderByChanged);
    QObject::connect(s, &QueryListModel::descendingChanged, q, &ModelListModel::descendingChanged);
    QObject::connect(s, &QueryListModel::liveChanged, q, &ModelListModel::liveChanged);
    QObject::connect(s, &QueryListModel::pageSizeChanged, q, &ModelListModel::pageSizeChanged);
    QObject::connect(s, &QueryListModel::displayFieldChanged, q, &ModelListModel::displayFieldChanged);
    QObject::connect(s, &QueryListModel::pageLoaded, q, &ModelListModel::pageLoaded);
    QObject::connect(s, &QueryListModel::fullyLoaded, q, &ModelListModel::fullyLoaded);
    QObject::connect(s, &QueryListModel::writeFailed, q, &ModelListModel::writeFailed);
    QObject::connect(s, &QueryListModel::liveChangesApplied, q, &ModelListModel::liveChangesApplied);
    // Objects made before a connection change keep saving through the old one otherwise.
    QObject::connect(s, &QueryListModel::connectionChanged, q, [this] {
        if (Connection *c = source->connection()) {
            for (Model *object : std::as_const(objects))
                object->setConnection(c);
        }
    });
}

ModelListModel::ModelListModel(QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<ModelListModelPrivate>(this))
{
    d->connectSource();
    d->mapSourceRoles();
}

ModelListModel::ModelListModel(const ModelInfo &info, Connection *connection, QObject *parent)
    : ModelListModel(parent)
{
    d->setInfo(&info);
    d->source->setConnection(connection ? connection : info.defaultConnection());
}

ModelListModel::~ModelListModel()
{
    // The source is a child: it would otherwise emit into a half-destroyed object.
    QObject::disconnect(d->source, nullptr, this, nullptr);
    delete d->scratch;
}

const ModelInfo *ModelListModel::modelInfo() const
{
    return d->info;
}

void ModelListModel::setModelInfo(const ModelInfo *info)
{
    if (d->info == info)
        return;
    // New roles at once; the rows follow with the source's reload (queued).
    beginResetModel();
    d->dropAll();
    d->setInfo(info);
    endResetModel();
    Q_EMIT modelInfoChanged();
}

QString ModelListModel::modelClass() const
{
    return d->info ? d->info->className() : QString();
}

QString ModelListModel::table() const
{
    return d->info ? d->info->tableName() : QString();
}

QStringList ModelListModel::fieldNames() const
{
    return d->info ? d->info->fieldNames() : QStringList();
}

int ModelListModel::roleForField(const QString &field) const
{
    const int i = d->info ? d->info->fieldIndex(field) : -1;
    return i < 0 ? -1 : FirstFieldRole + i;
}

Connection *ModelListModel::connection() const
{
    return d->source->connection();
}

void ModelListModel::setConnection(Connection *connection)
{
    d->source->setConnection(connection);
}

ModelListModel::Status ModelListModel::status() const
{
    return Status(d->source->status());
}

Error ModelListModel::error() const
{
    return d->source->error();
}

QString ModelListModel::errorString() const
{
    return d->source->errorString();
}

int ModelListModel::count() const
{
    return d->source->count();
}

qint64 ModelListModel::totalCount() const
{
    return d->source->totalCount();
}

QString ModelListModel::filter() const
{
    return d->source->filter();
}

void ModelListModel::setFilter(const QString &condition)
{
    d->source->setFilter(condition);
}

QVariantMap ModelListModel::bindings() const
{
    return d->source->bindings();
}

void ModelListModel::setBindings(const QVariantMap &bindings)
{
    d->source->setBindings(bindings);
}

QString ModelListModel::orderBy() const
{
    return d->source->orderBy();
}

void ModelListModel::setOrderBy(const QString &field)
{
    d->source->setOrderBy(field);
}

bool ModelListModel::descending() const
{
    return d->source->descending();
}

void ModelListModel::setDescending(bool descending)
{
    d->source->setDescending(descending);
}

bool ModelListModel::isLive() const
{
    return d->source->isLive();
}

void ModelListModel::setLive(bool live)
{
    d->source->setLive(live);
}

int ModelListModel::pageSize() const
{
    return d->source->pageSize();
}

void ModelListModel::setPageSize(int rows)
{
    d->source->setPageSize(rows);
}

QString ModelListModel::displayField() const
{
    return d->source->displayField();
}

void ModelListModel::setDisplayField(const QString &field)
{
    d->source->setDisplayField(field);
}

bool ModelListModel::isPagedInConstantTime() const
{
    return d->source->isPagedInConstantTime();
}

Model *ModelListModel::object(int row) const
{
    return d->objectAt(row);
}

QVariant ModelListModel::recordId(int row) const
{
    return d->source->recordId(row);
}

int ModelListModel::rowOf(const RecordId &id) const
{
    return rowOf(QVariant::fromValue(id));
}

int ModelListModel::rowOf(const QVariant &recordId) const
{
    return d->source->rowOf(recordId);
}

bool ModelListModel::setField(int row, const QString &field, const QVariant &value)
{
    if (!d->info || row < 0 || row >= rowCount())
        return false;
    const FieldInfo f = d->info->field(field);
    if (!f.isValid() || f.isReadOnly())
        return false;
    // Through the property, as the object would take it: the same conversion and the same wire
    // value (NONE for an empty optional field) as Model::save().
    const bool written = d->info->metaObject()->property(f.propertyIndex()).write(d->scratch, value);
    if (!written) {
        Q_EMIT writeFailed(
            recordId(row),
            SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                             u"%1.%2: the value (%3) does not fit the field"_s.arg(
                                 d->info->className(), field, QString::fromLatin1(value.typeName())),
                             u"ModelListModel::setData"_s));
        return false;
    }
    const QVariant wire = d->scratch->toMap({field}).value(field);
    const SurrealQt::Error e = f.check(wire, d->info->className());
    if (e.isValid()) {
        Q_EMIT writeFailed(recordId(row), e);
        return false;
    }
    // Already in the property's type: written as Model::save() would, without a second conversion.
    return QueryListModelPrivate::get(d->source)->writeField(row, field, wire);
}

void ModelListModel::createRecord(const QVariantMap &data)
{
    d->source->createRecord(data);
}

bool ModelListModel::removeRecord(int row)
{
    return d->source->removeRecord(row);
}

QueryListModel *ModelListModel::sourceModel() const
{
    return d->source;
}

int ModelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : d->source->rowCount();
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid) || !d->info)
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return d->source->data(d->source->index(row, 0), role);
    case ObjectRole:
        if (Model *object = d->objectAt(row))
            return QVariant::fromValue(static_cast<QObject *>(object));
        return {};
    case IdRole:
        return d->source->recordId(row);
    default:
        break;
    }
    const int field = role - FirstFieldRole;
    if (field < 0 || field >= d->info->fields().size())
        return {};
    return d->fieldValue(row, field);
}

bool ModelListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid) || !d->info)
        return false;
    if (role == Qt::EditRole || role == Qt::DisplayRole) {
        const QString field = d->source->displayField();
        return !field.isEmpty() && setField(index.row(), field, value);
    }
    const int field = role - FirstFieldRole;
    if (field < 0 || field >= d->info->fields().size())
        return false;
    return setField(index.row(), d->info->fields().at(field).name(), value);
}

Qt::ItemFlags ModelListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return d->source->flags(d->source->index(index.row(), 0));
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    QHash<int, QByteArray> names{{Qt::DisplayRole, "display"}, {ObjectRole, "object"}, {IdRole, "id"}};
    if (d->info) {
        const QStringList fields = d->info->fieldNames();
        for (int i = 0; i < fields.size(); ++i)
            names.insert(FirstFieldRole + i, fields.at(i).toUtf8());
    }
    return names;
}

bool ModelListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && d->source->canFetchMore({});
}

void ModelListModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        d->source->fetchMore({});
}

bool ModelListModel::insertRows(int row, int count, const QModelIndex &parent)
{
    return !parent.isValid() && d->source->insertRows(row, count);
}

bool ModelListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    return !parent.isValid() && d->source->removeRows(row, count);
}

bool ModelListModel::submit()
{
    return d->source->submit();
}

void ModelListModel::reload()
{
    d->source->reload();
}

void ModelListModel::fetchAll()
{
    d->source->fetchAll();
}

void ModelListModel::objectFieldChanged()
{
    if (d->applying)
        return;
    auto *object = qobject_cast<Model *>(sender());
    const int role = d->roleOfSignal.value(senderSignalIndex(), -1);
    if (!object || role < 0)
        return;
    const int row = d->source->rowOf(QVariant::fromValue(object->id()));
    if (row < 0 || d->objects.value(object->id()) != object)
        return;
    Q_EMIT dataChanged(index(row), index(row), {role});
}

} // namespace SurrealQt
