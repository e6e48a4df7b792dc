#include <SurrealQt/databasemanager.h>

#include "core/logging_p.h"
#include "httpclient_p.h"
#include "iothread_p.h"
#include "syncwait_p.h"
#include "websocketclient_p.h"

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QMutex>
#include <QtCore/QPromise>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class DatabaseManagerPrivate
{
public:
    DatabaseManager *q = nullptr;
    ClientConfig config;
    int poolSize = 10;
    bool usePool = true;
    bool webSocket = true;
    IoThread thread;
    QList<RpcClient *> clients;
    ConnectionPool *pool = nullptr;
    SingleConnection *single = nullptr;
    DatabaseManager::State state = DatabaseManager::State::Disconnected;
    Error lastError;
    Error invalidUrl;
    QMutex createMutex;
    bool closed = false;

    void createClients();
    void updateState();
    template<typename Fn>
    void onIoThread(Fn fn)
    {
        if (QThread::currentThread() == &thread)
            fn();
        else
            QMetaObject::invokeMethod(clients.first(), fn, Qt::BlockingQueuedConnection);
    }
};

static QString checkUrls(const QList<QUrl> &urls, bool *webSocket)
{
    if (urls.isEmpty())
        return u"No server URL given"_s;
    const QString scheme = urls.first().scheme();
    for (const QUrl &url : urls) {
        if (!url.isValid())
            return u"Invalid server URL '%1': %2"_s.arg(url.toString(), url.errorString());
        if (url.scheme() != u"ws" && url.scheme() != u"wss" && url.scheme() != u"http" &&
            url.scheme() != u"https")
            return u"Unsupported URL scheme '%1' in '%2' (use ws, wss, http or https)"_s.arg(url.scheme(),
                                                                                             url.toString());
        const bool ws = url.scheme().startsWith(u"ws");
        if (ws != scheme.startsWith(u"ws"))
            return u"All cluster URLs must use the same transport"_s;
    }
    *webSocket = scheme.startsWith(u"ws");
    return {};
}

DatabaseManager::DatabaseManager(const QUrl &url, const QString &ns, const QString &db,
                                 const Credentials &credentials, int poolSize, bool usePool, QObject *parent)
    : DatabaseManager(QList<QUrl>{url}, ns, db, credentials, poolSize, usePool, parent)
{}

DatabaseManager::DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                                 const Credentials &credentials, int poolSize, bool usePool, QObject *parent)
    : QObject(parent)
    , d(new DatabaseManagerPrivate)
{
    d->q = this;
    d->config.urls = urls;
    d->config.ns = ns;
    d->config.db = db;
    d->config.credentials = credentials;
    d->poolSize = std::max(1, poolSize);
    d->usePool = usePool;
    const QString problem = checkUrls(urls, &d->webSocket);
    if (!problem.isEmpty()) {
        d->lastError = d->invalidUrl = Error(Error::Kind::Validation, problem, u"DatabaseManager"_s);
        qCWarning(lcConnection) << d->lastError;
    }
    // HTTP has no sockets to pool; one client multiplexes through QNetworkAccessManager.
    if (!d->webSocket)
        d->usePool = usePool && false;
    d->thread.setObjectName(u"SurrealQt I/O"_s);
    d->thread.start();
}

DatabaseManager::~DatabaseManager()
{
    close();
    delete d->pool;
    delete d->single;
    for (RpcClient *client : std::as_const(d->clients))
        QMetaObject::invokeMethod(
            client, [client] { delete client; }, Qt::BlockingQueuedConnection);
    d->clients.clear();
    d->thread.quit();
    d->thread.wait();
}

void DatabaseManager::setRequestTimeout(std::chrono::milliseconds timeout)
{
    d->config.requestTimeoutMs = int(timeout.count());
}

std::chrono::milliseconds DatabaseManager::requestTimeout() const
{
    return std::chrono::milliseconds(d->config.requestTimeoutMs);
}

void DatabaseManager::setConnectTimeout(std::chrono::milliseconds timeout)
{
    d->config.connectTimeoutMs = int(timeout.count());
}

void DatabaseManager::setMaxRetries(int retries)
{
    d->config.maxRetries = std::max(1, retries);
}

int DatabaseManager::maxRetries() const
{
    return d->config.maxRetries;
}

void DatabaseManager::setKeepAliveInterval(std::chrono::milliseconds interval)
{
    d->config.keepAliveMs = int(interval.count());
}

void DatabaseManager::setReconnectBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max)
{
    d->config.backoffBaseMs = int(base.count());
    d->config.backoffMaxMs = int(max.count());
}

DatabaseManager::State DatabaseManager::state() const
{
    return d->state;
}

QUrl DatabaseManager::url() const
{
    return d->config.urls.value(0);
}

QList<QUrl> DatabaseManager::urls() const
{
    return d->config.urls;
}

QString DatabaseManager::namespaceName() const
{
    return d->config.ns;
}

QString DatabaseManager::databaseName() const
{
    return d->config.db;
}

int DatabaseManager::poolSize() const
{
    return d->usePool ? d->poolSize : 1;
}

bool DatabaseManager::usePool() const
{
    return d->usePool;
}

Error DatabaseManager::lastError() const
{
    return d->lastError;
}

bool DatabaseManager::isWebSocket() const
{
    return d->webSocket;
}

QThread *DatabaseManager::ioThread() const
{
    return &d->thread;
}

void DatabaseManagerPrivate::createClients()
{
    // connection() may be called first from a worker thread (e.g. a ...Sync call).
    QMutexLocker lock(&createMutex);
    if (!clients.isEmpty())
        return;
    const int count = usePool ? poolSize : 1;
    for (int i = 0; i < count; ++i) {
        ClientConfig c = config;
        c.invalid = invalidUrl;
        c.firstUrl = i; // spread sockets over the cluster's nodes
        RpcClient *client = webSocket ? static_cast<RpcClient *>(new WebSocketClient(c))
                                      : static_cast<RpcClient *>(new HttpClient(c));
        client->moveToThread(&thread);
        QObject::connect(client, &RpcClient::stateChanged, q, [this] { updateState(); });
        QObject::connect(client, &RpcClient::errorOccurred, q, [this](const Error &error) {
            lastError = error;
            Q_EMIT q->errorOccurred(error);
        });
        QObject::connect(client, &RpcClient::authenticated, q, [this] { Q_EMIT q->authenticated(); });
        clients.append(client);
    }
    // Owned by the manager but not its children: a child cannot be created from another thread.
    Connection *connection = usePool
                                 ? static_cast<Connection *>(new ConnectionPool(clients, nullptr))
                                 : static_cast<Connection *>(new SingleConnection(clients.first(), nullptr));
    if (connection->thread() != q->thread())
        connection->moveToThread(q->thread());
    if (usePool)
        pool = static_cast<ConnectionPool *>(connection);
    else
        single = static_cast<SingleConnection *>(connection);
}

void DatabaseManagerPrivate::updateState()
{
    using S = DatabaseManager::State;
    S next = S::Disconnected;
    if (closed) {
        next = S::Closed;
    } else {
        bool connecting = false, reconnecting = false, connected = false;
        for (RpcClient *c : std::as_const(clients)) {
            switch (c->state()) {
            case RpcClient::State::Connected:
                connected = true;
                break;
            case RpcClient::State::Connecting:
                connecting = true;
                break;
            case RpcClient::State::Reconnecting:
                reconnecting = true;
                break;
            default:
                break;
            }
        }
        next = connected      ? S::Connected
               : reconnecting ? S::Reconnecting
               : connecting   ? S::Connecting
                              : S::Disconnected;
    }
    if (next == state)
        return;
    const S previous = state;
    state = next;
    Q_EMIT q->stateChanged(next);
    if (next == S::Connected)
        Q_EMIT q->connected();
    else if (previous == S::Connected)
        Q_EMIT q->disconnected();
}

QFuture<void> DatabaseManager::open()
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    if (d->invalidUrl.isValid()) {
        promise->setException(Exception(d->invalidUrl));
        promise->finish();
        return future;
    }
    if (d->closed) {
        promise->setException(Exception(Error(Error::Kind::Cancelled, u"The manager is closed"_s)));
        promise->finish();
        return future;
    }
    d->createClients();
    // Decided on the I/O thread, so openSync() on the manager's own thread cannot deadlock.
    struct Tracker
    {
        QMutex mutex;
        int pending = 0;
        bool done = false;
        QList<QMetaObject::Connection> connections;
    };
    auto tracker = std::make_shared<Tracker>();
    tracker->pending = int(d->clients.size());
    auto settle = [promise, tracker](const Error &error) {
        QMutexLocker lock(&tracker->mutex);
        if (tracker->done)
            return;
        if (!error.isValid()) {
            // One socket up is enough to serve requests; the rest keep trying on their own.
            tracker->done = true;
        } else if (error.kind() != Error::Kind::Authentication && error.kind() != Error::Kind::NotAllowed &&
                   --tracker->pending > 0) {
            return;
        } else {
            tracker->done = true;
        }
        for (const auto &c : std::as_const(tracker->connections))
            QObject::disconnect(c);
        if (error.isValid())
            promise->setException(Exception(error));
        promise->finish();
    };
    d->onIoThread([this, tracker, settle] {
        // Every handler is in place before anything can settle, so settling disconnects them all.
        for (RpcClient *client : std::as_const(d->clients)) {
            tracker->connections.append(
                QObject::connect(client, &RpcClient::ready, client, [settle] { settle(Error()); }));
            tracker->connections.append(
                QObject::connect(client, &RpcClient::stateChanged, client, [settle](RpcClient::State s) {
                    if (s == RpcClient::State::Closed)
                        settle(Error(Error::Kind::Cancelled, u"Closed while opening"_s));
                }));
            tracker->connections.append(
                QObject::connect(client, &RpcClient::errorOccurred, client, [settle, client](const Error &e) {
                    if (client->state() == RpcClient::State::Disconnected)
                        settle(e);
                }));
        }
        for (RpcClient *client : std::as_const(d->clients)) {
            if (client->state() == RpcClient::State::Connected)
                settle(Error());
            else if (client->state() == RpcClient::State::Closed)
                settle(Error(Error::Kind::Cancelled, u"The connection was closed"_s));
            else
                client->open();
        }
    });
    return future;
}

void DatabaseManager::openSync()
{
    blockOn("openSync", [this] { return open(); });
}

void DatabaseManager::close()
{
    if (d->closed)
        return;
    d->closed = true;
    if (!d->clients.isEmpty()) {
        d->onIoThread([this] {
            for (RpcClient *client : std::as_const(d->clients))
                client->close(Error(Error::Kind::Cancelled, u"The database manager was closed"_s));
        });
    }
    d->updateState();
}

Connection *DatabaseManager::connection()
{
    d->createClients();
    return d->usePool ? static_cast<Connection *>(d->pool) : static_cast<Connection *>(d->single);
}

ConnectionPool *DatabaseManager::pool()
{
    d->createClients();
    return d->pool;
}

SingleConnection *DatabaseManager::singleConnection()
{
    d->createClients();
    return d->single;
}

} // namespace SurrealQt
