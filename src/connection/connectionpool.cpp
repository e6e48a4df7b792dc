#include <SurrealQt/connectionpool.h>

#include "connectionlifeline_p.h"
#include "core/failedfuture_p.h"
#include "core/logging_p.h"
#include "core/postbox_p.h"
#include "rpcclient_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QMutex>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class ConnectionPoolPrivate
{
public:
    // Which sockets handles hold, and who waits for one. Shared with the handles, which may be
    // released on any thread after the pool is gone: their deleters touch this only, never
    // the pool (checking a QPointer to it there raced its deletion).
    struct Acquired
    {
        QMutex mutex;
        QSet<RpcClient *> taken;
        std::deque<std::shared_ptr<QPromise<ConnectionPool::Handle>>> waiting;
        bool closed = false;
    };

    // From a signup() until the other sockets were sent the new account's token: the socket
    // the signup runs on takes every call, which it orders after the signup, and calls that
    // change the session reach it at once and the other sockets after the token. Otherwise a call
    // made right after signup() could land on another socket first and run as whoever that
    // socket was. Shared with the signup's answer, which may come after the pool is gone.
    struct SignupGate
    {
        struct Held
        {
            // The signups started before the call: it goes out once the last of them has
            // passed its token on.
            quint64 generation;
            std::function<void()> send;
        };
        QMutex mutex;
        // Set while client is: calls check it before taking the lock.
        std::atomic<bool> pinned{false};
        QPointer<RpcClient> client;
        quint64 generation = 0;
        // What session-changing calls send to the other sockets, oldest first.
        QList<Held> held;
    };

    QList<QPointer<RpcClient>> clients;
    std::shared_ptr<Acquired> acquired = std::make_shared<Acquired>();
    std::shared_ptr<SignupGate> signupGate = std::make_shared<SignupGate>();
    int lastConnected = 0;

    // The socket a signup under way pins every call to; null when none is under way.
    RpcClient *signupSocket() const
    {
        if (!signupGate->pinned.load(std::memory_order_acquire))
            return nullptr;
        QMutexLocker lock(&signupGate->mutex);
        return signupGate->client.data();
    }

    // The replies of one request sent to count sockets: once all have answered, the promise
    // gets the first error, or else result if one is given, or else the first socket's answer.
    static std::function<RpcReplyPtr(qsizetype)>
    gatherInto(qsizetype count, const std::shared_ptr<QPromise<QVariant>> &promise,
               const std::optional<QVariant> &result = std::nullopt)
    {
        struct Gather
        {
            QMutex mutex;
            qsizetype remaining = 0;
            QVariant first;
            Error error;
        };
        auto gather = std::make_shared<Gather>();
        gather->remaining = count;
        if (result)
            gather->first = *result;
        return [gather, promise, fixed = result.has_value()](qsizetype i) {
            return std::make_shared<RpcReply>([gather, promise, i, fixed](const QVariant &v, const Error &e) {
                QMutexLocker lock(&gather->mutex);
                if (i == 0 && !fixed)
                    gather->first = v;
                if (e.isValid() && !gather->error.isValid())
                    gather->error = e;
                if (--gather->remaining > 0)
                    return;
                if (gather->error.isValid())
                    promise->setException(Exception(gather->error));
                else
                    promise->addResult(gather->first);
                promise->finish();
            });
        };
    }

    QList<RpcClient *> liveClients() const
    {
        QList<RpcClient *> targets;
        for (const QPointer<RpcClient> &c : std::as_const(clients))
            if (c)
                targets.append(c.data());
        return targets;
    }

    // Called once signup number generation has sent its token to the other sockets (or
    // failed): sends what waited for it, in order, and ends the pin unless a later signup is
    // under way. Never sends with the lock held: submit() may complete replies on this thread,
    // and a continuation that calls the pool would wait on the lock forever. Calls made
    // meanwhile still find the pin and queue behind the batch.
    static void openGate(const std::shared_ptr<SignupGate> &gate, quint64 generation)
    {
        for (;;) {
            QList<std::function<void()>> batch;
            {
                QMutexLocker lock(&gate->mutex);
                while (!gate->held.isEmpty() && gate->held.first().generation <= generation)
                    batch.append(gate->held.takeFirst().send);
                if (batch.isEmpty()) {
                    if (gate->generation == generation) {
                        gate->client.clear();
                        gate->pinned.store(false, std::memory_order_release);
                    }
                    return;
                }
            }
            for (const std::function<void()> &send : std::as_const(batch))
                send();
        }
    }

    // Call with acquired->mutex held when skipTaken.
    RpcClient *leastBusyLocked(bool skipTaken) const
    {
        RpcClient *best = nullptr;
        bool bestConnected = false;
        for (const QPointer<RpcClient> &c : std::as_const(clients)) {
            if (!c || (skipTaken && acquired->taken.contains(c.data())))
                continue;
            const bool isConnected = c->state() == RpcClient::State::Connected;
            // Prefer connected sockets; among equals, the one with the fewest requests waiting.
            if (!best || (isConnected && !bestConnected) ||
                (isConnected == bestConnected && c->load() < best->load())) {
                best = c.data();
                bestConnected = isConnected;
            }
        }
        return best;
    }

    RpcClient *leastBusy(bool skipTaken) const
    {
        QMutexLocker lock(&acquired->mutex);
        return leastBusyLocked(skipTaken);
    }

    // The handle's Connection has no thread (moveToThread(nullptr)): it receives no events, so
    // the last copy of the handle frees it right where it goes, on any thread, even one without
    // an event loop (a deleteLater() there would never run).
    static ConnectionPool::Handle makeHandle(const std::shared_ptr<Acquired> &acquired, RpcClient *client)
    {
        auto *single = new SingleConnection(client, nullptr);
        single->moveToThread(nullptr);
        return ConnectionPool::Handle(std::shared_ptr<Connection>(single, [acquired, client](Connection *c) {
            delete c;
            release(acquired, client);
        }));
    }

    // The socket goes to the first caller still waiting, or becomes free. (Once the pool is
    // closed nobody waits: close() failed them all.)
    static void release(const std::shared_ptr<Acquired> &acquired, RpcClient *client)
    {
        std::shared_ptr<QPromise<ConnectionPool::Handle>> next;
        {
            QMutexLocker lock(&acquired->mutex);
            while (!acquired->waiting.empty() && !next) {
                next = std::move(acquired->waiting.front());
                acquired->waiting.pop_front();
                if (next->isCanceled())
                    next.reset(); // the caller gave up its place
            }
            if (!next) {
                acquired->taken.remove(client);
                return;
            }
        }
        // Outside the lock: the caller's continuations run here and may acquire again.
        next->addResult(makeHandle(acquired, client));
        next->finish();
    }

    static void failWaiter(const std::shared_ptr<QPromise<ConnectionPool::Handle>> &waiter)
    {
        waiter->setException(
            Exception(Error(Error::Kind::Cancelled, u"The pool was closed"_s, u"ConnectionPool::acquire"_s)));
        waiter->finish();
    }

    // Fails every acquire() still waiting; later ones fail at once.
    void close()
    {
        std::deque<std::shared_ptr<QPromise<ConnectionPool::Handle>>> waiting;
        {
            QMutexLocker lock(&acquired->mutex);
            acquired->closed = true;
            waiting.swap(acquired->waiting);
        }
        for (const auto &w : waiting)
            failWaiter(w);
    }
};

ConnectionPool::ConnectionPool(const QList<RpcClient *> &clients, QObject *parent)
    : Connection(parent)
    , d(new ConnectionPoolPrivate)
{
    for (RpcClient *c : clients) {
        d->clients.append(c);
        connect(c, &RpcClient::stateChanged, this, [this] {
            const int count = connectedCount();
            if (count != d->lastConnected) {
                d->lastConnected = count;
                Q_EMIT connectedCountChanged(count);
            }
        });
    }
    d->lastConnected = connectedCount();
}

ConnectionPool::ConnectionPool(const QList<Connection *> &connections, QObject *parent)
    : ConnectionPool(SingleConnection::clientsOf(connections), parent)
{}

ConnectionPool::~ConnectionPool()
{
    // First: a bulk job or cursor calling in from the I/O thread finishes or sees it gone.
    Internal::ConnectionLifeline::close(this);
    d->close();
}

int ConnectionPool::size() const
{
    return int(d->clients.size());
}

int ConnectionPool::connectedCount() const
{
    int n = 0;
    for (const QPointer<RpcClient> &c : std::as_const(d->clients))
        n += (c && c->state() == RpcClient::State::Connected) ? 1 : 0;
    return n;
}

QList<int> ConnectionPool::loads() const
{
    QList<int> result;
    for (const QPointer<RpcClient> &c : std::as_const(d->clients))
        result.append(c ? c->load() : 0);
    return result;
}

bool ConnectionPool::isWebSocket() const
{
    return !d->clients.isEmpty() && d->clients.first() && d->clients.first()->isWebSocket();
}

ConnectionPool::Handle ConnectionPool::tryAcquire()
{
    RpcClient *client = nullptr;
    {
        QMutexLocker lock(&d->acquired->mutex);
        if (d->acquired->closed)
            return {};
        client = d->leastBusyLocked(true);
        if (!client)
            return {};
        d->acquired->taken.insert(client);
    }
    return ConnectionPoolPrivate::makeHandle(d->acquired, client);
}

QFuture<ConnectionPool::Handle> ConnectionPool::acquire()
{
    auto promise = std::make_shared<QPromise<Handle>>();
    promise->start();
    QFuture<Handle> future = promise->future();
    RpcClient *client = nullptr;
    {
        QMutexLocker lock(&d->acquired->mutex);
        if (d->acquired->closed || std::none_of(d->clients.cbegin(), d->clients.cend(),
                                                [](const QPointer<RpcClient> &c) { return !c.isNull(); })) {
            lock.unlock();
            ConnectionPoolPrivate::failWaiter(promise);
            return future;
        }
        client = d->leastBusyLocked(true);
        if (!client) {
            // Every socket is held: wait for the first release, which hands its socket over.
            d->acquired->waiting.push_back(promise);
            return future;
        }
        d->acquired->taken.insert(client);
    }
    promise->addResult(ConnectionPoolPrivate::makeHandle(d->acquired, client));
    promise->finish();
    return future;
}

int ConnectionPool::waitingCount() const
{
    QMutexLocker lock(&d->acquired->mutex);
    return int(std::count_if(d->acquired->waiting.cbegin(), d->acquired->waiting.cend(),
                             [](const auto &w) { return !w->isCanceled(); }));
}

QFuture<void> ConnectionPool::closeAll()
{
    d->close();
    QList<RpcClient *> targets;
    for (const QPointer<RpcClient> &c : std::as_const(d->clients))
        if (c)
            targets.append(c.data());
    struct Gather
    {
        QPromise<void> promise;
        QAtomicInt remaining;
    };
    auto gather = std::make_shared<Gather>();
    gather->promise.start();
    QFuture<void> future = gather->promise.future();
    gather->remaining.storeRelaxed(int(targets.size()));
    if (targets.isEmpty()) {
        gather->promise.finish();
        return future;
    }
    // Posted, never waited for: the caller may be the GUI thread. The manager keeps its
    // sockets alive while its pool exists, so the posts reach living objects.
    for (RpcClient *client : std::as_const(targets)) {
        Internal::PostBox::of(client)->post([client, gather] {
            client->close(Error(Error::Kind::Cancelled, u"The pool was closed"_s));
            if (!gather->remaining.deref())
                gather->promise.finish();
        });
    }
    return future;
}

QFuture<QVariant> ConnectionPool::signupOnce(const RpcRequest &request)
{
    RpcClient *first = nullptr;
    quint64 generation = 0;
    {
        QMutexLocker lock(&d->signupGate->mutex);
        // A second signup while one is under way runs on the same socket, after it.
        first = d->signupGate->client.data();
        if (!first)
            first = d->leastBusy(false);
        if (!first)
            return failedFuture<QVariant>(
                Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method));
        d->signupGate->client = first;
        d->signupGate->pinned.store(true, std::memory_order_release);
        generation = ++d->signupGate->generation;
    }
    QList<QPointer<RpcClient>> others;
    for (const QPointer<RpcClient> &c : std::as_const(d->clients))
        if (c && c.data() != first)
            others.append(c);
    auto promise = std::make_shared<QPromise<QVariant>>();
    promise->start();
    // Signing up creates the account: it runs on one socket, and the others take its identity
    // by authenticating with the token it returned. Each socket orders what it is sent after
    // that authenticate, so the pin ends once they were all sent it.
    first->submit(request,
                  std::make_shared<RpcReply>([promise, others, request, gate = d->signupGate,
                                              generation](const QVariant &value, const Error &error) {
                      if (error.isValid()) {
                          ConnectionPoolPrivate::openGate(gate, generation);
                          promise->setException(Exception(error));
                          promise->finish();
                          return;
                      }
                      const QString token = value.metaType().id() == QMetaType::QVariantMap
                                                ? value.toMap().value(u"access"_s).toString()
                                                : value.toString();
                      if (others.isEmpty()) {
                          ConnectionPoolPrivate::openGate(gate, generation);
                          promise->addResult(value);
                          promise->finish();
                          return;
                      }
                      RpcRequest authenticate{u"authenticate"_s, {token}, request.options};
                      const auto replyFor = ConnectionPoolPrivate::gatherInto(others.size(), promise, value);
                      for (qsizetype i = 0; i < others.size(); ++i) {
                          if (others.at(i))
                              others.at(i)->submit(authenticate, replyFor(i));
                          else
                              replyFor(i)->succeed({});
                      }
                      ConnectionPoolPrivate::openGate(gate, generation);
                  }));
    return promise->future();
}

QFuture<QVariant> ConnectionPool::execute(const RpcRequest &request)
{
    if (request.method == u"signup" && request.options.session.isNull())
        return signupOnce(request);
    if (RpcClient::isStateChanging(request.method)) {
        // Session state belongs to every socket, or requests would see different sessions
        // depending on which socket they land on. During a signup the other sockets get it
        // after the token (openGate()); what is sent now is sent after the lock is released.
        auto promise = std::make_shared<QPromise<QVariant>>();
        promise->start();
        const QList<RpcClient *> targets = d->liveClients();
        if (targets.isEmpty()) {
            promise->setException(
                Exception(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method)));
            promise->finish();
            return promise->future();
        }
        const auto replyFor = ConnectionPoolPrivate::gatherInto(targets.size(), promise);
        QList<std::pair<RpcClient *, RpcReplyPtr>> now;
        {
            QMutexLocker lock(&d->signupGate->mutex);
            RpcClient *pinned = d->signupGate->client.data();
            for (qsizetype i = 0; i < targets.size(); ++i) {
                RpcClient *target = targets.at(i);
                if (!pinned || target == pinned) {
                    now.append({target, replyFor(i)});
                    continue;
                }
                auto send = [target = QPointer<RpcClient>(target), request, reply = replyFor(i)] {
                    if (target)
                        target->submit(request, reply);
                    else
                        reply->fail(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method));
                };
                d->signupGate->held.append({d->signupGate->generation, std::move(send)});
            }
        }
        for (const auto &[target, reply] : std::as_const(now))
            target->submit(request, reply);
        return promise->future();
    }
    if (RpcClient *pinned = d->signupSocket())
        return pinned->submit(request);
    RpcClient *client = d->leastBusy(true);
    if (!client)
        client = d->leastBusy(false);
    if (!client) {
        return failedFuture<QVariant>(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method));
    }
    return client->submit(request);
}

RpcClient *ConnectionPool::pinClient()
{
    if (RpcClient *pinned = d->signupSocket())
        return pinned;
    RpcClient *client = d->leastBusy(true);
    return client ? client : d->leastBusy(false);
}

} // namespace SurrealQt
