#include "bulkjob_p.h"
#include "core/failedfuture_p.h"
#include "core/postbox_p.h"
#include "orm/modelrowloader_p.h"
#include "orm/modelwrites_p.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/datetime.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/fieldinfo.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>

#include <QtCore/QHash>
#include <QtCore/QMetaProperty>
#include <QtCore/QThread>

#include <algorithm>
#include <optional>

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
    ++m_cancels;
    for (const std::weak_ptr<BulkJob> &w : std::as_const(m_jobs))
        if (auto job = w.lock())
            job->cancel();
}

// --- Model objects ---------------------------------------------------------------------------

// One bulkCreate/bulkSave call: the objects, what each one sends, and the results of its (at
// most two) jobs. Touched only in this object's thread.
struct BulkOperations::ModelRun
{
    enum class Kind { Create, Update, Unchanged };
    struct Slot
    {
        QPointer<Model> object;
        Kind kind = Kind::Unchanged;
        qsizetype jobIndex = -1; // position in its job's input
        QStringList sent;        // the fields sent
        QVariantMap record;      // the data sent (Unchanged: the object's fields)
    };

    QList<Slot> items;
    QString table;
    std::shared_ptr<const void> keepAlive;
    QPromise<BulkResult> promise;
    QList<QVariantMap> creates;
    QList<BulkUpdateItem> updates;
    BulkResult created;
    BulkResult updated;
    bool createdRan = false;
    bool updatedRan = false;
    qint64 unchanged = 0;
    quint64 cancelsAtStart = 0;
};

namespace {

// Sets the auto timestamps as Model::save() does before validating.
Error objectError(qsizetype index, const QString &message)
{
    return Error(Error::Kind::Validation, message, u"objects[%1]"_s.arg(index));
}

} // namespace

QFuture<BulkResult> BulkOperations::runModels(bool createOnly, const QList<Model *> &objects,
                                              std::shared_ptr<const void> keepAlive)
{
    auto run = std::make_shared<ModelRun>();
    run->keepAlive = std::move(keepAlive);
    const QString call = createOnly ? u"bulkCreate"_s : u"bulkSave"_s;
    QList<Error> problems;
    if (thread() != QThread::currentThread())
        problems.append(Error(Error::Kind::Validation,
                              u"%1 must be called in the thread of the BulkOperations object"_s.arg(call)));
    for (qsizetype i = 0; i < objects.size(); ++i) {
        Model *m = objects.at(i);
        if (!m) {
            problems.append(objectError(i, u"object %1 is null"_s.arg(i)));
            continue;
        }
        const ModelInfo &info = m->modelInfo();
        if (m->thread() != thread())
            problems.append(objectError(i, u"object %1 lives in another thread"_s.arg(i)));
        if (run->table.isEmpty())
            run->table = info.tableName();
        else if (info.tableName() != run->table)
            problems.append(objectError(
                i, u"object %1 is of table %2, the first one of %3: one table per call"_s.arg(i).arg(
                       info.tableName(), run->table)));
    }
    ModelRun::Slot slot;
    const bool usable = problems.isEmpty();
    for (qsizetype i = 0; usable && i < objects.size(); ++i) {
        Model *m = objects.at(i);
        const ModelInfo &info = m->modelInfo();
        const QString version = info.versionField();
        slot = {};
        slot.object = m;
        if (createOnly && !m->isNew()) {
            problems.append(objectError(
                i, u"object %1 (%2) is already stored: bulkCreate creates new objects only"_s.arg(i).arg(
                       m->id().toString())));
            continue;
        }
        if (!m->isNew() && !version.isEmpty()) {
            problems.append(objectError(
                i, u"object %1 is a stored %2, whose version field %3 bulkSave does not check: use save()"_s
                       .arg(i)
                       .arg(info.className(), version)));
            continue;
        }
        ModelWrites::stampAutoFields(m, m->isNew());
        if (const Error e = m->validate(); e.isValid()) {
            problems.append(objectError(i, u"object %1: %2"_s.arg(i).arg(e.message())));
            continue;
        }
        if (m->isNew()) {
            QVariantMap data = ModelWrites::contentOf(m);
            slot.sent = data.keys();
            if (m->id().isValid())
                data.insert(u"id"_s, QVariant::fromValue(m->id()));
            slot.kind = ModelRun::Kind::Create;
            slot.jobIndex = run->creates.size();
            slot.record = data;
            run->creates.append(data);
        } else {
            const QStringList fields = ModelWrites::changedFields(m);
            if (fields.isEmpty()) {
                slot.kind = ModelRun::Kind::Unchanged;
                slot.record = m->toMap();
                ++run->unchanged;
            } else {
                slot.kind = ModelRun::Kind::Update;
                slot.sent = fields;
                slot.record = m->toMap(fields);
                slot.jobIndex = run->updates.size();
                run->updates.append(BulkUpdateItem{m->id(), slot.record, true});
            }
        }
        run->items.append(slot);
    }
    if (!problems.isEmpty()) {
        Error error(Error::Kind::Validation,
                    u"%1: %2 of %3 objects cannot be written; nothing was sent (first: %4)"_s.arg(call)
                        .arg(problems.size())
                        .arg(objects.size())
                        .arg(problems.first().message()),
                    call);
        error.setItemErrors(problems);
        Q_EMIT errorOccurred(error);
        return failedFuture<BulkResult>(error);
    }
    run->cancelsAtStart = m_cancels;
    run->promise.start();
    QFuture<BulkResult> future = run->promise.future();
    if (m_running++ == 0)
        Q_EMIT runningChanged(true);
    if (!run->creates.isEmpty())
        startModelJob(run, int(BulkJob::Op::Insert));
    else if (!run->updates.isEmpty())
        startModelJob(run, int(BulkJob::Op::Update));
    else
        finishModels(run);
    return future;
}

void BulkOperations::startModelJob(const std::shared_ptr<ModelRun> &run, int op)
{
    const bool creating = op == int(BulkJob::Op::Insert);
    const qint64 total = run->items.size();
    // Progress over the whole call: unchanged objects count as done, creates run first.
    const qint64 offset = run->unchanged + (creating ? 0 : run->creates.size());
    QPointer<BulkOperations> self(this);
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    BulkJob::Callbacks callbacks;
    callbacks.progress = [self, box, offset, total](qint64 done, qint64) {
        box->post([self, done, offset, total] {
            if (self)
                Q_EMIT self->progress(offset + done, total);
        });
    };
    BulkOptions options = m_options;
    options.collectResults = true; // the objects are loaded from the stored records
    BulkSource source = creating ? BulkSource(run->creates) : BulkSource::fromList(run->updates);
    auto job =
        std::make_shared<BulkJob>(m_connection, BulkJob::Op(op), options, source, std::move(callbacks));
    if (creating)
        job->setTable(run->table);
    m_jobs.removeIf([](const std::weak_ptr<BulkJob> &w) { return w.expired(); });
    m_jobs.append(job);
    // The job finishes on the I/O thread; the objects are touched here, after the job's last
    // progress post (queued in the same order).
    job->start()
        .then(QtFuture::Launch::Sync,
              [self, box, run, creating](const BulkResult &result) {
                  box->post([self, run, creating, result] {
                      if (!self)
                          return;
                      (creating ? run->created : run->updated) = result;
                      (creating ? run->createdRan : run->updatedRan) = true;
                      const bool goOn = !result.isCancelled() && !result.isStopped() &&
                                        self->m_cancels == run->cancelsAtStart;
                      if (creating && goOn && !run->updates.isEmpty())
                          self->startModelJob(run, int(BulkJob::Op::Update));
                      else
                          self->finishModels(run);
                  });
              })
        .onFailed([self, box, run](const Exception &e) {
            box->post([self, run, error = e.error()] {
                if (!self)
                    return;
                Q_EMIT self->errorOccurred(error);
                if (--self->m_running == 0)
                    Q_EMIT self->runningChanged(false);
                run->promise.setException(Exception(error));
                run->promise.finish();
            });
        });
}

void BulkOperations::finishModels(const std::shared_ptr<ModelRun> &run)
{
    using Status = BulkResult::ItemStatus;
    BulkResult r;
    r.m_total = run->items.size();
    r.m_elapsed = run->created.m_elapsed + run->updated.m_elapsed;
    r.m_cancelled = run->created.m_cancelled || run->updated.m_cancelled || m_cancels != run->cancelsAtStart;
    r.m_stopped = run->created.m_stopped || run->updated.m_stopped;
    QHash<qint64, const BulkItemError *> createErrors;
    QHash<qint64, const BulkItemError *> updateErrors;
    for (const BulkItemError &e : run->created.errors())
        createErrors.insert(e.index, &e);
    for (const BulkItemError &e : run->updated.errors())
        updateErrors.insert(e.index, &e);
    // The stored records go back into the objects with the field lookup worked out once.
    std::optional<ModelRowLoader> loader;
    for (qsizetype i = 0; i < run->items.size(); ++i) {
        const ModelRun::Slot &slot = run->items.at(i);
        Status status = Status::Written;
        QVariant stored = slot.record;
        const BulkItemError *error = nullptr;
        if (slot.kind != ModelRun::Kind::Unchanged) {
            const bool creating = slot.kind == ModelRun::Kind::Create;
            const BulkResult &job = creating ? run->created : run->updated;
            const bool ran = creating ? run->createdRan : run->updatedRan;
            status = ran ? job.status(slot.jobIndex) : Status::NotAttempted;
            stored = ran ? job.results().value(slot.jobIndex) : QVariant();
            error = (creating ? createErrors : updateErrors).value(slot.jobIndex);
        }
        r.mark(i, 1, status);
        r.m_results.append(status == Status::Written ? stored : QVariant());
        if (error)
            r.m_errors.append(BulkItemError{i, slot.record, error->error});

        Model *m = slot.object;
        if (!m)
            continue;
        if (status == Status::Written) {
            QVariantMap row = stored.toMap();
            // Fields changed while the job ran keep the caller's newer value, as with save().
            QStringList keep = m->dirtyFields();
            keep.removeIf([&](const QString &f) { return slot.sent.contains(f); });
            for (const QString &f : std::as_const(keep))
                row.remove(f);
            if (slot.kind != ModelRun::Kind::Unchanged) {
                if (!loader || &loader->info() != &m->modelInfo())
                    loader.emplace(m->modelInfo());
                if (const std::optional<Error> e = loader->loadInto(m, row)) {
                    Q_EMIT m->errorOccurred(*e);
                    continue;
                }
            }
            m->clearDirty();
            for (const QString &f : std::as_const(keep))
                m->markDirty(f);
            Q_EMIT m->saved();
        } else if (error) {
            Q_EMIT m->errorOccurred(error->error);
        }
    }
    if (!r.m_cancelled && !r.m_stopped)
        Q_EMIT progress(r.m_total, r.m_total);
    Q_EMIT finished(r);
    if (--m_running == 0)
        Q_EMIT runningChanged(false);
    run->promise.addResult(r);
    run->promise.finish();
}

} // namespace SurrealQt
