#pragma once

#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/requestoptions.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QVariant>

namespace SurrealQt {

class LiveQuery;
class Transaction;
class RpcClient;
struct RpcRequest;

// The RPC surface of SurrealDB, shared by the pool, a single connection and a transaction.
//
// Every asynchronous call returns a QFuture that is finished on the manager's I/O thread:
// attach continuations with a context object, e.g. future.then(this, [](QVariant v) {...}),
// so they run on your thread. Failures arrive as SurrealQt::Exception (see onFailed).
// The ...Sync twins block the calling thread and throw SurrealQt::Exception; they are for
// worker threads and console tools and refuse to run on the I/O thread itself.
//
// "what" arguments follow SurrealDB 3: a QString or SurrealQt::Table names a table, a
// SurrealQt::RecordId names one record. A string is never parsed as a record id.
class SURREALQT_EXPORT Connection : public QObject
{
    Q_OBJECT

public:
    ~Connection() override;

    // Any RPC method by name; the typed calls below are thin wrappers around it.
    QFuture<QVariant> call(const QString &method, const QVariantList &params = {},
                           const RequestOptions &options = {});
    QVariant callSync(const QString &method, const QVariantList &params = {},
                      const RequestOptions &options = {});

    // Values reach SurrealQL only through vars: reference them as $name in the text.
    QFuture<QueryResult> query(const QString &surrealql, const QVariantMap &vars = {});
    QueryResult querySync(const QString &surrealql, const QVariantMap &vars = {});

    QFuture<QVariant> select(const QVariant &what);
    QFuture<QVariant> create(const QVariant &what, const QVariant &data = {});
    QFuture<QVariant> insert(const QVariant &table, const QVariant &data);
    QFuture<QVariant> insertRelation(const QVariant &table, const QVariant &data);
    QFuture<QVariant> update(const QVariant &what, const QVariant &data = {});
    QFuture<QVariant> upsert(const QVariant &what, const QVariant &data = {});
    QFuture<QVariant> merge(const QVariant &what, const QVariant &data);
    QFuture<QVariant> patch(const QVariant &what, const QVariantList &operations, bool returnDiff = false);
    QFuture<QVariant> remove(const QVariant &what);
    QFuture<QVariant> relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                             const QVariant &data = {});
    QFuture<QVariant> run(const QString &function, const QVariantList &args = {},
                          const QString &version = {});

    QVariant selectSync(const QVariant &what);
    QVariant createSync(const QVariant &what, const QVariant &data = {});
    QVariant insertSync(const QVariant &table, const QVariant &data);
    QVariant updateSync(const QVariant &what, const QVariant &data = {});
    QVariant upsertSync(const QVariant &what, const QVariant &data = {});
    QVariant mergeSync(const QVariant &what, const QVariant &data);
    QVariant removeSync(const QVariant &what);
    QVariant relateSync(const QVariant &from, const QVariant &edge, const QVariant &to,
                        const QVariant &data = {});
    QVariant runSync(const QString &function, const QVariantList &args = {}, const QString &version = {});

    // Session state. On a pool these apply to every socket, and they are replayed after a reconnect.
    QFuture<void> use(const QString &ns, const QString &db);
    QFuture<void> let(const QString &name, const QVariant &value);
    QFuture<void> unset(const QString &name);
    // Returns the access token.
    QFuture<QString> signin(const Credentials &credentials);
    QFuture<QString> signup(const Credentials &credentials);
    QFuture<void> authenticate(const QString &token);
    QFuture<void> invalidate();
    QFuture<QVariant> info();
    QFuture<QString> version();
    QFuture<void> ping();
    // SurrealDB 3 sessions attached on this connection (not the default session). Attach and
    // detach with call(u"attach"_s, {}, options) where options.session names the session; pass
    // the same options to later calls to run them in it. The client mirrors each attached
    // session's identity, namespace/database and variables and rebuilds it after a reconnect.
    QFuture<QList<QUuid>> sessions();

    void useSync(const QString &ns, const QString &db);
    QString signinSync(const Credentials &credentials);
    QString versionSync();

    // SurrealQL dump of the current database, and loading one (HTTP /export and /import).
    QFuture<QString> exportDatabase();
    QFuture<void> importDatabase(const QString &surrealql);

    // Live queries need a WebSocket. The object starts listening at once; it is re-registered
    // transparently after a reconnect. Destroying it kills the query on the server.
    LiveQuery *live(const QVariant &table, bool diff = false, QObject *parent = nullptr);
    LiveQuery *liveQuery(const QString &surrealql, const QVariantMap &vars = {}, QObject *parent = nullptr);

    // An interactive transaction (WebSocket only). Its calls run inside the transaction
    // until commit() or cancel().
    Transaction *transaction(QObject *parent = nullptr);

    [[nodiscard]] virtual bool isWebSocket() const = 0;

protected:
    explicit Connection(QObject *parent = nullptr);

    // Sends one request; the implementation picks the socket.
    virtual QFuture<QVariant> execute(const RpcRequest &request) = 0;
    // The client a live query or a transaction stays on.
    virtual RpcClient *pinClient() = 0;

    friend class Transaction;
    friend class LiveQuery;
};

} // namespace SurrealQt
