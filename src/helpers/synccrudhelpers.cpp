#include <SurrealQt/synccrudhelpers.h>

#include "connection/syncwait_p.h"
#include "crudcore_p.h"

namespace SurrealQt {

using namespace Internal;

SyncCrudHelpers::SyncCrudHelpers(Connection *connection, ErrorMode mode)
    : m_connection(connection)
    , m_mode(mode)
{}

Connection *SyncCrudHelpers::connection() const
{
    return m_connection;
}

// refuseOnIoThread runs before the request is built, so nothing is sent from the I/O thread.
#define SURREALQT_SYNC(name, call)                                                                           \
    return reporting(m_mode, m_lastError,                                                                    \
                     [&] { return blockOn("SyncCrudHelpers::" name, [&] { return call; }); })

QVariantMap SyncCrudHelpers::insertOne(const Table &table, const QVariantMap &data)
{
    SURREALQT_SYNC("insertOne", Crud::insertOne(m_connection, TableTarget::of(table), data));
}
QVariantMap SyncCrudHelpers::insertOne(const QString &table, const QVariantMap &data)
{
    SURREALQT_SYNC("insertOne", Crud::insertOne(m_connection, TableTarget::of(table), data));
}
QVariantList SyncCrudHelpers::insertMany(const Table &table, const QVariantList &records)
{
    SURREALQT_SYNC("insertMany", Crud::insertMany(m_connection, TableTarget::of(table), records));
}
QVariantList SyncCrudHelpers::insertMany(const QString &table, const QVariantList &records)
{
    SURREALQT_SYNC("insertMany", Crud::insertMany(m_connection, TableTarget::of(table), records));
}

QVariantMap SyncCrudHelpers::updateOne(const RecordId &id, const QVariantMap &data, UpdateMode mode)
{
    SURREALQT_SYNC("updateOne",
                   Crud::updateOne(m_connection, RecordTarget::of(id), data, mode == UpdateMode::Merge));
}
QVariantMap SyncCrudHelpers::updateOne(const QString &recordId, const QVariantMap &data, UpdateMode mode)
{
    SURREALQT_SYNC("updateOne", Crud::updateOne(m_connection, RecordTarget::of(recordId), data,
                                                mode == UpdateMode::Merge));
}
QVariantList SyncCrudHelpers::updateMany(const Table &table, const QString &filter, const QVariantMap &vars,
                                         const QVariantMap &data, UpdateMode mode)
{
    SURREALQT_SYNC("updateMany", Crud::updateMany(m_connection, TableTarget::of(table), filter, vars, data,
                                                  mode == UpdateMode::Merge));
}
QVariantList SyncCrudHelpers::updateMany(const QString &table, const QString &filter, const QVariantMap &vars,
                                         const QVariantMap &data, UpdateMode mode)
{
    SURREALQT_SYNC("updateMany", Crud::updateMany(m_connection, TableTarget::of(table), filter, vars, data,
                                                  mode == UpdateMode::Merge));
}

QVariantMap SyncCrudHelpers::upsertOne(const Table &table, const QString &keyField, const QVariantMap &data,
                                       bool createIndex)
{
    SURREALQT_SYNC("upsertOne",
                   Crud::upsertOne(m_connection, TableTarget::of(table), keyField, data, createIndex));
}
QVariantMap SyncCrudHelpers::upsertOne(const QString &table, const QString &keyField, const QVariantMap &data,
                                       bool createIndex)
{
    SURREALQT_SYNC("upsertOne",
                   Crud::upsertOne(m_connection, TableTarget::of(table), keyField, data, createIndex));
}
QVariantMap SyncCrudHelpers::upsertOne(const RecordId &id, const QVariantMap &data)
{
    SURREALQT_SYNC("upsertOne", Crud::upsertOne(m_connection, RecordTarget::of(id), data));
}
QVariantList SyncCrudHelpers::upsertMany(const Table &table, const QVariantList &records,
                                         const QString &keyField, bool createIndex)
{
    SURREALQT_SYNC("upsertMany",
                   Crud::upsertMany(m_connection, TableTarget::of(table), keyField, records, createIndex));
}
QVariantList SyncCrudHelpers::upsertMany(const QString &table, const QVariantList &records,
                                         const QString &keyField, bool createIndex)
{
    SURREALQT_SYNC("upsertMany",
                   Crud::upsertMany(m_connection, TableTarget::of(table), keyField, records, createIndex));
}

QVariantMap SyncCrudHelpers::deleteOne(const RecordId &id)
{
    SURREALQT_SYNC("deleteOne", Crud::deleteOne(m_connection, RecordTarget::of(id)));
}
QVariantMap SyncCrudHelpers::deleteOne(const QString &recordId)
{
    SURREALQT_SYNC("deleteOne", Crud::deleteOne(m_connection, RecordTarget::of(recordId)));
}
QVariantList SyncCrudHelpers::deleteMany(const Table &table, const QString &filter, const QVariantMap &vars)
{
    SURREALQT_SYNC("deleteMany", Crud::deleteMany(m_connection, TableTarget::of(table), filter, vars));
}
QVariantList SyncCrudHelpers::deleteMany(const QString &table, const QString &filter, const QVariantMap &vars)
{
    SURREALQT_SYNC("deleteMany", Crud::deleteMany(m_connection, TableTarget::of(table), filter, vars));
}

std::optional<QVariantMap> SyncCrudHelpers::selectOne(const RecordId &id)
{
    SURREALQT_SYNC("selectOne", Crud::selectOne(m_connection, RecordTarget::of(id)));
}
std::optional<QVariantMap> SyncCrudHelpers::selectOne(const QString &recordId)
{
    SURREALQT_SYNC("selectOne", Crud::selectOne(m_connection, RecordTarget::of(recordId)));
}
QVariantList SyncCrudHelpers::selectMany(const Table &table, const QString &filter, const QVariantMap &vars,
                                         int limit, int offset, const QString &orderBy, Qt::SortOrder order)
{
    SURREALQT_SYNC("selectMany",
                   Crud::selectMany(m_connection, TableTarget::of(table),
                                    SelectOptions{filter, vars, limit, offset, orderBy, order}));
}
QVariantList SyncCrudHelpers::selectMany(const QString &table, const QString &filter, const QVariantMap &vars,
                                         int limit, int offset, const QString &orderBy, Qt::SortOrder order)
{
    SURREALQT_SYNC("selectMany",
                   Crud::selectMany(m_connection, TableTarget::of(table),
                                    SelectOptions{filter, vars, limit, offset, orderBy, order}));
}

qint64 SyncCrudHelpers::count(const Table &table, const QString &filter, const QVariantMap &vars)
{
    SURREALQT_SYNC("count", Crud::count(m_connection, TableTarget::of(table), filter, vars));
}
qint64 SyncCrudHelpers::count(const QString &table, const QString &filter, const QVariantMap &vars)
{
    SURREALQT_SYNC("count", Crud::count(m_connection, TableTarget::of(table), filter, vars));
}
bool SyncCrudHelpers::exists(const RecordId &id)
{
    SURREALQT_SYNC("exists", Crud::exists(m_connection, RecordTarget::of(id)));
}
bool SyncCrudHelpers::exists(const QString &recordId)
{
    SURREALQT_SYNC("exists", Crud::exists(m_connection, RecordTarget::of(recordId)));
}

#undef SURREALQT_SYNC

} // namespace SurrealQt
