#pragma once

// Not public API. One running bulk operation: pulls its source batch by batch, keeps up to
// `parallelism` batches in flight, retries and attributes failures, and assembles the result.
//
// Threading: the job is driven from whichever thread completes a request (normally the
// connection's I/O thread) and from the thread that started it. Job-wide state lives under
// m_mutex; a batch is touched only by its own chain of continuations. Requests are never sent
// while m_mutex is held, because a future that fails at once runs its continuation inline.

#include "connection/connectionlifeline_p.h"

#include <SurrealQt/bulkoptions.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/bulksource.h>
#include <SurrealQt/connection.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/table.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFuture>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMutex>
#include <QtCore/QPointer>
#include <QtCore/QPromise>

#include <functional>
#include <memory>

namespace SurrealQt {

Q_DECLARE_LOGGING_CATEGORY(lcBulk)

// Picks the batch size while a job runs: a hill climb over a doubling ladder of sizes, scored
// by records per second per in-flight batch (size / latency), which tracks total throughput
// while the parallelism stays fixed.
// Exported for its unit test (tests/bulk/tst_adaptivebatchsizer.cpp); not public API.
class SURREALQT_EXPORT AdaptiveBatchSizer
{
public:
    void configure(const BulkOptions &options);
    [[nodiscard]] int next();
    void record(int size, qint64 latencyNs);
    [[nodiscard]] int current() const { return m_sizes.value(m_current, 100); }

private:
    struct Score
    {
        double rate = 0;
        int samples = 0;
    };
    void decide();

    bool m_enabled = false;
    int m_fixed = 100;
    QList<int> m_sizes;
    QList<Score> m_scores;
    int m_current = 0;
    int m_probe = -1;    // the neighbour being measured, or -1
    int m_probeLeft = 0; // batches still to hand out at the probe size
    int m_sinceDecision = 0;
    int m_direction = 1;
    // Batches between probes of an explored neighbour.
    static constexpr int kFirstProbeInterval = 40;
    static constexpr int kMaxProbeInterval = 640;
    int m_probeInterval = kFirstProbeInterval;
};

class BulkJob : public std::enable_shared_from_this<BulkJob>
{
public:
    enum class Op { Insert, Update, Upsert, Delete, Query };

    struct Callbacks
    {
        // Called with the job's lock held, so calls arrive in order; keep them short.
        std::function<void(qint64 done, qint64 total)> progress;
        std::function<void(qint64 first, qint64 count, qint64 failed)> batchFinished;
    };

    BulkJob(Connection *connection, Op op, const BulkOptions &options, BulkSource source,
            Callbacks callbacks);
    ~BulkJob();

    void setTable(const QString &table) { m_table = table; }
    void setKeyField(const QString &field) { m_keyField = field; }

    // Checks the arguments, runs the preparation (key index) and starts pulling.
    QFuture<BulkResult> start();
    void cancel();

    // Validates the options and names; an invalid Error when they are fine.
    [[nodiscard]] Error checkArguments() const;

private:
    struct Item
    {
        QVariant input;
        QVariant wire; // the form sent to the server
        BulkResult::ItemStatus status = BulkResult::ItemStatus::NotAttempted;
        QVariant result;
        Error error;
        // An update or delete that wrote nothing: refused or missing, told by classifyUnwritten().
        bool unwritten = false;
        bool pending() const { return status == BulkResult::ItemStatus::NotAttempted && !error.isValid(); }
    };
    struct Batch
    {
        qint64 first = 0;
        QList<Item> items;
        int attempt = 0;
        bool perItem = false; // the per-record form after a statement failure
        bool resent = false;  // a retry: the earlier attempt may have been applied
        int lateRechecks = 0; // rereads after a resend met AlreadyExists (bounded)
        QElapsedTimer timer;
    };
    using BatchPtr = std::shared_ptr<Batch>;
    static constexpr int MaxLateRechecks = 3;

    void begin();
    void pump();
    void prepare(Item &item, qint64 index) const;
    void send(const BatchPtr &batch);
    void sendQueries(const BatchPtr &batch);
    void onReply(const BatchPtr &batch, const QueryResult &reply);
    void onFailure(const BatchPtr &batch, const Error &error);
    void retryLater(const BatchPtr &batch, const Error &error);
    void recheckInserted(const BatchPtr &batch);
    void failPending(const BatchPtr &batch, BulkResult::ItemStatus status, const Error &error);
    void applyStatements(const BatchPtr &batch, const QList<int> &pendingIdx, const QueryResult &reply,
                         int offset);
    void rollBackAtomic(const BatchPtr &batch, const QList<int> &pendingIdx, const QueryResult &reply,
                        int offset);
    // Reads back the records of the batch's unwritten updates and deletes (NotAllowed when still
    // there, NotFound when not, as every single-record write reads it), then complete().
    void classifyUnwritten(const BatchPtr &batch);
    [[nodiscard]] static RecordId targetOf(const Item &item);
    void complete(const BatchPtr &batch);
    [[nodiscard]] QVariant handedBack(const Item &item) const;
    void finishLocked();
    [[nodiscard]] QString describe(const BatchPtr &batch) const;

    // Sends through the connection if it still lives; otherwise a future failed with Cancelled.
    [[nodiscard]] QFuture<QueryResult> sendQuery(const QString &text, const QVariantMap &vars) const;

    // Read on the I/O thread, where a QPointer raced with the owner deleting the connection
    // (see connection/connectionlifeline_p.h).
    std::shared_ptr<Internal::ConnectionLifeline> m_connection;
    Op m_op;
    BulkOptions m_options;
    BulkSource m_source;
    Callbacks m_callbacks;
    QString m_table;
    QString m_keyField;
    QString m_keyExpr; // the validated key field path, as written in SurrealQL

    QMutex m_mutex;
    QPromise<BulkResult> m_promise;
    BulkResult m_result;
    AdaptiveBatchSizer m_sizer;
    QElapsedTimer m_clock;
    qint64 m_next = 0;
    qint64 m_done = 0;
    int m_inFlight = 0;
    bool m_sourceDone = false;
    bool m_firstDone = false;
    bool m_stopping = false;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace SurrealQt
