#pragma once

#include <SurrealQt/connection.h>
#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <memory>

namespace SurrealQt {

class DatabaseManagerPrivate;
class LocalServer;

/*! Owns the connections to one SurrealDB deployment: a pool of WebSockets (or one socket,
    or HTTP), the I/O thread they run on, sign-in and the namespace/database selection.
    The transport follows the URL scheme: ws/wss give WebSockets, http/https give HTTP
    (stateless; no live queries or interactive transactions). Several URLs name the
    stateless nodes of one cluster; sockets spread across them.

    The manager speaks with one voice whatever the pool size: one state, one signedIn()
    per sign-in, one errorOccurred() per failure (the same error from several sockets is
    reported once). The example is compiled in tests/integration/doc_snippets_connection.cpp:

    \code
    auto *db = new SurrealQt::DatabaseManager(QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
                                              SurrealQt::Credentials::root(u"root"_s, u"root"_s), self);
    db->open()
        .then(self, [db] { return db->connection()->select(SurrealQt::Table(u"item"_s)); })
        .unwrap()
        .then(self, [](const QVariantList &items) { qInfo() << items.size() << "items"; })
        .onFailed(self, [](const SurrealQt::Exception &e) { qWarning() << e.error(); });
    \endcode */
class SURREALQT_EXPORT DatabaseManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QUrl url READ url CONSTANT)
    Q_PROPERTY(QString namespaceName READ namespaceName NOTIFY namespaceNameChanged)
    Q_PROPERTY(QString databaseName READ databaseName NOTIFY databaseNameChanged)
    Q_PROPERTY(int poolSize READ poolSize NOTIFY optionsChanged)
    Q_PROPERTY(bool usePool READ usePool NOTIFY optionsChanged)
    Q_PROPERTY(int maxRetries READ maxRetries NOTIFY optionsChanged)
    Q_PROPERTY(int maxReconnectAttempts READ maxReconnectAttempts NOTIFY optionsChanged)
    Q_PROPERTY(bool settingsFixed READ settingsFixed NOTIFY settingsFixedChanged)
    Q_PROPERTY(bool authenticated READ isAuthenticated NOTIFY authenticatedChanged)
    Q_PROPERTY(Error lastError READ lastError NOTIFY errorOccurred)

public:
    /*! Disconnected: no socket connected or trying; Connecting: a first connection under way;
        Connected: at least one socket connected and signed in; Reconnecting: a socket that was
        connected is trying again; Closed: close() was called (final). */
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    /*! A manager for the deployment at url (ws, wss, http or https), on namespace ns and database db,
        signing in with credentials (none: anonymous). Nothing connects before open() or connection(). */
    DatabaseManager(const QUrl &url, const QString &ns, const QString &db,
                    const Credentials &credentials = {}, QObject *parent = nullptr);
    /*! The same, with the socket options (a pool of how many sockets, or one). */
    DatabaseManager(const QUrl &url, const QString &ns, const QString &db, const Credentials &credentials,
                    const ConnectionOptions &options, QObject *parent = nullptr);
    /*! A manager over the stateless nodes of one cluster; the sockets spread over urls. */
    DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                    const Credentials &credentials = {}, QObject *parent = nullptr);
    /*! The same, with the socket options. */
    DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                    const Credentials &credentials, const ConnectionOptions &options,
                    QObject *parent = nullptr);
    /*! On a LocalServer (see localserver.h): its url and credentials, the server started if it
        is not. Until the server answers, the sockets keep retrying (up to the server's start
        timeout); if it cannot start, the manager is closed and server->lastError() says why. */
    DatabaseManager(LocalServer *server, const QString &ns, const QString &db, QObject *parent = nullptr);
    /*! The one-liner for apps: a manager on a LocalServer in LocalServer::defaultDataDirectory(),
        owned by the manager (localServer() returns it). */
    [[nodiscard]] static DatabaseManager *local(const QString &ns, const QString &db,
                                                QObject *parent = nullptr);
    ~DatabaseManager() override;

    /*! Settings. They are fixed once the sockets exist: the first open(), connection(), pool()
        or singleConnection() creates them with the settings of that moment (settingsFixed()
        turns true). Until then every setter applies and returns true (optionsChanged() when a
        value changed). Afterwards a setter changes nothing, logs a warning on
        surrealqt.connection and returns false, so the getters always tell what the sockets use;
        in-flight and later requests are unaffected. To change them, make a new manager (the QML
        Database does that when its url or poolSize changes). See docs/threading.md, "Ownership
        and settings". */
    bool setOptions(const ConnectionOptions &options);
    /*! The socket options (pool or single, pool size). */
    [[nodiscard]] ConnectionOptions options() const;
    /*! Clamped to at least 1; HTTP has one client whatever the size (poolSize() reports 1). */
    bool setPoolSize(int size);
    /*! Time a request may take, counted from the call (default 30 s; 0: none). Before the sockets exist only.
     */
    bool setRequestTimeout(std::chrono::milliseconds timeout);
    /*! The request timeout. */
    [[nodiscard]] std::chrono::milliseconds requestTimeout() const;
    /*! Time one WebSocket opening handshake may take (default 10 s; 0: none). Before the sockets exist only.
     */
    bool setConnectTimeout(std::chrono::milliseconds timeout);
    /*! The connect timeout. */
    [[nodiscard]] std::chrono::milliseconds connectTimeout() const;
    /*! Retries per socket after its first connection attempt failed, until it first connects
        (open() fails once every socket has used them up). Each failed try moves the socket on to
        the next of the cluster's URLs, so a dead node listed first costs one try, not all of them. */
    bool setMaxRetries(int retries);
    /*! Connection attempts per socket before its first connect. */
    [[nodiscard]] int maxRetries() const;
    /*! Attempts after a connected socket is lost; -1 (the default) = never give up. See docs/reliability.md.
     */
    bool setMaxReconnectAttempts(int attempts);
    /*! Attempts after a connected socket is lost; -1: never give up. */
    [[nodiscard]] int maxReconnectAttempts() const;
    /*! WebSocket liveness ping interval (default 30 s; 0: no periodic ping). Before the sockets exist only.
     */
    bool setKeepAliveInterval(std::chrono::milliseconds interval);
    /*! The keep-alive interval. */
    [[nodiscard]] std::chrono::milliseconds keepAliveInterval() const;
    /*! Delay before the k-th retry: uniform in [c/2, c], c = min(max, base * 2^k) (default 100 ms, 5 s).
        Before the sockets exist only. */
    bool setReconnectBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max);
    /*! True once the sockets exist; the setters above refuse from then on. */
    [[nodiscard]] bool settingsFixed() const;

    /*! The aggregate state over the sockets (see State). */
    [[nodiscard]] State state() const;
    /*! The first URL given. */
    [[nodiscard]] QUrl url() const;
    /*! Every URL given (the nodes of a cluster the sockets spread over). */
    [[nodiscard]] QList<QUrl> urls() const;
    /*! The namespace in use; follows a successful use() on connection(). */
    [[nodiscard]] QString namespaceName() const;
    /*! The database in use; follows a successful use() on connection(). */
    [[nodiscard]] QString databaseName() const;
    /*! The number of sockets (1 over HTTP and for ConnectionOptions::Sockets::Single). */
    [[nodiscard]] int poolSize() const;
    /*! True when connection() is a ConnectionPool, false for a SingleConnection. */
    [[nodiscard]] bool usePool() const;
    /*! The latest failure, also one errorOccurred() did not repeat; invalid before any. */
    [[nodiscard]] Error lastError() const;
    /*! Signed in (or no credentials needed) on at least one socket. */
    [[nodiscard]] bool isAuthenticated() const;
    /*! True for ws:// and wss:// URLs, false for HTTP. */
    [[nodiscard]] bool isWebSocket() const;

    /*! Connects, signs in and selects the namespace/database. Always settles: it fails
        after the connection's retries when the server is unreachable or refuses the login.
        Returns at once, never waiting for the I/O thread; the future finishes on the I/O thread
        (continue with then(context, ...); docs/threading.md, "Where results arrive"). */
    QFuture<void> open();
    /*! Blocks until open() settles; throws SurrealQt::Exception on failure. Not on the I/O thread. */
    void openSync();
    /*! Closes every socket. Every outstanding request completes with a Cancelled error. Returns
        at once, never waiting for the I/O thread: requests made afterwards fail with Cancelled. */
    void close();

    /*! The pool (usePool) or the single connection; owned by the manager. Created on first
        use and usable before open() completes: requests wait for the connection. */
    [[nodiscard]] Connection *connection();
    /*! The manager's pool (creates the sockets on first use); owned by the manager. */
    [[nodiscard]] class ConnectionPool *pool();
    /*! The single connection (creates the socket on first use); owned by the manager. */
    [[nodiscard]] class SingleConnection *singleConnection();

    /*! Python-seed names, for readers coming from there. */
    [[nodiscard]] Connection *getConnection() { return connection(); }

    /*! The LocalServer made by local(), or nullptr. */
    [[nodiscard]] LocalServer *localServer() const;

    /*! The thread the sockets and the decoding run on. */
    [[nodiscard]] QThread *ioThread() const;

Q_SIGNALS:
    /*! state() changed; in the manager's thread. */
    void stateChanged(SurrealQt::DatabaseManager::State state);
    /*! The state became Connected. */
    void connected();
    /*! The state left Connected. */
    void disconnected();
    /*! Once per sign-in of the manager, not once per socket: after open(), for each signin/
        signup/authenticate through connection(), each token renewal, and after a reconnect.
        (Named apart from the `authenticated` property, whose NOTIFY is authenticatedChanged:
        QML would otherwise see one name for a signal and a property.) */
    void signedIn();
    /*! isAuthenticated() changed. */
    void authenticatedChanged(bool authenticated);
    /*! Once per failure event (the same error from several sockets is reported once, until the
        manager is Connected again); in the manager's thread. lastError() keeps it. */
    void errorOccurred(const SurrealQt::Error &error);
    /*! A setter changed a setting (before the sockets exist). */
    void optionsChanged();
    /*! The sockets were created: the settings are fixed from now on. */
    void settingsFixedChanged(bool fixed);
    /*! namespaceName() changed. */
    void namespaceNameChanged(const QString &ns);
    /*! databaseName() changed. */
    void databaseNameChanged(const QString &db);

private:
    std::unique_ptr<DatabaseManagerPrivate> d;
};

} // namespace SurrealQt
