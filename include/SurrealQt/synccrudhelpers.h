#pragma once

#include <SurrealQt/crudhelpers.h>

namespace SurrealQt {

/*! The blocking twin of CrudHelpers, with the same calls, input rules and result shapes
    (see crudhelpers.h). Every call throws SurrealQt::Exception on failure. For worker threads
    and console tools: it refuses to run on the connection's I/O thread, and blocking the GUI
    thread with it freezes the GUI. */
class SURREALQT_EXPORT SyncCrudHelpers
{
public:
    /*! The update modes of CrudHelpers (Replace or Merge). */
    using UpdateMode = CrudHelpers::UpdateMode;

    /*! Blocking helpers sending through connection (not owned); use them off the GUI thread and off the
     * connection's I/O thread. */
    explicit SyncCrudHelpers(Connection *connection);

    /*! The connection given to the constructor; null once it was deleted. */
    [[nodiscard]] Connection *connection() const;

    /*! Blocking CrudHelpers::insertOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap insertOne(const Table &table, const QVariantMap &data);
    /*! Blocking CrudHelpers::insertOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap insertOne(const QString &table, const QVariantMap &data);
    /*! Blocking CrudHelpers::insertMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList insertMany(const Table &table, const QVariantList &records);
    /*! Blocking CrudHelpers::insertMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList insertMany(const QString &table, const QVariantList &records);

    /*! Blocking CrudHelpers::updateOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap updateOne(const RecordId &id, const QVariantMap &data, UpdateMode mode = UpdateMode::Replace);
    /*! Blocking CrudHelpers::updateOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap updateOne(const QString &recordId, const QVariantMap &data,
                          UpdateMode mode = UpdateMode::Replace);
    /*! Blocking CrudHelpers::updateMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList updateMany(const Table &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);
    /*! Blocking CrudHelpers::updateMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList updateMany(const QString &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);

    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap upsertOne(const Table &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap upsertOne(const QString &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    /*! Blocking CrudHelpers::upsertOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap upsertOne(const RecordId &id, const QVariantMap &data);
    /*! Blocking CrudHelpers::upsertMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList upsertMany(const Table &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);
    /*! Blocking CrudHelpers::upsertMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList upsertMany(const QString &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);

    /*! Blocking CrudHelpers::deleteOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap deleteOne(const RecordId &id);
    /*! Blocking CrudHelpers::deleteOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantMap deleteOne(const QString &recordId);
    /*! Blocking CrudHelpers::deleteMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList deleteMany(const Table &table, const QString &filter, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::deleteMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList deleteMany(const QString &table, const QString &filter, const QVariantMap &vars = {});

    /*! Blocking CrudHelpers::selectOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    std::optional<QVariantMap> selectOne(const RecordId &id);
    /*! Blocking CrudHelpers::selectOne(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    std::optional<QVariantMap> selectOne(const QString &recordId);
    /*! Blocking CrudHelpers::selectMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList selectMany(const Table &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);
    /*! Blocking CrudHelpers::selectMany(): the same arguments and result shape; throws SurrealQt::Exception.
     */
    QVariantList selectMany(const QString &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);

    /*! Blocking CrudHelpers::count(): the same arguments and result shape; throws SurrealQt::Exception. */
    qint64 count(const Table &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::count(): the same arguments and result shape; throws SurrealQt::Exception. */
    qint64 count(const QString &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! Blocking CrudHelpers::exists(): the same arguments and result shape; throws SurrealQt::Exception. */
    bool exists(const RecordId &id);
    /*! Blocking CrudHelpers::exists(): the same arguments and result shape; throws SurrealQt::Exception. */
    bool exists(const QString &recordId);

private:
    QPointer<Connection> m_connection;
};

} // namespace SurrealQt
