#pragma once

#include <SurrealQt/bulkoptions.h>
#include <SurrealQt/bulkquery.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/bulksource.h>
#include <SurrealQt/bulkupdateitem.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <QtCore/QSharedPointer>

#include <memory>
#include <type_traits>

namespace SurrealQt {

class Connection;
class BulkJob;
class Model;

/*! Writes many records in batches, several batches in flight at once, over a pool or a single
    connection. Each call returns at once with a QFuture<BulkResult>; the signals report
    progress on this object's thread.

    The future fails (SurrealQt::Exception) only when the job cannot start: bad options or
    names (Validation) or, for bulkUpsert, a key field without a UNIQUE index. Failures of
    single inputs are reported in the BulkResult, each at its input index; see BulkResult for the
    status every input ends in and docs/helpers/bulk-operations.md for the exact semantics.

    Order: every progress() and batchFinished() of a job is emitted before its finished(), and
    a continuation attached with QFuture::then(context, ...) on this object's thread runs after
    them too. The future itself is finished from the worker side, so code that polls
    isFinished() may see it finished while the last progress() is still queued; such code should
    wait for finished() instead.

    Several jobs may run on one object at once; the signals then interleave (each carries its
    own numbers), and cancel() stops all of them. */
class SURREALQT_EXPORT BulkOperations : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)

public:
    /*! Jobs write through connection (a pool spreads the batches over its sockets); not owned. */
    explicit BulkOperations(Connection *connection, const BulkOptions &options = {},
                            QObject *parent = nullptr);
    ~BulkOperations() override;

    /*! The connection given to the constructor; null once it was deleted. */
    [[nodiscard]] Connection *connection() const;
    /*! The options for jobs started from now on. */
    [[nodiscard]] BulkOptions options() const { return m_options; }
    /*! Applies to jobs started afterwards. */
    void setOptions(const BulkOptions &options) { m_options = options; }
    /*! True while any job of this object runs. */
    [[nodiscard]] bool isRunning() const { return m_running > 0; }

    /*! Inserts records (QVariantMap each) into table. Records without an id get a random one
        (the server's format) before they are sent, so that a resend can be checked. */
    QFuture<BulkResult> bulkInsert(const QString &table, const BulkSource &records);
    /*! Replaces (merge = false) or merges into existing records; a missing record is a NotFound
        failure, never created. */
    QFuture<BulkResult> bulkUpdate(const QList<BulkUpdateItem> &items);
    /*! bulkUpdate() of BulkUpdateItems pulled from a source. */
    QFuture<BulkResult> bulkUpdate(const BulkSource &items);
    /*! Creates or merges into the record whose keyField equals the input's. A keyField other
        than "id" needs a UNIQUE index on it (BulkOptions::createKeyIndex creates it). */
    QFuture<BulkResult> bulkUpsert(const QString &table, const BulkSource &records,
                                   const QString &keyField = QStringLiteral("id"));
    /*! Deletes records; results() holds each record as it was. A record that is not there is
        a NotFound failure (except on a resend, where it was likely deleted by the lost attempt). */
    QFuture<BulkResult> bulkDelete(const QList<RecordId> &ids);
    /*! bulkDelete() of RecordIds pulled from a source. */
    QFuture<BulkResult> bulkDelete(const BulkSource &ids);
    /*! Runs queries, each with its own bind variables; results() holds a QueryResult each. A
        query counts as failed when any of its statements failed. */
    QFuture<BulkResult> bulkQuery(const QList<BulkQuery> &queries);
    /*! bulkQuery() of BulkQuery items pulled from a source. */
    QFuture<BulkResult> bulkQuery(const BulkSource &queries);

    /*! Model objects (of one model class, living in this object's thread), written through the
        same batches as bulkInsert/bulkUpdate, with the same progress() and per-input results
        (BulkResult index i is objects[i]):
          - bulkCreate: creates every object, as Model::save() creates a new one (autoNow and
            autoNowAdd fields set, validate() first, a chosen id kept, a duplicate id Failed with
            AlreadyExists). Every object must be new.
          - bulkSave: creates the new ones and merges the dirty fields (and autoNow fields) of the
            stored ones, as Model::save() of each; a stored record that is gone is Failed with
            NotFound; a stored object with nothing to save counts as Written without a request.
        The objects are read when the call is made. When the job has ended, still on this object's
        thread, each written object is loaded from the record as stored (id and server-side
        values; isNew() false, not dirty, except fields changed meanwhile) and emits saved(); each
        failed one emits errorOccurred() and keeps its state. Then finished() is emitted and the
        future finishes (in this object's thread; it is cancelled if this object is deleted first).
        Nothing is sent, and the future fails with a Validation error whose itemErrors() name each
        offending object, when an object is null, lives in another thread, fails validate(), is of
        another table than the first, is not new (bulkCreate), or is a stored object of a model
        with a versionField (bulkSave does not check versions: use save()).
        Results are collected whatever BulkOptions::collectResults says. batchFinished() is not
        emitted for these calls (their batches do not map onto the input list's positions). */
    template<typename T>
    QFuture<BulkResult> bulkCreate(const QList<QSharedPointer<T>> &objects)
    {
        return runModels(true, toModels(objects), std::make_shared<const QList<QSharedPointer<T>>>(objects));
    }
    /*! bulkCreate() of raw pointers; the caller keeps the objects alive until the future finished. */
    template<typename T>
    QFuture<BulkResult> bulkCreate(const QList<T *> &objects)
    {
        return runModels(true, toModels(objects), {});
    }
    /*! Creates the new objects and saves the changes of the stored ones (see bulkCreate()). */
    template<typename T>
    QFuture<BulkResult> bulkSave(const QList<QSharedPointer<T>> &objects)
    {
        return runModels(false, toModels(objects), std::make_shared<const QList<QSharedPointer<T>>>(objects));
    }
    /*! bulkSave() of raw pointers; the caller keeps the objects alive until the future finished. */
    template<typename T>
    QFuture<BulkResult> bulkSave(const QList<T *> &objects)
    {
        return runModels(false, toModels(objects), {});
    }

public Q_SLOTS:
    /*! Stops pulling new batches; batches in flight finish and are reported, the rest ends as
        NotAttempted. The future then finishes with isCancelled(). */
    void cancel();

Q_SIGNALS:
    /*! done: inputs settled so far (written, failed or skipped); total: -1 for a stream of
        unknown length until its end. Monotonic per job; a completed job ends at done == total. */
    void progress(qint64 done, qint64 total);
    /*! One batch settled: inputs first .. first + count - 1, of which failed failed. */
    void batchFinished(qint64 first, qint64 count, qint64 failed);
    /*! The job ended with result (also the future's result); emitted on this object's thread. */
    void finished(const SurrealQt::BulkResult &result);
    /*! The job could not start (see above). */
    void errorOccurred(const SurrealQt::Error &error);
    /*! A first job started (true) or the last one ended (false). */
    void runningChanged(bool running);

private:
    QFuture<BulkResult> run(std::shared_ptr<BulkJob> job);
    std::shared_ptr<BulkJob> makeJob(int op, const BulkSource &source);

    struct ModelRun;
    template<typename List>
    static QList<Model *> toModels(const List &objects)
    {
        QList<Model *> out;
        out.reserve(objects.size());
        for (const auto &o : objects) {
            if constexpr (std::is_pointer_v<std::decay_t<decltype(o)>>)
                out.append(o);
            else
                out.append(o.data());
        }
        return out;
    }
    QFuture<BulkResult> runModels(bool createOnly, const QList<Model *> &objects,
                                  std::shared_ptr<const void> keepAlive);
    void startModelJob(const std::shared_ptr<ModelRun> &run, int op);
    void finishModels(const std::shared_ptr<ModelRun> &run);

    QPointer<Connection> m_connection;
    BulkOptions m_options;
    QList<std::weak_ptr<BulkJob>> m_jobs;
    int m_running = 0;
    // Counts cancel() calls, so that a model call does not start its second job after one.
    quint64 m_cancels = 0;
};

} // namespace SurrealQt
