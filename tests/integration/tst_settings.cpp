// DatabaseManager's settings as a user meets them: every property tells what the sockets
// really use, and a setting that can no longer apply is refused out loud, never half-applied.
// The rule (docs/threading.md, "Ownership and settings"): settings are fixed once the sockets
// exist (the first open(), connection(), pool() or singleConnection()).

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QMetaProperty>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <thread>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Settings : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> makeManager(const ConnectionOptions &options = {})
    {
        auto m = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"settings"_s,
                                                   Credentials::root(TestServer::user(), TestServer::pass()),
                                                   options);
        m->setRequestTimeout(std::chrono::seconds(15));
        return m;
    }

    static QMetaProperty property(const char *name)
    {
        const QMetaObject &mo = DatabaseManager::staticMetaObject;
        return mo.property(mo.indexOfProperty(name));
    }

    static void expectRefusal()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"fixed once the sockets exist"_s));
    }

    QString m_ns;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("settings_");
    }

    // Switching a pool to one socket after connection() made connection() return nullptr: the
    // next call through it crashed.
    void setOptionsAfterConnectionKeepsTheConnection()
    {
        auto m = makeManager();
        Connection *before = m->connection();
        QVERIFY(before);
        expectRefusal();
        const bool applied = m->setOptions(ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        QVERIFY(!applied);
        QCOMPARE(m->connection(), before);
        QVERIFY(m->usePool());
        QVERIFY(m->pool());
        QCOMPARE(AWAIT(m->connection()->query(u"RETURN 7"_s)).last().toInt(), 7);
    }

    // setPoolSize(5) on a manager with 2 sockets made poolSize() say 5.
    void poolSizeIsTheNumberOfSockets()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        expectRefusal();
        QVERIFY(!m->setPoolSize(5));
        QCOMPARE(m->poolSize(), m->pool()->size());
        QCOMPARE(m->poolSize(), ConnectionOptions::DefaultPoolSize);
        QCOMPARE(m->options().poolSize, ConnectionOptions::DefaultPoolSize);
        QTRY_COMPARE(m->pool()->connectedCount(), ConnectionOptions::DefaultPoolSize);
    }

    // Before the sockets exist, the settings apply, and the properties say so with a signal.
    void settingsApplyBeforeTheSockets()
    {
        auto m = makeManager();
        QSignalSpy changed(m.get(), &DatabaseManager::optionsChanged);
        QVERIFY(m->setPoolSize(3));
        QCOMPARE(changed.count(), 1);
        QVERIFY(m->setPoolSize(3)); // no change, no signal
        QCOMPARE(changed.count(), 1);
        QVERIFY(m->setOptions(ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single}));
        QCOMPARE(changed.count(), 2);
        QVERIFY(!m->usePool());
        QCOMPARE(m->poolSize(), 1);
        QVERIFY(m->setOptions(ConnectionOptions{.poolSize = 3}));
        QCOMPARE(m->poolSize(), 3);
        AWAIT_VOID(m->open());
        QCOMPARE(m->pool()->size(), 3);
        QTRY_COMPARE(m->pool()->connectedCount(), 3);
    }

    // poolSize and usePool were CONSTANT next to their setters: QML bound to them never updated.
    void changeablePropertiesNotify()
    {
        for (const char *name :
             {"poolSize", "usePool", "maxRetries", "maxReconnectAttempts", "settingsFixed"}) {
            const QMetaProperty p = property(name);
            QVERIFY2(p.isValid(), name);
            QVERIFY2(!p.isConstant(), name);
            QVERIFY2(p.hasNotifySignal(), name);
        }
        auto m = makeManager();
        QSignalSpy fixed(m.get(), &DatabaseManager::settingsFixedChanged);
        QVERIFY(!m->settingsFixed());
        (void)m->connection();
        QVERIFY(m->settingsFixed());
        QCOMPARE(fixed.count(), 1);
    }

    // A timeout set after the sockets existed was stored and reported, but the sockets kept the
    // old one: requestTimeout() lied. Refused now, so the getter keeps telling the truth.
    void timeoutAndRetrySettersRefusedOnceSocketsExist()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        const auto before = m->requestTimeout();
        const int retries = m->maxRetries();
        const int reconnects = m->maxReconnectAttempts();
        const auto connect = m->connectTimeout();
        QSignalSpy changed(m.get(), &DatabaseManager::optionsChanged);
        expectRefusal();
        QVERIFY(!m->setRequestTimeout(std::chrono::milliseconds(100)));
        expectRefusal();
        QVERIFY(!m->setMaxRetries(9));
        expectRefusal();
        QVERIFY(!m->setMaxReconnectAttempts(1));
        expectRefusal();
        QVERIFY(!m->setConnectTimeout(std::chrono::milliseconds(1)));
        expectRefusal();
        QVERIFY(!m->setKeepAliveInterval(std::chrono::milliseconds(5)));
        expectRefusal();
        QVERIFY(!m->setReconnectBackoff(std::chrono::milliseconds(1), std::chrono::milliseconds(2)));
        QCOMPARE(m->requestTimeout(), before);
        QCOMPARE(m->maxRetries(), retries);
        QCOMPARE(m->maxReconnectAttempts(), reconnects);
        QCOMPARE(m->connectTimeout(), connect);
        QCOMPARE(changed.count(), 0);
        // The sockets still use the timeout the getter reports: a 300 ms query is not cut at 100 ms.
        QCOMPARE(AWAIT(m->connection()->query(u"SLEEP 300ms; RETURN 1"_s)).last().toInt(), 1);
    }

    // Creating the sockets from a worker thread fixes the settings too: a setter racing it on
    // the manager's thread either applies before the sockets, or is refused.
    void settingsFixedFromAnotherThread()
    {
        auto m = makeManager();
        std::thread worker([&m] { (void)m->connection(); });
        worker.join();
        QVERIFY(m->settingsFixed());
        expectRefusal();
        QVERIFY(!m->setPoolSize(4));
        QCOMPARE(m->poolSize(), m->pool()->size());
    }
};

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
