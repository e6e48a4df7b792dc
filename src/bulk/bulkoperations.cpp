#include "bulkjob_p.h"
#include "core/postbox_p.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/exception.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

BulkOperations::BulkOperations(Connection *connection, const BulkOptions &options, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_options(options)
{
    qRegisterMetaType<BulkResult>();
}

BulkOperations::~BulkOperations()
{
    // Jobs hold themselves alive through their requests; without this object nobody would
    // read their results, so stop them from sending more.
    cancel();
}

Connection *BulkOperations::connection() const
{
    return m_connection;
}

std::shared_ptr<BulkJob> BulkOperations::makeJob(int op, const BulkSource &source)
{
    QPointer<BulkOperations> self(this);
    // The job calls these on the I/O thread while the owner may delete this object (which
    // cancels, but cannot wait for, the batches in flight): they post through a box closed on
    // destruction, never through a QPointer checked over there.
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    BulkJob::Callbacks callbacks;
    // Posted while the job holds its lock, so they arrive here in the job's order.
    callbacks.progress = [self, box](qint64 done, qint64 total) {
        box->post([self, done, total] {
            if (self)
                Q_EMIT self->progress(done, total);
        });
    };
    callbacks.batchFinished = [self, box](qint64 first, qint64 count, qint64 failed) {
        box->post([self, first, count, failed] {
            if (self)
                Q_EMIT self->batchFinished(first, count, failed);
        });
    };
    return std::make_shared<BulkJob>(m_connection, BulkJob::Op(op), m_options, source, std::move(callbacks));
}

QFuture<BulkResult> BulkOperations::run(std::shared_ptr<BulkJob> job)
{
    m_jobs.removeIf([](const std::weak_ptr<BulkJob> &w) { return w.expired(); });
    m_jobs.append(job);
    QFuture<BulkResult> future = job->start();
    if (m_running++ == 0)
        Q_EMIT runningChanged(true);
    // Queued behind the job's last progress post, so finished() comes after every progress().
    // Not then(this, ...): in Qt 6.4 that reads this object's QPointer on the I/O thread, and
    // asserts (debug builds) when the object was deleted before the job ended.
    QPointer<BulkOperations> self(this);
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    future
        .then(QtFuture::Launch::Sync,
              [self, box](const BulkResult &result) {
                  box->post(
                      [self, result] {
                          if (!self)
                              return;
                          Q_EMIT self->finished(result);
                          if (--self->m_running == 0)
                              Q_EMIT self->runningChanged(false);
                      },
                      Qt::AutoConnection);
              })
        .onFailed([self, box](const Exception &e) {
            box->post(
                [self, error = e.error()] {
                    if (!self)
                        return;
                    Q_EMIT self->errorOccurred(error);
                    if (--self->m_running == 0)
                        Q_EMIT self->runningChanged(false);
                },
                Qt::AutoConnection);
        });
    return future;
}

QFuture<BulkResult> BulkOperations::bulkInsert(const QString &table, const BulkSource &records)
{
    auto job = makeJob(int(BulkJob::Op::Insert), records);
    job->setTable(table);
    return run(job);
}

QFuture<BulkResult> BulkOperations::bulkUpdate(const QList<BulkUpdateItem> &items)
{
    return bulkUpdate(BulkSource::fromList(items));
}

QFuture<BulkResult> BulkOperations::bulkUpdate(const BulkSource &items)
{
    return run(makeJob(int(BulkJob::Op::Update), items));
}

QFuture<BulkResult> BulkOperations::bulkUpsert(const QString &table, const BulkSource &records,
                                               const QString &keyField)
{
    auto job = makeJob(int(BulkJob::Op::Upsert), records);
    job->setTable(table);
    job->setKeyField(keyField);
    return run(job);
}

QFuture<BulkResult> BulkOperations::bulkDelete(const QList<RecordId> &ids)
{
    return bulkDelete(BulkSource::fromList(ids));
}

QFuture<BulkResult> BulkOperations::bulkDelete(const BulkSource &ids)
{
    return run(makeJob(int(BulkJob::Op::Delete), ids));
}

QFuture<BulkResult> BulkOperations::bulkQuery(const QList<BulkQuery> &queries)
{
    return bulkQuery(BulkSource::fromList(queries));
}

QFuture<BulkResult> BulkOperations::bulkQuery(const BulkSource &queries)
{
    return run(makeJob(int(BulkJob::Op::Query), queries));
}

void BulkOperations::cancel()
{
    for (const std::weak_ptr<BulkJob> &w : std::as_const(m_jobs))
        if (auto job = w.lock())
            job->cancel();
}

} // namespace SurrealQt
