#pragma once

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/bulkoptions.h>
#include <SurrealQt/bulkquery.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/bulksource.h>
#include <SurrealQt/bulkupdateitem.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QMutex>
#include <QtCore/QPointer>

#include <functional>
#include <memory>

namespace SurrealQt {

class Connection;
class BulkJob;

/*! The blocking twin of BulkOperations, for worker threads and console tools: each call returns
    when the job ended. Failures of single inputs are in the BulkResult; a job that cannot start
    throws SurrealQt::Exception in Throw mode (the default), or, in Report mode (for code built
    without exceptions, as SyncConnection's), returns an empty BulkResult and lastError() says
    why. Refuses to run on the connection's I/O thread. */
class SURREALQT_EXPORT SyncBulkOperations
{
public:
    /*! Blocking bulk writes through connection (not owned), with options; off the connection's I/O thread. */
    explicit SyncBulkOperations(Connection *connection, const BulkOptions &options = {},
                                SyncConnection::ErrorMode mode = SyncConnection::ErrorMode::Throw);
    ~SyncBulkOperations();
    Q_DISABLE_COPY_MOVE(SyncBulkOperations)

    /*! How a job that cannot start reports its error (SyncConnection's modes). */
    using ErrorMode = SyncConnection::ErrorMode;
    /*! How failures are reported. */
    [[nodiscard]] ErrorMode errorMode() const { return m_mode; }
    /*! Why the last call's job could not start; an invalid Error when it ran (its per-input
        failures are in its BulkResult). Read it on the thread that made the call. */
    [[nodiscard]] Error lastError() const { return m_lastError; }

    /*! The options for the calls made from now on. */
    [[nodiscard]] BulkOptions options() const { return m_options; }
    /*! Applies to calls made afterwards. */
    void setOptions(const BulkOptions &options) { m_options = options; }
    /*! Called after every batch from the library's threads (never concurrently), in order. */
    void setProgressCallback(std::function<void(qint64 done, qint64 total)> callback)
    {
        m_progress = std::move(callback);
    }

    /*! Blocking BulkOperations::bulkInsert(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkInsert(const QString &table, const BulkSource &records);
    /*! Blocking BulkOperations::bulkUpdate(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkUpdate(const QList<BulkUpdateItem> &items);
    /*! Blocking BulkOperations::bulkUpdate(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkUpdate(const BulkSource &items);
    /*! Blocking BulkOperations::bulkUpsert(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkUpsert(const QString &table, const BulkSource &records,
                          const QString &keyField = QStringLiteral("id"));
    /*! Blocking BulkOperations::bulkDelete(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkDelete(const QList<RecordId> &ids);
    /*! Blocking BulkOperations::bulkDelete(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkDelete(const BulkSource &ids);
    /*! Blocking BulkOperations::bulkQuery(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkQuery(const QList<BulkQuery> &queries);
    /*! Blocking BulkOperations::bulkQuery(): returns the BulkResult once every input settled; throws
     * SurrealQt::Exception when the job cannot start (see ErrorMode). */
    BulkResult bulkQuery(const BulkSource &queries);

    /*! Model objects, as BulkOperations::bulkCreate() (same batches, progress, per-input
        results, and the same rules: every object new, of one table, living in the calling
        thread): returns when the job ended, with each written object loaded from the stored
        record (saved() emitted) and each failed one unchanged (errorOccurred() emitted). The
        calling thread needs no event loop of its own: one runs here while the job does, for the
        objects' updates only. Throws SurrealQt::Exception (Validation, naming each offending
        object in itemErrors()) when nothing could be sent. */
    template<typename T>
    BulkResult bulkCreate(const QList<QSharedPointer<T>> &objects)
    {
        return runModels("bulkCreate", [&](BulkOperations &ops) { return ops.bulkCreate(objects); });
    }
    /*! bulkCreate() of raw pointers (not owned). */
    template<typename T>
    BulkResult bulkCreate(const QList<T *> &objects)
    {
        return runModels("bulkCreate", [&](BulkOperations &ops) { return ops.bulkCreate(objects); });
    }
    /*! As BulkOperations::bulkSave(): creates the new objects and merges the dirty fields of the
        stored ones; otherwise as bulkCreate() here. */
    template<typename T>
    BulkResult bulkSave(const QList<QSharedPointer<T>> &objects)
    {
        return runModels("bulkSave", [&](BulkOperations &ops) { return ops.bulkSave(objects); });
    }
    /*! bulkSave() of raw pointers (not owned). */
    template<typename T>
    BulkResult bulkSave(const QList<T *> &objects)
    {
        return runModels("bulkSave", [&](BulkOperations &ops) { return ops.bulkSave(objects); });
    }

    /*! Thread-safe: stops the running call from another thread, as BulkOperations::cancel(). */
    void cancel();

private:
    BulkResult run(std::shared_ptr<BulkJob> job);
    BulkResult runModels(const char *call, const std::function<QFuture<BulkResult>(BulkOperations &)> &start);
    BulkResult runModelsOnce(const char *call,
                             const std::function<QFuture<BulkResult>(BulkOperations &)> &start);
    std::shared_ptr<BulkJob> makeJob(int op, const BulkSource &source);

    QPointer<Connection> m_connection;
    BulkOptions m_options;
    ErrorMode m_mode;
    Error m_lastError;
    std::function<void(qint64, qint64)> m_progress;
    QMutex m_mutex;
    std::shared_ptr<BulkJob> m_current;
    QPointer<BulkOperations> m_currentModels; // set while runModels() runs, under m_mutex
};

} // namespace SurrealQt
