#include <SurrealQt/queryinterface.h>

#include "connectioncalls_p.h"

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace Calls;

QueryInterface::QueryInterface(QObject *parent)
    : QObject(parent)
{}

QueryInterface::~QueryInterface() = default;

QFuture<QVariant> QueryInterface::call(const QString &method, const QVariantList &params,
                                       const RequestOptions &options)
{
    return execute(RpcRequest{method, params, options});
}

QFuture<QueryResult> QueryInterface::query(const QString &surrealql, const QVariantMap &vars,
                                           const RequestOptions &options)
{
    QVariantList params{surrealql};
    if (!vars.isEmpty())
        params.append(vars);
    return mapped<QueryResult>(u"query"_s, params, options, [surrealql](const QVariant &reply) {
        Error error;
        QueryResult result = QueryResult::fromServer(reply, &error);
        if (error.isValid())
            throw Exception(error.setContext(u"query: "_s + surrealql.left(120)));
        return result;
    });
}

QFuture<QVariantMap> QueryInterface::select(const RecordId &id, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"select"_s, QVariantMap)
    return mapped<QVariantMap>(u"select"_s, {v(id)}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::select(const Table &table, const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"select"_s, QVariantList)
    return mapped<QVariantList>(u"select"_s, {v(table)}, options, toRecords);
}

QFuture<QVariantMap> QueryInterface::create(const RecordId &id, const QVariantMap &data,
                                            const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"create"_s, QVariantMap)
    return mapped<QVariantMap>(u"create"_s, withData({v(id)}, data), options, toRecord);
}

QFuture<QVariantMap> QueryInterface::create(const Table &table, const QVariantMap &data,
                                            const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"create"_s, QVariantMap)
    return mapped<QVariantMap>(u"create"_s, withData({v(table)}, data), options, toRecord);
}

QFuture<QVariantMap> QueryInterface::insert(const Table &table, const QVariantMap &record,
                                            const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert"_s, QVariantMap)
    return mapped<QVariantMap>(u"insert"_s, {v(table), record}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::insert(const Table &table, const QVariantList &records,
                                             const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert"_s, QVariantList)
    return mapped<QVariantList>(u"insert"_s, {v(table), records}, options, toRecords);
}

QFuture<QVariantMap> QueryInterface::upsert(const RecordId &id, const QVariantMap &data,
                                            const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"upsert"_s, QVariantMap)
    return mapped<QVariantMap>(u"upsert"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::upsert(const Table &table, const QVariantMap &data,
                                             const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"upsert"_s, QVariantList)
    return mapped<QVariantList>(u"upsert"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> QueryInterface::merge(const RecordId &id, const QVariantMap &data,
                                           const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"merge"_s, QVariantMap)
    return mapped<QVariantMap>(u"merge"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::merge(const Table &table, const QVariantMap &data,
                                            const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"merge"_s, QVariantList)
    return mapped<QVariantList>(u"merge"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> QueryInterface::insertRelation(const Table &table, const QVariantMap &edge,
                                                    const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert_relation"_s, QVariantMap)
    return mapped<QVariantMap>(u"insert_relation"_s, {v(table), edge}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::insertRelation(const Table &table, const QVariantList &edges,
                                                     const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert_relation"_s, QVariantList)
    return mapped<QVariantList>(u"insert_relation"_s, {v(table), edges}, options, toRecords);
}

QFuture<QVariantMap> QueryInterface::remove(const RecordId &id, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"delete"_s, QVariantMap)
    return mapped<QVariantMap>(u"delete"_s, {v(id)}, options, toRecord);
}

QFuture<QVariantList> QueryInterface::remove(const Table &table, const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"delete"_s, QVariantList)
    return mapped<QVariantList>(u"delete"_s, {v(table)}, options, toRecords);
}

QFuture<QVariant> QueryInterface::select(const QVariant &what, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"select"_s)
    return call(u"select"_s, {target}, options);
}

QFuture<QVariant> QueryInterface::create(const QVariant &what, const QVariant &data,
                                         const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"create"_s)
    return call(u"create"_s, withOptional({target}, data), options);
}

QFuture<QVariant> QueryInterface::insert(const QVariant &table, const QVariant &data,
                                         const RequestOptions &options)
{
    SURREALQT_CHECK_TARGET(table, u"insert"_s)
    return call(u"insert"_s, {table, data}, options);
}

QFuture<QVariant> QueryInterface::insertRelation(const QVariant &table, const QVariant &data,
                                                 const RequestOptions &options)
{
    SURREALQT_CHECK_TARGET(table, u"insert_relation"_s)
    return call(u"insert_relation"_s, {table, data}, options);
}

QFuture<QVariant> QueryInterface::upsert(const QVariant &what, const QVariant &data,
                                         const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"upsert"_s)
    return call(u"upsert"_s, withOptional({target}, data), options);
}

QFuture<QVariant> QueryInterface::merge(const QVariant &what, const QVariant &data,
                                        const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"merge"_s)
    return call(u"merge"_s, {target, data}, options);
}

QFuture<QVariant> QueryInterface::remove(const QVariant &what, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"delete"_s)
    return call(u"delete"_s, {target}, options);
}

#undef SURREALQT_CHECK_RECORD
#undef SURREALQT_CHECK_TABLE
#undef SURREALQT_RESOLVE_TARGET
#undef SURREALQT_CHECK_TARGET

} // namespace SurrealQt
