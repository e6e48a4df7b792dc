// The contacts window (examples/contacts) when the connection goes wrong, against the real engine:
// - a wrong password or a URL where no server listens: the connection bar says so in words (no
//   library internals; the diagnostic behind Details), Add is refused without claiming success,
//   and fixing the password or the URL in the bar and pressing Retry loads the table;
// - Add says "Added" only once the server answered, and the contact is then in the database;
// - the server killed mid-session and restarted: the bar says the connection was lost, and goes
//   away with the table back once the server is there again.
// Each case saves the window as <build>/tests/examples/contacts-*.png for a look.

#include "connectionbar.h"
#include "contactswindow.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

constexpr int LoadBoundMs = 20000;

QUrl deadUrl()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(port));
}

QAction *toolbarAction(ContactsWindow *w, const QString &text)
{
    for (QAction *a : w->findChild<QToolBar *>()->actions())
        if (a->text() == text)
            return a;
    return nullptr;
}

void saveForALook(ContactsWindow *w, const QString &name)
{
    QTest::qWait(200); // the layout settles
    const QString file = QDir::current().absoluteFilePath(name);
    QVERIFY(w->grab().save(file));
    qInfo("saved %s", qPrintable(file));
}

} // namespace

class TestContactsConnection : public QObject
{
    Q_OBJECT

    ConnectionSettings settings(const QString &ns) const
    {
        return {TestServer::url(), ns, u"contacts"_s, TestServer::user(), TestServer::pass()};
    }

    qint64 countInDb(const QString &ns)
    {
        DatabaseManager db(TestServer::url(), ns, u"contacts"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        if (!settle(db.open()))
            return -2;
        const QueryResult r =
            SyncConnection(db.connection()).query(u"SELECT count() FROM contact GROUP ALL"_s);
        return r.isOk() ? r.last().toList().value(0).toMap().value(u"count"_s).toLongLong() : -1;
    }

    // Connecting fails as `bad` says; the bar explains it; `fix` corrects the field; Retry loads.
    void failThenRetry(const ConnectionSettings &bad, const QString &says, const char *field,
                       const QString &fixed, const QString &png)
    {
        ContactsWindow w(bad);
        QSignalSpy failed(&w, &ContactsWindow::connectionFailed);
        QSignalSpy ready(&w, &ContactsWindow::ready);
        w.show();
        QVERIFY(failed.wait(LoadBoundMs));
        ConnectionBar *bar = w.connectionBar();
        QVERIFY(bar->isVisible());
        QVERIFY2(bar->text().contains(says), qPrintable(bar->text()));
        QCOMPARE(failed.first().at(1).toString(), bar->text());
        // Words for people up front; the library's diagnostic only behind Details.
        QVERIFY2(!bar->text().contains(u'$'), qPrintable(bar->text()));
        QVERIFY(!bar->details().isEmpty());
        auto *details = bar->findChild<QPushButton *>(u"detailsButton"_s);
        auto *detailsText = bar->findChild<QLabel *>(u"connectionDetails"_s);
        QVERIFY(details && detailsText);
        QVERIFY(details->isVisible());
        QVERIFY(!detailsText->isVisible());
        details->click();
        QVERIFY(detailsText->isVisible());
        QCOMPARE(detailsText->text(), bar->details());
        QCOMPARE(bar->findChild<QPushButton *>(u"connectButton"_s)->text(), u"Retry"_s);
        saveForALook(&w, png);

        // Not connected: Add is off, and asking anyway adds nothing and says so.
        QAction *add = toolbarAction(&w, u"Add"_s);
        QVERIFY(add);
        QVERIFY(!add->isEnabled());
        w.addContact();
        const QString said = w.statusBar()->currentMessage();
        QVERIFY2(said.startsWith(u"Not connected"_s), qPrintable(said));

        // Fixed in the bar, Retry: the table loads (seeded), the bar goes away.
        auto *edit = bar->findChild<QLineEdit *>(QLatin1String(field));
        QVERIFY(edit);
        edit->setText(fixed);
        QTest::mouseClick(bar->findChild<QPushButton *>(u"connectButton"_s), Qt::LeftButton);
        QVERIFY(ready.wait(LoadBoundMs));
        QCOMPARE(w.model()->count(), 10);
        QVERIFY(!bar->isVisible());
        QVERIFY(add->isEnabled());
        QCOMPARE(w.settings().url, TestServer::url());
        QCOMPARE(w.settings().password, TestServer::pass());
    }

private Q_SLOTS:
    void wrongPasswordThenRetry()
    {
        ConnectionSettings bad = settings(TestServer::uniqueName("contacts_conn_"));
        bad.password = u"wrong"_s;
        failThenRetry(bad, u"refused user \"%1\" with this password"_s.arg(bad.user), "passwordField",
                      TestServer::pass(), u"contacts-wrong-password.png"_s);
    }

    void deadUrlThenRetry()
    {
        ConnectionSettings bad = settings(TestServer::uniqueName("contacts_conn_"));
        bad.url = deadUrl();
        failThenRetry(bad, u"Could not reach a SurrealDB server at %1"_s.arg(bad.url.toString()), "urlField",
                      TestServer::url().toString(), u"contacts-dead-url.png"_s);
    }

    void addSaysAddedOnlyOnceTheServerAnswered()
    {
        const QString ns = TestServer::uniqueName("contacts_conn_");
        ContactsWindow w(settings(ns));
        QSignalSpy ready(&w, &ContactsWindow::ready);
        w.show();
        QVERIFY(ready.wait(LoadBoundMs));
        QStringList messages;
        connect(w.statusBar(), &QStatusBar::messageChanged, this,
                [&messages](const QString &m) { messages.append(m); });
        toolbarAction(&w, u"Add"_s)->trigger();
        QCOMPARE(w.statusBar()->currentMessage(), u"Adding a contact…"_s);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().startsWith(u"Added a contact"_s),
                                 LoadBoundMs);
        QCOMPARE(countInDb(ns), 11);
        QTRY_COMPARE(w.model()->count(), 11);
        QCOMPARE(messages.first(), u"Adding a contact…"_s);
    }

    void serverKilledMidSessionAndRestarted()
    {
        // A server of the test's own, on storage that survives the restart.
        QTemporaryDir data;
        QVERIFY(data.isValid());
        TestServer::LocalServer server;
        const QString storage = u"surrealkv:"_s + data.filePath(u"db"_s);
        QVERIFY(server.start(0, storage));
        const int port = server.port();
        ConnectionSettings s = settings(u"contacts_restart"_s);
        s.url = server.wsUrl();
        s.user = u"root"_s;
        s.password = u"root"_s;
        ContactsWindow w(s);
        QSignalSpy ready(&w, &ContactsWindow::ready);
        w.show();
        QVERIFY(ready.wait(LoadBoundMs));
        QCOMPARE(w.model()->count(), 10);

        server.kill();
        ConnectionBar *bar = w.connectionBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), LoadBoundMs);
        QVERIFY2(bar->text().startsWith(u"Lost the connection to %1"_s.arg(s.url.toString())),
                 qPrintable(bar->text()));
        QVERIFY(!toolbarAction(&w, u"Add"_s)->isEnabled());
        saveForALook(&w, u"contacts-server-lost.png"_s);

        QVERIFY(server.start(port, storage));
        // Back by itself: the bar goes, the table shows the rows again, Add works again.
        QTRY_VERIFY_WITH_TIMEOUT(!bar->isVisible(), LoadBoundMs);
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->count(), 10, LoadBoundMs);
        QVERIFY(toolbarAction(&w, u"Add"_s)->isEnabled());
    }
};

QTEST_MAIN(TestContactsConnection)
#include "tst_contacts_connection.moc"
