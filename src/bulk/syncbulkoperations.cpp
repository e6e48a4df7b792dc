#include "bulkjob_p.h"
#include "connection/syncwait_p.h"

#include <SurrealQt/syncbulkoperations.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>

namespace SurrealQt {

SyncBulkOperations::SyncBulkOperations(Connection *connection, const BulkOptions &options,
                                       SyncConnection::ErrorMode mode)
    : m_connection(connection)
    , m_options(options)
    , m_mode(mode)
{}

SyncBulkOperations::~SyncBulkOperations() = default;

std::shared_ptr<BulkJob> SyncBulkOperations::makeJob(int op, const BulkSource &source)
{
    BulkJob::Callbacks callbacks;
    callbacks.progress = m_progress;
    return std::make_shared<BulkJob>(m_connection, BulkJob::Op(op), m_options, source, std::move(callbacks));
}

BulkResult SyncBulkOperations::run(std::shared_ptr<BulkJob> job)
{
    return reporting(m_mode, m_lastError, [&] {
        // The job runs on the I/O thread's continuations; waiting there would wait for itself.
        refuseOnIoThread("SyncBulkOperations");
        {
            QMutexLocker lock(&m_mutex);
            m_current = job;
        }
        QFuture<BulkResult> future = job->start();
        BulkResult result;
        try {
            result = waitFor(future, "SyncBulkOperations");
        } catch (...) {
            QMutexLocker lock(&m_mutex);
            m_current.reset();
            throw;
        }
        QMutexLocker lock(&m_mutex);
        m_current.reset();
        return result;
    });
}

// BulkOperations touches the objects in its own thread, through posted events: it is made here,
// in the calling thread (the objects' thread), and a local event loop delivers those events
// while the job runs, so the calling thread needs no loop of its own.
BulkResult SyncBulkOperations::runModels(const char *call,
                                         const std::function<QFuture<BulkResult>(BulkOperations &)> &start)
{
    return reporting(m_mode, m_lastError, [&] { return runModelsOnce(call, start); });
}

BulkResult
SyncBulkOperations::runModelsOnce(const char *call,
                                  const std::function<QFuture<BulkResult>(BulkOperations &)> &start)
{
    refuseOnIoThread(call);
    BulkOperations ops(m_connection, m_options);
    if (m_progress)
        QObject::connect(&ops, &BulkOperations::progress, &ops,
                         [this](qint64 done, qint64 total) { m_progress(done, total); });
    {
        QMutexLocker lock(&m_mutex);
        m_currentModels = &ops;
    }
    struct Clear
    {
        SyncBulkOperations *self;
        ~Clear()
        {
            QMutexLocker lock(&self->m_mutex);
            self->m_currentModels = nullptr;
        }
    } clear{this};
    QFuture<BulkResult> future = start(ops);
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<BulkResult> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    return waitFor(future, call);
}

void SyncBulkOperations::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_current)
        m_current->cancel();
    // The model call's BulkOperations lives in the calling thread: cancelled there, queued.
    if (m_currentModels)
        QMetaObject::invokeMethod(m_currentModels.data(), &BulkOperations::cancel, Qt::QueuedConnection);
}

BulkResult SyncBulkOperations::bulkInsert(const QString &table, const BulkSource &records)
{
    auto job = makeJob(int(BulkJob::Op::Insert), records);
    job->setTable(table);
    return run(job);
}

BulkResult SyncBulkOperations::bulkUpdate(const QList<BulkUpdateItem> &items)
{
    return bulkUpdate(BulkSource::fromList(items));
}

BulkResult SyncBulkOperations::bulkUpdate(const BulkSource &items)
{
    return run(makeJob(int(BulkJob::Op::Update), items));
}

BulkResult SyncBulkOperations::bulkUpsert(const QString &table, const BulkSource &records,
                                          const QString &keyField)
{
    auto job = makeJob(int(BulkJob::Op::Upsert), records);
    job->setTable(table);
    job->setKeyField(keyField);
    return run(job);
}

BulkResult SyncBulkOperations::bulkDelete(const QList<RecordId> &ids)
{
    return bulkDelete(BulkSource::fromList(ids));
}

BulkResult SyncBulkOperations::bulkDelete(const BulkSource &ids)
{
    return run(makeJob(int(BulkJob::Op::Delete), ids));
}

BulkResult SyncBulkOperations::bulkQuery(const QList<BulkQuery> &queries)
{
    return bulkQuery(BulkSource::fromList(queries));
}

BulkResult SyncBulkOperations::bulkQuery(const BulkSource &queries)
{
    return run(makeJob(int(BulkJob::Op::Query), queries));
}

} // namespace SurrealQt
