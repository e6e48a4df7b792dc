#include <SurrealQt/singleconnection.h>

#include "connectionlifeline_p.h"
#include "core/failedfuture_p.h"
#include "core/postbox_p.h"
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

SingleConnection::SingleConnection(Connection *connection, QObject *parent)
    : SingleConnection(clientOf(connection), parent)
{}

SingleConnection::~SingleConnection()
{
    // First: a bulk job or cursor calling in from the I/O thread finishes or sees it gone.
    Internal::ConnectionLifeline::close(this);
}

RpcClient *SingleConnection::clientOf(Connection *connection)
{
    if (!connection)
        return nullptr;
    // A class derived from Connection may name the protected pinClient() through itself, and
    // the pointer to member then calls any Connection's override.
    struct PinAccess : Connection
    {
        static RpcClient *(Connection::*pin())() { return &PinAccess::pinClient; }
    };
    return (connection->*PinAccess::pin())();
}

QList<RpcClient *> SingleConnection::clientsOf(const QList<Connection *> &connections)
{
    QList<RpcClient *> clients;
    for (Connection *c : connections)
        if (RpcClient *client = clientOf(c))
            clients.append(client);
    return clients;
}

void SingleConnection::setMaxRetries(int retries)
{
    retries = std::max(0, retries);
    if (std::exchange(m_maxRetries, retries) != retries)
        Q_EMIT maxRetriesChanged(retries);
}

bool SingleConnection::isWebSocket() const
{
    return m_client && m_client->isWebSocket();
}

QFuture<QVariant> SingleConnection::execute(const RpcRequest &request)
{
    if (!m_client) {
        return failedFuture<QVariant>(
            Error(Error::Kind::Cancelled, u"The connection is closed"_s, request.method));
    }
    return m_client->submit(request);
}

RpcClient *SingleConnection::pinClient()
{
    return m_client.data();
}

QFuture<QVariant> SingleConnection::executeWithRetry(std::function<QFuture<QVariant>(Connection *)> fn)
{
    // Whatever path drops the last reference without an answer (this object destroyed between
    // attempts, an attempt cancelled), the caller still gets an error rather than a silent cancel.
    auto promise = std::shared_ptr<QPromise<QVariant>>(new QPromise<QVariant>, [](QPromise<QVariant> *p) {
        if (!p->future().isFinished()) {
            p->setException(Exception(Error(Error::Kind::Cancelled,
                                            u"The operation was cancelled, or its connection destroyed"_s,
                                            u"executeWithRetry"_s)));
            p->finish();
        }
        delete p;
    });
    promise->start();
    QFuture<QVariant> future = promise->future();
    retry(std::move(fn), 0, promise);
    return future;
}

void SingleConnection::retry(std::function<QFuture<QVariant>(Connection *)> fn, int attempt,
                             std::shared_ptr<QPromise<QVariant>> promise)
{
    // Each attempt's outcome is handled in this object's thread while it lives (the PostBox
    // idiom, docs/threading.md): the backoff timer and the next attempt start from there.
    Internal::deliverTo(
        this, "executeWithRetry", fn(this),
        [promise](const QVariant &value) {
            promise->addResult(value);
            promise->finish();
        },
        [this, fn, attempt, promise](const Error &error) {
            if (!error.isRetryable() || attempt >= m_maxRetries) {
                promise->setException(Exception(error));
                promise->finish();
                return;
            }
            const int ceiling = std::min(5000, 100 << std::min(attempt, 10));
            const int delay = ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1));
            QTimer::singleShot(delay, this,
                               [this, fn, attempt, promise] { retry(fn, attempt + 1, promise); });
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
    // Never waits for the I/O thread (the caller may be the GUI thread); a request made after
    // this is posted behind it, so it finds the connection closed.
    if (QThread::currentThread() == client->thread())
        closeClient();
    else
        QMetaObject::invokeMethod(client, closeClient, Qt::QueuedConnection);
}

} // namespace SurrealQt
