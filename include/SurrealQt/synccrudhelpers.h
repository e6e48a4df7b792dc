#pragma once

#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/syncconnection.h>

namespace SurrealQt {

/*! The blocking twin of CrudHelpers, with the same calls, input rules and result shapes
    (see crudhelpers.h). For worker threads and console tools: it refuses to run on the
    connection's I/O thread, and blocking the GUI thread with it freezes the GUI.

    Errors, as SyncConnection's (ErrorMode chosen at construction): in Throw mode (the default)
    a failed call throws SurrealQt::Exception; in Report mode (for code built without
    exceptions) it returns an empty value (empty map or list, std::nullopt, 0, false) and
    lastError() says why. lastError() is invalid after a call that succeeded; it is per object,
    so use one object per thread. */
class SURREALQT_EXPORT SyncCrudHelpers
{
public:
    /*! The update modes of CrudHelpers (Replace or Merge). */
    using UpdateMode = CrudHelpers::UpdateMode;
    /*! How a failed call reports its error (SyncConnection's modes). */
    using ErrorMode = SyncConnection::ErrorMode;

    /*! Blocking helpers sending through connection (not owned); use them off the GUI thread and off the
     * connection's I/O thread. */
    explicit SyncCrudHelpers(Connection *connection, ErrorMode mode = ErrorMode::Throw);

    /*! The connection given to the constructor; null once it was deleted. */
    [[nodiscard]] Connection *connection() const;
    /*! How failures are reported. */
    [[nodiscard]] ErrorMode errorMode() const { return m_mode; }
    /*! The failure of the last call; an invalid Error when it succeeded. */
    [[nodiscard]] Error lastError() const { return m_lastError; }

    /*! Blocking CrudHelpers::insertOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap insertOne(const Table &table, const QVariantMap &data);
    /*! Blocking CrudHelpers::insertOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap insertOne(const QString &table, const QVariantMap &data);
    /*! Blocking CrudHelpers::insertMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList insertMany(const Table &table, const QVariantList &records);
    /*! Blocking CrudHelpers::insertMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList insertMany(const QString &table, const QVariantList &records);

    /*! Blocking CrudHelpers::updateOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap updateOne(const RecordId &id, const QVariantMap &data, UpdateMode mode = UpdateMode::Replace);
    /*! Blocking CrudHelpers::updateOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap updateOne(const QString &recordId, const QVariantMap &data,
                          UpdateMode mode = UpdateMode::Replace);
    /*! Blocking CrudHelpers::updateMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList updateMany(const Table &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);
    /*! Blocking CrudHelpers::updateMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList updateMany(const QString &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);

    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap upsertOne(const Table &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap upsertOne(const QString &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap upsertOne(const RecordId &id, const QVariantMap &data);
    /*! Blocking CrudHelpers::upsertMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList upsertMany(const Table &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);
    /*! Blocking CrudHelpers::upsertMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList upsertMany(const QString &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);

    /*! Blocking CrudHelpers::deleteOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap deleteOne(const RecordId &id);
    /*! Blocking CrudHelpers::deleteOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantMap deleteOne(const QString &recordId);
    /*! Blocking CrudHelpers::deleteMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList deleteMany(const Table &table, const QString &filter, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::deleteMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList deleteMany(const QString &table, const QString &filter, const QVariantMap &vars = {});

    /*! Blocking CrudHelpers::selectOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    std::optional<QVariantMap> selectOne(const RecordId &id);
    /*! Blocking CrudHelpers::selectOne(): the same arguments and result shape; see ErrorMode for failures.
     */
    std::optional<QVariantMap> selectOne(const QString &recordId);
    /*! Blocking CrudHelpers::selectMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList selectMany(const Table &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);
    /*! Blocking CrudHelpers::selectMany(): the same arguments and result shape; see ErrorMode for failures.
     */
    QVariantList selectMany(const QString &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);

    /*! Blocking CrudHelpers::count(): the same arguments and result shape; see ErrorMode for failures. */
    qint64 count(const Table &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::count(): the same arguments and result shape; see ErrorMode for failures. */
    qint64 count(const QString &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::exists(): the same arguments and result shape; see ErrorMode for failures. */
    bool exists(const RecordId &id);
    /*! Blocking CrudHelpers::exists(): the same arguments and result shape; see ErrorMode for failures. */
    bool exists(const QString &recordId);

private:
    QPointer<Connection> m_connection;
    ErrorMode m_mode;
    Error m_lastError;
};

} // namespace SurrealQt
