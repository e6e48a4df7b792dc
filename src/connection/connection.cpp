#include <SurrealQt/connection.h>

#include "channel_p.h"
#include "core/postbox_p.h"
#include "rpcclient_p.h"
#include "syncwait_p.h"

#include <SurrealQt/channel.h>
#include <SurrealQt/connectionpool.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/none.h>
#include <SurrealQt/transaction.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>

#include <atomic>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// signin answers with a token, or with {access, refresh} for WITH REFRESH access methods.
QString toText(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantMap)
        return value.toMap().value(u"access"_s).toString();
    return value.toString();
}

void toVoid(const QVariant &) {}

// The server answers a call on one record with the record, NONE, or (refused by permissions,
// or on some methods) a list of zero or one record: callers get the map or an empty one.
QVariantMap toRecord(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantMap)
        return value.toMap();
    if (value.metaType().id() == QMetaType::QVariantList) {
        const QVariantList list = value.toList();
        return list.isEmpty() ? QVariantMap() : list.first().toMap();
    }
    return {};
}

QVariantList toRecords(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantList)
        return value.toList();
    if (value.metaType().id() == QMetaType::QVariantMap)
        return {value};
    return {};
}

// Absent data is NONE on the wire, so the server treats it as "no content".
QVariantList withOptional(QVariantList params, const QVariant &data)
{
    if (data.isValid())
        params.append(data);
    return params;
}

// For create() and relate() no data and an empty map store the same record, so an empty map is
// left out; update() and upsert() always send theirs: there empty means "no fields".
QVariantList withData(QVariantList params, const QVariantMap &data)
{
    if (!data.isEmpty())
        params.append(data);
    return params;
}

template<typename T>
QFuture<T> failed(const Error &error)
{
    QPromise<T> promise;
    promise.start();
    promise.setException(Exception(error));
    promise.finish();
    return promise.future();
}

// A string where a table is expected names a table; one with a ':' would create or read a
// table literally called "person:1" (the engine accepts that silently), so it is refused.
Error checkTableName(const QString &name, const QString &method)
{
    if (name.isEmpty())
        return Error(Error::Kind::Validation, u"No table given"_s, method);
    if (name.contains(u':'))
        return Error(Error::Kind::Validation,
                     u"'%1' looks like a record id, but %2 expects a table here: pass "
                     "SurrealQt::RecordId(table, key) (or RecordId::fromString(text)) to name one record, "
                     "or SurrealQt::Table for a table"_s.arg(name, method),
                     method);
    return {};
}

// Where a record or a table is expected, text with a ':' is record-id text, read as
// RecordId::fromString reads it everywhere ("person:1" is person:1); text that has a ':' but is
// no record id is refused rather than sent as a table name. Other targets pass through.
Error resolveTarget(QVariant *what, const QString &method)
{
    if (what->typeId() != QMetaType::QString || !what->toString().contains(u':'))
        return {};
    QString why;
    const RecordId id = RecordId::fromString(what->toString(), &why);
    if (!id.isValid())
        return Error(Error::Kind::Validation,
                     u"'%1' is neither a table name nor a record id (%2): pass SurrealQt::Table or "
                     "SurrealQt::RecordId(table, key)"_s.arg(what->toString(), why),
                     method);
    *what = QVariant::fromValue(id);
    return {};
}

Error checkTarget(const QVariant &what, const QString &method)
{
    if (what.metaType().id() == QMetaType::QString)
        return checkTableName(what.toString(), method);
    if (what.metaType() == QMetaType::fromType<Table>())
        return checkTableName(what.value<Table>().name(), method);
    if (what.metaType() == QMetaType::fromType<RecordId>() && !what.value<RecordId>().isValid())
        return Error(Error::Kind::Validation, u"Invalid record id (empty table or unsupported key)"_s,
                     method);
    return {};
}

Error checkRecord(const RecordId &id, const QString &method)
{
    if (!id.isValid())
        return Error(Error::Kind::Validation, u"Invalid record id (empty table or unsupported key)"_s,
                     method);
    return {};
}

QVariant v(const RecordId &id)
{
    return QVariant::fromValue(id);
}

QVariant v(const Table &table)
{
    return QVariant::fromValue(table);
}

} // namespace

Connection::Connection(QObject *parent)
    : QObject(parent)
{}

Connection::~Connection() = default;

// Qt 6.4 does not pass cancel() on a continuation's future back to the future it continues, so
// a reply turned into another type is a promise of its own, and the request carries that
// promise's future: the client drops the request unsent if it is cancelled while it waits. The
// mapping runs inline where the reply finishes (the I/O thread): no watcher, no event, nothing
// left in the caller's thread, which may have no event loop to clear it (a ...Sync call on a
// worker). A request already sent finishes its future when its answer or timeout arrives.
template<typename T, typename Map>
QFuture<T> Connection::mapped(const QString &method, const QVariantList &params,
                              const RequestOptions &options, Map map)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    RpcRequest request{method, params, options};
    request.callerFuture = QFuture<void>(future);
    request.hasCallerFuture = true;
    execute(request)
        .then(QtFuture::Launch::Sync,
              [promise, map = std::move(map)](QFuture<QVariant> done) {
                  try {
                      const QVariant value = done.result(); // rethrows the request's failure
                      if constexpr (std::is_void_v<T>)
                          map(value);
                      else
                          promise->addResult(map(value));
                  } catch (...) {
                      promise->setException(std::current_exception());
                  }
                  promise->finish();
              })
        .onCanceled([promise] {
            // The request's own future was cancelled (a transport dropping it): the caller's follows.
            promise->future().cancel();
            promise->finish();
        });
    return future;
}

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

QFuture<QueryResult> Connection::query(const QString &surrealql, const QVariantMap &vars,
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

QueryResult Connection::querySync(const QString &surrealql, const QVariantMap &vars,
                                  const RequestOptions &options)
{
    return blockOn("querySync", [&] { return query(surrealql, vars, options); });
}

// --- typed -----------------------------------------------------------------------------

#define SURREALQT_CHECK_RECORD(id, method, T)                                                                \
    if (const Error e_ = checkRecord(id, method); e_.isValid())                                              \
        return failed<T>(e_);
#define SURREALQT_CHECK_TABLE(table, method, T)                                                              \
    if (const Error e_ = checkTableName((table).name(), method); e_.isValid())                               \
        return failed<T>(e_);

QFuture<QVariantMap> Connection::select(const RecordId &id, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"select"_s, QVariantMap)
    return mapped<QVariantMap>(u"select"_s, {v(id)}, options, toRecord);
}

QFuture<QVariantList> Connection::select(const Table &table, const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"select"_s, QVariantList)
    return mapped<QVariantList>(u"select"_s, {v(table)}, options, toRecords);
}

QFuture<QVariantMap> Connection::create(const RecordId &id, const QVariantMap &data,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"create"_s, QVariantMap)
    return mapped<QVariantMap>(u"create"_s, withData({v(id)}, data), options, toRecord);
}

QFuture<QVariantMap> Connection::create(const Table &table, const QVariantMap &data,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"create"_s, QVariantMap)
    return mapped<QVariantMap>(u"create"_s, withData({v(table)}, data), options, toRecord);
}

QFuture<QVariantMap> Connection::insert(const Table &table, const QVariantMap &record,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert"_s, QVariantMap)
    return mapped<QVariantMap>(u"insert"_s, {v(table), record}, options, toRecord);
}

QFuture<QVariantList> Connection::insert(const Table &table, const QVariantList &records,
                                         const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"insert"_s, QVariantList)
    return mapped<QVariantList>(u"insert"_s, {v(table), records}, options, toRecords);
}

QFuture<QVariantMap> Connection::update(const RecordId &id, const QVariantMap &data,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"update"_s, QVariantMap)
    return mapped<QVariantMap>(u"update"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> Connection::update(const Table &table, const QVariantMap &data,
                                         const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"update"_s, QVariantList)
    return mapped<QVariantList>(u"update"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> Connection::upsert(const RecordId &id, const QVariantMap &data,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"upsert"_s, QVariantMap)
    return mapped<QVariantMap>(u"upsert"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> Connection::upsert(const Table &table, const QVariantMap &data,
                                         const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"upsert"_s, QVariantList)
    return mapped<QVariantList>(u"upsert"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> Connection::merge(const RecordId &id, const QVariantMap &data,
                                       const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"merge"_s, QVariantMap)
    return mapped<QVariantMap>(u"merge"_s, {v(id), data}, options, toRecord);
}

QFuture<QVariantList> Connection::merge(const Table &table, const QVariantMap &data,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"merge"_s, QVariantList)
    return mapped<QVariantList>(u"merge"_s, {v(table), data}, options, toRecords);
}

QFuture<QVariantMap> Connection::patch(const RecordId &id, const QVariantList &operations,
                                       const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"patch"_s, QVariantMap)
    return mapped<QVariantMap>(u"patch"_s, {v(id), operations}, options, toRecord);
}

QFuture<QVariantList> Connection::patch(const Table &table, const QVariantList &operations,
                                        const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"patch"_s, QVariantList)
    return mapped<QVariantList>(u"patch"_s, {v(table), operations}, options, toRecords);
}

QFuture<QVariantMap> Connection::remove(const RecordId &id, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(id, u"delete"_s, QVariantMap)
    return mapped<QVariantMap>(u"delete"_s, {v(id)}, options, toRecord);
}

QFuture<QVariantList> Connection::remove(const Table &table, const RequestOptions &options)
{
    SURREALQT_CHECK_TABLE(table, u"delete"_s, QVariantList)
    return mapped<QVariantList>(u"delete"_s, {v(table)}, options, toRecords);
}

QFuture<QVariantMap> Connection::relate(const RecordId &from, const Table &edge, const RecordId &to,
                                        const QVariantMap &data, const RequestOptions &options)
{
    SURREALQT_CHECK_RECORD(from, u"relate"_s, QVariantMap)
    SURREALQT_CHECK_RECORD(to, u"relate"_s, QVariantMap)
    SURREALQT_CHECK_TABLE(edge, u"relate"_s, QVariantMap)
    return mapped<QVariantMap>(u"relate"_s, withData({v(from), v(edge), v(to)}, data), options, toRecord);
}

#undef SURREALQT_CHECK_RECORD
#undef SURREALQT_CHECK_TABLE

QVariantMap Connection::selectSync(const RecordId &id, const RequestOptions &options)
{
    return blockOn("selectSync", [&] { return select(id, options); });
}

QVariantList Connection::selectSync(const Table &table, const RequestOptions &options)
{
    return blockOn("selectSync", [&] { return select(table, options); });
}

QVariantMap Connection::createSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("createSync", [&] { return create(id, data, options); });
}

QVariantMap Connection::createSync(const Table &table, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("createSync", [&] { return create(table, data, options); });
}

QVariantMap Connection::insertSync(const Table &table, const QVariantMap &record,
                                   const RequestOptions &options)
{
    return blockOn("insertSync", [&] { return insert(table, record, options); });
}

QVariantList Connection::insertSync(const Table &table, const QVariantList &records,
                                    const RequestOptions &options)
{
    return blockOn("insertSync", [&] { return insert(table, records, options); });
}

QVariantMap Connection::updateSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("updateSync", [&] { return update(id, data, options); });
}

QVariantList Connection::updateSync(const Table &table, const QVariantMap &data,
                                    const RequestOptions &options)
{
    return blockOn("updateSync", [&] { return update(table, data, options); });
}

QVariantMap Connection::upsertSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("upsertSync", [&] { return upsert(id, data, options); });
}

QVariantList Connection::upsertSync(const Table &table, const QVariantMap &data,
                                    const RequestOptions &options)
{
    return blockOn("upsertSync", [&] { return upsert(table, data, options); });
}

QVariantMap Connection::mergeSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("mergeSync", [&] { return merge(id, data, options); });
}

QVariantList Connection::mergeSync(const Table &table, const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("mergeSync", [&] { return merge(table, data, options); });
}

QVariantMap Connection::patchSync(const RecordId &id, const QVariantList &operations,
                                  const RequestOptions &options)
{
    return blockOn("patchSync", [&] { return patch(id, operations, options); });
}

QVariantList Connection::patchSync(const Table &table, const QVariantList &operations,
                                   const RequestOptions &options)
{
    return blockOn("patchSync", [&] { return patch(table, operations, options); });
}

QVariantMap Connection::removeSync(const RecordId &id, const RequestOptions &options)
{
    return blockOn("removeSync", [&] { return remove(id, options); });
}

QVariantList Connection::removeSync(const Table &table, const RequestOptions &options)
{
    return blockOn("removeSync", [&] { return remove(table, options); });
}

QVariantMap Connection::relateSync(const RecordId &from, const Table &edge, const RecordId &to,
                                   const QVariantMap &data, const RequestOptions &options)
{
    return blockOn("relateSync", [&] { return relate(from, edge, to, data, options); });
}

// --- untyped -----------------------------------------------------------------------------

#define SURREALQT_CHECK_TARGET(what, method)                                                                 \
    if (const Error e_ = checkTarget(what, method); e_.isValid())                                            \
        return failed<QVariant>(e_);

// The target of a call on a record or a table (not insert, where only a table makes sense);
// target is a QVariant the call sends afterwards.
#define SURREALQT_RESOLVE_TARGET(target, method)                                                             \
    if (const Error e_ = resolveTarget(&target, method); e_.isValid())                                       \
        return failed<QVariant>(e_);                                                                         \
    SURREALQT_CHECK_TARGET(target, method)

QFuture<QVariant> Connection::select(const QVariant &what, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"select"_s)
    return call(u"select"_s, {target}, options);
}

QFuture<QVariant> Connection::create(const QVariant &what, const QVariant &data,
                                     const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"create"_s)
    return call(u"create"_s, withOptional({target}, data), options);
}

QFuture<QVariant> Connection::insert(const QVariant &table, const QVariant &data,
                                     const RequestOptions &options)
{
    SURREALQT_CHECK_TARGET(table, u"insert"_s)
    return call(u"insert"_s, {table, data}, options);
}

QFuture<QVariant> Connection::insertRelation(const QVariant &table, const QVariant &data,
                                             const RequestOptions &options)
{
    SURREALQT_CHECK_TARGET(table, u"insert_relation"_s)
    return call(u"insert_relation"_s, {table, data}, options);
}

QFuture<QVariant> Connection::update(const QVariant &what, const QVariant &data,
                                     const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"update"_s)
    return call(u"update"_s, withOptional({target}, data), options);
}

QFuture<QVariant> Connection::upsert(const QVariant &what, const QVariant &data,
                                     const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"upsert"_s)
    return call(u"upsert"_s, withOptional({target}, data), options);
}

QFuture<QVariant> Connection::merge(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"merge"_s)
    return call(u"merge"_s, {target, data}, options);
}

QFuture<QVariant> Connection::patch(const QVariant &what, const QVariantList &operations, PatchResult result,
                                    const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"patch"_s)
    QVariantList params{target, operations};
    if (result == PatchResult::Diff)
        params.append(true);
    return call(u"patch"_s, params, options);
}

QFuture<QVariant> Connection::remove(const QVariant &what, const RequestOptions &options)
{
    QVariant target = what;
    SURREALQT_RESOLVE_TARGET(target, u"delete"_s)
    return call(u"delete"_s, {target}, options);
}

QFuture<QVariant> Connection::relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                                     const QVariant &data, const RequestOptions &options)
{
    QVariant in = from;
    QVariant out = to;
    SURREALQT_RESOLVE_TARGET(in, u"relate"_s)
    SURREALQT_RESOLVE_TARGET(out, u"relate"_s)
    SURREALQT_CHECK_TARGET(edge, u"relate"_s)
    return call(u"relate"_s, withOptional({in, edge, out}, data), options);
}

#undef SURREALQT_CHECK_TARGET

QFuture<QVariant> Connection::run(const QString &function, const QVariantList &args, const QString &version,
                                  const RequestOptions &options)
{
    const QVariant versionValue = version.isEmpty() ? QVariant::fromValue(None()) : QVariant(version);
    return call(u"run"_s, {function, versionValue, args}, options);
}

QVariant Connection::selectSync(const QVariant &what, const RequestOptions &options)
{
    return blockOn("selectSync", [&] { return select(what, options); });
}

QVariant Connection::createSync(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return blockOn("createSync", [&] { return create(what, data, options); });
}

QVariant Connection::insertSync(const QVariant &table, const QVariant &data, const RequestOptions &options)
{
    return blockOn("insertSync", [&] { return insert(table, data, options); });
}

QVariant Connection::insertRelationSync(const QVariant &table, const QVariant &data,
                                        const RequestOptions &options)
{
    return blockOn("insertRelationSync", [&] { return insertRelation(table, data, options); });
}

QVariant Connection::updateSync(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return blockOn("updateSync", [&] { return update(what, data, options); });
}

QVariant Connection::upsertSync(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return blockOn("upsertSync", [&] { return upsert(what, data, options); });
}

QVariant Connection::mergeSync(const QVariant &what, const QVariant &data, const RequestOptions &options)
{
    return blockOn("mergeSync", [&] { return merge(what, data, options); });
}

QVariant Connection::patchSync(const QVariant &what, const QVariantList &operations, PatchResult result,
                               const RequestOptions &options)
{
    return blockOn("patchSync", [&] { return patch(what, operations, result, options); });
}

QVariant Connection::removeSync(const QVariant &what, const RequestOptions &options)
{
    return blockOn("removeSync", [&] { return remove(what, options); });
}

QVariant Connection::relateSync(const QVariant &from, const QVariant &edge, const QVariant &to,
                                const QVariant &data, const RequestOptions &options)
{
    return blockOn("relateSync", [&] { return relate(from, edge, to, data, options); });
}

QVariant Connection::runSync(const QString &function, const QVariantList &args, const QString &version,
                             const RequestOptions &options)
{
    return blockOn("runSync", [&] { return run(function, args, version, options); });
}

// --- session -----------------------------------------------------------------------------

QFuture<void> Connection::use(const QString &ns, const QString &db, const RequestOptions &options)
{
    if (!options.session.isNull())
        return mapped<void>(u"use"_s, {ns, db}, options, toVoid);
    // Announced on this object's thread, so the manager's NOTIFY signals come from one place.
    // The reply arrives on the I/O thread while the owner may delete this object: posted
    // through a box closed on destruction, not through a QPointer checked over there.
    QPointer<Connection> self(this);
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    return mapped<void>(u"use"_s, {ns, db}, options, [self, box, ns, db](const QVariant &) {
        box->post([self, ns, db] {
            if (self)
                Q_EMIT self->databaseSelected(ns, db);
        });
    });
}

QFuture<void> Connection::let(const QString &name, const QVariant &value, const RequestOptions &options)
{
    return mapped<void>(u"let"_s, {name, value}, options, toVoid);
}

QFuture<void> Connection::unset(const QString &name, const RequestOptions &options)
{
    return mapped<void>(u"unset"_s, {name}, options, toVoid);
}

QFuture<QString> Connection::signin(const Credentials &credentials, const RequestOptions &options)
{
    if (credentials.level() == Credentials::Level::Token)
        return mapped<QString>(u"authenticate"_s, {credentials.tokenValue()}, options,
                               [token = credentials.tokenValue()](const QVariant &) { return token; });
    return mapped<QString>(u"signin"_s, {credentials.toSigninParams()}, options, toText);
}

QFuture<QString> Connection::signup(const Credentials &credentials, const RequestOptions &options)
{
    return mapped<QString>(u"signup"_s, {credentials.toSigninParams()}, options, toText);
}

QFuture<void> Connection::authenticate(const QString &token, const RequestOptions &options)
{
    return mapped<void>(u"authenticate"_s, {token}, options, toVoid);
}

QFuture<void> Connection::invalidate(const RequestOptions &options)
{
    return mapped<void>(u"invalidate"_s, {}, options, toVoid);
}

QFuture<QVariant> Connection::info(const RequestOptions &options)
{
    return call(u"info"_s, {}, options);
}

QFuture<QString> Connection::version(const RequestOptions &options)
{
    return mapped<QString>(u"version"_s, {}, options, toText);
}

QFuture<void> Connection::ping(const RequestOptions &options)
{
    return mapped<void>(u"ping"_s, {}, options, toVoid);
}

QFuture<QList<QUuid>> Connection::sessions(const RequestOptions &options)
{
    return mapped<QList<QUuid>>(u"sessions"_s, {}, options, [](const QVariant &value) {
        QList<QUuid> ids;
        const QVariantList list = value.toList();
        for (const QVariant &v : list)
            ids.append(v.toUuid());
        return ids;
    });
}

void Connection::useSync(const QString &ns, const QString &db, const RequestOptions &options)
{
    blockOn("useSync", [&] { return use(ns, db, options); });
}

void Connection::letSync(const QString &name, const QVariant &value, const RequestOptions &options)
{
    blockOn("letSync", [&] { return let(name, value, options); });
}

void Connection::unsetSync(const QString &name, const RequestOptions &options)
{
    blockOn("unsetSync", [&] { return unset(name, options); });
}

QString Connection::signinSync(const Credentials &credentials, const RequestOptions &options)
{
    return blockOn("signinSync", [&] { return signin(credentials, options); });
}

QString Connection::signupSync(const Credentials &credentials, const RequestOptions &options)
{
    return blockOn("signupSync", [&] { return signup(credentials, options); });
}

void Connection::authenticateSync(const QString &token, const RequestOptions &options)
{
    blockOn("authenticateSync", [&] { return authenticate(token, options); });
}

void Connection::invalidateSync(const RequestOptions &options)
{
    blockOn("invalidateSync", [&] { return invalidate(options); });
}

QVariant Connection::infoSync(const RequestOptions &options)
{
    return blockOn("infoSync", [&] { return info(options); });
}

QString Connection::versionSync(const RequestOptions &options)
{
    return blockOn("versionSync", [&] { return version(options); });
}

void Connection::pingSync(const RequestOptions &options)
{
    blockOn("pingSync", [&] { return ping(options); });
}

QList<QUuid> Connection::sessionsSync(const RequestOptions &options)
{
    return blockOn("sessionsSync", [&] { return sessions(options); });
}

QFuture<QString> Connection::exportDatabase(const RequestOptions &options)
{
    return mapped<QString>(u"__export"_s, {}, options, toText);
}

QFuture<void> Connection::importDatabase(const QString &surrealql, const RequestOptions &options)
{
    return mapped<void>(u"__import"_s, {surrealql}, options, toVoid);
}

QString Connection::exportDatabaseSync(const RequestOptions &options)
{
    return blockOn("exportDatabaseSync", [&] { return exportDatabase(options); });
}

void Connection::importDatabaseSync(const QString &surrealql, const RequestOptions &options)
{
    blockOn("importDatabaseSync", [&] { return importDatabase(surrealql, options); });
}

// --- live, transactions, channels --------------------------------------------------------

LiveQuery *Connection::live(const Table &table, QObject *parent)
{
    return live(table, LiveOptions(), parent);
}

LiveQuery *Connection::live(const Table &table, const LiveOptions &options, QObject *parent)
{
    QVariantList params{v(table)};
    if (options.mode == LiveOptions::Mode::Diff)
        params.append(true);
    if (const Error e = checkTableName(table.name(), u"live"_s); e.isValid())
        return newLiveQuery(pinClient(), u"live"_s, params, false, parent, failed<void>(e));
    return startLive(u"live"_s, params, false, parent);
}

LiveQuery *Connection::liveQuery(const QString &surrealql, const QVariantMap &vars, QObject *parent)
{
    QVariantList params{surrealql};
    if (!vars.isEmpty())
        params.append(vars);
    return startLive(u"query"_s, params, true, parent);
}

LiveQuery *Connection::startLive(const QString &method, const QVariantList &params, bool viaQuery,
                                 QObject *parent)
{
    return newLiveQuery(pinClient(), method, params, viaQuery, parent, {});
}

LiveQuery *Connection::newLiveQuery(RpcClient *client, const QString &method, const QVariantList &params,
                                    bool viaQuery, QObject *parent, const QFuture<void> &registerAfter)
{
    return new LiveQuery(client, method, params, viaQuery, parent, registerAfter);
}

Transaction *Connection::transaction(QObject *parent)
{
    return new Transaction(pinClient(), parent);
}

Channel *Connection::channel(QObject *parent)
{
    // A pool's channel takes one socket of it; session changes there would split the pool.
    return new Channel(pinClient(), qobject_cast<ConnectionPool *>(this) != nullptr, parent);
}

} // namespace SurrealQt
