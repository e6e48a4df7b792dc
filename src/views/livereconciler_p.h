#pragma once

// Not public API: how a live QueryListModel follows the database — its live queries, the
// notifications that wait while a read runs, the re-check of changed rows against the filter,
// the re-run of a query, the resync after a reconnect, and subscribing again after a kill or
// while the table does not exist.

#include <SurrealQt/error.h>
#include <SurrealQt/global.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QStringList>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace SurrealQt {

class LiveQuery;
class QueryListModelPrivate;

class SURREALQT_EXPORT LiveReconciler
{
public:
    explicit LiveReconciler(QueryListModelPrivate &d);
    // Makes the timers, children of the model.
    void init();

    // Query form: the tables whose changes re-run the query (empty: from the server's plan).
    QStringList liveTables;

    QPointer<LiveQuery> liveQuery; // the first of liveQueries
    QList<QPointer<LiveQuery>> liveQueries;
    // The table does not exist (yet): an empty Ready list, subscribing again by retryTimer.
    bool tableMissing = false;

    // Forgets everything pending and stops following.
    void reset();
    void subscribe(quint64 gen);
    void dropLiveQueries();
    // Nothing is pending any more (an empty list is shown).
    void clearPending();
    // Every live query is registered (Active).
    [[nodiscard]] bool allActive() const;
    // Everything loaded is read again with the next read.
    void wantResync() { resyncWanted = true; }
    [[nodiscard]] static bool isMissingTable(const Error &e);

    // Re-reads this record against the filter before showing it (or not).
    void queueRecheck(const RecordId &id);
    // Runs the next read this part wants; false when it wants none.
    bool startRead();
    // A read finished: the notifications that waited are applied now.
    void flushBuffered();

private:
    void subscribeTo(const QStringList &tables, quint64 gen);
    void onSubscribed(quint64 gen);
    void onLiveError(const Error &e);
    void resubscribeLater();
    void onNotification(const LiveNotification &n);
    void applyNotification(const LiveNotification &n);
    void requestRecheck();
    void requestResync();
    void retryLater();

    QueryListModelPrivate &d;
    int startsPending = 0;
    bool resubscribing = false; // the live query was killed: subscribing again by retryTimer
    int missingRetry = 0;
    QTimer *retryTimer = nullptr;
    QTimer *resyncTimer = nullptr;
    // Reads (pages, re-checks, resyncs) run one at a time; live notifications that arrive
    // meanwhile wait in `buffered` and are applied after the read, so none is lost.
    QList<LiveNotification> buffered;
    QList<RecordId> recheckIds;
    QSet<RecordId> recheckSet;
    // When each record's last notification arrived (ms on notificationClock). The engine does
    // not order the notifications of writes that follow each other closely (bench_liveorder), so
    // a record notified again within ReorderWindowMs is read back instead of trusting the
    // notification's copy, which may be the older one.
    QHash<RecordId, qint64> lastNotified;
    QElapsedTimer notificationClock;
    static constexpr qint64 ReorderWindowMs = 1000;
    // True when id was notified within the window; records this notification either way.
    bool notifiedRecently(const RecordId &id);
    bool resyncWanted = false;
};

} // namespace SurrealQt
