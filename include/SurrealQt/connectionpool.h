#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QList>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace SurrealQt {

class ConnectionPoolPrivate;

// poolSize WebSocket connections, each signed in and on the pool's namespace and database.
// Requests go to the least busy connected socket; use/let/signin go to all of them and are
// replayed on every reconnect; signup runs on one socket and the others authenticate with the
// token it returned. Sockets spread across all configured server URLs and move to
// the others when one goes away.
class SURREALQT_EXPORT ConnectionPool : public Connection
{
    Q_OBJECT
    Q_PROPERTY(int size READ size CONSTANT)
    Q_PROPERTY(int connectedCount READ connectedCount NOTIFY connectedCountChanged)

public:
    // Exclusive use of one socket until the handle is destroyed (RAII).
    class SURREALQT_EXPORT Handle
    {
    public:
        Handle() = default;
        [[nodiscard]] Connection *operator->() const { return m_connection.get(); }
        [[nodiscard]] Connection *get() const { return m_connection.get(); }
        [[nodiscard]] bool isValid() const { return bool(m_connection); }
        void release() { m_connection.reset(); }

    private:
        friend class ConnectionPool;
        explicit Handle(std::shared_ptr<Connection> connection)
            : m_connection(std::move(connection))
        {}
        std::shared_ptr<Connection> m_connection;
    };

    ~ConnectionPool() override;

    [[nodiscard]] int size() const;
    [[nodiscard]] int connectedCount() const;
    // The number of requests waiting on each socket, in pool order.
    [[nodiscard]] QList<int> loads() const;

    // Takes the least busy socket for exclusive use; further acquire() calls skip it.
    [[nodiscard]] Handle acquire();
    // Runs fn on an acquired socket and releases it when fn's future finishes.
    template<typename T>
    QFuture<T> executeWithConnection(std::function<QFuture<T>(Connection *)> fn)
    {
        Handle handle = acquire();
        // The continuation owns the handle: the socket is released once fn's work is answered.
        if constexpr (std::is_void_v<T>)
            return fn(handle.get()).then(QtFuture::Launch::Sync, [handle] {});
        else
            return fn(handle.get()).then(QtFuture::Launch::Sync, [handle](T value) { return value; });
    }

    [[nodiscard]] bool isWebSocket() const override;

Q_SIGNALS:
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
