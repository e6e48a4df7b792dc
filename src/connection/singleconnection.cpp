#include <SurrealQt/singleconnection.h>

#include "rpcclient_p.h"

#include <SurrealQt/exception.h>

#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace SurrealQt {

SingleConnection::SingleConnection(RpcClient *client, QObject *parent)
    : Connection(parent)
    , m_client(client)
{}

SingleConnection::~SingleConnection() = default;

bool SingleConnection::isWebSocket() const
{
    return m_client && m_client->isWebSocket();
}

QFuture<QVariant> SingleConnection::execute(const RpcRequest &request)
{
    if (!m_client) {
        QPromise<QVariant> promise;
        promise.start();
        promise.setException(
            Exception(Error(Error::Kind::Cancelled, u"The connection is closed"_s, request.method)));
        promise.finish();
        return promise.future();
    }
    return m_client->submit(request);
}

RpcClient *SingleConnection::pinClient()
{
    return m_client.data();
}

QFuture<QVariant> SingleConnection::executeWithRetry(std::function<QFuture<QVariant>(Connection *)> fn)
{
    auto promise = std::make_shared<QPromise<QVariant>>();
    promise->start();
    QFuture<QVariant> future = promise->future();
    retry(std::move(fn), 0, promise);
    return future;
}

void SingleConnection::retry(std::function<QFuture<QVariant>(Connection *)> fn, int attempt,
                             std::shared_ptr<QPromise<QVariant>> promise)
{
    QPointer<SingleConnection> self(this);
    fn(this)
        .then(this,
              [promise](const QVariant &value) {
                  promise->addResult(value);
                  promise->finish();
              })
        .onFailed(this,
                  [self, fn, attempt, promise](const Exception &e) {
                      if (!self || !e.error().isRetryable() || attempt >= self->m_maxRetries) {
                          promise->setException(e);
                          promise->finish();
                          return;
                      }
                      const int ceiling = std::min(5000, 100 << std::min(attempt, 10));
                      const int delay =
                          ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1));
                      QTimer::singleShot(delay, self, [self, fn, attempt, promise] {
                          self->retry(fn, attempt + 1, promise);
                      });
                  })
        .onFailed(this,
                  [promise](const std::exception &e) {
                      // Something other than a SurrealQt error escaped the operation; keep its text.
                      promise->setException(Exception(Error(
                          Error::Kind::Query, u"The operation threw: "_s + QString::fromLocal8Bit(e.what()),
                          u"executeWithRetry"_s)));
                      promise->finish();
                  })
        .onFailed(this,
                  [promise] {
                      promise->setException(Exception(Error(Error::Kind::Query,
                                                            u"The operation threw a non-standard exception"_s,
                                                            u"executeWithRetry"_s)));
                      promise->finish();
                  })
        .onCanceled(this, [promise] {
            promise->setException(Exception(Error(Error::Kind::Cancelled, u"The operation was cancelled"_s)));
            promise->finish();
        });
}

QFuture<void> SingleConnection::ensureConnected()
{
    // A ping travels behind the handshake, so its answer means connected and signed in.
    return ping();
}

void SingleConnection::close()
{
    RpcClient *client = m_client.data();
    if (!client)
        return;
    auto closeClient = [client] {
        client->close(Error(Error::Kind::Cancelled, u"The connection was closed"_s));
    };
    // Blocking on our own thread would deadlock (Qt refuses and skips the call).
    if (QThread::currentThread() == client->thread())
        closeClient();
    else
        QMetaObject::invokeMethod(client, closeClient, Qt::BlockingQueuedConnection);
}

} // namespace SurrealQt
