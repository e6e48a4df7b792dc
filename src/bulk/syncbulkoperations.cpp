#include "bulkjob_p.h"
#include "connection/syncwait_p.h"

#include <SurrealQt/syncbulkoperations.h>

namespace SurrealQt {

SyncBulkOperations::SyncBulkOperations(Connection *connection, const BulkOptions &options)
    : m_connection(connection)
    , m_options(options)
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
}

void SyncBulkOperations::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_current)
        m_current->cancel();
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
