#include <SurrealQt/transaction.h>

#include "channel_p.h"
#include "rpcclient_p.h"

#include "core/failedfuture_p.h"

#include <SurrealQt/exception.h>

#include <QtCore/QMutex>
#include <QtCore/QPromise>

using namespace Qt::StringLiterals;

namespace SurrealQt {

// Shared with the reply callbacks on the I/O thread, so it outlives the Transaction object.
// Every call, and commit/cancel, is a step of one SerialQueue behind 'begin': the server runs
// a socket's requests concurrently, so only sending each after the previous answer keeps
// call order (and commit after the last call).
class TransactionState
{
public:
    QMutex mutex;
    std::shared_ptr<SerialQueue> queue;
    QUuid txn;
    Error beginError;
    // Set when a call of the transaction lost its socket: the server rolled the transaction back
    // with it, so later calls fail with this instead of the server's "Transaction not found".
    Error lostError;
    bool begun = false;
    bool finishing = false;
    QList<std::shared_ptr<QPromise<QUuid>>> idWaiters;

    // Right before a call is sent: the id is known by then, or 'begin' failed.
    Error stamp(RpcRequest &request)
    {
        QMutexLocker lock(&mutex);
        if (beginError.isValid())
            return beginError;
        if (lostError.isValid()) {
            Error e = lostError;
            e.setContext(request.method);
            return e;
        }
        request.options.transaction = txn;
        return {};
    }

    // A call in flight when its socket dropped fails with Connection; so does the rest.
    void noteFailure(const Error &error)
    {
        if (error.kind() != Error::Kind::Connection)
            return;
        QMutexLocker lock(&mutex);
        if (!lostError.isValid())
            lostError = Error(Error::Kind::Connection,
                              u"The transaction ended when its connection was lost (%1); the server rolled "
                              "back everything it had not committed"_s.arg(error.message()));
    }
};

Transaction::Transaction(RpcClient *client, QObject *parent)
    : QueryInterface(parent)
    , d(std::make_shared<TransactionState>())
{
    d->queue = std::make_shared<SerialQueue>(client);
    if (!client || !client->isWebSocket()) {
        d->beginError =
            Error(Error::Kind::Validation,
                  u"Interactive transactions need a WebSocket connection; this one uses HTTP"_s, u"begin"_s);
        return;
    }
    auto state = d;
    QPointer<RpcClient> c(client);
    d->queue->enqueue(
        [state, c](std::function<void()> done) {
            auto settle = [state, done](const QVariant &id, const Error &error) {
                QMutexLocker lock(&state->mutex);
                if (!error.isValid() && id.metaType() != QMetaType::fromType<QUuid>())
                    state->beginError = Error(Error::Kind::Protocol,
                                              u"'begin' answered with a %1, not a transaction id"_s.arg(
                                                  QString::fromLatin1(id.typeName())),
                                              u"begin"_s);
                else
                    state->beginError = error;
                if (!state->beginError.isValid()) {
                    state->txn = id.toUuid();
                    state->begun = true;
                }
                const auto waiters = std::exchange(state->idWaiters, {});
                const Error failure = state->beginError;
                const QUuid txn = state->txn;
                lock.unlock();
                for (const auto &promise : waiters) {
                    if (failure.isValid())
                        promise->setException(Exception(failure));
                    else
                        promise->addResult(txn);
                    promise->finish();
                }
                done();
            };
            RpcClient *client = c.data();
            if (!client) {
                settle({}, Error(Error::Kind::Cancelled, u"The connection is gone"_s, u"begin"_s));
                return;
            }
            client->submit(RpcRequest{u"begin"_s, {}, {}}, std::make_shared<RpcReply>(settle));
        },
        [state](const Error &error) {
            QMutexLocker lock(&state->mutex);
            state->beginError = error;
        });
}

Transaction::~Transaction()
{
    // An abandoned transaction would hold its locks until the socket closes.
    if (!isFinished())
        cancel();
}

QFuture<QUuid> Transaction::id() const
{
    QMutexLocker lock(&d->mutex);
    if (d->beginError.isValid())
        return failedFuture<QUuid>(d->beginError);
    if (d->begun)
        return QtFuture::makeReadyFuture(d->txn);
    auto promise = std::make_shared<QPromise<QUuid>>();
    promise->start();
    d->idWaiters.append(promise);
    return promise->future();
}

bool Transaction::isFinished() const
{
    QMutexLocker lock(&d->mutex);
    return d->finishing;
}

QFuture<QVariant> Transaction::execute(const RpcRequest &request)
{
    static const QSet<QString> ignoresTxn = {u"update"_s, u"patch"_s, u"relate"_s, u"run"_s};
    if (ignoresTxn.contains(request.method))
        return failedFuture<QVariant>(Error(
            Error::Kind::Validation,
            u"SurrealDB 3.0 runs '%1' outside interactive transactions; use query() with the statement instead"_s
                .arg(request.method),
            request.method));
    QFuture<QVariant> future;
    const RpcReplyPtr reply = RpcReply::forPromise(&future);
    QMutexLocker lock(&d->mutex);
    if (d->finishing) {
        lock.unlock();
        reply->fail(Error(Error::Kind::Validation, u"The transaction has already ended"_s, request.method));
        return future;
    }
    if (d->beginError.isValid()) {
        const Error failure = d->beginError;
        lock.unlock();
        reply->fail(failure);
        return future;
    }
    lock.unlock();
    auto state = d;
    d->queue->enqueueRequest(
        request, reply, [state](RpcRequest &r) { return state->stamp(r); },
        [state](const Error &e) { state->noteFailure(e); });
    return future;
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
    QFuture<QVariant> future;
    const RpcReplyPtr reply = RpcReply::forPromise(&future);
    QMutexLocker lock(&d->mutex);
    if (d->finishing) {
        lock.unlock();
        reply->fail(Error(Error::Kind::Validation, u"The transaction has already ended"_s, method));
    } else if (d->beginError.isValid()) {
        d->finishing = true;
        const Error failure = d->beginError;
        lock.unlock();
        reply->fail(failure);
    } else {
        d->finishing = true;
        lock.unlock();
        auto state = d;
        // Queued behind every call made so far, so it goes once the last one was answered.
        d->queue->enqueueRequest(RpcRequest{method, {}, {}}, reply, [state](RpcRequest &r) {
            const Error error = state->stamp(r);
            r.options.transaction = QUuid();
            r.params = {state->txn};
            return error;
        });
    }
    return future.then(QtFuture::Launch::Sync, [](const QVariant &) {});
}

} // namespace SurrealQt
