// LocalServer against the real engine it starts: data kept across app restarts, a killed child
// restarted, two processes on one data folder, the credentials' file and where the secret must
// never appear, and a clear error when no server program can run.
#include <SurrealQt/SurrealQt>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// One run of localserver_app; its "owner=… child=… values=…" lines.
struct AppRun
{
    int exitCode = -1;
    QStringList lines;
    QByteArray stderrText;
};

QProcess *startApp(const QStringList &args, bool verboseLogging = false)
{
    auto *p = new QProcess;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (verboseLogging)
        env.insert(u"QT_LOGGING_RULES"_s, u"surrealqt.*=true"_s);
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(LOCALSERVER_APP), args);
    return p;
}

AppRun finish(QProcess *p, int timeoutMs = 90000)
{
    AppRun run;
    if (!p->waitForFinished(timeoutMs))
        p->kill();
    p->waitForFinished(5000);
    run.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    run.lines = QString::fromUtf8(p->readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    run.stderrText = p->readAllStandardError();
    delete p;
    return run;
}

QString field(const QString &line, const QString &name)
{
    const auto m = QRegularExpression(name + u"=(\\S*)"_s).match(line);
    return m.captured(1);
}

bool waitForState(SurrealQt::LocalServer &server, SurrealQt::LocalServer::State state, int timeoutMs)
{
    return QTest::qWaitFor([&] { return server.state() == state; }, timeoutMs);
}

} // namespace

class tst_LocalServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dataSurvivesAppRestarts();
    void credentialsAreTheOwnersOnlyAndNeverShown();
    void killedServerIsRestartedAndTheManagerReconnects();
    void twoProcessesShareOneServerAndTheSecondTakesOver();
    void memoryStorageIsPrivateAndEmpty();
    void startFailsClearlyWithoutAServerProgram();
    void waitForReadyReturnsWhenTheServerAnswersFailsOrTimesOut();
};

void tst_LocalServer::dataSurvivesAppRestarts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(u"data"_s);

    const AppRun first = finish(startApp({data, u"write"_s, u"first"_s}));
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.lines.value(0).startsWith(u"owner=1"_s), qPrintable(first.lines.join(u'|')));
    QCOMPARE(field(first.lines.value(0), u"values"_s), u"first"_s);

    // A new process on the same folder: the stopped server's files are read again.
    const AppRun second = finish(startApp({data, u"write"_s, u"second"_s}));
    QCOMPARE(second.exitCode, 0);
    QCOMPARE(field(second.lines.value(0), u"values"_s), u"first,second"_s);
}

void tst_LocalServer::credentialsAreTheOwnersOnlyAndNeverShown()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(u"data"_s);
    QProcess *app = startApp({data, u"hold"_s, u"3"_s, u"x"_s}, /*verboseLogging=*/true);
    QVERIFY(app->waitForReadyRead(60000));
    const QString line = QString::fromUtf8(app->readLine()).trimmed();
    QVERIFY2(line.startsWith(u"owner=1"_s), qPrintable(line));
    const qint64 child = field(line, u"child"_s).toLongLong();
    QVERIFY(child > 0);

    QFile credentials(data + u"/credentials.json"_s);
    QVERIFY(credentials.exists());
    QCOMPARE(credentials.permissions() & ~(QFile::ReadUser | QFile::WriteUser),
             QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(credentials.open(QIODevice::ReadOnly));
    const QString secret =
        QJsonDocument::fromJson(credentials.readAll()).object().value(u"password"_s).toString();
    QVERIFY2(secret.size() >= 32, "a generated secret, not a fixed word");
    QVERIFY(secret != u"root"_s);

    // Not on the child's command line, which every user of the machine can read.
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(child));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray argv = cmdline.readAll();
    QVERIFY(argv.contains("--bind"));
    QVERIFY(!argv.contains(secret.toUtf8()));

    const AppRun run = finish(app);
    QCOMPARE(run.exitCode, 0);
    // Every log line the library wrote (all categories on), and the server's own log.
    QVERIFY(run.stderrText.contains("surrealqt.localserver"));
    QVERIFY(!run.stderrText.contains(secret.toUtf8()));
    QFile serverLog(data + u"/server.log"_s);
    QVERIFY(serverLog.open(QIODevice::ReadOnly));
    QVERIFY(!serverLog.readAll().contains(secret.toUtf8()));
}

void tst_LocalServer::killedServerIsRestartedAndTheManagerReconnects()
{
    QTemporaryDir dir;
    SurrealQt::LocalServer server(dir.filePath(u"data"_s));
    QSignalSpy restarted(&server, &SurrealQt::LocalServer::restarted);
    SurrealQt::DatabaseManager db(&server, u"app"_s, u"main"_s);
    db.open();
    QVERIFY(waitForState(server, SurrealQt::LocalServer::State::Running, 60000));
    const QUrl url = server.url();
    QVERIFY(
        QTest::qWaitFor([&] { return db.state() == SurrealQt::DatabaseManager::State::Connected; }, 30000));
    auto created = db.connection()->query(u"CREATE note:one SET v = 1"_s);
    QVERIFY(QTest::qWaitFor([&] { return created.isFinished(); }, 10000));
    QVERIFY(!created.isCanceled());

    const qint64 pid = server.processId();
    QVERIFY(pid > 0);
    ::kill(pid_t(pid), SIGKILL);
    QVERIFY(
        QTest::qWaitFor([&] { return server.state() == SurrealQt::LocalServer::State::Restarting; }, 10000));
    QVERIFY(waitForState(server, SurrealQt::LocalServer::State::Running, 60000));
    QCOMPARE(restarted.size(), 1);
    QCOMPARE(server.url(), url); // the same port: the manager finds it again without being told
    QVERIFY(server.processId() != pid);

    QVERIFY(
        QTest::qWaitFor([&] { return db.state() == SurrealQt::DatabaseManager::State::Connected; }, 30000));
    QFuture<SurrealQt::QueryResult> read;
    // The first request after the reconnect may race the resubscription; retry until it answers.
    QVERIFY(QTest::qWaitFor(
        [&] {
            if (!read.isValid() || (read.isFinished() && read.isCanceled()))
                read = db.connection()->query(u"SELECT VALUE v FROM note:one"_s);
            return read.isFinished() && !read.isCanceled();
        },
        30000));
    QCOMPARE(read.result().value(0).toList(), QVariantList{1});
}

void tst_LocalServer::twoProcessesShareOneServerAndTheSecondTakesOver()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(u"data"_s);
    QProcess *first = startApp({data, u"hold"_s, u"4"_s, u"a"_s});
    QVERIFY(first->waitForReadyRead(60000));
    const QString firstLine = QString::fromUtf8(first->readLine()).trimmed();
    QVERIFY2(firstLine.startsWith(u"owner=1"_s), qPrintable(firstLine));

    QProcess *second = startApp({data, u"hold"_s, u"12"_s, u"b"_s});
    QVERIFY(second->waitForReadyRead(60000));
    const QString secondLine = QString::fromUtf8(second->readLine()).trimmed();
    // No server of its own: it writes into the first process's.
    QCOMPARE(field(secondLine, u"owner"_s), u"0"_s);
    QCOMPARE(field(secondLine, u"child"_s), u"0"_s);
    QCOMPARE(field(secondLine, u"values"_s), u"a,b"_s);

    const AppRun firstRun = finish(first);
    QCOMPARE(firstRun.exitCode, 0);
    // The first process has gone with its server; the second took the folder over and still
    // sees everything.
    const AppRun secondRun = finish(second);
    QCOMPARE(secondRun.exitCode, 0);
    const QString last = secondRun.lines.value(0);
    QCOMPARE(field(last, u"owner"_s), u"1"_s);
    QCOMPARE(field(last, u"values"_s), u"a,b"_s);
}

void tst_LocalServer::memoryStorageIsPrivateAndEmpty()
{
    QTemporaryDir dir;
    SurrealQt::LocalServer server(dir.filePath(u"data"_s));
    server.setStorage(SurrealQt::LocalServer::Storage::Memory);
    SurrealQt::DatabaseManager db(&server, u"app"_s, u"main"_s);
    QFuture<void> opened = db.open();
    QVERIFY(QTest::qWaitFor([&] { return opened.isFinished(); }, 60000));
    QVERIFY(!opened.isCanceled());
    QVERIFY(server.isOwner());
    QVERIFY(!QFile::exists(dir.filePath(u"data/credentials.json"_s)));
    server.stop();
    QVERIFY(waitForState(server, SurrealQt::LocalServer::State::NotRunning, 20000));
    QCOMPARE(server.processId(), 0);
}

void tst_LocalServer::startFailsClearlyWithoutAServerProgram()
{
    QTemporaryDir dir;
    QTemporaryDir emptyPath;
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", emptyPath.path().toLocal8Bit());
    SurrealQt::LocalServer server(dir.filePath(u"data"_s));
    QSignalSpy failed(&server, &SurrealQt::LocalServer::errorOccurred);
    QFuture<void> started = server.start();
    qputenv("PATH", path);
    QVERIFY(QTest::qWaitFor([&] { return started.isFinished(); }, 5000));
    QCOMPARE(server.state(), SurrealQt::LocalServer::State::Failed);
    QCOMPARE(failed.size(), 1);
    const SurrealQt::Error error = server.lastError();
    QCOMPARE(error.kind(), SurrealQt::Error::Kind::Connection);
    QVERIFY2(error.message().contains(u"surreal"_s) && error.message().contains(u"Node.js"_s),
             qPrintable(error.message()));
    bool threw = false;
    try {
        started.waitForFinished();
    } catch (const SurrealQt::Exception &e) {
        threw = e.error().kind() == SurrealQt::Error::Kind::Connection;
    }
    QVERIFY(threw);

    // A program that does not exist is named in the error.
    SurrealQt::LocalServer other(dir.filePath(u"data"_s));
    other.setProgram(u"/nonexistent/surreal"_s);
    other.start();
    QCOMPARE(other.state(), SurrealQt::LocalServer::State::Failed);
    QVERIFY2(other.lastError().message().contains(u"/nonexistent/surreal"_s),
             qPrintable(other.lastError().message()));
}

void tst_LocalServer::waitForReadyReturnsWhenTheServerAnswersFailsOrTimesOut()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    // Not started: nothing to wait for.
    SurrealQt::LocalServer idle(dir.filePath(u"idle"_s));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!idle.waitForReady(5000));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));

    // Started: true once it answers, with the event loop running meanwhile (ready() delivered).
    SurrealQt::LocalServer server(dir.filePath(u"data"_s));
    server.setStorage(SurrealQt::LocalServer::Storage::Memory);
    QSignalSpy ready(&server, &SurrealQt::LocalServer::ready);
    server.start();
    QCOMPARE(server.state(), SurrealQt::LocalServer::State::Starting);
    QVERIFY(server.waitForReady(60000));
    QCOMPARE(server.state(), SurrealQt::LocalServer::State::Running);
    QCOMPARE(ready.size(), 1);
    QVERIFY(server.waitForReady(0)); // already running
    server.stop();
    QVERIFY(waitForState(server, SurrealQt::LocalServer::State::NotRunning, 20000));

    // A program that never answers: false after the given time, still Starting.
    const QString silent = dir.filePath(u"silent.sh"_s);
    {
        QFile script(silent);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nexec sleep 30\n");
    }
    QFile::setPermissions(silent, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    SurrealQt::LocalServer mute(dir.filePath(u"mute"_s));
    mute.setStorage(SurrealQt::LocalServer::Storage::Memory);
    mute.setProgram(silent);
    mute.start();
    clock.restart();
    QVERIFY(!mute.waitForReady(400));
    const qint64 waited = clock.elapsed();
    QVERIFY2(waited >= 400 && waited < 3000, qPrintable(QString::number(waited)));
    QCOMPARE(mute.state(), SurrealQt::LocalServer::State::Starting);
    mute.stop();

    // A start that fails at once: false at once.
    SurrealQt::LocalServer broken(dir.filePath(u"broken"_s));
    broken.setProgram(u"/nonexistent/surreal"_s);
    broken.start();
    clock.restart();
    QVERIFY(!broken.waitForReady(5000));
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(broken.state(), SurrealQt::LocalServer::State::Failed);
}

QTEST_GUILESS_MAIN(tst_LocalServer)
#include "tst_localserver.moc"
