#include <SurrealQt/requestinterface.h>

#include "connectioncalls_p.h"

#include <SurrealQt/livequery.h>
#include <SurrealQt/none.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace Calls;

RequestInterface::RequestInterface(QObject *parent)
    : QueryInterface(parent)
{}

RequestInterface::~RequestInterface() = default;

QFuture<QVariantMap> RequestInterface::update(const RecordId &id, const QVariantMap &data,
                                              const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"update"_s, QVariantMap)
    return mapped<QVariantMap>(u"update"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> RequestInterface::update(const Table &table, const QVariantMap &data,
                                               const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"update"_s, QVariantList)
    return mapped<QVariantList>(u"update"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> RequestInterface::patch(const RecordId &id, const QVariantList &operations,
                                             const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"patch"_s, QVariantMap)
    return mapped<QVariantMap>(u"patch"_s, {v(id), operations}, options, toRecord);
}

QFuture<QVariantList> RequestInterface::patch(const Table &table, const QVariantList &operations,
                                              const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"patch"_s, QVariantList)
    return mapped<QVariantList>(u"patch"_s, {v(table), operations}, options, toRecords);
}

QFuture<QVariantMap> RequestInterface::relate(const RecordId &from, const Table &edge, const RecordId &to,
                                              const QVariantMap &data, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(from, u"relate"_s, QVariantMap)
    SURREALQT_CHECK_RECORD(to, u"relate"_s, QVariantMap)
    SURREALQT_CHECK_TABLE(edge, u"relate"_s, QVariantMap)
    return mapped<QVariantMap>(u"relate"_s, withData({v(from), v(edge), v(to)}, data), options, toRecord);
}

QFuture<QVariant> RequestInterface::update(const QVariant &what, const QVariant &data,
                                           const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"update"_s)
    return call(u"update"_s, withOptional({target}, data), options);
}

QFuture<QVariant> RequestInterface::patch(const QVariant &what, const QVariantList &operations,
                                          PatchResult result, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"patch"_s)
    QVariantList params{target, operations};
    if (result == PatchResult::Diff)
        params.append(true);
    return call(u"patch"_s, params, options);
}

QFuture<QVariant> RequestInterface::relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                                           const QVariant &data, const RequestOptions &options)
{
    QVariant in = from;
    QVariant out = to;
    SURREALQT_RESOLVE_TARGET(in, u"relate"_s)
    SURREALQT_RESOLVE_TARGET(out, u"relate"_s)
    SURREALQT_CHECK_TARGET(edge, u"relate"_s)
    return call(u"relate"_s, withOptional({in, edge, out}, data), options);
}

QFuture<QVariant> RequestInterface::run(const QString &function, const QVariantList &args,
                                        const QString &version, const RequestOptions &options)
{
    const QVariant versionValue = version.isEmpty() ? QVariant::fromValue(None()) : QVariant(version);
    return call(u"run"_s, {function, versionValue, args}, options);
}

LiveQuery *RequestInterface::live(const Table &table, QObject *parent)
{
    return live(table, LiveOptions(), parent);
}

LiveQuery *RequestInterface::live(const Table &table, const LiveOptions &options, QObject *parent)
{
    QVariantList params{v(table)};
    if (options.mode == LiveOptions::Mode::Diff)
        params.append(true);
    if (const Error e = checkTableName(table.name(), u"live"_s); e.isValid())
        return newLiveQuery(pinClient(), u"live"_s, params, false, parent, failedFuture<void>(e));
    return startLive(u"live"_s, params, false, parent);
}

LiveQuery *RequestInterface::liveQuery(const QString &surrealql, const QVariantMap &vars, QObject *parent)
{
    QVariantList params{surrealql};
    if (!vars.isEmpty())
        params.append(vars);
    return startLive(u"query"_s, params, true, parent);
}

LiveQuery *RequestInterface::startLive(const QString &method, const QVariantList &params, bool viaQuery,
                                       QObject *parent)
{
    return newLiveQuery(pinClient(), method, params, viaQuery, parent, {});
}

LiveQuery *RequestInterface::newLiveQuery(RpcClient *client, const QString &method,
                                          const QVariantList &params, bool viaQuery, QObject *parent,
                                          const QFuture<void> &registerAfter)
{
    return new LiveQuery(client, method, params, viaQuery, parent, registerAfter);
}

#undef SURREALQT_CHECK_RECORD
#undef SURREALQT_CHECK_TABLE
#undef SURREALQT_RESOLVE_TARGET
#undef SURREALQT_CHECK_TARGET

} // namespace SurrealQt
