#pragma once

#include <SurrealQt/connection.h>
#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <memory>

namespace SurrealQt {

class DatabaseManagerPrivate;

// Owns the connections to one SurrealDB deployment: a pool of WebSockets (or one socket,
// or HTTP), the I/O thread they run on, sign-in and the namespace/database selection.
// The transport follows the URL scheme: ws/wss give WebSockets, http/https give HTTP
// (stateless; no live queries or interactive transactions). Several URLs name the
// stateless nodes of one cluster; sockets spread across them.
//
//   auto *db = new SurrealQt::DatabaseManager(QUrl("ws://127.0.0.1:8000"), "shop", "main",
//                                             SurrealQt::Credentials::root("root", "root"), this);
//   db->open().then(this, [db] { return db->connection()->query("SELECT * FROM item"); }) ...
class SURREALQT_EXPORT DatabaseManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QUrl url READ url CONSTANT)
    Q_PROPERTY(QString namespaceName READ namespaceName CONSTANT)
    Q_PROPERTY(QString databaseName READ databaseName CONSTANT)
    Q_PROPERTY(int poolSize READ poolSize CONSTANT)
    Q_PROPERTY(bool usePool READ usePool CONSTANT)
    Q_PROPERTY(Error lastError READ lastError NOTIFY errorOccurred)

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    DatabaseManager(const QUrl &url, const QString &ns, const QString &db,
                    const Credentials &credentials = {}, int poolSize = 10, bool usePool = true,
                    QObject *parent = nullptr);
    DatabaseManager(const QList<QUrl> &urls, const QString &ns, const QString &db,
                    const Credentials &credentials = {}, int poolSize = 10, bool usePool = true,
                    QObject *parent = nullptr);
    ~DatabaseManager() override;

    // Settings; change them before open().
    void setRequestTimeout(std::chrono::milliseconds timeout);
    [[nodiscard]] std::chrono::milliseconds requestTimeout() const;
    void setConnectTimeout(std::chrono::milliseconds timeout);
    void setMaxRetries(int retries);
    [[nodiscard]] int maxRetries() const;
    void setKeepAliveInterval(std::chrono::milliseconds interval);
    void setReconnectBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max);

    [[nodiscard]] State state() const;
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QList<QUrl> urls() const;
    [[nodiscard]] QString namespaceName() const;
    [[nodiscard]] QString databaseName() const;
    [[nodiscard]] int poolSize() const;
    [[nodiscard]] bool usePool() const;
    [[nodiscard]] Error lastError() const;
    [[nodiscard]] bool isWebSocket() const;

    // Connects, signs in and selects the namespace/database. Always settles: it fails
    // after the connection's retries when the server is unreachable or refuses the login.
    QFuture<void> open();
    // Blocks until open() settles; throws SurrealQt::Exception on failure. Not on the I/O thread.
    void openSync();
    // Closes every socket. Every outstanding request completes with a Cancelled error.
    void close();

    // The pool (usePool) or the single connection; owned by the manager. Created on first
    // use and usable before open() completes: requests wait for the connection.
    [[nodiscard]] Connection *connection();
    [[nodiscard]] class ConnectionPool *pool();
    [[nodiscard]] class SingleConnection *singleConnection();

    // Python-seed names, for readers coming from there.
    [[nodiscard]] Connection *getConnection() { return connection(); }

    // The thread the sockets and the decoding run on.
    [[nodiscard]] QThread *ioThread() const;

Q_SIGNALS:
    void stateChanged(SurrealQt::DatabaseManager::State state);
    void connected();
    void disconnected();
    void authenticated();
    void errorOccurred(const SurrealQt::Error &error);

private:
    std::unique_ptr<DatabaseManagerPrivate> d;
};

} // namespace SurrealQt
