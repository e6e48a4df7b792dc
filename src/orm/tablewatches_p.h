#pragma once

// Not public API: what QueryCache and RecordCache share to stay coherent. They keep results only
// of tables they watch through a live query; each table has an epoch, bumped whenever what was
// read of it may have become stale (a notification, the subscription lost or resynced, a
// clear). A fetch notes the epoch when it starts and stores its reply only if the epoch is
// unchanged and the live query is active, so a late reply cannot bring an old value back.

#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <functional>

namespace SurrealQt {

class Connection;
class Error;
class LiveQuery;

namespace Internal {

class TableWatches
{
public:
    struct Handlers
    {
        // Changes may have been missed (the subscription was lost, or resynced after a
        // reconnect): the owner drops what it keeps of the table.
        std::function<void(const QString &table)> stale;
        // The notifications the owner follows; one left empty is not listened to. The table's
        // epoch is bumped before each is called.
        std::function<void(const QString &table, const QVariant &record)> created;
        std::function<void(const QString &table, const QVariant &record)> updated;
        std::function<void(const QString &table, const QVariant &recordId)> deleted;
    };

    // owner parents the live queries and is the context of their connections; watchCall
    // ("QueryCache::watch", a literal: it is kept) names the call in errors.
    TableWatches(QObject *owner, const char *watchCall, Handlers handlers);
    TableWatches(const TableWatches &) = delete;
    TableWatches &operator=(const TableWatches &) = delete;

    // Opens a live query on table through connection (unless one is open already); the future
    // finishes once it is active. noConnection is the error when a live query is needed and
    // connection is null.
    QFuture<void> watch(const Table &table, Connection *connection, const Error &noConnection);
    // Blocks until started (a watch() future) finishes, running a local event loop: the
    // subscription is confirmed through the owner's thread's events. Throws its error.
    static void waitUntilActive(QFuture<void> started);
    // Stops the table's live query; false when it was not watched.
    bool unwatch(const QString &table);
    [[nodiscard]] bool isWatched(const QString &table) const;

    // The table's epoch now (0 when not watched), to hand to isCurrent() when the reply is in.
    [[nodiscard]] quint64 epochOf(const QString &table) const;
    // Whether a reply to a fetch that started at epoch may be kept.
    [[nodiscard]] bool isCurrent(const QString &table, quint64 epoch) const;
    // Replies to fetches under way must not be kept.
    void invalidate(const QString &table);

private:
    struct Watch
    {
        QPointer<LiveQuery> live;
        quint64 epoch = 0;
        bool active = false;
    };

    void markActive(const QString &table);
    void onStateChanged(const QString &table, bool active);

    QObject *m_owner;
    const char *m_watchCall;
    Handlers m_handlers;
    QHash<QString, Watch> m_watches;
};

} // namespace Internal
} // namespace SurrealQt
