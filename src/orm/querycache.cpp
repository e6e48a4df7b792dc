#include "connection/syncwait_p.h"
#include "core/postbox_p.h"
#include "helpers/crudcore_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/querycache.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {
Error noConnection()
{
    return Error(Error::Kind::Model,
                 u"QueryCache: no connection: pass one to QueryCache or set a default connection"_s);
}

template<typename T>
QFuture<T> ready(const T &value)
{
    QPromise<T> p;
    p.start();
    p.addResult(value);
    p.finish();
    return p.future();
}

// selectMany's arguments as one text: with the variables they decide the statement sent.
// Concatenated, not arg()-substituted: a filter may itself contain "%1".
QString selectManyKey(const QString &filter, int limit, int offset, const QString &orderBy,
                      Qt::SortOrder order)
{
    const QChar sep(0x1f);
    return u"selectMany"_s + sep + filter + sep + orderBy + sep +
           (order == Qt::DescendingOrder ? u"desc"_s : u"asc"_s) + sep + QString::number(limit) + sep +
           QString::number(offset);
}
} // namespace

QueryCache::QueryCache(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

QueryCache::QueryCache(DatabaseManager *manager, QObject *parent)
    : QueryCache(Model::connectionOf(manager), parent)
{}

QueryCache::~QueryCache() = default;

Connection *QueryCache::connection() const
{
    return m_connection ? m_connection.data() : Model::defaultConnection();
}

QFuture<void> QueryCache::watch(const Table &table)
{
    if (!table.isValid())
        return Orm::failed<void>(Orm::validationError(u"QueryCache::watch: empty table name"_s));
    const QString name = table.name();
    auto it = m_watches.find(name);
    if (it != m_watches.end() && it->live)
        return Internal::deliverTo(this, "QueryCache::watch", it->live->started(),
                                   [this, name](const QUuid &) { markActive(name); });
    Connection *conn = connection();
    if (!conn)
        return Orm::failed<void>(noConnection());
    LiveQuery *live = conn->live(table, this);
    Watch &w = m_watches[name];
    w.live = live;
    w.active = false;
    ++w.epoch;
    // Any change of the table may change any result that reads it: a new record can match a
    // filter, a changed one can stop matching or move in the order.
    connect(live, &LiveQuery::created, this, [this, name] { dropTable(name); });
    connect(live, &LiveQuery::updated, this, [this, name] { dropTable(name); });
    connect(live, &LiveQuery::deleted, this, [this, name] { dropTable(name); });
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
    return Internal::deliverTo(this, "QueryCache::watch", live->started(),
                               [this, name](const QUuid &) { markActive(name); });
}

void QueryCache::watchSync(const Table &table)
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

void QueryCache::markActive(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end() && w->live && !w->active) {
        w->active = true;
        ++w->epoch;
    }
}

void QueryCache::unwatch(const Table &table)
{
    auto it = m_watches.find(table.name());
    if (it == m_watches.end())
        return;
    if (it->live)
        it->live->deleteLater();
    m_watches.erase(it);
    dropTable(table.name());
}

bool QueryCache::isWatched(const Table &table) const
{
    auto it = m_watches.find(table.name());
    return it != m_watches.end() && it->live;
}

quint64 QueryCache::epochOf(const QString &table) const
{
    auto it = m_watches.find(table);
    return it == m_watches.end() ? 0 : it->epoch;
}

const QVariantList *QueryCache::lookup(const Key &key)
{
    auto list = m_entries.find(key.table);
    if (list == m_entries.end())
        return nullptr;
    for (const Entry &e : std::as_const(*list)) {
        if (e.text == key.text && e.vars == key.vars)
            return &e.rows;
    }
    return nullptr;
}

void QueryCache::store(const Key &key, const QVariantList &rows, quint64 epoch)
{
    auto w = m_watches.find(key.table);
    if (w == m_watches.end() || !w->active || w->epoch != epoch)
        return;
    QList<Entry> &list = m_entries[key.table];
    for (Entry &e : list) {
        if (e.text == key.text && e.vars == key.vars) {
            e.rows = rows;
            return;
        }
    }
    list.append(Entry{key.text, key.vars, rows, m_nextOrder++});
    ++m_size;
    trim();
}

void QueryCache::trim()
{
    while (m_size > m_maxEntries) {
        // The oldest entry is first in its table's list (entries are appended in order).
        auto oldest = m_entries.end();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (!it->isEmpty() && (oldest == m_entries.end() || it->first().order < oldest->first().order))
                oldest = it;
        }
        if (oldest == m_entries.end())
            return;
        oldest->removeFirst();
        --m_size;
        if (oldest->isEmpty())
            m_entries.erase(oldest);
    }
}

void QueryCache::setMaxEntries(qsizetype count)
{
    m_maxEntries = std::max<qsizetype>(1, count);
    trim();
}

QFuture<QList<Model *>> QueryCache::fetch(const QueryBase &query, QueryBase::Factory factory)
{
    Connection *conn = connection();
    if (!conn)
        return Orm::failed<QList<Model *>>(noConnection());
    if (query.connection() != conn)
        return Orm::failed<QList<Model *>>(
            Orm::validationError(u"QueryCache: the query runs on another connection than the cache watches"_s,
                                 query.modelInfo().className()));
    Key key{query.modelInfo().tableName(), {}, {}};
    Error error;
    key.text = query.toSurrealQL(&key.vars, &error);
    if (error.isValid())
        return Orm::failed<QList<Model *>>(error);
    if (const QVariantList *rows = lookup(key)) {
        ++m_hits;
        try {
            return ready(query.objectsFromRows(factory, *rows));
        } catch (const Exception &e) {
            return Orm::failed<QList<Model *>>(e.error());
        }
    }
    ++m_misses;
    const quint64 epoch = epochOf(key.table);
    return Internal::deliverTo(this, "QueryCache::all", conn->query(key.text, key.vars),
                               [this, key, epoch, query, factory](const QueryResult &r) {
                                   const QVariantList rows = Orm::rowsOf(r);
                                   QList<Model *> objects = query.objectsFromRows(factory, rows);
                                   store(key, rows, epoch);
                                   return objects;
                               });
}

QList<Model *> QueryCache::fetchSync(const QueryBase &query, QueryBase::Factory factory)
{
    Connection *conn = connection();
    if (!conn)
        throw Exception(noConnection());
    if (query.connection() != conn)
        throw Exception(
            Orm::validationError(u"QueryCache: the query runs on another connection than the cache watches"_s,
                                 query.modelInfo().className()));
    Key key{query.modelInfo().tableName(), {}, {}};
    Error error;
    key.text = query.toSurrealQL(&key.vars, &error);
    if (error.isValid())
        throw Exception(error);
    if (const QVariantList *rows = lookup(key)) {
        ++m_hits;
        return query.objectsFromRows(factory, *rows);
    }
    ++m_misses;
    const quint64 epoch = epochOf(key.table);
    const QVariantList rows = Orm::rowsOf(SyncConnection(conn).query(key.text, key.vars));
    QList<Model *> objects = query.objectsFromRows(factory, rows);
    // Notifications are delivered through this thread's event loop, which did not run while
    // blocking; one that arrived meanwhile is applied later and drops this result.
    store(key, rows, epoch);
    return objects;
}

QFuture<QVariantList> QueryCache::selectMany(const Table &table, const QString &filter,
                                             const QVariantMap &vars, int limit, int offset,
                                             const QString &orderBy, Qt::SortOrder order)
{
    Connection *conn = connection();
    if (!conn)
        return Orm::failed<QVariantList>(noConnection());
    const Key key{table.name(), selectManyKey(filter, limit, offset, orderBy, order), vars};
    if (const QVariantList *rows = lookup(key)) {
        ++m_hits;
        return ready(*rows);
    }
    ++m_misses;
    const quint64 epoch = epochOf(key.table);
    QFuture<QVariantList> request =
        Internal::Crud::selectMany(conn, Internal::TableTarget::of(table),
                                   Internal::SelectOptions{filter, vars, limit, offset, orderBy, order});
    return Internal::deliverTo(this, "QueryCache::selectMany", request,
                               [this, key, epoch](const QVariantList &rows) {
                                   store(key, rows, epoch);
                                   return rows;
                               });
}

QVariantList QueryCache::selectManySync(const Table &table, const QString &filter, const QVariantMap &vars,
                                        int limit, int offset, const QString &orderBy, Qt::SortOrder order)
{
    Connection *conn = connection();
    if (!conn)
        throw Exception(noConnection());
    const Key key{table.name(), selectManyKey(filter, limit, offset, orderBy, order), vars};
    if (const QVariantList *rows = lookup(key)) {
        ++m_hits;
        return *rows;
    }
    ++m_misses;
    const quint64 epoch = epochOf(key.table);
    const QVariantList rows = blockOn("QueryCache::selectManySync", [&] {
        return Internal::Crud::selectMany(
            conn, Internal::TableTarget::of(table),
            Internal::SelectOptions{filter, vars, limit, offset, orderBy, order});
    });
    store(key, rows, epoch);
    return rows;
}

void QueryCache::clear()
{
    const QList<QString> tables = m_entries.keys();
    for (const QString &t : tables)
        dropTable(t);
}

void QueryCache::clear(const Table &table)
{
    dropTable(table.name());
}

qsizetype QueryCache::size() const
{
    return m_size;
}

void QueryCache::resetCounters()
{
    m_hits = 0;
    m_misses = 0;
}

void QueryCache::dropTable(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end())
        ++w->epoch; // a fetch in flight may carry the result from before this change
    auto it = m_entries.find(table);
    if (it == m_entries.end())
        return;
    m_size -= it->size();
    m_entries.erase(it);
    Q_EMIT tableCleared(table);
}

} // namespace SurrealQt
