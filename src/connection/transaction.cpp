#include <SurrealQt/transaction.h>

#include "rpcclient_p.h"

#include <SurrealQt/exception.h>

#include <QtCore/QMutex>
#include <QtCore/QPromise>

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

// Shared with the reply callbacks on the I/O thread, so it outlives the Transaction object.
// A QFuture holds one continuation only, so calls made before 'begin' answers wait here,
// not as continuations of one future.
class TransactionState
{
public:
    QMutex mutex;
    QPointer<RpcClient> client;
    QUuid txn;
    Error beginError;
    bool begun = false;
    QList<std::pair<RpcRequest, RpcReplyPtr>> waiting;
    QList<std::shared_ptr<QPromise<QUuid>>> idWaiters;
    int outstanding = 0;
    bool finishing = false;
    bool finishSent = false;
    QString finishMethod;
    RpcReplyPtr finishReply;

    // Called without the lock held.
    void send(const std::shared_ptr<TransactionState> &self, RpcRequest request, const RpcReplyPtr &reply)
    {
        RpcClient *c = client.data();
        if (!c) {
            reply->fail(Error(Error::Kind::Cancelled, u"The connection is gone"_s, request.method));
            finished();
            return;
        }
        request.options.transaction = txn;
        c->submit(request,
                  std::make_shared<RpcReply>([self, reply](const QVariant &value, const Error &error) {
                      if (error.isValid())
                          reply->fail(error);
                      else
                          reply->succeed(value);
                      self->finished();
                  }));
    }

    // One call answered; the last one lets a pending commit/cancel go.
    void finished()
    {
        QMutexLocker lock(&mutex);
        --outstanding;
        sendFinishIfDue(lock);
    }

    void sendFinishIfDue(QMutexLocker<QMutex> &lock)
    {
        if (!finishing || finishSent || !begun || outstanding > 0)
            return;
        finishSent = true;
        const RpcRequest request{finishMethod, {txn}, {}};
        const RpcReplyPtr reply = finishReply;
        lock.unlock();
        RpcClient *c = client.data();
        if (!c) {
            reply->fail(Error(Error::Kind::Cancelled, u"The connection is gone"_s, request.method));
            return;
        }
        c->submit(request, reply);
    }
};

Transaction::Transaction(RpcClient *client, QObject *parent)
    : Connection(parent)
    , d(std::make_shared<TransactionState>())
{
    d->client = client;
    if (!client || !client->isWebSocket()) {
        d->beginError =
            Error(Error::Kind::Validation,
                  u"Interactive transactions need a WebSocket connection; this one uses HTTP"_s, u"begin"_s);
        return;
    }
    auto state = d;
    client->submit(RpcRequest{u"begin"_s, {}, {}},
                   std::make_shared<RpcReply>([state](const QVariant &id, const Error &error) {
                       QMutexLocker lock(&state->mutex);
                       if (!error.isValid() && id.metaType() != QMetaType::fromType<QUuid>())
                           state->beginError =
                               Error(Error::Kind::Protocol,
                                     u"'begin' answered with a %1, not a transaction id"_s.arg(
                                         QString::fromLatin1(id.typeName())),
                                     u"begin"_s);
                       else
                           state->beginError = error;
                       const auto waiting = std::exchange(state->waiting, {});
                       const auto idWaiters = std::exchange(state->idWaiters, {});
                       if (state->beginError.isValid()) {
                           const Error failure = state->beginError;
                           const RpcReplyPtr finishReply = state->finishing ? state->finishReply : nullptr;
                           lock.unlock();
                           for (const auto &[request, reply] : waiting)
                               reply->fail(failure);
                           for (const auto &promise : idWaiters) {
                               promise->setException(Exception(failure));
                               promise->finish();
                           }
                           if (finishReply)
                               finishReply->fail(failure);
                           return;
                       }
                       state->txn = id.toUuid();
                       state->begun = true;
                       lock.unlock();
                       for (const auto &promise : idWaiters) {
                           promise->addResult(state->txn);
                           promise->finish();
                       }
                       for (const auto &[request, reply] : waiting)
                           state->send(state, request, reply);
                       QMutexLocker again(&state->mutex);
                       state->sendFinishIfDue(again);
                   }));
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
        return failed<QUuid>(d->beginError);
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
        return failed<QVariant>(Error(
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
    ++d->outstanding;
    if (!d->begun) {
        d->waiting.append({request, reply});
        return future;
    }
    lock.unlock();
    d->send(d, request, reply);
    return future;
}

RpcClient *Transaction::pinClient()
{
    return d->client.data();
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
        d->finishMethod = method;
        d->finishReply = reply;
        d->sendFinishIfDue(lock);
    }
    return future.then(QtFuture::Launch::Sync, [](const QVariant &) {});
}

} // namespace SurrealQt
