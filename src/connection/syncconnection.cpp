#include <SurrealQt/syncconnection.h>

#include "syncwait_p.h"

using namespace Qt::StringLiterals;

namespace SurrealQt {

SyncConnection::SyncConnection(Connection *connection, ErrorMode mode)
    : m_connection(connection)
    , m_mode(mode)
{}

Connection *SyncConnection::connection() const
{
    return m_connection.data();
}

// T is the async call's result type; a void call answers true (or false, reported).
template<typename T, typename MakeFuture>
auto SyncConnection::wait(const char *call, MakeFuture makeFuture)
    -> std::conditional_t<std::is_void_v<T>, bool, T>
{
    m_lastError = {};
    try {
        Connection *c = m_connection.data();
        if (!c)
            throw Exception(Error(Error::Kind::Cancelled, u"The connection is gone"_s, QLatin1String(call)));
        if constexpr (std::is_void_v<T>) {
            blockOn(call, [&] { return makeFuture(c); });
            return true;
        } else {
            return blockOn(call, [&] { return makeFuture(c); });
        }
    } catch (const Exception &e) {
        m_lastError = e.error();
        if (m_mode == ErrorMode::Throw)
            throw;
    }
    if constexpr (std::is_void_v<T>)
        return false;
    else
        return T();
}

QVariant SyncConnection::call(const QString &method, const QVariantList &params,
                              const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::call",
                          [&](Connection *c) { return c->call(method, params, options); });
}

QueryResult SyncConnection::query(const QString &surrealql, const QVariantMap &vars,
                                  const RequestOptions &options)
{
    return wait<QueryResult>("SyncConnection::query",
                             [&](Connection *c) { return c->query(surrealql, vars, options); });
}

QVariantMap SyncConnection::select(const RecordId &id, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::select", [&](Connection *c) { return c->select(id, options); });
}

QVariantList SyncConnection::select(const Table &table, const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::select",
                              [&](Connection *c) { return c->select(table, options); });
}

QVariantMap SyncConnection::create(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::create",
                             [&](Connection *c) { return c->create(id, data, options); });
}

QVariantMap SyncConnection::create(const Table &table, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::create",
                             [&](Connection *c) { return c->create(table, data, options); });
}

QVariantMap SyncConnection::insert(const Table &table, const QVariantMap &record,
                                   const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::insert",
                             [&](Connection *c) { return c->insert(table, record, options); });
}

QVariantList SyncConnection::insert(const Table &table, const QVariantList &records,
                                    const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::insert",
                              [&](Connection *c) { return c->insert(table, records, options); });
}

QVariantMap SyncConnection::insertRelation(const Table &table, const QVariantMap &edge,
                                           const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::insertRelation",
                             [&](Connection *c) { return c->insertRelation(table, edge, options); });
}

QVariantList SyncConnection::insertRelation(const Table &table, const QVariantList &edges,
                                            const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::insertRelation",
                              [&](Connection *c) { return c->insertRelation(table, edges, options); });
}

QVariantMap SyncConnection::update(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::update",
                             [&](Connection *c) { return c->update(id, data, options); });
}

QVariantList SyncConnection::update(const Table &table, const QVariantMap &data,
                                    const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::update",
                              [&](Connection *c) { return c->update(table, data, options); });
}

QVariantMap SyncConnection::upsert(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::upsert",
                             [&](Connection *c) { return c->upsert(id, data, options); });
}

QVariantList SyncConnection::upsert(const Table &table, const QVariantMap &data,
                                    const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::upsert",
                              [&](Connection *c) { return c->upsert(table, data, options); });
}

QVariantMap SyncConnection::merge(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::merge",
                             [&](Connection *c) { return c->merge(id, data, options); });
}

QVariantList SyncConnection::merge(const Table &table, const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::merge",
                              [&](Connection *c) { return c->merge(table, data, options); });
}

QVariantMap SyncConnection::patch(const RecordId &id, const QVariantList &operations,
                                  const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::patch",
                             [&](Connection *c) { return c->patch(id, operations, options); });
}

QVariantList SyncConnection::patch(const Table &table, const QVariantList &operations,
                                   const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::patch",
                              [&](Connection *c) { return c->patch(table, operations, options); });
}

QVariantMap SyncConnection::remove(const RecordId &id, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::remove", [&](Connection *c) { return c->remove(id, options); });
}

QVariantList SyncConnection::remove(const Table &table, const RequestOptions &options)
{
    return wait<QVariantList>("SyncConnection::remove",
                              [&](Connection *c) { return c->remove(table, options); });
}

QVariantMap SyncConnection::relate(const RecordId &from, const Table &edge, const RecordId &to,
                                   const QVariantMap &data, const RequestOptions &options)
{
    return wait<QVariantMap>("SyncConnection::relate",
                             [&](Connection *c) { return c->relate(from, edge, to, data, options); });
}

QVariant SyncConnection::select(const QVariant &what, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::select", [&](Connection *c) { return c->select(what, options); });
}

QVariant SyncConnection::create(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::create",
                          [&](Connection *c) { return c->create(what, data, options); });
}

QVariant SyncConnection::insert(const QVariant &table, const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::insert",
                          [&](Connection *c) { return c->insert(table, data, options); });
}

QVariant SyncConnection::insertRelation(const QVariant &table, const QVariant &data,
                                        const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::insertRelation",
                          [&](Connection *c) { return c->insertRelation(table, data, options); });
}

QVariant SyncConnection::update(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::update",
                          [&](Connection *c) { return c->update(what, data, options); });
}

QVariant SyncConnection::upsert(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::upsert",
                          [&](Connection *c) { return c->upsert(what, data, options); });
}

QVariant SyncConnection::merge(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::merge",
                          [&](Connection *c) { return c->merge(what, data, options); });
}

QVariant SyncConnection::patch(const QVariant &what, const QVariantList &operations,
                               Connection::PatchResult result, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::patch",
                          [&](Connection *c) { return c->patch(what, operations, result, options); });
}

QVariant SyncConnection::remove(const QVariant &what, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::remove", [&](Connection *c) { return c->remove(what, options); });
}

QVariant SyncConnection::relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                                const QVariant &data, const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::relate",
                          [&](Connection *c) { return c->relate(from, edge, to, data, options); });
}

QVariant SyncConnection::run(const QString &function, const QVariantList &args, const QString &version,
                             const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::run",
                          [&](Connection *c) { return c->run(function, args, version, options); });
}

bool SyncConnection::use(const QString &ns, const QString &db, const RequestOptions &options)
{
    return wait<void>("SyncConnection::use", [&](Connection *c) { return c->use(ns, db, options); });
}

bool SyncConnection::let(const QString &name, const QVariant &value, const RequestOptions &options)
{
    return wait<void>("SyncConnection::let", [&](Connection *c) { return c->let(name, value, options); });
}

bool SyncConnection::unset(const QString &name, const RequestOptions &options)
{
    return wait<void>("SyncConnection::unset", [&](Connection *c) { return c->unset(name, options); });
}

QString SyncConnection::signin(const Credentials &credentials, const RequestOptions &options)
{
    return wait<QString>("SyncConnection::signin",
                         [&](Connection *c) { return c->signin(credentials, options); });
}

QString SyncConnection::signup(const Credentials &credentials, const RequestOptions &options)
{
    return wait<QString>("SyncConnection::signup",
                         [&](Connection *c) { return c->signup(credentials, options); });
}

bool SyncConnection::authenticate(const QString &token, const RequestOptions &options)
{
    return wait<void>("SyncConnection::authenticate",
                      [&](Connection *c) { return c->authenticate(token, options); });
}

bool SyncConnection::invalidate(const RequestOptions &options)
{
    return wait<void>("SyncConnection::invalidate", [&](Connection *c) { return c->invalidate(options); });
}

QVariant SyncConnection::info(const RequestOptions &options)
{
    return wait<QVariant>("SyncConnection::info", [&](Connection *c) { return c->info(options); });
}

QString SyncConnection::version(const RequestOptions &options)
{
    return wait<QString>("SyncConnection::version", [&](Connection *c) { return c->version(options); });
}

bool SyncConnection::ping(const RequestOptions &options)
{
    return wait<void>("SyncConnection::ping", [&](Connection *c) { return c->ping(options); });
}

QList<QUuid> SyncConnection::sessions(const RequestOptions &options)
{
    return wait<QList<QUuid>>("SyncConnection::sessions",
                              [&](Connection *c) { return c->sessions(options); });
}

QString SyncConnection::exportDatabase(const RequestOptions &options)
{
    return wait<QString>("SyncConnection::exportDatabase",
                         [&](Connection *c) { return c->exportDatabase(options); });
}

bool SyncConnection::importDatabase(const QString &surrealql, const RequestOptions &options)
{
    return wait<void>("SyncConnection::importDatabase",
                      [&](Connection *c) { return c->importDatabase(surrealql, options); });
}

} // namespace SurrealQt
