#include <SurrealQt/databasemanager.h>

#include "core/logging_p.h"
#include "httpclient_p.h"
#include "ioeventdispatcher_p.h"
#include "iothread_p.h"
#include "syncwait_p.h"
#include "websocketclient_p.h"

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QPromise>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class DatabaseManagerPrivate
{
public:
    DatabaseManager *q = nullptr;
    ClientConfig config;
    ConnectionOptions options;
    bool usePool = true;
    bool webSocket = true;
    // A pointer: deleted from the I/O thread itself, the manager cannot wait for its own thread
    // and hands the thread object over to be deleted once it has finished.
    IoThread *thread = nullptr;
    QList<RpcClient *> clients;
    ConnectionPool *pool = nullptr;
    SingleConnection *single = nullptr;
    DatabaseManager::State state = DatabaseManager::State::Disconnected;
    Error lastError;
    // The last error reported: the same one from the other sockets is not reported again
    // until the manager has been connected in between.
    Error lastReported;
    bool authenticated = false;
    // Sign-ins per socket: the manager announces a sign-in when the highest count grows, so a
    // pool signing in (at open, on renewal, after a full reconnect) is one event, not one per socket.
    QHash<const RpcClient *, int> signIns;
    int signInRounds = 0;
    Error invalidUrl;
    mutable QMutex createMutex;
    bool closed = false;

    void createClients();
    template<typename Apply>
    bool change(const char *setting, Apply apply);
    DatabaseManager::State currentState() const;
    void updateState();
    void report(const Error &error);
    void setAuthenticated(bool value);
    void socketSignedIn(const RpcClient *client);
    // Never waits: the caller may be the GUI thread, which must not stall behind a busy I/O
    // thread. Calls posted from one thread run there in the order they were made.
    template<typename Fn>
    void onIoThread(Fn fn)
    {
        if (QThread::currentThread() == thread)
            fn();
        else
            QMetaObject::invokeMethod(clients.first(), fn, Qt::QueuedConnection);
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
                                 const Credentials &credentials, QObject *parent)
    : DatabaseManager(QList<QUrl>{url}, ns, db, credentials, ConnectionOptions(), parent)
{}

DatabaseManager::DatabaseManager(const QUrl &url, const QString &ns, const QString &db,
                                 const Credentials &credentials, const ConnectionOptions &options,
                                 QObject *parent)
    : DatabaseManager(QList<QUrl>{url}, ns, db, credentials, options, parent)
{}

DatabaseManager::DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                                 const Credentials &credentials, QObject *parent)
    : DatabaseManager(urls, ns, db, credentials, ConnectionOptions(), parent)
{}

DatabaseManager::DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                                 const Credentials &credentials, const ConnectionOptions &options,
                                 QObject *parent)
    : QObject(parent)
    , d(new DatabaseManagerPrivate)
{
    d->q = this;
    d->config.urls = urls;
    d->config.ns = ns;
    d->config.db = db;
    d->config.credentials = credentials;
    const QString problem = checkUrls(urls, &d->webSocket);
    if (!problem.isEmpty()) {
        d->lastError = d->invalidUrl = Error(Error::Kind::Validation, problem, u"DatabaseManager"_s);
        qCWarning(lcConnection) << d->lastError;
    }
    d->options = options;
    d->options.poolSize = std::max(1, options.poolSize);
    // HTTP has no sockets to pool; one client multiplexes through QNetworkAccessManager.
    d->usePool = d->webSocket && options.sockets == ConnectionOptions::Sockets::Pool;
    d->thread = new IoThread;
    d->thread->setObjectName(u"SurrealQt I/O"_s);
    // SURREALQT_IO_DISPATCHER=qt keeps Qt's default loop there, for comparing the two
    // (bench/README.md, bench_requests).
#if defined(Q_OS_LINUX)
    if (qEnvironmentVariable("SURREALQT_IO_DISPATCHER") != u"qt") {
        auto *dispatcher = new IoEventDispatcher;
        if (dispatcher->isValid())
            d->thread->setEventDispatcher(dispatcher);
        else
            delete dispatcher;
    }
#endif
    d->thread->start();
}

DatabaseManager::~DatabaseManager()
{
    close();
    delete d->pool;
    delete d->single;
    IoThread *thread = std::exchange(d->thread, nullptr);
    if (QThread::currentThread() == thread) {
        // Deleted from a continuation or slot running on the I/O thread: blocking on that thread
        // would wait for itself. The clients go once the current call stack has unwound, then the
        // thread ends and its object is deleted from the thread that owns it.
        for (RpcClient *client : std::as_const(d->clients))
            client->deleteLater();
        d->clients.clear();
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        thread->quit();
        return;
    }
    for (RpcClient *client : std::as_const(d->clients))
        QMetaObject::invokeMethod(
            client, [client] { delete client; }, Qt::BlockingQueuedConnection);
    d->clients.clear();
    thread->quit();
    thread->wait();
    delete thread;
}

// Settings apply until the sockets exist and are refused afterwards (docs/threading.md,
// "Ownership and settings"). Rebuilding the sockets instead would delete the Connection objects
// that models, helpers and live queries hold, and would replay the session on new sockets
// behind the back of requests in flight; a new manager makes that explicit.
template<typename Apply>
bool DatabaseManagerPrivate::change(const char *setting, Apply apply)
{
    bool changed = false;
    {
        QMutexLocker lock(&createMutex);
        if (!clients.isEmpty()) {
            qCWarning(lcConnection).nospace()
                << "DatabaseManager::" << setting
                << " refused: settings are fixed once the sockets exist (after the first open() or "
                   "connection()); make a new DatabaseManager to change them";
            return false;
        }
        changed = apply();
    }
    if (changed)
        Q_EMIT q->optionsChanged();
    return true;
}

bool DatabaseManager::setOptions(const ConnectionOptions &options)
{
    return d->change("setOptions", [this, &options] {
        ConnectionOptions next = options;
        next.poolSize = std::max(1, options.poolSize);
        // HTTP has no sockets to pool; one client multiplexes through QNetworkAccessManager.
        const bool nextUsePool = d->webSocket && next.sockets == ConnectionOptions::Sockets::Pool;
        bool changed = next.sockets != d->options.sockets || next.poolSize != d->options.poolSize ||
                       nextUsePool != d->usePool;
#if QT_CONFIG(ssl)
        changed = changed || next.sslConfiguration != d->options.sslConfiguration ||
                  next.ignoredSslErrors != d->options.ignoredSslErrors;
#endif
        d->options = next;
        d->usePool = nextUsePool;
        return changed;
    });
}

ConnectionOptions DatabaseManager::options() const
{
    return d->options;
}

bool DatabaseManager::setPoolSize(int size)
{
    ConnectionOptions o = d->options;
    o.poolSize = size;
    return d->change("setPoolSize", [this, &o] {
        const int next = std::max(1, o.poolSize);
        return std::exchange(d->options.poolSize, next) != next;
    });
}

namespace {
template<typename T>
bool assign(T &field, T value)
{
    return std::exchange(field, value) != value;
}
} // namespace

bool DatabaseManager::setRequestTimeout(std::chrono::milliseconds timeout)
{
    return d->change("setRequestTimeout",
                     [this, timeout] { return assign(d->config.requestTimeoutMs, int(timeout.count())); });
}

std::chrono::milliseconds DatabaseManager::requestTimeout() const
{
    return std::chrono::milliseconds(d->config.requestTimeoutMs);
}

bool DatabaseManager::setConnectTimeout(std::chrono::milliseconds timeout)
{
    return d->change("setConnectTimeout",
                     [this, timeout] { return assign(d->config.connectTimeoutMs, int(timeout.count())); });
}

std::chrono::milliseconds DatabaseManager::connectTimeout() const
{
    return std::chrono::milliseconds(d->config.connectTimeoutMs);
}

bool DatabaseManager::setMaxRetries(int retries)
{
    return d->change("setMaxRetries",
                     [this, retries] { return assign(d->config.maxRetries, std::max(1, retries)); });
}

int DatabaseManager::maxRetries() const
{
    return d->config.maxRetries;
}

bool DatabaseManager::setMaxReconnectAttempts(int attempts)
{
    return d->change("setMaxReconnectAttempts", [this, attempts] {
        return assign(d->config.maxReconnectAttempts, attempts < 0 ? -1 : std::max(1, attempts));
    });
}

int DatabaseManager::maxReconnectAttempts() const
{
    return d->config.maxReconnectAttempts;
}

bool DatabaseManager::setKeepAliveInterval(std::chrono::milliseconds interval)
{
    return d->change("setKeepAliveInterval",
                     [this, interval] { return assign(d->config.keepAliveMs, int(interval.count())); });
}

std::chrono::milliseconds DatabaseManager::keepAliveInterval() const
{
    return std::chrono::milliseconds(d->config.keepAliveMs);
}

bool DatabaseManager::setReconnectBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max)
{
    return d->change("setReconnectBackoff", [this, base, max] {
        const bool a = assign(d->config.backoffBaseMs, int(base.count()));
        const bool b = assign(d->config.backoffMaxMs, int(max.count()));
        return a || b;
    });
}

bool DatabaseManager::settingsFixed() const
{
    QMutexLocker lock(&d->createMutex);
    return !d->clients.isEmpty();
}

DatabaseManager::State DatabaseManager::state() const
{
    // Read from the sockets rather than from the last queued update, so that a finished open()
    // and state() agree, as waitForConnected() and state() do for a QAbstractSocket.
    QMutexLocker lock(&d->createMutex);
    return d->currentState();
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
    return d->usePool ? d->options.poolSize : 1;
}

bool DatabaseManager::usePool() const
{
    return d->usePool;
}

Error DatabaseManager::lastError() const
{
    return d->lastError;
}

bool DatabaseManager::isAuthenticated() const
{
    return d->authenticated;
}

bool DatabaseManager::isWebSocket() const
{
    return d->webSocket;
}

QThread *DatabaseManager::ioThread() const
{
    return d->thread;
}

void DatabaseManagerPrivate::createClients()
{
    // connection() may be called first from a worker thread (e.g. a ...Sync call).
    QMutexLocker lock(&createMutex);
    if (!clients.isEmpty())
        return;
    const int count = usePool ? options.poolSize : 1;
    for (int i = 0; i < count; ++i) {
        ClientConfig c = config;
        c.invalid = invalidUrl;
        c.firstUrl = i; // spread sockets over the cluster's nodes
#if QT_CONFIG(ssl)
        c.ssl = options.sslConfiguration;
        c.ignoredSslErrors = options.ignoredSslErrors;
#endif
        RpcClient *client = webSocket ? static_cast<RpcClient *>(new WebSocketClient(c))
                                      : static_cast<RpcClient *>(new HttpClient(c));
        client->moveToThread(thread);
        QObject::connect(client, &RpcClient::stateChanged, q, [this] { updateState(); });
        QObject::connect(client, &RpcClient::errorOccurred, q, [this](const Error &error) { report(error); });
        QObject::connect(client, &RpcClient::authenticated, q, [this, client] { socketSignedIn(client); });
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
    QObject::connect(connection, &Connection::databaseSelected, q,
                     [this](const QString &ns, const QString &db) {
                         const bool nsChanged = ns != config.ns;
                         const bool dbChanged = db != config.db;
                         config.ns = ns;
                         config.db = db;
                         if (nsChanged)
                             Q_EMIT q->namespaceNameChanged(ns);
                         if (dbChanged)
                             Q_EMIT q->databaseNameChanged(db);
                     });
    // Announced in the manager's thread (at once when created there), outside the lock: a slot
    // may read settingsFixed().
    lock.unlock();
    QMetaObject::invokeMethod(
        q, [q = q] { Q_EMIT q->settingsFixedChanged(true); }, Qt::AutoConnection);
}

void DatabaseManagerPrivate::report(const Error &error)
{
    lastError = error;
    // Every socket of a pool meets the same refused password or unreachable host: one event.
    if (lastReported.isValid() && lastReported.kind() == error.kind() &&
        lastReported.message() == error.message())
        return;
    lastReported = error;
    Q_EMIT q->errorOccurred(error);
}

void DatabaseManagerPrivate::setAuthenticated(bool value)
{
    if (authenticated == value)
        return;
    authenticated = value;
    Q_EMIT q->authenticatedChanged(value);
}

void DatabaseManagerPrivate::socketSignedIn(const RpcClient *client)
{
    const int count = ++signIns[client];
    const bool newRound = count > signInRounds;
    signInRounds = std::max(signInRounds, count);
    const bool wasAuthenticated = authenticated;
    setAuthenticated(true);
    if (newRound || !wasAuthenticated)
        Q_EMIT q->signedIn();
}

DatabaseManager::State DatabaseManagerPrivate::currentState() const
{
    using S = DatabaseManager::State;
    if (closed)
        return S::Closed;
    bool connecting = false, reconnecting = false, connected = false;
    for (const RpcClient *c : clients) {
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
    return connected      ? S::Connected
           : reconnecting ? S::Reconnecting
           : connecting   ? S::Connecting
                          : S::Disconnected;
}

void DatabaseManagerPrivate::updateState()
{
    using S = DatabaseManager::State;
    const S next = currentState();
    if (next == state)
        return;
    const S previous = state;
    state = next;
    if (next == S::Connected)
        lastReported = Error(); // a later failure is a new event
    Q_EMIT q->stateChanged(next);
    if (next == S::Connected)
        Q_EMIT q->connected();
    else if (previous == S::Connected)
        Q_EMIT q->disconnected();
    if (next != S::Connected)
        setAuthenticated(false);
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
        qsizetype sockets = 0;
        // Counted per socket: one socket may report several errors while it retries.
        QSet<const RpcClient *> failed;
        bool done = false;
        QList<QMetaObject::Connection> connections;
    };
    auto tracker = std::make_shared<Tracker>();
    tracker->sockets = d->clients.size();
    auto settle = [promise, tracker](const RpcClient *client, const Error &error) {
        QMutexLocker lock(&tracker->mutex);
        if (tracker->done)
            return;
        if (!error.isValid()) {
            // One socket up is enough to serve requests; the rest keep trying on their own.
            tracker->done = true;
        } else if (error.kind() != Error::Kind::Authentication && error.kind() != Error::Kind::NotAllowed) {
            tracker->failed.insert(client);
            if (tracker->failed.size() < tracker->sockets)
                return;
            tracker->done = true;
        } else {
            tracker->done = true;
        }
        for (const auto &c : std::as_const(tracker->connections))
            QObject::disconnect(c);
        if (error.isValid())
            promise->setException(Exception(error));
        promise->finish();
    };
    // The clients by value: the manager may be gone by the time this runs on the I/O thread.
    d->onIoThread([clients = d->clients, tracker, settle] {
        // Every handler is in place before anything can settle, so settling disconnects them all.
        for (RpcClient *client : clients) {
            tracker->connections.append(QObject::connect(client, &RpcClient::ready, client,
                                                         [settle, client] { settle(client, Error()); }));
            tracker->connections.append(QObject::connect(
                client, &RpcClient::stateChanged, client, [settle, client](RpcClient::State s) {
                    if (s == RpcClient::State::Closed)
                        settle(client, Error(Error::Kind::Cancelled, u"Closed while opening"_s));
                }));
            tracker->connections.append(
                QObject::connect(client, &RpcClient::errorOccurred, client, [settle, client](const Error &e) {
                    if (client->state() == RpcClient::State::Disconnected)
                        settle(client, e);
                }));
        }
        for (RpcClient *client : clients) {
            if (client->state() == RpcClient::State::Connected)
                settle(client, Error());
            else if (client->state() == RpcClient::State::Closed)
                settle(client, Error(Error::Kind::Cancelled, u"The connection was closed"_s));
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
        d->onIoThread([clients = d->clients] {
            for (RpcClient *client : clients)
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
