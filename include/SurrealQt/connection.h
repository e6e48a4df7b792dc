#pragma once

#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>
#include <SurrealQt/liveoptions.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/requestoptions.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QUuid>
#include <QtCore/QVariant>

namespace SurrealQt {

class Channel;
class LiveQuery;
class Transaction;
class RpcClient;
struct RpcRequest;

/*! The RPC surface of SurrealDB, shared by the pool, a single connection, a channel and a
    transaction.

    Every asynchronous call returns a QFuture that is finished on the manager's I/O thread, so a
    continuation without a context object runs there (docs/threading.md, "Where results arrive"):
    attach continuations with a context object, e.g. future.then(this, [](QVariantMap r) {...}),
    so they run on your thread, or co_await it through QCoro (docs/coroutines.md). Failures
    arrive as SurrealQt::Exception (see onFailed). Every call has a ...Sync twin that blocks the
    calling thread and throws SurrealQt::Exception; those are for worker threads and console
    tools and refuse to run on the I/O thread itself. Every call takes RequestOptions last
    (timeout, attached session, idempotent).

    Targets are typed: a SurrealQt::RecordId names one record, a SurrealQt::Table a table.
    Result shapes of the typed calls (docs/connections.md, "Result shapes"):
      - a call on a RecordId gives QVariantMap: the record, or an empty map when there is none
        (not found, or a write refused by permissions, which SurrealDB reports as "nothing");
      - a call on a Table gives QVariantList, one map per record (empty when there are none),
        except create(Table), which creates exactly one record and gives it as QVariantMap.
    The QVariant overloads give the server's reply as it came (for ranges, lists of ids, or
    generated targets). A string target there is a table name ("person") or, with a ':',
    record-id text read by RecordId::fromString ("person:1", "person:⟨a b⟩"), the one reading of
    that text across the library; text with a ':' that is not a record id ("person:a b") fails
    with a Validation error. insert/insertRelation take a table only: "person:1" is refused there.

    Ordering: the server runs the requests of one socket concurrently, so calls made one after
    another on a pool or a single connection may run in any order. A Transaction and a Channel
    run their calls one after another in call order. See docs/connections.md, "Ordering". */
class SURREALQT_EXPORT Connection : public QObject
{
    Q_OBJECT

public:
    ~Connection() override;

    /*! Any RPC method by name; the typed calls below are thin wrappers around it. */
    QFuture<QVariant> call(const QString &method, const QVariantList &params = {},
                           const RequestOptions &options = {});
    /*! Blocking call(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant callSync(const QString &method, const QVariantList &params = {},
                      const RequestOptions &options = {});

    /*! Values reach SurrealQL only through vars: reference them as $name in the text. */
    QFuture<QueryResult> query(const QString &surrealql, const QVariantMap &vars = {},
                               const RequestOptions &options = {});
    /*! Blocking query(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QueryResult querySync(const QString &surrealql, const QVariantMap &vars = {},
                          const RequestOptions &options = {});

    /*! --- Typed calls ------------------------------------------------------------------- */
    QFuture<QVariantMap> select(const RecordId &id, const RequestOptions &options = {});
    /*! Every record of table, one map each; an empty list when there are none. */
    QFuture<QVariantList> select(const Table &table, const RequestOptions &options = {});
    /*! Creates the record id with data; the record as stored. Fails with AlreadyExists when the id is taken.
     */
    QFuture<QVariantMap> create(const RecordId &id, const QVariantMap &data = {},
                                const RequestOptions &options = {});
    /*! One record with a generated id. */
    QFuture<QVariantMap> create(const Table &table, const QVariantMap &data = {},
                                const RequestOptions &options = {});
    /*! Inserts one record into table (its "id" chooses the key); the record as stored. */
    QFuture<QVariantMap> insert(const Table &table, const QVariantMap &record,
                                const RequestOptions &options = {});
    /*! Inserts records into table in one request; the records as stored, in order. */
    QFuture<QVariantList> insert(const Table &table, const QVariantList &records,
                                 const RequestOptions &options = {});
    /*! data becomes the whole content (update), or the content of a record created when absent
        (upsert): fields not in data are removed, and an empty map leaves only the id. data has
        no default, so that a call cannot empty records by leaving it out; use merge() to change
        some fields. */
    QFuture<QVariantMap> update(const RecordId &id, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! Replaces the content of every record of table with data; the records after the update. */
    QFuture<QVariantList> update(const Table &table, const QVariantMap &data,
                                 const RequestOptions &options = {});
    /*! Replaces the record's content with data, creating the record when it is missing; the record as stored.
     */
    QFuture<QVariantMap> upsert(const RecordId &id, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! upsert() of every record of table; the records as stored. */
    QFuture<QVariantList> upsert(const Table &table, const QVariantMap &data,
                                 const RequestOptions &options = {});
    /*! Merges data into the record (other fields stay); the record after the merge, an empty map when there
     * is none. */
    QFuture<QVariantMap> merge(const RecordId &id, const QVariantMap &data,
                               const RequestOptions &options = {});
    /*! Merges data into every record of table; the records after the merge. */
    QFuture<QVariantList> merge(const Table &table, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! JSON Patch operations; gives the record after the patch. */
    QFuture<QVariantMap> patch(const RecordId &id, const QVariantList &operations,
                               const RequestOptions &options = {});
    /*! Applies JSON Patch operations to every record of table; the records after the patch. */
    QFuture<QVariantList> patch(const Table &table, const QVariantList &operations,
                                const RequestOptions &options = {});
    /*! Gives what was deleted. */
    QFuture<QVariantMap> remove(const RecordId &id, const RequestOptions &options = {});
    /*! Deletes every record of table; the records as they were. */
    QFuture<QVariantList> remove(const Table &table, const RequestOptions &options = {});
    /*! One edge from -> edge -> to. */
    QFuture<QVariantMap> relate(const RecordId &from, const Table &edge, const RecordId &to,
                                const QVariantMap &data = {}, const RequestOptions &options = {});

    /*! Blocking select(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap selectSync(const RecordId &id, const RequestOptions &options = {});
    /*! Blocking select(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList selectSync(const Table &table, const RequestOptions &options = {});
    /*! Blocking create(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap createSync(const RecordId &id, const QVariantMap &data = {},
                           const RequestOptions &options = {});
    /*! Blocking create(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap createSync(const Table &table, const QVariantMap &data = {},
                           const RequestOptions &options = {});
    /*! Blocking insert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap insertSync(const Table &table, const QVariantMap &record, const RequestOptions &options = {});
    /*! Blocking insert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList insertSync(const Table &table, const QVariantList &records,
                            const RequestOptions &options = {});
    /*! Blocking update(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap updateSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking update(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList updateSync(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking upsert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap upsertSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking upsert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList upsertSync(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking merge(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap mergeSync(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking merge(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList mergeSync(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Blocking patch(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap patchSync(const RecordId &id, const QVariantList &operations,
                          const RequestOptions &options = {});
    /*! Blocking patch(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList patchSync(const Table &table, const QVariantList &operations,
                           const RequestOptions &options = {});
    /*! Blocking remove(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap removeSync(const RecordId &id, const RequestOptions &options = {});
    /*! Blocking remove(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantList removeSync(const Table &table, const RequestOptions &options = {});
    /*! Blocking relate(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap relateSync(const RecordId &from, const Table &edge, const RecordId &to,
                           const QVariantMap &data = {}, const RequestOptions &options = {});

    /*! --- Untyped calls: the target and the reply pass through unchanged ------------------- */
    QFuture<QVariant> select(const QVariant &what, const RequestOptions &options = {});
    /*! CREATE on any target (a table, a record id, record-id text); the server's reply as it came. */
    QFuture<QVariant> create(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! INSERT of a record or a list of records into table (not a record id); the reply as it came. */
    QFuture<QVariant> insert(const QVariant &table, const QVariant &data, const RequestOptions &options = {});
    /*! INSERT RELATION: edge records with in and out into table; the reply as it came. */
    QFuture<QVariant> insertRelation(const QVariant &table, const QVariant &data,
                                     const RequestOptions &options = {});
    /*! UPDATE (replace) on any target; the reply as it came. */
    QFuture<QVariant> update(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! UPSERT on any target; the reply as it came. */
    QFuture<QVariant> upsert(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! MERGE on any target; the reply as it came. */
    QFuture<QVariant> merge(const QVariant &what, const QVariant &data, const RequestOptions &options = {});
    /*! What patch() on an untyped target returns: the records after the patch, or the patch operations
     * applied (a diff). */
    enum class PatchResult { Record, Diff };
    /*! JSON Patch on any target; result chooses records or the diff. */
    QFuture<QVariant> patch(const QVariant &what, const QVariantList &operations,
                            PatchResult result = PatchResult::Record, const RequestOptions &options = {});
    /*! DELETE on any target (a table, a record id, a range); what was deleted. */
    QFuture<QVariant> remove(const QVariant &what, const RequestOptions &options = {});
    /*! RELATE from -> edge -> to with data, any targets (e.g. lists of ids); the reply as it came. */
    QFuture<QVariant> relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                             const QVariant &data = {}, const RequestOptions &options = {});
    /*! Runs a SurrealQL function (fn::name, or a built-in such as math::max) with args; version picks a
     * version of an ML model. Its return value. */
    QFuture<QVariant> run(const QString &function, const QVariantList &args = {}, const QString &version = {},
                          const RequestOptions &options = {});

    /*! Blocking select(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant selectSync(const QVariant &what, const RequestOptions &options = {});
    /*! Blocking create(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant createSync(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Blocking insert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant insertSync(const QVariant &table, const QVariant &data, const RequestOptions &options = {});
    /*! Blocking insertRelation(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant insertRelationSync(const QVariant &table, const QVariant &data,
                                const RequestOptions &options = {});
    /*! Blocking update(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant updateSync(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Blocking upsert(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant upsertSync(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Blocking merge(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant mergeSync(const QVariant &what, const QVariant &data, const RequestOptions &options = {});
    /*! Blocking patch(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant patchSync(const QVariant &what, const QVariantList &operations,
                       PatchResult result = PatchResult::Record, const RequestOptions &options = {});
    /*! Blocking remove(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant removeSync(const QVariant &what, const RequestOptions &options = {});
    /*! Blocking relate(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant relateSync(const QVariant &from, const QVariant &edge, const QVariant &to,
                        const QVariant &data = {}, const RequestOptions &options = {});
    /*! Blocking run(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant runSync(const QString &function, const QVariantList &args = {}, const QString &version = {},
                     const RequestOptions &options = {});

    /*! --- Session ---------------------------------------------------------------------------
        Session state. On a pool these apply to every socket, and they are replayed after a
        reconnect. signup() on a pool signs up once and the other sockets take its token. */
    QFuture<void> use(const QString &ns, const QString &db, const RequestOptions &options = {});
    /*! Defines the session variable $name for later queries; replayed after a reconnect, and on every socket
     * of a pool. */
    QFuture<void> let(const QString &name, const QVariant &value, const RequestOptions &options = {});
    /*! Removes the session variable $name. */
    QFuture<void> unset(const QString &name, const RequestOptions &options = {});
    /*! Returns the access token. */
    QFuture<QString> signin(const Credentials &credentials, const RequestOptions &options = {});
    /*! Signs up a record user (Credentials::recordAccess); the access token. */
    QFuture<QString> signup(const Credentials &credentials, const RequestOptions &options = {});
    /*! Authenticates the session with token. */
    QFuture<void> authenticate(const QString &token, const RequestOptions &options = {});
    /*! Ends the session's authentication (anonymous from then on). */
    QFuture<void> invalidate(const RequestOptions &options = {});
    /*! The server's info reply: a record user's own record ($auth); NONE unless the table's PERMISSIONS let
     * that user select it. */
    QFuture<QVariant> info(const RequestOptions &options = {});
    /*! The server's version text, e.g. "surrealdb-3.0.2". */
    QFuture<QString> version(const RequestOptions &options = {});
    /*! A round trip that does nothing; fails when the server does not answer. */
    QFuture<void> ping(const RequestOptions &options = {});
    /*! SurrealDB 3 sessions attached on this connection (not the default session). Attach and
        detach with call(u"attach"_s, {}, options) where options.session names the session; pass
        the same options to later calls to run them in it. The client mirrors each attached
        session's identity, namespace/database and variables and rebuilds it after a reconnect. */
    QFuture<QList<QUuid>> sessions(const RequestOptions &options = {});

    /*! Blocking use(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void useSync(const QString &ns, const QString &db, const RequestOptions &options = {});
    /*! Blocking let(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void letSync(const QString &name, const QVariant &value, const RequestOptions &options = {});
    /*! Blocking unset(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void unsetSync(const QString &name, const RequestOptions &options = {});
    /*! Blocking signin(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QString signinSync(const Credentials &credentials, const RequestOptions &options = {});
    /*! Blocking signup(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QString signupSync(const Credentials &credentials, const RequestOptions &options = {});
    /*! Blocking authenticate(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void authenticateSync(const QString &token, const RequestOptions &options = {});
    /*! Blocking invalidate(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void invalidateSync(const RequestOptions &options = {});
    /*! Blocking info(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariant infoSync(const RequestOptions &options = {});
    /*! Blocking version(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QString versionSync(const RequestOptions &options = {});
    /*! Blocking ping(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void pingSync(const RequestOptions &options = {});
    /*! Blocking sessions(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QList<QUuid> sessionsSync(const RequestOptions &options = {});

    /*! SurrealQL dump of the current database, and loading one (HTTP /export and /import). */
    QFuture<QString> exportDatabase(const RequestOptions &options = {});
    /*! Loads a SurrealQL dump into the current database (HTTP /import). */
    QFuture<void> importDatabase(const QString &surrealql, const RequestOptions &options = {});
    /*! Blocking exportDatabase(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QString exportDatabaseSync(const RequestOptions &options = {});
    /*! Blocking importDatabase(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void importDatabaseSync(const QString &surrealql, const RequestOptions &options = {});

    /*! --- Live queries, transactions, channels -------------------------------------------
        Live queries need a WebSocket. The object starts listening at once; it is re-registered
        transparently after a reconnect. Destroying it kills the query on the server. */
    LiveQuery *live(const Table &table, QObject *parent = nullptr);
    /*! A live query on table with options (records or JSON Patch diffs); see live(const Table &, QObject *).
     */
    LiveQuery *live(const Table &table, const LiveOptions &options, QObject *parent = nullptr);
    /*! A LIVE SELECT of your own (filters, projections), values as bind variables in vars. Note that a
        filtered live query does not report records that stop matching (docs/examples/advanced-patterns.md).
     */
    LiveQuery *liveQuery(const QString &surrealql, const QVariantMap &vars = {}, QObject *parent = nullptr);

    /*! An interactive transaction (WebSocket only). Its calls run inside the transaction, one
        after another in call order, until commit() or cancel(). */
    Transaction *transaction(QObject *parent = nullptr);

    /*! A connection on one socket whose calls run one after another in call order, each sent
        when the previous one was answered (save-then-reload, select-then-subscribe). */
    Channel *channel(QObject *parent = nullptr);

    /*! True when the connection uses WebSockets (live queries and transactions need them). */
    [[nodiscard]] virtual bool isWebSocket() const = 0;

Q_SIGNALS:
    /*! use() succeeded on this connection's default session. */
    void databaseSelected(const QString &ns, const QString &db);

protected:
    /*! For subclasses: the pool, a single connection, a channel and a transaction. */
    explicit Connection(QObject *parent = nullptr);

    /*! Sends one request; the implementation picks the socket. */
    virtual QFuture<QVariant> execute(const RpcRequest &request) = 0;
    /*! The client a live query or a transaction stays on. */
    virtual RpcClient *pinClient() = 0;
    /*! Creates the live query object; a Channel orders its registration among its calls. */
    virtual LiveQuery *startLive(const QString &method, const QVariantList &params, bool viaQuery,
                                 QObject *parent);
    /*! For subclasses: LiveQuery's constructor is reachable only through Connection. */
    static LiveQuery *newLiveQuery(RpcClient *client, const QString &method, const QVariantList &params,
                                   bool viaQuery, QObject *parent, const QFuture<void> &registerAfter);

    friend class Transaction;
    friend class LiveQuery;
    friend class Channel;

private:
    // Sends a request whose reply map() turns into a T on the I/O thread; cancel() on the
    // returned future reaches the request. Defined and used in connection.cpp only.
    template<typename T, typename Map>
    QFuture<T> mapped(const QString &method, const QVariantList &params, const RequestOptions &options,
                      Map map);
};

} // namespace SurrealQt
