#pragma once

#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <memory>

namespace SurrealQt {

class LocalServerPrivate;

/*! The database a desktop app ships with: a SurrealDB server started as a child process on a
    free loopback port, its data in the app's data folder, the way QtSql apps get SQLite.

    The server is a `surreal` binary when one is on PATH (or set with setProgram()), else the
    surreal-local server installed with SurrealQt (share/surrealqt/surreal-local; it needs
    Node.js 20 and its npm packages, see docs/localserver.md).

    - start() never blocks: it returns at once (url() and credentials() are known from then on)
      and the future finishes, with ready(), once the server answers.
    - The root credentials are generated once per data folder, kept in a file only this user can
      read (mode 0600), handed to the child through its environment, never on its command line
      and never logged.
    - A second process on the same data folder does not start a second server (which would
      corrupt the storage): it uses the running one (isOwner() is false) and takes over, on the
      same port, if the first process goes away.
    - A child that dies is started again with a growing back-off (1 s, 2 s, 4 s, … 30 s); after
      maxRestarts() failed starts in a row the state is Failed.
    - The object stops the child when it is destroyed, waiting up to 10 s for the storage to be
      flushed (call stop() earlier to keep that wait off the GUI thread).

    \code
    auto *server = new SurrealQt::LocalServer(this); // data in the app data folder
    auto *db = new SurrealQt::DatabaseManager(server, u"myapp"_s, u"main"_s, this);
    db->open(); // requests made before the server is up simply wait
    \endcode */
class SURREALQT_EXPORT LocalServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QUrl url READ url NOTIFY urlChanged)
    Q_PROPERTY(QString dataDirectory READ dataDirectory WRITE setDataDirectory NOTIFY dataDirectoryChanged)
    Q_PROPERTY(Storage storage READ storage WRITE setStorage NOTIFY storageChanged)
    Q_PROPERTY(QString program READ program WRITE setProgram NOTIFY programChanged)
    Q_PROPERTY(bool owner READ isOwner NOTIFY stateChanged)
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY errorOccurred)

public:
    /*! Where the server is in its life cycle. */
    enum class State {
        NotRunning, //!< not started, or stopped
        Starting,   //!< the child (or another process's server) is coming up
        Running,    //!< the server answers at url()
        Restarting, //!< the child died and is started again after a back-off
        Failed,     //!< could not start: lastError() says why
    };
    Q_ENUM(State)

    /*! Where the data lives. */
    enum class Storage {
        Persistent, //!< surrealkv files in dataDirectory(), kept across runs
        Memory,     //!< gone when the server stops; every process gets a server of its own
    };
    Q_ENUM(Storage)

    /*! The data folder is `<QStandardPaths::AppDataLocation>/surrealdb`. */
    explicit LocalServer(QObject *parent = nullptr);
    /*! A server whose data (and credentials) live in dataDirectory. */
    explicit LocalServer(const QString &dataDirectory, QObject *parent = nullptr);
    ~LocalServer() override;

    /*! `QStandardPaths::AppDataLocation` + "/surrealdb": the folder the first constructor uses. */
    [[nodiscard]] static QString defaultDataDirectory();

    /*! Settings take effect at the next start(). */
    void setDataDirectory(const QString &directory);
    /*! The data folder. */
    [[nodiscard]] QString dataDirectory() const;
    /*! Persistent (the default) or in memory; takes effect at the next start(). */
    void setStorage(Storage storage);
    /*! Where the data lives. */
    [[nodiscard]] Storage storage() const;
    /*! A `surreal` binary or the surreal-local launcher; empty (the default) searches as above. */
    void setProgram(const QString &program);
    /*! The program set with setProgram(); empty when it is searched. */
    [[nodiscard]] QString program() const;
    /*! Failed starts in a row before giving up (default 5). */
    void setMaxRestarts(int restarts);
    /*! Failed starts in a row before giving up. */
    [[nodiscard]] int maxRestarts() const;
    /*! How long one start may take until the server answers (default 60 s). */
    void setStartTimeout(std::chrono::milliseconds timeout);
    /*! How long one start may take. */
    [[nodiscard]] std::chrono::milliseconds startTimeout() const;

    /*! Finishes when the server answers; fails with the reason (Kind::Connection when no server
        program can be run, Kind::Timeout when it did not answer in time). Calling it again while
        starting or running returns the same outcome. */
    QFuture<void> start();
    /*! Blocks until the server answers (state Running) or gives up (Failed, NotRunning), at most
        \a msecs milliseconds (-1: no limit), running a local event loop meanwhile, like
        QProcess::waitForStarted(). Returns true when the server is Running. For start-up code
        before the application's event loop (`server.start(); if (!server.waitForReady()) ...`);
        never call it from a slot of a running GUI. Call it on the object's thread. Returns false at
        once when start() was not called. */
    bool waitForReady(int msecs = 60000);
    /*! Asynchronous: the state is NotRunning once the child has exited (or at once when this
        process only uses another one's server). */
    void stop();

    /*! Where the server is in its life cycle. */
    [[nodiscard]] State state() const;
    /*! ws://127.0.0.1:PORT, known from start() on (empty before). */
    [[nodiscard]] QUrl url() const;
    /*! Root credentials of this data folder (generated on the first start()). */
    [[nodiscard]] Credentials credentials() const;
    /*! True when this process runs the server, false when it uses another process's. */
    [[nodiscard]] bool isOwner() const;
    /*! The child's process id, 0 when this process does not run one. */
    [[nodiscard]] qint64 processId() const;
    /*! Why the last start failed; invalid once the server answers. */
    [[nodiscard]] Error lastError() const;

Q_SIGNALS:
    /*! state() changed. */
    void stateChanged(SurrealQt::LocalServer::State state);
    /*! The server answers at url(), after every start and restart. */
    void ready();
    /*! The server answers again after its child died (or after taking over from another process). */
    void restarted();
    /*! A start failed (see lastError()). */
    void errorOccurred(const SurrealQt::Error &error);
    /*! url() changed (a start picked a port). */
    void urlChanged(const QUrl &url);
    /*! dataDirectory() changed. */
    void dataDirectoryChanged(const QString &directory);
    /*! storage() changed. */
    void storageChanged(SurrealQt::LocalServer::Storage storage);
    /*! program() changed. */
    void programChanged(const QString &program);

private:
    friend class LocalServerPrivate;
    std::unique_ptr<LocalServerPrivate> d;
};

} // namespace SurrealQt
