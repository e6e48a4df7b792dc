#include <SurrealQt/connection.h>

#include "rpcclient_p.h"
#include "syncwait_p.h"

#include <SurrealQt/livequery.h>
#include <SurrealQt/none.h>
#include <SurrealQt/transaction.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

QFuture<void> toVoid(QFuture<QVariant> future)
{
    return future.then(QtFuture::Launch::Sync, [](const QVariant &) {});
}

QFuture<QString> toText(QFuture<QVariant> future)
{
    return future.then(QtFuture::Launch::Sync, [](const QVariant &value) {
        // signin answers with a token, or with {access, refresh} for WITH REFRESH access methods.
        if (value.metaType().id() == QMetaType::QVariantMap)
            return value.toMap().value(u"access"_s).toString();
        return value.toString();
    });
}

// Absent data is NONE on the wire, so the server treats it as "no content".
QVariantList withOptional(QVariantList params, const QVariant &data)
{
    if (data.isValid())
        params.append(data);
    return params;
}

} // namespace

Connection::Connection(QObject *parent)
    : QObject(parent)
{}

Connection::~Connection() = default;

QFuture<QVariant> Connection::call(const QString &method, const QVariantList &params,
                                   const RequestOptions &options)
{
    return execute(RpcRequest{method, params, options});
}

QVariant Connection::callSync(const QString &method, const QVariantList &params,
                              const RequestOptions &options)
{
    return blockOn("callSync", [&] { return call(method, params, options); });
}

QFuture<QueryResult> Connection::query(const QString &surrealql, const QVariantMap &vars)
{
    QVariantList params{surrealql};
    if (!vars.isEmpty())
        params.append(vars);
    return call(u"query"_s, params).then(QtFuture::Launch::Sync, [surrealql](const QVariant &reply) {
        Error error;
        QueryResult result = QueryResult::fromServer(reply, &error);
        if (error.isValid())
            throw Exception(error.setContext(u"query: "_s + surrealql.left(120)));
        return result;
    });
}

QueryResult Connection::querySync(const QString &surrealql, const QVariantMap &vars)
{
    return blockOn("querySync", [&] { return query(surrealql, vars); });
}

QFuture<QVariant> Connection::select(const QVariant &what)
{
    return call(u"select"_s, {what});
}

QFuture<QVariant> Connection::create(const QVariant &what, const QVariant &data)
{
    return call(u"create"_s, withOptional({what}, data));
}

QFuture<QVariant> Connection::insert(const QVariant &table, const QVariant &data)
{
    return call(u"insert"_s, {table, data});
}

QFuture<QVariant> Connection::insertRelation(const QVariant &table, const QVariant &data)
{
    return call(u"insert_relation"_s, {table, data});
}

QFuture<QVariant> Connection::update(const QVariant &what, const QVariant &data)
{
    return call(u"update"_s, withOptional({what}, data));
}

QFuture<QVariant> Connection::upsert(const QVariant &what, const QVariant &data)
{
    return call(u"upsert"_s, withOptional({what}, data));
}

QFuture<QVariant> Connection::merge(const QVariant &what, const QVariant &data)
{
    return call(u"merge"_s, {what, data});
}

QFuture<QVariant> Connection::patch(const QVariant &what, const QVariantList &operations, bool returnDiff)
{
    QVariantList params{what, operations};
    if (returnDiff)
        params.append(true);
    return call(u"patch"_s, params);
}

QFuture<QVariant> Connection::remove(const QVariant &what)
{
    return call(u"delete"_s, {what});
}

QFuture<QVariant> Connection::relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                                     const QVariant &data)
{
    return call(u"relate"_s, withOptional({from, edge, to}, data));
}

QFuture<QVariant> Connection::run(const QString &function, const QVariantList &args, const QString &version)
{
    const QVariant versionValue = version.isEmpty() ? QVariant::fromValue(None()) : QVariant(version);
    return call(u"run"_s, {function, versionValue, args});
}

QVariant Connection::selectSync(const QVariant &what)
{
    return blockOn("selectSync", [&] { return select(what); });
}

QVariant Connection::createSync(const QVariant &what, const QVariant &data)
{
    return blockOn("createSync", [&] { return create(what, data); });
}

QVariant Connection::insertSync(const QVariant &table, const QVariant &data)
{
    return blockOn("insertSync", [&] { return insert(table, data); });
}

QVariant Connection::updateSync(const QVariant &what, const QVariant &data)
{
    return blockOn("updateSync", [&] { return update(what, data); });
}

QVariant Connection::upsertSync(const QVariant &what, const QVariant &data)
{
    return blockOn("upsertSync", [&] { return upsert(what, data); });
}

QVariant Connection::mergeSync(const QVariant &what, const QVariant &data)
{
    return blockOn("mergeSync", [&] { return merge(what, data); });
}

QVariant Connection::removeSync(const QVariant &what)
{
    return blockOn("removeSync", [&] { return remove(what); });
}

QVariant Connection::relateSync(const QVariant &from, const QVariant &edge, const QVariant &to,
                                const QVariant &data)
{
    return blockOn("relateSync", [&] { return relate(from, edge, to, data); });
}

QVariant Connection::runSync(const QString &function, const QVariantList &args, const QString &version)
{
    return blockOn("runSync", [&] { return run(function, args, version); });
}

QFuture<void> Connection::use(const QString &ns, const QString &db)
{
    return toVoid(call(u"use"_s, {ns, db}));
}

QFuture<void> Connection::let(const QString &name, const QVariant &value)
{
    return toVoid(call(u"let"_s, {name, value}));
}

QFuture<void> Connection::unset(const QString &name)
{
    return toVoid(call(u"unset"_s, {name}));
}

QFuture<QString> Connection::signin(const Credentials &credentials)
{
    if (credentials.level() == Credentials::Level::Token)
        return authenticate(credentials.tokenValue())
            .then(QtFuture::Launch::Sync, [token = credentials.tokenValue()] { return token; });
    return toText(call(u"signin"_s, {credentials.toSigninParams()}));
}

QFuture<QString> Connection::signup(const Credentials &credentials)
{
    return toText(call(u"signup"_s, {credentials.toSigninParams()}));
}

QFuture<void> Connection::authenticate(const QString &token)
{
    return toVoid(call(u"authenticate"_s, {token}));
}

QFuture<void> Connection::invalidate()
{
    return toVoid(call(u"invalidate"_s));
}

QFuture<QVariant> Connection::info()
{
    return call(u"info"_s);
}

QFuture<QString> Connection::version()
{
    return toText(call(u"version"_s));
}

QFuture<void> Connection::ping()
{
    return toVoid(call(u"ping"_s));
}

QFuture<QList<QUuid>> Connection::sessions()
{
    return call(u"sessions"_s).then(QtFuture::Launch::Sync, [](const QVariant &value) {
        QList<QUuid> ids;
        const QVariantList list = value.toList();
        for (const QVariant &v : list)
            ids.append(v.toUuid());
        return ids;
    });
}

void Connection::useSync(const QString &ns, const QString &db)
{
    blockOn("useSync", [&] { return use(ns, db); });
}

QString Connection::signinSync(const Credentials &credentials)
{
    return blockOn("signinSync", [&] { return signin(credentials); });
}

QString Connection::versionSync()
{
    return blockOn("versionSync", [&] { return version(); });
}

QFuture<QString> Connection::exportDatabase()
{
    return toText(call(u"__export"_s));
}

QFuture<void> Connection::importDatabase(const QString &surrealql)
{
    return toVoid(call(u"__import"_s, {surrealql}));
}

LiveQuery *Connection::live(const QVariant &table, bool diff, QObject *parent)
{
    QVariantList params{table};
    if (diff)
        params.append(true);
    return new LiveQuery(pinClient(), u"live"_s, params, false, parent);
}

LiveQuery *Connection::liveQuery(const QString &surrealql, const QVariantMap &vars, QObject *parent)
{
    QVariantList params{surrealql};
    if (!vars.isEmpty())
        params.append(vars);
    return new LiveQuery(pinClient(), u"query"_s, params, true, parent);
}

Transaction *Connection::transaction(QObject *parent)
{
    return new Transaction(pinClient(), parent);
}

} // namespace SurrealQt
