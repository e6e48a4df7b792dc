#include "connection/syncwait_p.h"
#include "core/postbox_p.h"
#include "helpers/crudcore_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"
#include "orm/tablewatches_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/querycache.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {
Error noConnection()
{
    return Error(Error::Kind::Model,
                 u"QueryCache: no connection: pass one to QueryCache or set a default connection"_s);
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

// The results kept, by table; which tables are watched and whether a reply is still current
// is TableWatches'.
class QueryCachePrivate
{
public:
    struct Entry
    {
        QString text;
        QVariantMap vars;
        QVariantList rows;
        quint64 order = 0; // insertion order, for dropping the oldest
    };
    struct Key
    {
        QString table;
        QString text;
        QVariantMap vars;
    };

    QueryCachePrivate(QueryCache *q, Connection *connection)
        : q(q)
        , connection(connection)
        , watches(q, "QueryCache::watch", handlers())
    {}

    // The key query's result is kept under, or why the query cannot be sent through the cache.
    static Error keyOf(const QueryBase &query, Connection *connection, Key *key);
    const QVariantList *lookup(const Key &key) const;
    void store(const Key &key, const QVariantList &rows, quint64 epoch);
    void dropTable(const QString &table);
    void trim();

    QueryCache *q;
    QPointer<Connection> connection;
    Internal::TableWatches watches;
    QHash<QString, QList<Entry>> entries; // by table
    qsizetype size = 0;
    qsizetype maxEntries = 256;
    quint64 nextOrder = 0;
    qint64 hits = 0;
    qint64 misses = 0;

private:
    Internal::TableWatches::Handlers handlers()
    {
        // Any change of the table may change any result that reads it: a new record can match a
        // filter, a changed one can stop matching or move in the order.
        const auto drop = [this](const QString &table, const QVariant &) { dropTable(table); };
        return {.stale = [this](const QString &table) { dropTable(table); },
                .created = drop,
                .updated = drop,
                .deleted = drop};
    }
};

QueryCache::QueryCache(Connection *connection, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<QueryCachePrivate>(this, connection))
{}

QueryCache::QueryCache(DatabaseManager *manager, QObject *parent)
    : QueryCache(Model::connectionOf(manager), parent)
{}

QueryCache::~QueryCache() = default;

Connection *QueryCache::connection() const
{
    return d->connection ? d->connection.data() : Model::defaultConnection();
}

QFuture<void> QueryCache::watch(const Table &table)
{
    return d->watches.watch(table, connection(), noConnection());
}

void QueryCache::watchSync(const Table &table)
{
    Internal::TableWatches::waitUntilActive(watch(table));
}

void QueryCache::unwatch(const Table &table)
{
    if (d->watches.unwatch(table.name()))
        d->dropTable(table.name());
}

bool QueryCache::isWatched(const Table &table) const
{
    return d->watches.isWatched(table.name());
}

Error QueryCachePrivate::keyOf(const QueryBase &query, Connection *connection, Key *key)
{
    if (!connection)
        return noConnection();
    if (query.connection() != connection)
        return Orm::validationError(
            u"QueryCache: the query runs on another connection than the cache watches"_s,
            query.modelInfo().className());
    key->table = query.modelInfo().tableName();
    Error error;
    key->text = query.toSurrealQL(&key->vars, &error);
    return error;
}

const QVariantList *QueryCachePrivate::lookup(const Key &key) const
{
    auto list = entries.find(key.table);
    if (list == entries.end())
        return nullptr;
    for (const Entry &e : *list) {
        if (e.text == key.text && e.vars == key.vars)
            return &e.rows;
    }
    return nullptr;
}

void QueryCachePrivate::store(const Key &key, const QVariantList &rows, quint64 epoch)
{
    if (!watches.isCurrent(key.table, epoch))
        return;
    QList<Entry> &list = entries[key.table];
    for (Entry &e : list) {
        if (e.text == key.text && e.vars == key.vars) {
            e.rows = rows;
            return;
        }
    }
    list.append(Entry{key.text, key.vars, rows, nextOrder++});
    ++size;
    trim();
}

void QueryCachePrivate::trim()
{
    while (size > maxEntries) {
        // The oldest entry is first in its table's list (entries are appended in order).
        auto oldest = entries.end();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            if (!it->isEmpty() && (oldest == entries.end() || it->first().order < oldest->first().order))
                oldest = it;
        }
        if (oldest == entries.end())
            return;
        oldest->removeFirst();
        --size;
        if (oldest->isEmpty())
            entries.erase(oldest);
    }
}

void QueryCachePrivate::dropTable(const QString &table)
{
    watches.invalidate(table); // a fetch in flight may carry the result from before this change
    auto it = entries.find(table);
    if (it == entries.end())
        return;
    size -= it->size();
    entries.erase(it);
    Q_EMIT q->tableCleared(table);
}

void QueryCache::setMaxEntries(qsizetype count)
{
    d->maxEntries = std::max<qsizetype>(1, count);
    d->trim();
}

qsizetype QueryCache::maxEntries() const
{
    return d->maxEntries;
}

QFuture<QList<Model *>> QueryCache::fetch(const QueryBase &query, QueryBase::Factory factory)
{
    Connection *conn = connection();
    QueryCachePrivate::Key key;
    if (const Error error = QueryCachePrivate::keyOf(query, conn, &key); error.isValid())
        return failedFuture<QList<Model *>>(error);
    if (const QVariantList *rows = d->lookup(key)) {
        ++d->hits;
        try {
            return Orm::ready(query.objectsFromRows(factory, *rows));
        } catch (const Exception &e) {
            return failedFuture<QList<Model *>>(e.error());
        }
    }
    ++d->misses;
    const quint64 epoch = d->watches.epochOf(key.table);
    return Internal::deliverTo(this, "QueryCache::all", conn->query(key.text, key.vars),
                               [this, key, epoch, query, factory](const QueryResult &r) {
                                   const QVariantList rows = Orm::rowsOf(r);
                                   QList<Model *> objects = query.objectsFromRows(factory, rows);
                                   d->store(key, rows, epoch);
                                   return objects;
                               });
}

QList<Model *> QueryCache::fetchSync(const QueryBase &query, QueryBase::Factory factory)
{
    Connection *conn = connection();
    QueryCachePrivate::Key key;
    if (const Error error = QueryCachePrivate::keyOf(query, conn, &key); error.isValid())
        throw Exception(error);
    if (const QVariantList *rows = d->lookup(key)) {
        ++d->hits;
        return query.objectsFromRows(factory, *rows);
    }
    ++d->misses;
    const quint64 epoch = d->watches.epochOf(key.table);
    const QVariantList rows = Orm::rowsOf(SyncConnection(conn).query(key.text, key.vars));
    QList<Model *> objects = query.objectsFromRows(factory, rows);
    // Notifications are delivered through this thread's event loop, which did not run while
    // blocking; one that arrived meanwhile is applied later and drops this result.
    d->store(key, rows, epoch);
    return objects;
}

QFuture<QVariantList> QueryCache::selectMany(const Table &table, const QString &filter,
                                             const QVariantMap &vars, int limit, int offset,
                                             const QString &orderBy, Qt::SortOrder order)
{
    Connection *conn = connection();
    if (!conn)
        return failedFuture<QVariantList>(noConnection());
    const QueryCachePrivate::Key key{table.name(), selectManyKey(filter, limit, offset, orderBy, order),
                                     vars};
    if (const QVariantList *rows = d->lookup(key)) {
        ++d->hits;
        return Orm::ready(*rows);
    }
    ++d->misses;
    const quint64 epoch = d->watches.epochOf(key.table);
    QFuture<QVariantList> request =
        Internal::Crud::selectMany(conn, Internal::TableTarget::of(table),
                                   Internal::SelectOptions{filter, vars, limit, offset, orderBy, order});
    return Internal::deliverTo(this, "QueryCache::selectMany", request,
                               [this, key, epoch](const QVariantList &rows) {
                                   d->store(key, rows, epoch);
                                   return rows;
                               });
}

QVariantList QueryCache::selectManySync(const Table &table, const QString &filter, const QVariantMap &vars,
                                        int limit, int offset, const QString &orderBy, Qt::SortOrder order)
{
    Connection *conn = connection();
    if (!conn)
        throw Exception(noConnection());
    const QueryCachePrivate::Key key{table.name(), selectManyKey(filter, limit, offset, orderBy, order),
                                     vars};
    if (const QVariantList *rows = d->lookup(key)) {
        ++d->hits;
        return *rows;
    }
    ++d->misses;
    const quint64 epoch = d->watches.epochOf(key.table);
    const QVariantList rows = blockOn("QueryCache::selectManySync", [&] {
        return Internal::Crud::selectMany(
            conn, Internal::TableTarget::of(table),
            Internal::SelectOptions{filter, vars, limit, offset, orderBy, order});
    });
    d->store(key, rows, epoch);
    return rows;
}

void QueryCache::clear()
{
    const QList<QString> tables = d->entries.keys();
    for (const QString &t : tables)
        d->dropTable(t);
}

void QueryCache::clear(const Table &table)
{
    d->dropTable(table.name());
}

qsizetype QueryCache::size() const
{
    return d->size;
}

void QueryCache::resetCounters()
{
    d->hits = 0;
    d->misses = 0;
}

qint64 QueryCache::hits() const
{
    return d->hits;
}

qint64 QueryCache::misses() const
{
    return d->misses;
}

} // namespace SurrealQt
