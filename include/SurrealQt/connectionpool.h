#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QList>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace SurrealQt {

class ConnectionPoolPrivate;

/*! poolSize WebSocket connections, each signed in and on the pool's namespace and database.
    Requests go to the least busy connected socket; use/let/signin go to all of them and are
    replayed on every reconnect; signup runs on one socket and the others authenticate with the
    token it returned. Sockets spread across all configured server URLs and move to
    the others when one goes away.

    Ownership (docs/threading.md, "Ownership and settings"): the manager's pool is owned by the
    manager. A pool you make around connections you already have (the second constructor) is
    yours; it shares their sockets and sessions and must not outlive their manager. */
class SURREALQT_EXPORT ConnectionPool : public SurrealQt::Connection
{
    Q_OBJECT
    Q_PROPERTY(int size READ size CONSTANT)
    Q_PROPERTY(int connectedCount READ connectedCount NOTIFY connectedCountChanged)

public:
    /*! Exclusive use of one socket until the last copy of the handle is destroyed or released
        (RAII): no other handle gets that socket meanwhile, and the pool's own requests go to the
        other sockets while any is free. Copies share the one socket. A handle may be released on
        any thread, including one without an event loop: its Connection is freed right there.
        That Connection has no thread, so it receives no events: its own signals are not
        delivered; for executeWithRetry() wrap it (new SingleConnection(handle.get(), this)).
        Do not use a handle after its manager is gone. */
    class SURREALQT_EXPORT Handle
    {
    public:
        Handle() = default;
        /*! The held connection, for calls such as handle->query(...). */
        [[nodiscard]] Connection *operator->() const { return m_connection.get(); }
        /*! The held connection; null for an invalid or released handle. */
        [[nodiscard]] Connection *get() const { return m_connection.get(); }
        /*! True while the handle holds a socket. */
        [[nodiscard]] bool isValid() const { return bool(m_connection); }
        /*! Gives the socket back (once every copy released it or was destroyed). */
        void release() { m_connection.reset(); }

    private:
        friend class ConnectionPool;
        friend class ConnectionPoolPrivate;
        explicit Handle(std::shared_ptr<Connection> connection)
            : m_connection(std::move(connection))
        {}
        std::shared_ptr<Connection> m_connection;
    };

    /*! A pool over connections you already made (and signed in, and use()d): each contributes
        the socket it is on (for a pool: its least busy socket at this moment), with its session.
        The connections keep working as before; requests, use() and signin() through this pool
        reach the same sockets. Calls fail with Cancelled once the sockets are gone. */
    explicit ConnectionPool(const QList<Connection *> &connections, QObject *parent = nullptr);
    ~ConnectionPool() override;

    /*! The number of sockets. */
    [[nodiscard]] int size() const;
    /*! The number of sockets connected and signed in right now. */
    [[nodiscard]] int connectedCount() const;
    /*! The number of requests waiting on each socket, in pool order. */
    [[nodiscard]] QList<int> loads() const;

    /*! Takes a socket for exclusive use: the least busy free one at once, or, when every socket
        is held by a handle, the first one released (first come, first served). Never blocks and
        never shares: the future finishes when a socket is yours, in the thread that released it
        (or at once, in this thread). Fails with Cancelled if the pool closes or is destroyed
        first; cancelling the future gives up the place in the queue. */
    [[nodiscard]] QFuture<Handle> acquire();
    /*! A free socket now, or an invalid handle when every socket is held. */
    [[nodiscard]] Handle tryAcquire();
    /*! The number of acquire() calls waiting for a socket. */
    [[nodiscard]] int waitingCount() const;

    /*! Runs fn on an acquired socket (once one is free, see acquire()) and releases the socket
        when fn's future finishes. fn runs in the thread acquire() finishes in. */
    template<typename T>
    QFuture<T> executeWithConnection(std::function<QFuture<T>(Connection *)> fn)
    {
        return acquire()
            .then(QtFuture::Launch::Sync,
                  [fn = std::move(fn)](const Handle &handle) {
                      // The continuation owns the handle: the socket is freed once fn's work is answered.
                      if constexpr (std::is_void_v<T>)
                          return fn(handle.get()).then(QtFuture::Launch::Sync, [handle] {});
                      else
                          return fn(handle.get()).then(QtFuture::Launch::Sync, [handle](T value) {
                              return value;
                          });
                  })
            .unwrap();
    }

    /*! Closes every socket of the pool without waiting: their outstanding requests and the
        acquire() calls still waiting fail with Cancelled; later requests fail at once. The
        future finishes once the sockets are closed. The sockets do not come back: make a new
        manager (or pool) to connect again. */
    QFuture<void> closeAll();

    /*! True for WebSocket pools, false for HTTP. */
    [[nodiscard]] bool isWebSocket() const override;

Q_SIGNALS:
    /*! A socket connected or was lost; count is connectedCount(). */
    void connectedCountChanged(int count);

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;

private:
    friend class DatabaseManager;
    friend class DatabaseManagerPrivate;
    ConnectionPool(const QList<RpcClient *> &clients, QObject *parent);
    QFuture<QVariant> signupOnce(const RpcRequest &request);
    std::unique_ptr<ConnectionPoolPrivate> d;
};

} // namespace SurrealQt
