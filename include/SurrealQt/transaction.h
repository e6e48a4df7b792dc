#pragma once

#include <SurrealQt/queryinterface.h>

#include <QtCore/QUuid>

#include <memory>

namespace SurrealQt {

class RpcClient;

/*!
    \class SurrealQt::Transaction
    \brief An interactive transaction on one WebSocket (SurrealDB 3 begin/commit/cancel), made
    by Connection::transaction().

    It offers the QueryInterface only: query() and the record calls SurrealDB 3 runs inside a
    transaction. update, patch, relate and run are not there (SurrealDB 3.0 would commit them on
    their own; call() refuses them by name with a Validation error): use query() with the
    statement instead. Session changes, live queries, channels and nested transactions are not
    there either.

    Calls made on it run inside the transaction, one after another in call order: each is sent
    when the previous one (and 'begin') was answered, so a read sees the writes made before it.
    Owned by the parent given to Connection::transaction() (or by you); destroying it before
    commit() cancels the transaction. Futures finish on the I/O thread (docs/threading.md).
*/
class SURREALQT_EXPORT Transaction : public SurrealQt::QueryInterface
{
    Q_OBJECT

public:
    ~Transaction() override;

    /*! The server's transaction id, once 'begin' answered. Each call returns a future of its own. */
    [[nodiscard]] QFuture<QUuid> id() const;
    /*! Queued behind every call made on the transaction so far, so it is sent once the last one
        was answered: the server never commits ahead of a statement. */
    QFuture<void> commit();
    /*! Rolls the transaction back, after the calls made so far were answered. */
    QFuture<void> cancel();
    /*! True once commit() or cancel() was called. */
    [[nodiscard]] bool isFinished() const;
    /*! Always true: transactions exist on WebSockets only. */
    [[nodiscard]] bool isWebSocket() const override { return true; }

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;

private:
    friend class Connection;
    Transaction(RpcClient *client, QObject *parent);
    QFuture<void> finish(const QString &method);

    std::shared_ptr<class TransactionState> d;
};

} // namespace SurrealQt
