#include <SurrealQt/connectionpool.h>

#include "core/logging_p.h"
#include "rpcclient_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QMutex>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {
QFuture<QVariant> failed(const Error &error)
{
    QPromise<QVariant> promise;
    promise.start();
    promise.setException(Exception(error));
    promise.finish();
    return promise.future();
}
} // namespace

class ConnectionPoolPrivate
{
public:
    // Handles per socket: with more handles than sockets, several share one, and it is free
    // again only when the last of them is released. Shared with the handles, which may be
    // released on any thread after the pool is gone.
    struct Acquired
    {
        QMutex mutex;
        QHash<RpcClient *, int> count;
    };

    QList<QPointer<RpcClient>> clients;
    std::shared_ptr<Acquired> acquired = std::make_shared<Acquired>();
    int lastConnected = 0;

    RpcClient *leastBusy(bool skipAcquired)
    {
        QMutexLocker lock(&acquired->mutex);
        RpcClient *best = nullptr;
        bool bestConnected = false;
        for (const QPointer<RpcClient> &c : std::as_const(clients)) {
            if (!c || (skipAcquired && acquired->count.contains(c.data())))
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
}

ConnectionPool::~ConnectionPool() = default;

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

ConnectionPool::Handle ConnectionPool::acquire()
{
    RpcClient *client = d->leastBusy(true);
    if (!client)
        client = d->leastBusy(false); // all taken: share rather than block
    std::shared_ptr<ConnectionPoolPrivate::Acquired> acquired = d->acquired;
    {
        QMutexLocker lock(&acquired->mutex);
        ++acquired->count[client];
    }
    auto *single = new SingleConnection(client, nullptr);
    // The last copy of a handle may go on any thread (a continuation on the I/O thread), while
    // the pool is being deleted in its own: the deleter touches shared counts only, never the
    // pool (checking a QPointer to it there raced its deletion).
    return Handle(std::shared_ptr<Connection>(single, [acquired, client](Connection *c) {
        {
            QMutexLocker lock(&acquired->mutex);
            if (--acquired->count[client] <= 0)
                acquired->count.remove(client);
        }
        c->deleteLater();
    }));
}

QFuture<QVariant> ConnectionPool::signupOnce(const RpcRequest &request)
{
    RpcClient *first = d->leastBusy(false);
    if (!first)
        return failed(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method));
    QList<QPointer<RpcClient>> others;
    for (const QPointer<RpcClient> &c : std::as_const(d->clients))
        if (c && c.data() != first)
            others.append(c);
    auto promise = std::make_shared<QPromise<QVariant>>();
    promise->start();
    // Signing up creates the account: it runs on one socket, and the others take its identity
    // by authenticating with the token it returned.
    first->submit(request, std::make_shared<RpcReply>([promise, others, request](const QVariant &value,
                                                                                 const Error &error) {
                      if (error.isValid()) {
                          promise->setException(Exception(error));
                          promise->finish();
                          return;
                      }
                      const QString token = value.metaType().id() == QMetaType::QVariantMap
                                                ? value.toMap().value(u"access"_s).toString()
                                                : value.toString();
                      struct Gather
                      {
                          QMutex mutex;
                          qsizetype remaining = 0;
                          Error error;
                      };
                      auto gather = std::make_shared<Gather>();
                      gather->remaining = others.size();
                      if (others.isEmpty()) {
                          promise->addResult(value);
                          promise->finish();
                          return;
                      }
                      RpcRequest authenticate{u"authenticate"_s, {token}, request.options};
                      for (const QPointer<RpcClient> &c : others) {
                          auto done = [gather, promise, value](const QVariant &, const Error &e) {
                              QMutexLocker lock(&gather->mutex);
                              if (e.isValid() && !gather->error.isValid())
                                  gather->error = e;
                              if (--gather->remaining > 0)
                                  return;
                              if (gather->error.isValid())
                                  promise->setException(Exception(gather->error));
                              else
                                  promise->addResult(value);
                              promise->finish();
                          };
                          if (c)
                              c->submit(authenticate, std::make_shared<RpcReply>(done));
                          else
                              done({}, Error());
                      }
                  }));
    return promise->future();
}

QFuture<QVariant> ConnectionPool::execute(const RpcRequest &request)
{
    if (request.method == u"signup" && request.options.session.isNull())
        return signupOnce(request);
    if (RpcClient::isStateChanging(request.method)) {
        // Session state belongs to every socket, or requests would see different sessions
        // depending on which socket they land on.
        auto promise = std::make_shared<QPromise<QVariant>>();
        promise->start();
        struct Gather
        {
            QMutex mutex;
            int remaining = 0;
            QVariant first;
            Error error;
        };
        auto gather = std::make_shared<Gather>();
        QList<RpcClient *> targets;
        for (const QPointer<RpcClient> &c : std::as_const(d->clients))
            if (c)
                targets.append(c.data());
        gather->remaining = int(targets.size());
        if (targets.isEmpty()) {
            promise->setException(
                Exception(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method)));
            promise->finish();
            return promise->future();
        }
        for (int i = 0; i < targets.size(); ++i) {
            targets.at(i)->submit(
                request, std::make_shared<RpcReply>([gather, promise, i](const QVariant &v, const Error &e) {
                    QMutexLocker lock(&gather->mutex);
                    if (i == 0)
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
                }));
        }
        return promise->future();
    }
    RpcClient *client = d->leastBusy(true);
    if (!client)
        client = d->leastBusy(false);
    if (!client) {
        QPromise<QVariant> promise;
        promise.start();
        promise.setException(
            Exception(Error(Error::Kind::Cancelled, u"The pool is closed"_s, request.method)));
        promise.finish();
        return promise.future();
    }
    return client->submit(request);
}

RpcClient *ConnectionPool::pinClient()
{
    RpcClient *client = d->leastBusy(true);
    return client ? client : d->leastBusy(false);
}

} // namespace SurrealQt
