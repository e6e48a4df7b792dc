// The GUI example apps (examples/contacts, examples/qml-tasks) as a person starts them: the real
// binaries, as processes, offscreen, against the fixture's server.
// - Started without an action flag, each app is an interactive window: it is still running
//   10 s later (contacts used to quit a second after its table loaded).
// - The failure modes a person runs into first, a wrong password and a URL where no server
//   listens, end a scripted run with the exit code the app's README gives (5 and 1), a status line
//   in words ("connection failed: …", no library internals), and for --screenshot a PNG of the
//   window showing that message in its connection bar, promptly rather than at the timeout.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtGui/QImage>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

// How long an interactive start must last without anyone closing the window.
constexpr int StaysOpenMs = 10000;
// A failure the app knows at once (refused password, refused port) must end a scripted run well
// before its --timeout; the bound leaves room for a loaded CI box.
constexpr int FailsWithinMs = 20000;

// A local port nothing listens on (bound, then released).
QUrl deadUrl()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(port));
}

struct App
{
    QString name;
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();

    void start(const QString &program, const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        process->setProcessEnvironment(env);
        process->start(program, args);
    }
    QString output() const
    {
        return QString::fromUtf8(process->readAllStandardOutput() + process->readAllStandardError());
    }
    // Ends an app that is still running (SIGTERM, then SIGKILL).
    void stop()
    {
        if (process->state() == QProcess::NotRunning)
            return;
        process->terminate();
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
    ~App() { stop(); }
};

} // namespace

class TestExampleApps : public QObject
{
    Q_OBJECT

    QStringList serverArgs(const QString &ns) const
    {
        return {u"--url"_s,  TestServer::url().toString(), u"--user"_s,      TestServer::user(),
                u"--pass"_s, TestServer::pass(),           u"--namespace"_s, ns};
    }

    qint64 contactsInDb(const QString &ns)
    {
        DatabaseManager db(TestServer::url(), ns, u"contacts"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        if (!settle(db.open()))
            return -2;
        const QueryResult r =
            SyncConnection(db.connection()).query(u"SELECT count() FROM contact GROUP ALL"_s);
        return r.isOk() ? r.last().toList().value(0).toMap().value(u"count"_s).toLongLong() : -1;
    }

private Q_SLOTS:
    void staysOpenWithoutActionFlags()
    {
        // Both at once: the 10 s are spent once.
        const QString ns = TestServer::uniqueName("apps_open_");
        std::vector<std::unique_ptr<App>> apps;
        apps.push_back(std::make_unique<App>());
        apps.back()->name = u"contacts"_s;
        apps.back()->start(QStringLiteral(CONTACTS_APP), serverArgs(ns));
#ifdef QML_TASKS_APP
        apps.push_back(std::make_unique<App>());
        apps.back()->name = u"qml-tasks"_s;
        apps.back()->start(QStringLiteral(QML_TASKS_APP), serverArgs(ns));
#endif
        for (const auto &app : apps)
            QVERIFY2(app->process->waitForStarted(5000), qPrintable(app->name));
        QElapsedTimer t;
        t.start();
        // contacts seeds an empty database: its table loaded, so it was not simply stuck.
        QTRY_COMPARE_WITH_TIMEOUT(contactsInDb(ns), 10, StaysOpenMs);
        QTest::qWait(int(std::max<qint64>(0, StaysOpenMs - t.elapsed())));
        for (const auto &app : apps) {
            QVERIFY2(app->process->state() == QProcess::Running,
                     qPrintable(u"%1 exited by itself (code %2) within %3 ms:\n%4"_s.arg(app->name)
                                    .arg(app->process->exitCode())
                                    .arg(StaysOpenMs)
                                    .arg(app->output())));
        }
        for (const auto &app : apps)
            app->stop();
    }

    void contactsExitCodes_data()
    {
        QTest::addColumn<bool>("badPassword");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        // README: "5 database error", "1 bad command line or no server".
        QTest::newRow("wrong password") << true << 5 << u"refused user \"%1\" with this password"_s;
        QTest::newRow("dead url") << false << 1 << u"Could not reach a SurrealDB server at"_s;
    }

    void contactsExitCodes()
    {
        QFETCH(bool, badPassword);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        App app;
        const QString ns = TestServer::uniqueName("apps_fail_");
        QStringList args = serverArgs(ns);
        if (badPassword)
            args[5] = u"wrong"_s;
        else
            args[1] = deadUrl().toString();
        app.start(QStringLiteral(CONTACTS_APP),
                  args + QStringList{u"--dump-rows"_s, u"--timeout"_s, u"60"_s});
        QElapsedTimer t;
        t.start();
        QVERIFY(app.process->waitForFinished(FailsWithinMs));
        const QString err = QString::fromUtf8(app.process->readAllStandardError());
        QVERIFY2(app.process->exitStatus() == QProcess::NormalExit, qPrintable(err));
        QVERIFY2(app.process->exitCode() == exitCode,
                 qPrintable(u"exit %1, not %2:\n%3"_s.arg(app.process->exitCode()).arg(exitCode).arg(err)));
        // The status line: "connection failed: " and the sentence the window shows.
        const QString line = err.section(u"connection failed: "_s, 1).section(u'\n', 0, 0);
        QVERIFY2(line.contains(badPassword ? says.arg(TestServer::user()) : says), qPrintable(err));
        QCOMPARE(app.process->readAllStandardOutput(), QByteArray());
        qInfo("exit %d after %lld ms", exitCode, (long long)t.elapsed());
    }

    void failureScreenshots_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<bool>("badPassword");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        const QString wrongPassword = u"refused user \"%1\" with this password"_s.arg(TestServer::user());
        const QString noServer = u"Could not reach a SurrealDB server at"_s;
        QTest::newRow("contacts, wrong password")
            << QStringLiteral(CONTACTS_APP) << true << 5 << wrongPassword;
        QTest::newRow("contacts, dead url") << QStringLiteral(CONTACTS_APP) << false << 1 << noServer;
#ifdef QML_TASKS_APP
        QTest::newRow("qml-tasks, wrong password")
            << QStringLiteral(QML_TASKS_APP) << true << 5 << wrongPassword;
        QTest::newRow("qml-tasks, dead url") << QStringLiteral(QML_TASKS_APP) << false << 1 << noServer;
#endif
    }

    void failureScreenshots()
    {
        QFETCH(QString, program);
        QFETCH(bool, badPassword);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        // Kept for a look (the PNG must show the message): <build>/tests/examples/failure-*.png.
        const QString png = QDir::current().absoluteFilePath(u"failure-%1.png"_s.arg(
            QString::fromUtf8(QTest::currentDataTag()).replace(u", "_s, u"-"_s).replace(u' ', u'-')));
        QFile::remove(png);
        App app;
        QStringList args = serverArgs(TestServer::uniqueName("apps_shot_"));
        if (badPassword)
            args[5] = u"wrong"_s;
        else
            args[1] = deadUrl().toString();
        app.start(program, args + QStringList{u"--screenshot"_s, png, u"--timeout"_s, u"60"_s});
        QElapsedTimer t;
        t.start();
        QVERIFY(app.process->waitForFinished(FailsWithinMs));
        const QString err = QString::fromUtf8(app.process->readAllStandardError());
        QVERIFY2(app.process->exitCode() == exitCode,
                 qPrintable(u"exit %1, not %2:\n%3"_s.arg(app.process->exitCode()).arg(exitCode).arg(err)));
        const QString line = err.section(u"connection failed: "_s, 1).section(u'\n', 0, 0);
        QVERIFY2(line.contains(says), qPrintable(err));
        // The sentence for people carries no library internals (bind names, statements).
        QVERIFY2(!line.contains(u'$') && !line.contains(u"SELECT"_s), qPrintable(line));
        const QImage image(png);
        QVERIFY2(!image.isNull() && image.width() > 300 && image.height() > 200, qPrintable(png));
        qInfo("%s: exit %d after %lld ms, %dx%d", qPrintable(png), exitCode, (long long)t.elapsed(),
              image.width(), image.height());
    }
};

QTEST_GUILESS_MAIN(TestExampleApps)
#include "tst_example_apps.moc"
