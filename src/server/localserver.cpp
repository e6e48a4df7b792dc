#include <SurrealQt/exception.h>
#include <SurrealQt/localserver.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLockFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QPromise>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <dlfcn.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace SurrealQt {

Q_LOGGING_CATEGORY(lcLocalServer, "surrealqt.localserver", QtInfoMsg)

namespace {

constexpr auto kStateFile = "server.json";
constexpr auto kLockFile = "server.lock";
constexpr auto kCredentialsFile = "credentials.json";
constexpr auto kLogFile = "server.log";
constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// How the child is started: SurrealDB's own CLI, or the surreal-local launcher (Node).
enum class Flavour { Surreal, SurrealLocal };

struct Program
{
    QString path;
    Flavour flavour = Flavour::Surreal;
};

bool looksLikeLauncher(const QString &path)
{
    return QFileInfo(path).fileName() == u"surreal-local";
}

// The folder libSurrealQt was loaded from: the installed surreal-local lives beside it, under
// <prefix>/share, wherever the package was installed or moved to.
QString libraryDirectory()
{
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void *>(&LocalServer::staticMetaObject), &info) == 0 || !info.dli_fname)
        return {};
    return QFileInfo(QString::fromLocal8Bit(info.dli_fname)).absolutePath();
}

QStringList launcherCandidates()
{
    QStringList candidates;
    const QString libDir = libraryDirectory();
    if (!libDir.isEmpty()) {
        // <prefix>/lib[/<multiarch>]/libSurrealQt.so -> <prefix>/share/surrealqt/surreal-local
        candidates << QDir::cleanPath(libDir + u"/../share/surrealqt/surreal-local/surreal-local"_s)
                   << QDir::cleanPath(libDir + u"/../../share/surrealqt/surreal-local/surreal-local"_s);
    }
    candidates << QStringLiteral(SURREALQT_INSTALLED_SURREAL_LOCAL)
               << QStringLiteral(SURREALQT_SOURCE_SURREAL_LOCAL);
    candidates.removeDuplicates();
    return candidates;
}

bool launcherUsable(const QString &launcher)
{
    const QString dir = QFileInfo(launcher).absolutePath();
    return QFileInfo::exists(launcher) &&
           QFileInfo::exists(dir + u"/node_modules/@surrealdb/node/package.json"_s);
}

// Which server to run, or why none can be.
Program findProgram(const QString &configured, QString *why)
{
    if (!configured.isEmpty()) {
        if (!QFileInfo(configured).isExecutable() && !QStandardPaths::findExecutable(configured).isEmpty())
            return {QStandardPaths::findExecutable(configured), Flavour::Surreal};
        if (!QFileInfo::exists(configured)) {
            *why = u"the configured server program '%1' does not exist"_s.arg(configured);
            return {};
        }
        if (looksLikeLauncher(configured) && QStandardPaths::findExecutable(u"node"_s).isEmpty()) {
            *why = u"'%1' needs Node.js 20 or newer, and no 'node' is on PATH"_s.arg(configured);
            return {};
        }
        return {configured, looksLikeLauncher(configured) ? Flavour::SurrealLocal : Flavour::Surreal};
    }
    const QString surreal = QStandardPaths::findExecutable(u"surreal"_s);
    if (!surreal.isEmpty())
        return {surreal, Flavour::Surreal};
    QString launcher;
    for (const QString &candidate : launcherCandidates()) {
        if (launcherUsable(candidate)) {
            launcher = candidate;
            break;
        }
    }
    const bool node = !QStandardPaths::findExecutable(u"node"_s).isEmpty();
    if (!launcher.isEmpty() && node)
        return {launcher, Flavour::SurrealLocal};
    if (launcher.isEmpty())
        *why =
            u"no 'surreal' binary is on PATH and the surreal-local server installed with SurrealQt was not "
            u"found with its npm packages (looked for %1; run 'npm ci --omit=dev' in its folder)"_s.arg(
                launcherCandidates().join(u", "_s));
    else
        *why =
            u"no 'surreal' binary is on PATH, and the surreal-local server at %1 needs Node.js 20 or newer, "
            u"but no 'node' is on PATH"_s.arg(launcher);
    return {};
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool portIsFree(quint16 port)
{
    QTcpServer probe;
    return port != 0 && probe.listen(QHostAddress::LocalHost, port);
}

QString randomSecret()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

class LocalServerPrivate
{
public:
    LocalServer *q = nullptr;
    QString dataDirectory;
    LocalServer::Storage storage = LocalServer::Storage::Persistent;
    QString program;
    int maxRestarts = 5;
    std::chrono::milliseconds startTimeout = 60s;

    LocalServer::State state = LocalServer::State::NotRunning;
    QUrl url;
    quint16 port = 0;
    Credentials credentials;
    Error lastError;
    bool owner = false;
    bool stopping = false;
    bool wasRunning = false; // the next Running is a restart
    int failedStarts = 0;
    std::unique_ptr<QLockFile> lock;
    QProcess *process = nullptr;
    QTimer pollTimer;    // health checks while starting
    QTimer restartTimer; // back-off after the child died
    QTimer ownerTimer;   // a user of another process's server: is that process still there?
    QElapsedTimer startClock;
    QByteArray stderrTail;
    QList<std::shared_ptr<QPromise<void>>> waiting;

    QString file(const char *name) const { return dataDirectory + u'/' + QLatin1String(name); }
    bool persistent() const { return storage == LocalServer::Storage::Persistent; }

    void setState(LocalServer::State next)
    {
        if (state == next)
            return;
        state = next;
        Q_EMIT q->stateChanged(next);
    }

    void settle(const Error &error)
    {
        for (const auto &promise : std::exchange(waiting, {})) {
            if (error.isValid())
                promise->setException(Exception(error));
            promise->finish();
        }
    }

    void fail(const Error &error)
    {
        lastError = error;
        qCWarning(lcLocalServer).noquote() << error.message();
        pollTimer.stop();
        ownerTimer.stop();
        // A server that cannot run must not keep the folder from the next one that can.
        if (lock && owner)
            lock->unlock();
        lock.reset();
        owner = false;
        setState(LocalServer::State::Failed);
        Q_EMIT q->errorOccurred(error);
        settle(error);
    }

    bool prepareDirectory(QString *why)
    {
        if (!QDir().mkpath(dataDirectory)) {
            *why = u"cannot create the data folder %1"_s.arg(dataDirectory);
            return false;
        }
        QFile::setPermissions(dataDirectory, kOwnerOnly | QFileDevice::ExeOwner);
        return true;
    }

    // Generated once per data folder; only this user may read the file.
    bool loadCredentials(QString *why)
    {
        if (!persistent()) {
            credentials = Credentials::root(u"root"_s, randomSecret());
            return true;
        }
        QFile file(this->file(kCredentialsFile));
        if (file.open(QIODevice::ReadOnly)) {
            if (file.permissions() & ~(kOwnerOnly | QFileDevice::ReadUser | QFileDevice::WriteUser)) {
                qCWarning(lcLocalServer) << "the credentials file" << file.fileName()
                                         << "was readable by others; restricting it to its owner";
                file.setPermissions(kOwnerOnly);
            }
            const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
            if (o.value(u"user"_s).toString().isEmpty() || o.value(u"password"_s).toString().isEmpty()) {
                *why = u"the credentials file %1 is damaged; remove it only together with the data "
                       u"folder's database files"_s.arg(file.fileName());
                return false;
            }
            credentials = Credentials::root(o.value(u"user"_s).toString(), o.value(u"password"_s).toString());
            return true;
        }
        // Created empty with owner-only permissions before the secret is written into it.
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) || !file.setPermissions(kOwnerOnly)) {
            *why = u"cannot create the credentials file %1: %2"_s.arg(file.fileName(), file.errorString());
            return false;
        }
        credentials = Credentials::root(u"root"_s, randomSecret());
        file.write(QJsonDocument(QJsonObject{{u"user"_s, credentials.username()},
                                             {u"password"_s, credentials.password()}})
                       .toJson());
        return file.flush();
    }

    quint16 recordedPort() const
    {
        QFile file(this->file(kStateFile));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return quint16(QJsonDocument::fromJson(file.readAll()).object().value(u"port"_s).toInt());
    }

    void recordState()
    {
        QFile file(this->file(kStateFile));
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(
                QJsonDocument(QJsonObject{{u"port"_s, port}, {u"pid"_s, QCoreApplication::applicationPid()}})
                    .toJson());
    }

    void setPort(quint16 p)
    {
        port = p;
        const QUrl next(u"ws://127.0.0.1:%1"_s.arg(p));
        if (next != url) {
            url = next;
            Q_EMIT q->urlChanged(url);
        }
    }

    void start()
    {
        QString why;
        if (!prepareDirectory(&why) || !loadCredentials(&why))
            return fail(Error(Error::Kind::Connection, u"LocalServer: "_s + why, u"LocalServer"_s));
        if (!persistent()) {
            owner = true;
            setPort(freeLoopbackPort());
            return launch();
        }
        lock = std::make_unique<QLockFile>(file(kLockFile));
        // A crashed owner leaves the lock behind: QLockFile sees that its process is gone.
        lock->setStaleLockTime(0);
        if (lock->tryLock(0)) {
            becomeOwner();
            return;
        }
        useOthersServer();
    }

    void becomeOwner()
    {
        owner = true;
        ownerTimer.stop();
        const quint16 previous = recordedPort();
        // The same port as last time where possible, so that managers of other processes (and
        // ours after a restart) find the server again without being told.
        setPort(portIsFree(previous) ? previous : freeLoopbackPort());
        recordState();
        launch();
    }

    // Another process owns the data folder: wait for its server, and take over if it goes.
    void useOthersServer()
    {
        owner = false;
        // The owner writes the port right after taking the lock; give it a moment if needed.
        for (int i = 0; i < 100 && recordedPort() == 0; ++i)
            QThread::msleep(10);
        setPort(recordedPort());
        qCInfo(lcLocalServer).noquote()
            << "using the server another process runs on" << dataDirectory << "at" << url.toString();
        ownerTimer.start(1000);
        startClock.start();
        pollTimer.start(100);
    }

    void ownerCheck()
    {
        if (!lock || !lock->tryLock(0))
            return;
        qCInfo(lcLocalServer) << "the process that ran the server went away; taking it over";
        wasRunning = wasRunning || state == LocalServer::State::Running;
        setState(LocalServer::State::Restarting);
        becomeOwner();
    }

    QStringList arguments(const Program &p) const
    {
        const QString bind = u"127.0.0.1:%1"_s.arg(port);
        const QString data = dataDirectory + u"/data"_s;
        if (p.flavour == Flavour::SurrealLocal)
            return {p.path,
                    u"--bind"_s,
                    bind,
                    u"--storage"_s,
                    persistent() ? u"surrealkv:"_s + data : u"memory"_s,
                    u"--log-level"_s,
                    u"warn"_s};
        return {u"start"_s, u"--bind"_s, bind,
                u"--log"_s, u"warn"_s,   persistent() ? u"surrealkv://"_s + data : u"memory"_s};
    }

    void launch()
    {
        QString why;
        const Program p = findProgram(program, &why);
        if (p.path.isEmpty())
            return fail(Error(Error::Kind::Connection, u"LocalServer cannot start a server: "_s + why,
                              u"LocalServer"_s));
        if (port == 0)
            return fail(
                Error(Error::Kind::Connection, u"LocalServer: no free loopback port"_s, u"LocalServer"_s));

        delete process;
        process = new QProcess(q);
        // The secret goes through the environment (readable by this user only), never argv.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SURREAL_USER"_s, credentials.username());
        env.insert(u"SURREAL_PASS"_s, credentials.password());
        process->setProcessEnvironment(env);
        if (persistent())
            process->setStandardOutputFile(file(kLogFile), QIODevice::Append);
        else
            process->setStandardOutputFile(QProcess::nullDevice());
        QObject::connect(process, &QProcess::readyReadStandardError, q, [this] {
            const QByteArray chunk = process->readAllStandardError();
            if (persistent()) {
                QFile log(file(kLogFile));
                if (log.open(QIODevice::Append))
                    log.write(chunk);
            }
            stderrTail = (stderrTail + chunk).right(2048);
        });
        QObject::connect(process, &QProcess::errorOccurred, q, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                fail(
                    Error(Error::Kind::Connection,
                          u"LocalServer: cannot run %1: %2"_s.arg(process->program(), process->errorString()),
                          u"LocalServer"_s));
        });
        QObject::connect(
            process, &QProcess::finished, q,
            [this, pid = process](int code, QProcess::ExitStatus status) { exited(pid, code, status); });
        stderrTail.clear();
        const QString executable = p.flavour == Flavour::SurrealLocal ? u"bash"_s : p.path;
        qCInfo(lcLocalServer).noquote()
            << "starting" << p.path << "on" << url.toString() << "with"
            << (persistent() ? u"data in "_s + dataDirectory : u"memory storage"_s);
        process->start(executable, arguments(p));
        startClock.start();
        pollTimer.start(100);
    }

    // Health checks: the server counts as up once it accepts a connection and answers /health.
    void poll()
    {
        if (startClock.elapsed() > startTimeout.count()) {
            pollTimer.stop();
            if (process)
                process->kill();
            return fail(Error(
                Error::Kind::Timeout,
                u"LocalServer: the server did not answer within %1 ms%2"_s.arg(startTimeout.count())
                    .arg(stderrTail.isEmpty() ? QString() : u"; it said: "_s + QString::fromUtf8(stderrTail)),
                u"LocalServer"_s));
        }
        auto *socket = new QTcpSocket(q);
        QObject::connect(socket, &QTcpSocket::connected, socket, [socket] {
            socket->write(
                QByteArrayLiteral("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, this] {
            const bool ok = socket->peek(16).startsWith("HTTP/1.1 200");
            socket->abort();
            socket->deleteLater();
            if (ok)
                serverAnswered();
        });
        QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [socket] { socket->deleteLater(); });
        QTimer::singleShot(1000, socket, &QObject::deleteLater);
        socket->connectToHost(QHostAddress::LocalHost, port);
    }

    void serverAnswered()
    {
        if (!pollTimer.isActive())
            return;
        pollTimer.stop();
        failedStarts = 0;
        lastError = Error();
        setState(LocalServer::State::Running);
        qCInfo(lcLocalServer).noquote() << "the server answers at" << url.toString();
        Q_EMIT q->ready();
        if (std::exchange(wasRunning, true))
            Q_EMIT q->restarted();
        settle(Error());
    }

    void exited(QProcess *which, int code, QProcess::ExitStatus status)
    {
        if (which != process)
            return;
        if (stopping) {
            finishStop();
            return;
        }
        if (state == LocalServer::State::Failed)
            return;
        pollTimer.stop();
        const QString how =
            status == QProcess::CrashExit ? u"was killed"_s : u"exited with code %1"_s.arg(code);
        // A first start that never answered is a configuration problem, not a crash to retry.
        if (!wasRunning && state == LocalServer::State::Starting)
            return fail(
                Error(Error::Kind::Connection,
                      u"LocalServer: the server %1 before it answered%2"_s.arg(
                          how, stderrTail.isEmpty() ? QString() : u": "_s + QString::fromUtf8(stderrTail)),
                      u"LocalServer"_s));
        if (++failedStarts > maxRestarts)
            return fail(
                Error(Error::Kind::Connection,
                      u"LocalServer: the server %1 and did not come back after %2 restarts"_s.arg(how).arg(
                          maxRestarts),
                      u"LocalServer"_s));
        const auto backoff =
            std::min<std::chrono::milliseconds>(1000ms * (1 << std::min(failedStarts - 1, 5)), 30s);
        qCWarning(lcLocalServer).noquote()
            << u"the server %1; starting it again in %2 ms"_s.arg(how).arg(backoff.count());
        setState(LocalServer::State::Restarting);
        restartTimer.start(backoff);
    }

    void stop()
    {
        restartTimer.stop();
        pollTimer.stop();
        ownerTimer.stop();
        settle(Error(Error::Kind::Cancelled, u"LocalServer stopped"_s, u"LocalServer"_s));
        if (process && process->state() != QProcess::NotRunning) {
            stopping = true;
            // SIGTERM: the server closes its sockets and flushes the storage before exiting.
            process->terminate();
            return;
        }
        finishStop();
    }

    void finishStop()
    {
        stopping = false;
        if (process) {
            process->deleteLater();
            process = nullptr;
        }
        if (lock && owner)
            lock->unlock();
        lock.reset();
        owner = false;
        wasRunning = false;
        setState(LocalServer::State::NotRunning);
    }
};

LocalServer::LocalServer(QObject *parent)
    : LocalServer(defaultDataDirectory(), parent)
{}

LocalServer::LocalServer(const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , d(new LocalServerPrivate)
{
    d->q = this;
    d->dataDirectory = QDir::cleanPath(QDir(dataDirectory).absolutePath());
    d->pollTimer.setInterval(100);
    QObject::connect(&d->pollTimer, &QTimer::timeout, this, [this] { d->poll(); });
    d->restartTimer.setSingleShot(true);
    QObject::connect(&d->restartTimer, &QTimer::timeout, this, [this] { d->launch(); });
    QObject::connect(&d->ownerTimer, &QTimer::timeout, this, [this] { d->ownerCheck(); });
}

LocalServer::~LocalServer()
{
    d->restartTimer.stop();
    d->pollTimer.stop();
    d->ownerTimer.stop();
    if (d->process && d->process->state() != QProcess::NotRunning) {
        d->process->disconnect(this);
        d->process->terminate();
        if (!d->process->waitForFinished(10000)) {
            qCWarning(lcLocalServer) << "the server did not stop within 10 s; killing it";
            d->process->kill();
            d->process->waitForFinished(5000);
        }
    }
    d->settle(Error(Error::Kind::Cancelled, u"LocalServer destroyed"_s, u"LocalServer"_s));
}

QString LocalServer::defaultDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/surrealdb"_s;
}

void LocalServer::setDataDirectory(const QString &directory)
{
    const QString clean = QDir::cleanPath(QDir(directory).absolutePath());
    if (clean == d->dataDirectory)
        return;
    d->dataDirectory = clean;
    Q_EMIT dataDirectoryChanged(clean);
}

QString LocalServer::dataDirectory() const
{
    return d->dataDirectory;
}

void LocalServer::setStorage(Storage storage)
{
    if (storage == d->storage)
        return;
    d->storage = storage;
    Q_EMIT storageChanged(storage);
}

LocalServer::Storage LocalServer::storage() const
{
    return d->storage;
}

void LocalServer::setProgram(const QString &program)
{
    if (program == d->program)
        return;
    d->program = program;
    Q_EMIT programChanged(program);
}

QString LocalServer::program() const
{
    return d->program;
}

void LocalServer::setMaxRestarts(int restarts)
{
    d->maxRestarts = std::max(0, restarts);
}

int LocalServer::maxRestarts() const
{
    return d->maxRestarts;
}

void LocalServer::setStartTimeout(std::chrono::milliseconds timeout)
{
    d->startTimeout = timeout;
}

std::chrono::milliseconds LocalServer::startTimeout() const
{
    return d->startTimeout;
}

QFuture<void> LocalServer::start()
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    if (d->state == State::Running) {
        promise->finish();
        return future;
    }
    d->waiting.append(promise);
    if (d->state == State::Starting || d->state == State::Restarting)
        return future;
    d->failedStarts = 0;
    d->setState(State::Starting);
    d->start();
    return future;
}

bool LocalServer::waitForReady(int msecs)
{
    const auto settled = [this] {
        return d->state == State::Running || d->state == State::Failed || d->state == State::NotRunning;
    };
    if (settled())
        return d->state == State::Running;
    QEventLoop loop;
    connect(this, &LocalServer::stateChanged, &loop, [&] {
        if (settled())
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    if (msecs >= 0)
        deadline.start(msecs);
    loop.exec();
    return d->state == State::Running;
}

void LocalServer::stop()
{
    d->stop();
}

LocalServer::State LocalServer::state() const
{
    return d->state;
}

QUrl LocalServer::url() const
{
    return d->url;
}

Credentials LocalServer::credentials() const
{
    return d->credentials;
}

bool LocalServer::isOwner() const
{
    return d->owner;
}

qint64 LocalServer::processId() const
{
    return d->process ? d->process->processId() : 0;
}

Error LocalServer::lastError() const
{
    return d->lastError;
}

} // namespace SurrealQt
