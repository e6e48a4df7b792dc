#include "core/postbox_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"
#include "orm/tablewatches_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {
Error noConnection()
{
    return Error(Error::Kind::Model,
                 u"RecordCache: no connection: pass one to RecordCache or set a default connection"_s);
}

QVariantMap firstRow(const QueryResult &r)
{
    const QVariantList rows = Orm::rowsOf(r);
    return rows.isEmpty() ? QVariantMap() : rows.first().toMap();
}

const QString selectOne = u"SELECT * FROM $id"_s;
} // namespace

// The records kept; which tables are watched and whether a reply is still current is
// TableWatches'.
class RecordCachePrivate
{
public:
    RecordCachePrivate(RecordCache *q, Connection *connection)
        : q(q)
        , connection(connection)
        , watches(q, "RecordCache::watch",
                  {.stale = [this](const QString &table) { dropTable(table); },
                   .created = {}, // a new record changes none that is kept
                   .updated = [this](const QString &, const QVariant &record) { onUpdated(record); },
                   .deleted = [this](const QString &, const QVariant &recordId) { onDeleted(recordId); }})
    {}

    void onUpdated(const QVariant &record);
    void onDeleted(const QVariant &recordId);
    void dropTable(const QString &table);
    bool storeIfCurrent(const RecordId &id, const QVariantMap &record, quint64 epoch);

    RecordCache *q;
    QPointer<Connection> connection;
    Internal::TableWatches watches;
    QHash<RecordId, QVariantMap> records;
    qint64 hits = 0;
    qint64 misses = 0;
};

RecordCache::RecordCache(Connection *connection, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RecordCachePrivate>(this, connection))
{}

RecordCache::RecordCache(DatabaseManager *manager, QObject *parent)
    : RecordCache(Model::connectionOf(manager), parent)
{}

RecordCache::~RecordCache() = default;

Connection *RecordCache::connection() const
{
    return d->connection ? d->connection.data() : Model::defaultConnection();
}

QFuture<void> RecordCache::watch(const Table &table)
{
    return d->watches.watch(table, connection(), noConnection());
}

void RecordCache::watchSync(const Table &table)
{
    Internal::TableWatches::waitUntilActive(watch(table));
}

void RecordCache::unwatch(const Table &table)
{
    if (d->watches.unwatch(table.name()))
        d->dropTable(table.name());
}

bool RecordCache::isWatched(const Table &table) const
{
    return d->watches.isWatched(table.name());
}

bool RecordCachePrivate::storeIfCurrent(const RecordId &id, const QVariantMap &record, quint64 epoch)
{
    if (record.isEmpty() || !watches.isCurrent(id.table(), epoch))
        return false;
    records.insert(id, record);
    return true;
}

QFuture<QVariantMap> RecordCache::get(const RecordId &id)
{
    if (!id.isValid())
        return failedFuture<QVariantMap>(Orm::validationError(u"RecordCache::get: invalid record id"_s));
    auto hit = d->records.constFind(id);
    if (hit != d->records.constEnd()) {
        ++d->hits;
        return Orm::ready(*hit);
    }
    ++d->misses;
    Connection *conn = connection();
    if (!conn)
        return failedFuture<QVariantMap>(noConnection());
    const quint64 epoch = d->watches.epochOf(id.table());
    return Internal::deliverTo(this, "RecordCache::get",
                               conn->query(selectOne, {{u"id"_s, QVariant::fromValue(id)}}),
                               [this, id, epoch](const QueryResult &r) {
                                   const QVariantMap record = firstRow(r);
                                   d->storeIfCurrent(id, record, epoch);
                                   return record;
                               });
}

QVariantMap RecordCache::getSync(const RecordId &id)
{
    if (!id.isValid())
        throw Exception(Orm::validationError(u"RecordCache::getSync: invalid record id"_s));
    auto hit = d->records.constFind(id);
    if (hit != d->records.constEnd()) {
        ++d->hits;
        return *hit;
    }
    ++d->misses;
    Connection *conn = connection();
    if (!conn)
        throw Exception(noConnection());
    const quint64 epoch = d->watches.epochOf(id.table());
    const QVariantMap record =
        firstRow(SyncConnection(conn).query(selectOne, {{u"id"_s, QVariant::fromValue(id)}}));
    // Notifications are delivered through this thread's event loop, which did not run while
    // blocking; one that arrived meanwhile is applied later and replaces or evicts this value.
    d->storeIfCurrent(id, record, epoch);
    return record;
}

std::optional<QVariantMap> RecordCache::cached(const RecordId &id) const
{
    auto it = d->records.constFind(id);
    if (it == d->records.constEnd())
        return std::nullopt;
    return *it;
}

bool RecordCache::contains(const RecordId &id) const
{
    return d->records.contains(id);
}

bool RecordCache::insert(const QVariantMap &record)
{
    const RecordId id = record.value(u"id"_s).value<RecordId>();
    if (!id.isValid())
        return false;
    return d->storeIfCurrent(id, record, d->watches.epochOf(id.table()));
}

void RecordCache::evict(const RecordId &id)
{
    if (d->records.remove(id))
        Q_EMIT recordEvicted(id);
}

void RecordCache::clear()
{
    QSet<QString> tables;
    for (auto it = d->records.cbegin(); it != d->records.cend(); ++it)
        tables.insert(it.key().table());
    for (const QString &t : std::as_const(tables))
        d->dropTable(t);
}

void RecordCache::clear(const Table &table)
{
    d->dropTable(table.name());
}

qsizetype RecordCache::size() const
{
    return d->records.size();
}

void RecordCache::resetCounters()
{
    d->hits = 0;
    d->misses = 0;
}

qint64 RecordCache::hits() const
{
    return d->hits;
}

qint64 RecordCache::misses() const
{
    return d->misses;
}

void RecordCachePrivate::onUpdated(const QVariant &record)
{
    const QVariantMap map = record.toMap();
    const RecordId id = map.value(u"id"_s).value<RecordId>();
    if (!id.isValid() || !records.contains(id))
        return;
    records.insert(id, map);
    Q_EMIT q->recordChanged(id);
}

void RecordCachePrivate::onDeleted(const QVariant &recordId)
{
    RecordId id = recordId.value<RecordId>();
    if (!id.isValid())
        id = recordId.toMap().value(u"id"_s).value<RecordId>();
    q->evict(id);
}

void RecordCachePrivate::dropTable(const QString &table)
{
    watches.invalidate(table);
    bool any = false;
    for (auto it = records.begin(); it != records.end();) {
        if (it.key().table() == table) {
            it = records.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    if (any)
        Q_EMIT q->tableCleared(table);
}

} // namespace SurrealQt
