#include "core/postbox_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/model.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>

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

RecordCache::RecordCache(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

RecordCache::RecordCache(DatabaseManager *manager, QObject *parent)
    : RecordCache(Model::connectionOf(manager), parent)
{}

RecordCache::~RecordCache() = default;

Connection *RecordCache::connection() const
{
    return m_connection ? m_connection.data() : Model::defaultConnection();
}

QFuture<void> RecordCache::watch(const Table &table)
{
    if (!table.isValid())
        return Orm::failed<void>(Orm::validationError(u"RecordCache::watch: empty table name"_s));
    const QString name = table.name();
    auto it = m_watches.find(name);
    if (it != m_watches.end() && it->live)
        return Internal::deliverTo(this, "RecordCache::watch", it->live->started(),
                                   [this, name](const QUuid &) { markActive(name); });
    Connection *conn = connection();
    if (!conn)
        return Orm::failed<void>(noConnection());
    LiveQuery *live = conn->live(table, this);
    Watch &w = m_watches[name];
    w.live = live;
    w.active = false;
    ++w.epoch;
    connect(live, &LiveQuery::updated, this,
            [this, name](const QVariant &record) { onUpdated(name, record); });
    connect(live, &LiveQuery::deleted, this,
            [this, name](const QVariant &recordId, const QVariant &) { onDeleted(name, recordId); });
    // Whatever happened while the subscription was not active was not announced: forget it.
    connect(live, &LiveQuery::resyncRequired, this, [this, name] { dropTable(name); });
    connect(live, &LiveQuery::stateChanged, this, [this, name](LiveQuery::State state) {
        auto w = m_watches.find(name);
        if (w == m_watches.end())
            return;
        const bool active = state == LiveQuery::State::Active;
        if (w->active && !active)
            dropTable(name);
        w->active = active;
        if (active)
            ++w->epoch; // fetches that started before the subscription must not be stored
    });
    if (live->state() == LiveQuery::State::Active)
        w.active = true;
    return Internal::deliverTo(this, "RecordCache::watch", live->started(),
                               [this, name](const QUuid &) { markActive(name); });
}

void RecordCache::watchSync(const Table &table)
{
    QFuture<void> started = watch(table);
    if (!started.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<void> watcher;
        connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(started);
        if (!started.isFinished())
            loop.exec();
    }
    started.waitForFinished(); // rethrows the live query's error
}

void RecordCache::markActive(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end() && w->live && !w->active) {
        w->active = true;
        ++w->epoch;
    }
}

void RecordCache::unwatch(const Table &table)
{
    auto it = m_watches.find(table.name());
    if (it == m_watches.end())
        return;
    if (it->live)
        it->live->deleteLater();
    m_watches.erase(it);
    dropTable(table.name());
}

bool RecordCache::isWatched(const Table &table) const
{
    auto it = m_watches.find(table.name());
    return it != m_watches.end() && it->live;
}

quint64 RecordCache::epochOf(const QString &table) const
{
    auto it = m_watches.find(table);
    return it == m_watches.end() ? 0 : it->epoch;
}

bool RecordCache::storeIfCurrent(const RecordId &id, const QVariantMap &record, quint64 epoch)
{
    auto it = m_watches.find(id.table());
    if (it == m_watches.end() || !it->active || it->epoch != epoch || record.isEmpty())
        return false;
    m_records.insert(id, record);
    return true;
}

QFuture<QVariantMap> RecordCache::get(const RecordId &id)
{
    if (!id.isValid())
        return Orm::failed<QVariantMap>(Orm::validationError(u"RecordCache::get: invalid record id"_s));
    auto hit = m_records.constFind(id);
    if (hit != m_records.constEnd()) {
        ++m_hits;
        QPromise<QVariantMap> p;
        p.start();
        p.addResult(*hit);
        p.finish();
        return p.future();
    }
    ++m_misses;
    Connection *conn = connection();
    if (!conn)
        return Orm::failed<QVariantMap>(noConnection());
    const quint64 epoch = epochOf(id.table());
    return Internal::deliverTo(this, "RecordCache::get",
                               conn->query(selectOne, {{u"id"_s, QVariant::fromValue(id)}}),
                               [this, id, epoch](const QueryResult &r) {
                                   const QVariantMap record = firstRow(r);
                                   storeIfCurrent(id, record, epoch);
                                   return record;
                               });
}

QVariantMap RecordCache::getSync(const RecordId &id)
{
    if (!id.isValid())
        throw Exception(Orm::validationError(u"RecordCache::getSync: invalid record id"_s));
    auto hit = m_records.constFind(id);
    if (hit != m_records.constEnd()) {
        ++m_hits;
        return *hit;
    }
    ++m_misses;
    Connection *conn = connection();
    if (!conn)
        throw Exception(noConnection());
    const quint64 epoch = epochOf(id.table());
    const QVariantMap record =
        firstRow(SyncConnection(conn).query(selectOne, {{u"id"_s, QVariant::fromValue(id)}}));
    // Notifications are delivered through this thread's event loop, which did not run while
    // blocking; one that arrived meanwhile is applied later and replaces or evicts this value.
    storeIfCurrent(id, record, epoch);
    return record;
}

std::optional<QVariantMap> RecordCache::cached(const RecordId &id) const
{
    auto it = m_records.constFind(id);
    if (it == m_records.constEnd())
        return std::nullopt;
    return *it;
}

bool RecordCache::contains(const RecordId &id) const
{
    return m_records.contains(id);
}

bool RecordCache::insert(const QVariantMap &record)
{
    const RecordId id = record.value(u"id"_s).value<RecordId>();
    if (!id.isValid())
        return false;
    return storeIfCurrent(id, record, epochOf(id.table()));
}

void RecordCache::evict(const RecordId &id)
{
    if (m_records.remove(id))
        Q_EMIT recordEvicted(id);
}

void RecordCache::clear()
{
    QSet<QString> tables;
    for (auto it = m_records.cbegin(); it != m_records.cend(); ++it)
        tables.insert(it.key().table());
    for (const QString &t : std::as_const(tables))
        dropTable(t);
}

void RecordCache::clear(const Table &table)
{
    dropTable(table.name());
}

qsizetype RecordCache::size() const
{
    return m_records.size();
}

void RecordCache::resetCounters()
{
    m_hits = 0;
    m_misses = 0;
}

void RecordCache::onUpdated(const QString &table, const QVariant &record)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end())
        ++w->epoch; // a fetch in flight may carry the value from before this change
    const QVariantMap map = record.toMap();
    const RecordId id = map.value(u"id"_s).value<RecordId>();
    if (!id.isValid() || !m_records.contains(id))
        return;
    m_records.insert(id, map);
    Q_EMIT recordChanged(id);
}

void RecordCache::onDeleted(const QString &table, const QVariant &recordId)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end())
        ++w->epoch;
    RecordId id = recordId.value<RecordId>();
    if (!id.isValid())
        id = recordId.toMap().value(u"id"_s).value<RecordId>();
    evict(id);
}

void RecordCache::dropTable(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end())
        ++w->epoch;
    bool any = false;
    for (auto it = m_records.begin(); it != m_records.end();) {
        if (it.key().table() == table) {
            it = m_records.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    if (any)
        Q_EMIT tableCleared(table);
}

} // namespace SurrealQt
