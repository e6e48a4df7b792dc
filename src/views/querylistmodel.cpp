#include <SurrealQt/querylistmodel.h>

#include "codec/variantcompare_p.h"
#include "views/listmodelsupport_p.h"
#include "views/querylistmodel_p.h"
#include "views/storedtype_p.h"

#include <SurrealQt/connection.h>

using namespace Qt::StringLiterals;

// The item-model surface of QueryListModel: properties, roles and the QAbstractItemModel
// calls. The work behind them is QueryListModelPrivate's parts (querylistmodel_p.h).

namespace SurrealQt {

using namespace ListModelSupport;

QueryListModel::QueryListModel(QObject *parent)
    : QueryListModel(static_cast<Connection *>(nullptr), parent)
{}

QueryListModel::QueryListModel(std::nullptr_t, QObject *parent)
    : QueryListModel(static_cast<Connection *>(nullptr), parent)
{}

QueryListModel::QueryListModel(Connection *connection, QObject *parent)
    : QueryListModel(*new QueryListModelPrivate, parent)
{
    d->connection = connection;
}

QueryListModel::QueryListModel(QueryListModelPrivate &dd, QObject *parent)
    : QAbstractListModel(parent)
    , d(&dd)
{
    d->q = this;
    d->init();
}

QueryListModel::~QueryListModel() = default;

Connection *QueryListModel::connection() const
{
    return d->connection;
}

void QueryListModel::setConnection(Connection *connection)
{
    if (d->connection == connection)
        return;
    d->connection = connection;
    Q_EMIT connectionChanged();
    d->scheduleReload();
}

QueryListModel::Status QueryListModel::status() const
{
    return d->status;
}

SurrealQt::Error QueryListModel::error() const
{
    return d->error;
}

QString QueryListModel::errorString() const
{
    return d->error.isValid() ? d->error.toString() : QString();
}

int QueryListModel::count() const
{
    return d->store.size();
}

qint64 QueryListModel::totalCount() const
{
    return d->totalCount;
}

namespace {

// A source property: a change reloads (once, for several changed together).
template<typename T>
void setSource(QueryListModel *q, QueryListModelPrivate *d, T &member, const T &value,
               void (QueryListModel::*changed)())
{
    if (member == value)
        return;
    member = value;
    Q_EMIT(q->*changed)();
    d->scheduleReload();
}

} // namespace

QString QueryListModel::query() const
{
    return d->plan.query;
}

void QueryListModel::setQuery(const QString &surrealql)
{
    setSource(this, d.get(), d->plan.query, surrealql, &QueryListModel::queryChanged);
}

QString QueryListModel::table() const
{
    return d->plan.table;
}

void QueryListModel::setTable(const QString &table)
{
    setSource(this, d.get(), d->plan.table, table, &QueryListModel::tableChanged);
}

QString QueryListModel::filter() const
{
    return d->plan.filter;
}

void QueryListModel::setFilter(const QString &condition)
{
    setSource(this, d.get(), d->plan.filter, condition, &QueryListModel::filterChanged);
}

QString QueryListModel::orderBy() const
{
    return d->plan.orderBy;
}

void QueryListModel::setOrderBy(const QString &field)
{
    setSource(this, d.get(), d->plan.orderBy, field, &QueryListModel::orderByChanged);
}

QStringList QueryListModel::roles() const
{
    return d->userRoles;
}

void QueryListModel::setRoles(const QStringList &fields)
{
    setSource(this, d.get(), d->userRoles, fields, &QueryListModel::rolesChanged);
}

QStringList QueryListModel::liveTables() const
{
    return d->reconciler.liveTables;
}

void QueryListModel::setLiveTables(const QStringList &tables)
{
    setSource(this, d.get(), d->reconciler.liveTables, tables, &QueryListModel::liveTablesChanged);
}

QVariantMap QueryListModel::bindings() const
{
    return d->plan.bindings;
}

void QueryListModel::setBindings(const QVariantMap &bindings)
{
    if (d->plan.bindings.size() == bindings.size() && VariantCompare::equals(d->plan.bindings, bindings))
        return;
    d->plan.bindings = bindings;
    Q_EMIT bindingsChanged();
    d->scheduleReload();
}

bool QueryListModel::descending() const
{
    return d->plan.descending;
}

void QueryListModel::setDescending(bool descending)
{
    setSource(this, d.get(), d->plan.descending, descending, &QueryListModel::descendingChanged);
}

bool QueryListModel::isLive() const
{
    return d->live;
}

void QueryListModel::setLive(bool live)
{
    setSource(this, d.get(), d->live, live, &QueryListModel::liveChanged);
}

int QueryListModel::pageSize() const
{
    return d->plan.pageSize;
}

void QueryListModel::setPageSize(int rows)
{
    if (d->plan.pageSize == rows)
        return;
    d->plan.pageSize = rows;
    Q_EMIT pageSizeChanged();
    // Only later pages change size; an invalid size shows when the model next loads.
    if (rows <= 0)
        d->scheduleReload();
}

QStringList QueryListModel::columns() const
{
    return d->columns;
}

void QueryListModel::setColumns(const QStringList &fields)
{
    if (d->columns == fields)
        return;
    beginResetModel();
    d->columns = fields;
    endResetModel();
    Q_EMIT columnsChanged();
}

QString QueryListModel::displayField() const
{
    return d->displayField;
}

void QueryListModel::setDisplayField(const QString &field)
{
    if (d->displayField == field)
        return;
    d->displayField = field;
    Q_EMIT displayFieldChanged();
    if (d->store.size() > 0)
        d->notifyChanged(index(0, 0), index(d->store.size() - 1, columnCount() - 1),
                         {Qt::DisplayRole, Qt::EditRole});
}

bool QueryListModel::isPagedInConstantTime() const
{
    return d->started && d->plan.pagedInConstantTime();
}

QStringList QueryListModel::fieldNames() const
{
    return d->fields;
}

int QueryListModel::roleForField(const QString &field) const
{
    const int i = d->fieldIndex.value(field, -1);
    return i < 0 ? -1 : FirstFieldRole + i;
}

QVariantMap QueryListModel::get(int row) const
{
    if (row < 0 || row >= d->store.size())
        return {};
    return d->store.recordAt(row);
}

QVariant QueryListModel::recordId(int row) const
{
    return get(row).value(u"id"_s);
}

int QueryListModel::rowOf(const RecordId &id) const
{
    return d->store.findRow(id);
}

int QueryListModel::rowOf(const QVariant &recordId) const
{
    if (!isRecordId(recordId))
        return -1;
    return d->store.findRow(recordId.value<RecordId>());
}

void QueryListModel::reload()
{
    d->start();
}

void QueryListModel::fetchAll()
{
    if (!d->started || d->reloadPending) {
        // Asked for before the (re)load began, e.g. from Component.onCompleted or right after
        // a setter: it applies to the load that comes.
        d->fetchAllOnStart = true;
        return;
    }
    if (d->plan.atEnd)
        return;
    d->fetchAllRequested = true;
    d->nextRead();
}

int QueryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : d->store.size();
}

int QueryListModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return d->columns.isEmpty() ? 1 : int(d->columns.size());
}

QVariant QueryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == DirtyRole)
        return isDirty(index);
    const QVariantMap rec = d->store.recordAt(index.row());
    if (role == RecordRole)
        return rec;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        QString field = d->fieldOfColumn(index.column());
        if (field.isEmpty())
            field = u"id"_s;
        const QVariant v = valueAtPath(rec, field);
        if (role == Qt::DisplayRole)
            return displayValue(v);
        // In a type Qt's default editors handle; setData() converts it back to the stored type.
        return StoredType::editValue(v);
    }
    const int f = role - FirstFieldRole;
    if (f >= 0 && f < d->fields.size())
        return valueAtPath(rec, d->fields.at(f));
    return {};
}

bool QueryListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString field = d->fieldOfRole(role, index.column());
    if (field.isEmpty())
        return false;
    return setField(index.row(), field, value);
}

bool QueryListModel::setField(int row, const QString &field, const QVariant &value)
{
    return d->setField(row, field, value);
}

void QueryListModel::createRecord(const QVariantMap &data)
{
    d->writer.createRecord(data);
}

bool QueryListModel::removeRecord(int row)
{
    return removeRows(row, 1);
}

Qt::ItemFlags QueryListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    if (d->writer.isEditable(index.row(), d->fieldOfColumn(index.column())))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant QueryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (d->columns.isEmpty())
        return section == 0 ? (d->displayField.isEmpty() ? u"id"_s : d->displayField) : QVariant();
    return d->columns.value(section);
}

QHash<int, QByteArray> QueryListModel::roleNames() const
{
    QHash<int, QByteArray> names{
        {Qt::DisplayRole, "display"}, {Qt::EditRole, "edit"}, {RecordRole, "record"}, {DirtyRole, "dirty"}};
    for (int i = 0; i < d->fields.size(); ++i)
        names.insert(FirstFieldRole + i, d->fields.at(i).toUtf8());
    return names;
}

bool QueryListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && d->started && !d->plan.atEnd && d->status == Ready && d->connection;
}

void QueryListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    d->wantMore = true;
    d->nextRead();
}

bool QueryListModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row > d->store.size() || !d->plan.tableMode())
        return false;
    d->writer.insertPending(row, count);
    return true;
}

bool QueryListModel::submit()
{
    switch (d->writer.strategy) {
    case OnFieldChange:
        d->writer.submitPending();
        return true;
    case OnRowChange:
        return submitAll();
    case OnManualSubmit:
        break;
    }
    return true;
}

void QueryListModel::revert()
{
    if (d->writer.strategy == OnRowChange)
        revertAll();
}

bool QueryListModel::submitAll()
{
    return d->writer.submitAll();
}

void QueryListModel::revertAll()
{
    d->writer.revertAll();
}

void QueryListModel::revertRow(int row)
{
    d->writer.revertRow(row);
}

QueryListModel::EditStrategy QueryListModel::editStrategy() const
{
    return d->writer.strategy;
}

void QueryListModel::setEditStrategy(EditStrategy strategy)
{
    if (d->writer.strategy == strategy)
        return;
    d->writer.revertAll();
    d->writer.strategy = strategy;
    Q_EMIT editStrategyChanged();
}

bool QueryListModel::isDirty() const
{
    return d->writer.isDirty();
}

bool QueryListModel::isDirty(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    return d->writer.isDirty(index.row(),
                             d->columns.isEmpty() ? QString() : d->fieldOfColumn(index.column()));
}

bool QueryListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row + count > d->store.size())
        return false;
    return d->writer.removeRows(row, count);
}

} // namespace SurrealQt
