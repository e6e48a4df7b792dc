#pragma once

#include <SurrealQt/credentials.h>
#include <SurrealQt/requestinterface.h>

#include <QtCore/QUuid>

namespace SurrealQt {

class Channel;
class Transaction;

/*!
    \class SurrealQt::Connection
    \brief The asynchronous RPC surface of SurrealDB: every data call (RequestInterface), the
    session (use, let, signin, ...), export/import, and the objects that pin one socket:
    transactions and channels. Implemented by ConnectionPool and SingleConnection.

    Threading (docs/threading.md, "Where results arrive"): every call may be made from any
    thread; its QFuture finishes on the manager's I/O thread, so attach continuations with a
    context object, e.g. future.then(this, [](QVariantMap r) {...}), or co_await it through
    QCoro (docs/coroutines.md). Failures arrive as SurrealQt::Exception (see onFailed). The
    blocking calls are SyncConnection's (for worker threads and console tools). Ownership: the
    manager owns its pool and single connection (docs/threading.md, "Ownership and settings").

    Result shapes and target rules: see QueryInterface (docs/connections.md, "Result shapes").

    Ordering: the server runs the requests of one socket concurrently, so calls made one after
    another on a pool or a single connection may run in any order. A Transaction and a Channel
    run their calls one after another in call order. See docs/connections.md, "Ordering".
*/
class SURREALQT_EXPORT Connection : public SurrealQt::RequestInterface
{
    Q_OBJECT

public:
    ~Connection() override;

    // --- Session ---------------------------------------------------------------------------
    // Session state. On a pool these apply to every socket, and they are replayed after a
    // reconnect. signup() on a pool signs up once and the other sockets take its token.

    /*! Selects namespace and database; emits databaseSelected() in this object's thread. */
    QFuture<void> use(const QString &ns, const QString &db, const RequestOptions &options = {});
    /*! Sets the session variable $name (any value, as a bind variable). */
    QFuture<void> let(const QString &name, const QVariant &value, const RequestOptions &options = {});
    /*! Removes the session variable $name. */
    QFuture<void> unset(const QString &name, const RequestOptions &options = {});
    /*! Signs in; gives the access token. */
    QFuture<QString> signin(const Credentials &credentials, const RequestOptions &options = {});
    /*! Signs up through a record access method; gives the access token. */
    QFuture<QString> signup(const Credentials &credentials, const RequestOptions &options = {});
    /*! Authenticates the session with a token. */
    QFuture<void> authenticate(const QString &token, const RequestOptions &options = {});
    /*! Drops the session's authentication. */
    QFuture<void> invalidate(const RequestOptions &options = {});
    /*! The signed-in record (record access), as the server gives it. */
    QFuture<QVariant> info(const RequestOptions &options = {});
    /*! The server's version text. */
    QFuture<QString> version(const RequestOptions &options = {});
    /*! A round trip to the server. */
    QFuture<void> ping(const RequestOptions &options = {});
    /*! SurrealDB 3 sessions attached on this connection (not the default session). Attach and
        detach with call(u"attach"_s, {}, options) where options.session names the session; pass
        the same options to later calls to run them in it. The client mirrors each attached
        session's identity, namespace/database and variables and rebuilds it after a reconnect. */
    QFuture<QList<QUuid>> sessions(const RequestOptions &options = {});

    /*! SurrealQL dump of the current database (HTTP /export). */
    QFuture<QString> exportDatabase(const RequestOptions &options = {});
    /*! Loads a SurrealQL dump into the current database (HTTP /import). */
    QFuture<void> importDatabase(const QString &surrealql, const RequestOptions &options = {});

    // --- Transactions, channels ----------------------------------------------------------

    /*! An interactive transaction (WebSocket only) on one socket. Its calls run inside the
        transaction, one after another in call order, until commit() or cancel(). Owned by
        \a parent (or by you); lives in the calling thread. */
    Transaction *transaction(QObject *parent = nullptr);

    /*! A connection on one socket whose calls run one after another in call order, each sent
        when the previous one was answered (save-then-reload, select-then-subscribe). Owned by
        \a parent (or by you); lives in the calling thread. */
    Channel *channel(QObject *parent = nullptr);

Q_SIGNALS:
    /*! use() succeeded on this connection's default session. */
    void databaseSelected(const QString &ns, const QString &db);

protected:
    /*! For the library's subclasses only. */
    explicit Connection(QObject *parent = nullptr);
};

} // namespace SurrealQt
