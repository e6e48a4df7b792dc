#pragma once

// Not public API. What the request calls of QueryInterface, RequestInterface and Connection
// share: reply shapes, target checks, and QueryInterface::mapped().

#include "rpcclient_p.h"

#include "core/failedfuture_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/connectionpool.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/queryinterface.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QPromise>

#include <type_traits>

namespace SurrealQt {
namespace Calls {

using namespace Qt::StringLiterals;

// signin answers with a token, or with {access, refresh} for WITH REFRESH access methods.
inline QString toText(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantMap)
        return value.toMap().value(u"access"_s).toString();
    return value.toString();
}

inline void toVoid(const QVariant &) {}

// The server answers a call on one record with the record, NONE, or (refused by permissions,
// or on some methods) a list of zero or one record: callers get the map or an empty one.
inline QVariantMap toRecord(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantMap)
        return value.toMap();
    if (value.metaType().id() == QMetaType::QVariantList) {
        const QVariantList list = value.toList();
        return list.isEmpty() ? QVariantMap() : list.first().toMap();
    }
    return {};
}

inline QVariantList toRecords(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QVariantList)
        return value.toList();
    if (value.metaType().id() == QMetaType::QVariantMap)
        return {value};
    return {};
}

// Absent data is NONE on the wire, so the server treats it as "no content".
inline QVariantList withOptional(QVariantList params, const QVariant &data)
{
    if (data.isValid())
        params.append(data);
    return params;
}

// For create() and relate() no data and an empty map store the same record, so an empty map is
// left out; update() and upsert() always send theirs: there empty means "no fields".
inline QVariantList withData(QVariantList params, const QVariantMap &data)
{
    if (!data.isEmpty())
        params.append(data);
    return params;
}

// A string where a table is expected names a table; one with a ':' would create or read a
// table literally called "person:1" (the engine accepts that silently), so it is refused.
inline Error checkTableName(const QString &name, const QString &method)
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
inline Error resolveTarget(QVariant *what, const QString &method)
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

inline Error checkTarget(const QVariant &what, const QString &method)
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

inline Error checkRecord(const RecordId &id, const QString &method)
{
    if (!id.isValid())
        return Error(Error::Kind::Validation, u"Invalid record id (empty table or unsupported key)"_s,
                     method);
    return {};
}

inline QVariant v(const RecordId &id)
{
    return QVariant::fromValue(id);
}

inline QVariant v(const Table &table)
{
    return QVariant::fromValue(table);
}

// The socket a request of `request.method` goes to when q's execute() would only hand it to
// one client's submit(): a SingleConnection, or a ConnectionPool for anything but a session
// change or a signup (which go to every socket or gather answers). Null otherwise: Transaction
// and Channel queue requests, and a closed connection fails them in execute().
inline RpcClient *directClient(QueryInterface *q, const RpcRequest &request)
{
    const QMetaObject *type = q->metaObject();
    const bool single = type == &SingleConnection::staticMetaObject;
    if (!single && type != &ConnectionPool::staticMetaObject)
        return nullptr;
    if (!single && (RpcClient::isStateChanging(request.method) ||
                    (request.method == u"signup" && request.options.session.isNull())))
        return nullptr;
    // A class derived from Connection may name the protected pinClient() through itself, and
    // the pointer to member then calls any Connection's override (SingleConnection::clientOf()).
    struct PinAccess : Connection
    {
        static RpcClient *(Connection::*pin())() { return &PinAccess::pinClient; }
    };
    return (static_cast<Connection *>(q)->*PinAccess::pin())();
}

// Puts map(value) into the promise; a map that throws (a reply of the wrong shape) fails it.
template<typename T, typename Map>
void fulfil(QPromise<T> &promise, const Map &map, const QVariant &value)
{
    try {
        if constexpr (std::is_void_v<T>)
            map(value);
        else
            promise.addResult(map(value));
    } catch (...) {
        promise.setException(std::current_exception());
    }
}

} // namespace Calls

// Qt 6.4 does not pass cancel() on a continuation's future back to the future it continues, so
// a reply turned into another type is a promise of its own, and the request carries that
// promise's future: the client drops the request unsent if it is cancelled while it waits. The
// mapping runs inline where the reply finishes (the I/O thread): no watcher, no event, nothing
// left in the caller's thread, which may have no event loop to clear it (a ...Sync call on a
// worker). A request already sent finishes its future when its answer or timeout arrives.
template<typename T, typename Map>
QFuture<T> QueryInterface::mapped(const QString &method, const QVariantList &params,
                                  const RequestOptions &options, Map map)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    RpcRequest request{method, params, options};
    request.callerFuture = QFuture<void>(future);
    if (RpcClient *client = Calls::directClient(this, request)) {
        // The reply finishes the typed promise itself: no QFuture<QVariant> in between, nor the
        // continuations that map it (two futures and their continuations less per request).
        auto reply = std::make_shared<RpcReply>(
            [promise, map = std::move(map)](const QVariant &value, const Error &error) {
                if (error.isValid())
                    promise->setException(Exception(error));
                else
                    Calls::fulfil(*promise, map, value);
                promise->finish();
            });
        reply->setFuture(*request.callerFuture);
        client->submit(request, reply);
        return future;
    }
    execute(request)
        .then(QtFuture::Launch::Sync,
              [promise, map = std::move(map)](QFuture<QVariant> done) {
                  try {
                      Calls::fulfil(*promise, map, done.result()); // result() rethrows the request's failure
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

// Argument checks shared by the call implementations: each returns a failed future from the
// calling function.
#define SURREALQT_CHECK_RECORD(id, method, T)                                                                \
    if (const Error e_ = checkRecord(id, method); e_.isValid())                                              \
        return failedFuture<T>(e_);
#define SURREALQT_CHECK_TABLE(table, method, T)                                                              \
    if (const Error e_ = checkTableName((table).name(), method); e_.isValid())                               \
        return failedFuture<T>(e_);
#define SURREALQT_CHECK_TARGET(what, method)                                                                 \
    if (const Error e_ = checkTarget(what, method); e_.isValid())                                            \
        return failedFuture<QVariant>(e_);
// The target of a call on a record or a table (not insert, where only a table makes sense);
// target is a QVariant the call sends afterwards.
#define SURREALQT_RESOLVE_TARGET(target, method)                                                             \
    if (const Error e_ = resolveTarget(&target, method); e_.isValid())                                       \
        return failedFuture<QVariant>(e_);                                                                   \
    SURREALQT_CHECK_TARGET(target, method)

} // namespace SurrealQt
