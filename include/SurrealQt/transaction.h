#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QPointer>

namespace SurrealQt {

// An interactive transaction on one WebSocket (SurrealDB 3 begin/commit/cancel).
// Calls made on it run inside the transaction; the first one waits for 'begin' by itself.
// SurrealDB 3.0 ignores the transaction for update, patch, relate and run (they would
// commit on their own), so those are refused here with a Validation error: use query().
class SURREALQT_EXPORT Transaction : public Connection
{
    Q_OBJECT

public:
    ~Transaction() override;

    [[nodiscard]] QFuture<QUuid> id() const { return m_begin; }
    QFuture<void> commit();
    QFuture<void> cancel();
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] bool isWebSocket() const override { return true; }

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;

private:
    friend class Connection;
    Transaction(RpcClient *client, QObject *parent);
    QFuture<void> finish(const QString &method);

    QPointer<RpcClient> m_client;
    QFuture<QUuid> m_begin;
    bool m_finished = false;
};

} // namespace SurrealQt
