// examples/qml-tasks' own Main.qml when things go wrong, against the real engine:
// - a wrong password: the connection bar says so in words (no library internals; the
//   diagnostic behind Details); fixing the password in the bar and pressing Retry loads the list;
// - an add the server refuses keeps what was typed and says it was not added; an accepted one
//   clears the field;
// - an empty list says why: "No tasks match the filter." while a filter is on, "Nothing to do."
//   when the table is empty;
// - the server killed mid-session and restarted: the window says the connection was lost (a PNG
//   of it is kept), then recovers by itself, with the tasks and a working Add (a second PNG).

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/localserver.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

constexpr int LoadBoundMs = 20000;

struct Instance
{
    std::unique_ptr<QQmlApplicationEngine> engine;
    QQuickWindow *window = nullptr;

    QQuickItem *item(const QString &name) const { return window->findChild<QQuickItem *>(name); }
    QString text(const QString &name) const { return item(name)->property("text").toString(); }
    bool click(const QString &name) const
    {
        QQuickItem *target = item(name);
        if (!target || !target->isVisible())
            return false;
        const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        return true;
    }
};

} // namespace

class TestQmlTasksConnection : public QObject
{
    Q_OBJECT

    bool load(Instance *i, const QString &ns, const QString &password, bool seed)
    {
        return load(i, TestServer::url(), TestServer::user(), password, ns, seed);
    }

    bool load(Instance *i, const QUrl &url, const QString &user, const QString &password, const QString &ns,
              bool seed)
    {
        i->engine = std::make_unique<QQmlApplicationEngine>();
        i->engine->addImportPath(QStringLiteral(SURREALQT_QML_IMPORT_PATH));
        i->engine->setInitialProperties({{u"url"_s, url},
                                         {u"user"_s, user},
                                         {u"password"_s, password},
                                         {u"seedDemoData"_s, seed},
                                         {u"databaseNamespace"_s, ns}});
        i->engine->load(QUrl::fromLocalFile(QStringLiteral(QML_TASKS_MAIN)));
        if (i->engine->rootObjects().isEmpty())
            return false;
        i->window = qobject_cast<QQuickWindow *>(i->engine->rootObjects().constFirst());
        return i->window != nullptr;
    }

    QueryResult runInDb(const QString &ns, const QString &surrealql)
    {
        DatabaseManager db(TestServer::url(), ns, u"tasks"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        if (!settle(db.open()))
            return {};
        return SyncConnection(db.connection()).query(surrealql);
    }

private Q_SLOTS:
    void wrongPasswordThenRetry()
    {
        Instance i;
        QVERIFY(load(&i, TestServer::uniqueName("qmltasks_conn_"), u"wrong"_s, true));
        QTRY_VERIFY_WITH_TIMEOUT(i.window->property("failed").toBool(), LoadBoundMs);
        QCOMPARE(i.window->property("failureKind").toString(), u"Authentication"_s);
        QVERIFY(i.item(u"connectionBar"_s)->isVisible());
        const QString message = i.text(u"connectionMessage"_s);
        QVERIFY2(message.contains(u"refused user \"%1\" with this password"_s.arg(TestServer::user())),
                 qPrintable(message));
        QVERIFY2(!message.contains(u'$'), qPrintable(message));
        QVERIFY(!i.item(u"connectionDetails"_s)->isVisible());
        QVERIFY(i.click(u"detailsButton"_s));
        QTRY_VERIFY(i.item(u"connectionDetails"_s)->isVisible());
        QVERIFY(i.text(u"connectionDetails"_s).startsWith(u"Authentication: "_s));
        QCOMPARE(i.text(u"connectButton"_s), u"Retry"_s);
        QVERIFY(!i.item(u"addButton"_s)->isEnabled());

        i.item(u"passwordField"_s)->setProperty("text", TestServer::pass());
        QVERIFY(i.click(u"connectButton"_s));
        QTRY_VERIFY_WITH_TIMEOUT(i.window->property("loaded").toBool(), LoadBoundMs);
        QVERIFY(!i.window->property("failed").toBool());
        QTRY_VERIFY(!i.item(u"connectionBar"_s)->isVisible());
        QVERIFY(i.item(u"addButton"_s)->isEnabled());
    }

    void refusedAddKeepsTheText()
    {
        const QString ns = TestServer::uniqueName("qmltasks_conn_");
        // The schema refuses long titles: a real refusal by the server.
        const QueryResult schema = runInDb(ns, u"DEFINE TABLE task SCHEMALESS;"
                                               u"DEFINE FIELD title ON task TYPE string "
                                               u"ASSERT string::len($value) <= 30"_s);
        QVERIFY2(schema.isOk(), qPrintable(schema.firstError().message()));
        Instance i;
        QVERIFY(load(&i, ns, TestServer::pass(), true));
        QTRY_VERIFY_WITH_TIMEOUT(i.window->property("loaded").toBool(), LoadBoundMs);

        const QString longTitle = u"A title far too long for this schema"_s;
        i.item(u"newTitle"_s)->setProperty("text", longTitle);
        QVERIFY(i.click(u"addButton"_s));
        QTRY_VERIFY_WITH_TIMEOUT(i.text(u"statusLine"_s).startsWith(u"Not added"_s), LoadBoundMs);
        QVERIFY2(!i.text(u"statusLine"_s).contains(u'$'), qPrintable(i.text(u"statusLine"_s)));
        QCOMPARE(i.text(u"newTitle"_s), longTitle);

        i.item(u"newTitle"_s)->setProperty("text", u"Short one"_s);
        QVERIFY(i.click(u"addButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(i.text(u"newTitle"_s), QString(), LoadBoundMs);
        QCOMPARE(
            runInDb(ns, u"SELECT VALUE title FROM task WHERE title = 'Short one'"_s).last().toList().size(),
            1);
    }

    void emptyListSaysWhy()
    {
        Instance i;
        // Not seeded: an empty table.
        QVERIFY(load(&i, TestServer::uniqueName("qmltasks_conn_"), TestServer::pass(), false));
        QQuickItem *empty = i.item(u"emptyText"_s);
        QVERIFY(empty);
        QTRY_VERIFY_WITH_TIMEOUT(empty->isVisible(), LoadBoundMs);
        QCOMPARE(i.text(u"emptyText"_s), u"Nothing to do."_s);

        i.item(u"newTitle"_s)->setProperty("text", u"Water the plants"_s);
        QVERIFY(i.click(u"addButton"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!empty->isVisible(), LoadBoundMs);
        // A filter nothing matches: the list is empty because of it, and says so.
        i.item(u"search"_s)->setProperty("text", u"no such task"_s);
        QTRY_VERIFY_WITH_TIMEOUT(empty->isVisible(), LoadBoundMs);
        QCOMPARE(i.text(u"emptyText"_s), u"No tasks match the filter."_s);
        i.item(u"search"_s)->setProperty("text", QString());
        QTRY_VERIFY_WITH_TIMEOUT(!empty->isVisible(), LoadBoundMs);
    }

    // A server of the test's own (a LocalServer child it can kill), not the shared fixture.
    void serverKilledMidSessionThenRestarted()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SurrealQt::LocalServer server(dir.filePath(u"data"_s));
        server.start();
        QVERIFY(server.waitForReady(60000));
        Instance i;
        QVERIFY(load(&i, server.url(), server.credentials().username(), server.credentials().password(),
                     u"examples"_s, true));
        QTRY_VERIFY_WITH_TIMEOUT(i.window->property("loaded").toBool(), LoadBoundMs);
        const int rows =
            i.window->property("listed").toBool() ? i.item(u"taskList"_s)->property("count").toInt() : -1;
        QCOMPARE(rows, 5);

        const qint64 pid = server.processId();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        // The window says so in words, before the server is back (LocalServer waits 1 s first).
        const QString lost = u"Connection lost; reconnecting…"_s;
        QTRY_COMPARE_WITH_TIMEOUT(i.text(u"statusLine"_s), lost, 10000);
        const QString lostPng = QDir::current().absoluteFilePath(u"qml-tasks-server-lost.png"_s);
        QImage shot = i.window->grabWindow();
        QVERIFY(!shot.isNull() && shot.save(lostPng));
        QCOMPARE(i.text(u"statusLine"_s), lost); // what the PNG shows
        QVERIFY(!i.item(u"addButton"_s)->isEnabled());

        // Restarted on the same port and files: the window recovers by itself.
        QTRY_VERIFY_WITH_TIMEOUT(server.state() == SurrealQt::LocalServer::State::Running, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(i.window->property("loaded").toBool() &&
                                     i.text(u"statusLine"_s).endsWith(u"tasks · live"_s),
                                 30000);
        QCOMPARE(i.text(u"statusLine"_s), u"5 tasks · live"_s);
        QVERIFY(!i.window->property("failed").toBool());
        QTRY_VERIFY(i.item(u"addButton"_s)->isEnabled());
        i.item(u"newTitle"_s)->setProperty("text", u"After the restart"_s);
        QVERIFY(i.click(u"addButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(i.text(u"statusLine"_s), u"6 tasks · live"_s, LoadBoundMs);
        const QString backPng = QDir::current().absoluteFilePath(u"qml-tasks-server-back.png"_s);
        shot = i.window->grabWindow();
        QVERIFY(!shot.isNull() && shot.save(backPng));
        qInfo("%s, %s", qPrintable(lostPng), qPrintable(backPng));
        i.engine.reset();
        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(server.state() == SurrealQt::LocalServer::State::NotRunning, 20000);
    }
};

QTEST_MAIN(TestQmlTasksConnection)
#include "tst_qmltasks_connection.moc"
