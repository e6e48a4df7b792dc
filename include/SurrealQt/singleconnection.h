#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>

#include <functional>

namespace SurrealQt {

class RpcClient;

// One socket (or one HTTP endpoint), with retries around whole operations.
class SURREALQT_EXPORT SingleConnection : public Connection
{
    Q_OBJECT
    Q_PROPERTY(int maxRetries READ maxRetries WRITE setMaxRetries)

public:
    ~SingleConnection() override;

    [[nodiscard]] int maxRetries() const { return m_maxRetries; }
    void setMaxRetries(int retries) { m_maxRetries = retries; }

    // Runs fn and runs it again, with exponential backoff, while it fails with a retryable
    // error (dropped connection, timeout, transaction conflict). Only pass operations that
    // are safe to repeat: reads, upserts, updates of known ids.
    QFuture<QVariant> executeWithRetry(std::function<QFuture<QVariant>(Connection *)> fn);
    // Resolves once the socket is connected and signed in (or fails after its retries).
    QFuture<void> ensureConnected();
    void close();

    [[nodiscard]] bool isWebSocket() const override;

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;

private:
    friend class DatabaseManager;
    friend class DatabaseManagerPrivate;
    friend class ConnectionPool;
    friend class ConnectionPoolPrivate;
    SingleConnection(RpcClient *client, QObject *parent);
    void retry(std::function<QFuture<QVariant>(Connection *)> fn, int attempt,
               std::shared_ptr<QPromise<QVariant>> promise);

    QPointer<RpcClient> m_client;
    int m_maxRetries = 3;
};

} // namespace SurrealQt
