#include <SurrealQt/transaction.h>

#include "rpcclient_p.h"

#include <SurrealQt/exception.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {
template<typename T>
QFuture<T> failed(const Error &error)
{
    QPromise<T> promise;
    promise.start();
    promise.setException(Exception(error));
    promise.finish();
    return promise.future();
}
} // namespace

Transaction::Transaction(RpcClient *client, QObject *parent)
    : Connection(parent)
    , m_client(client)
{
    if (!client || !client->isWebSocket()) {
        m_begin = failed<QUuid>(
            Error(Error::Kind::Validation,
                  u"Interactive transactions need a WebSocket connection; this one uses HTTP"_s, u"begin"_s));
        return;
    }
    m_begin =
        client->submit(RpcRequest{u"begin"_s, {}, {}}).then(QtFuture::Launch::Sync, [](const QVariant &id) {
            if (id.metaType() != QMetaType::fromType<QUuid>())
                throw Exception(Error(Error::Kind::Protocol, u"begin did not return a transaction id"_s));
            return id.toUuid();
        });
}

Transaction::~Transaction()
{
    // An abandoned transaction would hold its locks until the socket closes.
    if (!m_finished)
        cancel();
}

QFuture<QVariant> Transaction::execute(const RpcRequest &request)
{
    static const QSet<QString> ignoresTxn = {u"update"_s, u"patch"_s, u"relate"_s, u"run"_s};
    if (ignoresTxn.contains(request.method))
        return failed<QVariant>(Error(
            Error::Kind::Validation,
            u"SurrealDB 3.0 runs '%1' outside interactive transactions; use query() with the statement instead"_s
                .arg(request.method),
            request.method));
    if (m_finished)
        return failed<QVariant>(
            Error(Error::Kind::Validation, u"The transaction has already ended"_s, request.method));
    QPointer<RpcClient> client = m_client;
    return m_begin
        .then(QtFuture::Launch::Sync,
              [client, request](const QUuid &txn) {
                  if (!client)
                      throw Exception(
                          Error(Error::Kind::Cancelled, u"The connection is gone"_s, request.method));
                  RpcRequest inTxn = request;
                  inTxn.options.transaction = txn;
                  return client->submit(inTxn);
              })
        .unwrap();
}

RpcClient *Transaction::pinClient()
{
    return m_client.data();
}

QFuture<void> Transaction::commit()
{
    return finish(u"commit"_s);
}

QFuture<void> Transaction::cancel()
{
    return finish(u"cancel"_s);
}

QFuture<void> Transaction::finish(const QString &method)
{
    if (m_finished)
        return failed<void>(Error(Error::Kind::Validation, u"The transaction has already ended"_s, method));
    m_finished = true;
    QPointer<RpcClient> client = m_client;
    return m_begin
        .then(QtFuture::Launch::Sync,
              [client, method](const QUuid &txn) {
                  if (!client)
                      throw Exception(Error(Error::Kind::Cancelled, u"The connection is gone"_s, method));
                  return client->submit(RpcRequest{method, {txn}, {}});
              })
        .unwrap()
        .then(QtFuture::Launch::Sync, [](const QVariant &) {});
}

} // namespace SurrealQt
