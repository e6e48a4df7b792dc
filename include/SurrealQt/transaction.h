#pragma once

#include <SurrealQt/connection.h>

#include <memory>

namespace SurrealQt {

/*! An interactive transaction on one WebSocket (SurrealDB 3 begin/commit/cancel).
    Calls made on it run inside the transaction, one after another in call order: each is sent
    when the previous one (and 'begin') was answered, so a read sees the writes made before it.
    SurrealDB 3.0 ignores the transaction for update, patch, relate and run (they would
    commit on their own), so those are refused here with a Validation error: use query(). */
class SURREALQT_EXPORT Transaction : public Connection
{
    Q_OBJECT

public:
    ~Transaction() override;

    /*! The server's transaction id, once 'begin' answered. Each call returns a future of its own. */
    [[nodiscard]] QFuture<QUuid> id() const;
    /*! Queued behind every call made on the transaction so far, so it is sent once the last one
        was answered: the server never commits ahead of a statement. */
    QFuture<void> commit();
    /*! Rolls the transaction back; queued behind every call made on it so far, like commit(). */
    QFuture<void> cancel();
    /*! True once commit() or cancel() was called; later calls fail with a Validation error. */
    [[nodiscard]] bool isFinished() const;
    /*! Always true: transactions exist on WebSockets only. */
    [[nodiscard]] bool isWebSocket() const override { return true; }

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;

private:
    friend class Connection;
    Transaction(RpcClient *client, QObject *parent);
    QFuture<void> finish(const QString &method);

    std::shared_ptr<class TransactionState> d;
};

} // namespace SurrealQt
