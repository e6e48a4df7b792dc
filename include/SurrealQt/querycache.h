#pragma once

#include <SurrealQt/global.h>
#include <SurrealQt/query.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QSharedPointer>
#include <QtCore/QVariantList>
#include <QtCore/QVariantMap>

#include <cstddef>
#include <memory>

namespace SurrealQt {

class Connection;
class DatabaseManager;
class Model;
class QueryCachePrivate;

/*! An optional cache of query results (the seed's "query result caching"): Query<T>::all()
    and CrudHelpers::selectMany() answered from memory when the same query (the same SurrealQL
    text and bind variables) was answered before and its table has not changed since. Nothing
    in SurrealQt caches on its own; create one and send the queries you want cached through it:

      QueryCache cache(db);
      cache.watch(User::table());                       // once, then:
      cache.all(User::objects().filter(u"age__gte"_s, 18)).then(this, ...);

    Coherence: a result is only kept for a table the cache watches (watch() opens a live query
    on it, as RecordCache does). Every notification of that table, created, updated or deleted,
    drops every cached result that reads it, whoever wrote (another client too). After a
    reconnect changes may have been missed, so the table's results are dropped as well. A
    result fetched while its table changed, or before the live query was active, is returned
    but not kept, so a late reply cannot bring an old result back. Queries on unwatched tables
    are sent every time.

    Limits: the table a result reads is the query's own table (the model's table for Query<T>,
    the table argument for selectMany); a selectMany filter with a sub-query of another table
    is not invalidated by changes there, so do not cache such filters. Results are kept until
    invalidated or until more than maxEntries() results are kept (the oldest goes first).
    A hit still builds new objects from the stored rows: objects are never shared between
    callers (so editing one does not change the cache), and a hit costs their construction.

    Not thread-safe: use it on the thread it lives in; its futures finish on that thread. */
class SURREALQT_EXPORT QueryCache : public QObject
{
    Q_OBJECT

public:
    /*! connection null: Model::defaultConnection() at the time of each call. */
    explicit QueryCache(Connection *connection = nullptr, QObject *parent = nullptr);
    /*! Uses manager's connection(). */
    explicit QueryCache(DatabaseManager *manager, QObject *parent = nullptr);
    /*! QueryCache(nullptr) picks neither pointer type above: it means the default connection. */
    explicit QueryCache(std::nullptr_t, QObject *parent = nullptr)
        : QueryCache(static_cast<Connection *>(nullptr), parent)
    {}
    ~QueryCache() override;

    /*! The connection given, or Model::defaultConnection() when none was. */
    [[nodiscard]] Connection *connection() const;

    /*! Starts keeping results of queries on table; the future finishes once the live query is
        active (it fails with the live query's error). Watching a table twice is harmless. */
    QFuture<void> watch(const Table &table);
    /*! Blocking watch(): runs a local event loop until the live query is active (like
        RecordCache::watchSync()); throws SurrealQt::Exception. Not for GUI handlers. */
    void watchSync(const Table &table);
    /*! Stops the table's live query and drops its results (tableCleared()). */
    void unwatch(const Table &table);
    /*! True once watch(table) was called and until unwatch(table). */
    [[nodiscard]] bool isWatched(const Table &table) const;

    /*! Query<T>::all(), from the cache when the same query was answered since its table last
        changed (then the future is finished on return: no request is sent). The query must use
        this cache's connection (else a Validation error). New objects for every call, without a
        parent, living in this cache's thread. */
    template<typename T>
    QFuture<QList<QSharedPointer<T>>> all(const Query<T> &query)
    {
        return fetch(query, &make<T>).then(QtFuture::Launch::Sync, &wrap<T>);
    }
    /*! Blocking all(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    template<typename T>
    QList<QSharedPointer<T>> allSync(const Query<T> &query)
    {
        return wrap<T>(fetchSync(query, &make<T>));
    }

    /*! CrudHelpers::selectMany() (the same arguments, checks and result), from the cache as all(). */
    QFuture<QVariantList> selectMany(const Table &table, const QString &filter = {},
                                     const QVariantMap &vars = {}, int limit = -1, int offset = 0,
                                     const QString &orderBy = {}, Qt::SortOrder order = Qt::AscendingOrder);
    /*! Blocking selectMany(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList selectManySync(const Table &table, const QString &filter = {}, const QVariantMap &vars = {},
                                int limit = -1, int offset = 0, const QString &orderBy = {},
                                Qt::SortOrder order = Qt::AscendingOrder);

    /*! Drops every result (tableCleared() for each table that had some); tables stay watched. */
    void clear();
    /*! Drops the results of queries on table (tableCleared()); it stays watched. */
    void clear(const Table &table);

    /*! The number of results kept. */
    [[nodiscard]] qsizetype size() const;
    /*! At most this many results are kept; the oldest is dropped for a new one (default 256). */
    [[nodiscard]] qsizetype maxEntries() const;
    /*! Sets maxEntries() (at least 1); drops the oldest results beyond it. */
    void setMaxEntries(qsizetype count);
    /*! Calls answered from the cache. */
    [[nodiscard]] qint64 hits() const;
    /*! Calls that asked the server. */
    [[nodiscard]] qint64 misses() const;
    /*! Sets hits() and misses() to zero. */
    void resetCounters();

Q_SIGNALS:
    /*! Every result of queries on table was dropped (a change, reconnect, unwatch, clear). */
    void tableCleared(const QString &table);

private:
    template<typename T>
    static Model *make()
    {
        return new T;
    }
    template<typename T>
    static QList<QSharedPointer<T>> wrap(const QList<Model *> &objects)
    {
        QList<QSharedPointer<T>> out;
        out.reserve(objects.size());
        for (Model *o : objects)
            out.append(QSharedPointer<T>(static_cast<T *>(o)));
        return out;
    }

    QFuture<QList<Model *>> fetch(const QueryBase &query, QueryBase::Factory factory);
    QList<Model *> fetchSync(const QueryBase &query, QueryBase::Factory factory);

    std::unique_ptr<QueryCachePrivate> d;
};

} // namespace SurrealQt
