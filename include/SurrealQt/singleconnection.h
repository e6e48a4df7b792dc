#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>

#include <functional>

namespace SurrealQt {

class RpcClient;

/*! One socket (or one HTTP endpoint), with retries around whole operations.

    Ownership (docs/threading.md, "Ownership and settings"): the manager's single connection is
    owned by the manager. One you make around a connection you already have is yours; it shares
    that connection's socket and session and must not outlive its manager. */
class SURREALQT_EXPORT SingleConnection : public SurrealQt::Connection
{
    Q_OBJECT
    Q_PROPERTY(int maxRetries READ maxRetries WRITE setMaxRetries NOTIFY maxRetriesChanged)

public:
    /*! Wraps a connection you already made, signed in and use()d (the Python seed's
        AsyncSingleConnection(conn)): calls go to the socket it is on (for a pool, its least busy
        socket at this moment), in the session it has. The wrapped connection keeps working. */
    explicit SingleConnection(Connection *connection, QObject *parent = nullptr);
    ~SingleConnection() override;

    /*! Attempts after the first one that executeWithRetry() makes (default 3). */
    [[nodiscard]] int maxRetries() const { return m_maxRetries; }
    /*! Sets maxRetries() (negative values count as 0); emits maxRetriesChanged() on a change. */
    void setMaxRetries(int retries);

    /*! Runs fn and runs it again, with exponential backoff, while it fails with a retryable
        error (dropped connection, timeout, transaction conflict). Only pass operations that
        are safe to repeat: reads, upserts, updates of known ids. fn runs, and the attempts are
        judged, in this object's thread: keep its event loop running (never block that thread on
        the future; the blocking form is SyncSingleConnection::executeWithRetry). If this object
        is destroyed first, the future fails with Cancelled. */
    QFuture<QVariant> executeWithRetry(std::function<QFuture<QVariant>(Connection *)> fn);
    /*! Resolves once the socket is connected and signed in (or fails after its retries). */
    QFuture<void> ensureConnected();
    /*! Closes the socket: outstanding requests fail with Cancelled. Returns at once, never waiting
        for the I/O thread; requests made afterwards fail with Cancelled. */
    void close();

    /*! True for a WebSocket, false for HTTP. */
    [[nodiscard]] bool isWebSocket() const override;

Q_SIGNALS:
    /*! maxRetries() changed. */
    void maxRetriesChanged(int retries);

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;

private:
    friend class DatabaseManager;
    friend class DatabaseManagerPrivate;
    friend class ConnectionPool;
    friend class ConnectionPoolPrivate;
    SingleConnection(RpcClient *client, QObject *parent);
    // The socket each connection is on (reached through the protected Connection::pinClient()).
    static RpcClient *clientOf(Connection *connection);
    static QList<RpcClient *> clientsOf(const QList<Connection *> &connections);
    void retry(std::function<QFuture<QVariant>(Connection *)> fn, int attempt,
               std::shared_ptr<QPromise<QVariant>> promise);

    QPointer<RpcClient> m_client;
    int m_maxRetries = 3;
};

} // namespace SurrealQt
