#pragma once

#include <SurrealQt/crudhelpers.h>

namespace SurrealQt {

// The blocking twin of CrudHelpers, with the same calls, input rules and result shapes
// (see crudhelpers.h). Every call throws SurrealQt::Exception on failure. For worker threads
// and console tools: it refuses to run on the connection's I/O thread, and blocking the GUI
// thread with it freezes the GUI.
class SURREALQT_EXPORT SyncCrudHelpers
{
public:
    using UpdateMode = CrudHelpers::UpdateMode;

    explicit SyncCrudHelpers(Connection *connection);

    [[nodiscard]] Connection *connection() const;

    QVariantMap insertOne(const Table &table, const QVariantMap &data);
    QVariantMap insertOne(const QString &table, const QVariantMap &data);
    QVariantList insertMany(const Table &table, const QVariantList &records);
    QVariantList insertMany(const QString &table, const QVariantList &records);

    QVariantMap updateOne(const RecordId &id, const QVariantMap &data, UpdateMode mode = UpdateMode::Replace);
    QVariantMap updateOne(const QString &recordId, const QVariantMap &data,
                          UpdateMode mode = UpdateMode::Replace);
    QVariantList updateMany(const Table &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);
    QVariantList updateMany(const QString &table, const QString &filter, const QVariantMap &vars,
                            const QVariantMap &data, UpdateMode mode);

    QVariantMap upsertOne(const Table &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    QVariantMap upsertOne(const QString &table, const QString &keyField, const QVariantMap &data,
                          bool createIndex = false);
    QVariantMap upsertOne(const RecordId &id, const QVariantMap &data);
    QVariantList upsertMany(const Table &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);
    QVariantList upsertMany(const QString &table, const QVariantList &records, const QString &keyField,
                            bool createIndex = false);

    QVariantMap deleteOne(const RecordId &id);
    QVariantMap deleteOne(const QString &recordId);
    QVariantList deleteMany(const Table &table, const QString &filter, const QVariantMap &vars = {});
    QVariantList deleteMany(const QString &table, const QString &filter, const QVariantMap &vars = {});

    std::optional<QVariantMap> selectOne(const RecordId &id);
    std::optional<QVariantMap> selectOne(const QString &recordId);
    QVariantList selectMany(const Table &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);
    QVariantList selectMany(const QString &table, const QString &filter = {}, const QVariantMap &vars = {},
                            int limit = -1, int offset = 0, const QString &orderBy = {},
                            Qt::SortOrder order = Qt::AscendingOrder);

    qint64 count(const Table &table, const QString &filter = {}, const QVariantMap &vars = {});
    qint64 count(const QString &table, const QString &filter = {}, const QVariantMap &vars = {});
    bool exists(const RecordId &id);
    bool exists(const QString &recordId);

private:
    QPointer<Connection> m_connection;
};

} // namespace SurrealQt
