#pragma once

#include <SurrealQt/global.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QVariantMap>

#include <cstddef>
#include <memory>
#include <optional>

namespace SurrealQt {

class Connection;
class DatabaseManager;
class RecordCachePrivate;

/*! An optional identity map of records (the seed's "query result caching"), off unless you
    create one: nothing in SurrealQt caches on its own. Hand it to Relations (setCache) or use
    get() directly.

    It stays coherent because it only keeps records of tables it watches: watch(table) opens a
    live query on the table, and every UPDATE replaces, every DELETE evicts the cached record
    when the server announces it. After a reconnect (LiveQuery::resyncRequired) changes may have
    been missed, so the table's entries are dropped. Records of unwatched tables are fetched
    every time and never stored. A fetch that was in flight while its table changed is not
    stored either, so a late reply cannot bring an old value back.

    Not thread-safe: use it on the thread it lives in; its futures finish on that thread. */
class SURREALQT_EXPORT RecordCache : public QObject
{
    Q_OBJECT

public:
    /*! connection null: Model::defaultConnection() at the time of each call. */
    explicit RecordCache(Connection *connection = nullptr, QObject *parent = nullptr);
    /*! Uses manager's connection(). */
    explicit RecordCache(DatabaseManager *manager, QObject *parent = nullptr);
    /*! RecordCache(nullptr) picks neither pointer type above: it means the default connection. */
    explicit RecordCache(std::nullptr_t, QObject *parent = nullptr)
        : RecordCache(static_cast<Connection *>(nullptr), parent)
    {}
    ~RecordCache() override;

    /*! The connection given, or null for Model::defaultConnection(). */
    [[nodiscard]] Connection *connection() const;

    /*! Starts keeping records of table; the future finishes once the live query is active (it
        fails with the live query's error). Watching a table twice is harmless. */
    QFuture<void> watch(const Table &table);
    /*! Blocking twin: returns once the live query is active, throws SurrealQt::Exception. The
        subscription is confirmed through this object's thread's events, so it runs a local
        event loop while it waits (like QDialog::exec): other events of this thread are
        delivered meanwhile. Meant for worker threads and start-up code, not for GUI handlers. */
    void watchSync(const Table &table);
    /*! Stops the table's live query and drops its entries (tableCleared()). */
    void unwatch(const Table &table);
    /*! True once watch(table) was called and until unwatch(table). */
    [[nodiscard]] bool isWatched(const Table &table) const;

    /*! The record, from the cache when present (a hit) or from the server (a miss). An empty
        map when it does not exist or may not be read; absence is not cached. */
    QFuture<QVariantMap> get(const RecordId &id);
    /*! Blocking get(); throws SurrealQt::Exception. Runs a local event loop like watchSync(). */
    QVariantMap getSync(const RecordId &id);

    /*! The cached record without asking the server. */
    [[nodiscard]] std::optional<QVariantMap> cached(const RecordId &id) const;
    /*! True when id is cached. */
    [[nodiscard]] bool contains(const RecordId &id) const;
    /*! Stores a record read elsewhere (it must carry its id and its table must be watched). */
    bool insert(const QVariantMap &record);
    /*! Drops id's entry (recordEvicted() if it was there). */
    void evict(const RecordId &id);
    /*! Drops every entry (tableCleared() for each table that had some); the tables stay watched. */
    void clear();
    /*! Drops the entries of table (tableCleared()); it stays watched. */
    void clear(const Table &table);

    /*! The number of cached records. */
    [[nodiscard]] qsizetype size() const;
    /*! get() calls answered from the cache. */
    [[nodiscard]] qint64 hits() const;
    /*! get() calls that asked the server. */
    [[nodiscard]] qint64 misses() const;
    /*! Sets hits() and misses() to zero. */
    void resetCounters();

Q_SIGNALS:
    /*! A cached record was replaced by the server's newer version or dropped. */
    void recordChanged(const SurrealQt::RecordId &id);
    /*! id was dropped by evict() or because the server deleted it. */
    void recordEvicted(const SurrealQt::RecordId &id);
    /*! Every entry of table was dropped (reconnect, unwatch, clear). */
    void tableCleared(const QString &table);

private:
    std::unique_ptr<RecordCachePrivate> d;
};

} // namespace SurrealQt
