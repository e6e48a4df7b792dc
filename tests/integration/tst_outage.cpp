// Outages and bounded waiting, against real servers that the tests kill and bring back on the
// same port: reconnecting without end after a successful open, live queries that resubscribe
// and say so, requests made during a drop, deadlines counted from the call, cancellation.
//
// SURREALQT_OUTAGE_SECONDS sets the length of the long outage (default 8 s, longer than the
// ~2.6 s after which the connection used to give up). Run it once with 60 by hand:
//   SURREALQT_OUTAGE_SECONDS=60 ctest -R 'tst_outage|surreal_local' --timeout 300

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/requestoptions.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

const Credentials root = Credentials::root(u"root"_s, u"root"_s);

// One socket, so that "the request made next" lands on the socket that dropped.
std::unique_ptr<DatabaseManager> singleSocket(const QUrl &url)
{
    return std::make_unique<DatabaseManager>(
        url, u"outage"_s, u"outage"_s, root,
        ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
}

// A server whose data survives a restart on the same port.
struct RestartableServer
{
    QTemporaryDir dir;
    TestServer::LocalServer server;
    int port = 0;
    bool start()
    {
        const bool ok = server.start(port, u"surrealkv:"_s + dir.filePath(u"db"_s));
        port = server.port();
        return ok;
    }
};

int outageSeconds()
{
    const int fromEnv = qEnvironmentVariableIntValue("SURREALQT_OUTAGE_SECONDS");
    return fromEnv > 0 ? fromEnv : 8;
}

} // namespace

class tst_Outage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longOutageWithLiveQuery()
    {
        RestartableServer s;
        QVERIFY(s.start());
        // Library defaults throughout: nothing here tunes retries or backoff.
        DatabaseManager m(s.server.wsUrl(), u"outage"_s, u"outage"_s, root);
        AWAIT_VOID(m.open());
        QVERIFY(AWAIT(m.connection()->query(u"DEFINE TABLE IF NOT EXISTS outage_t SCHEMALESS"_s)).isOk());
        std::unique_ptr<LiveQuery> live(m.connection()->liveQuery(u"LIVE SELECT * FROM outage_t"_s));
        const QUuid firstId = AWAIT(live->started());
        QSignalSpy restarted(live.get(), &LiveQuery::restarted);
        QSignalSpy resync(live.get(), &LiveQuery::resyncRequired);
        QSignalSpy created(live.get(), &LiveQuery::created);
        QSignalSpy failed(live.get(), &LiveQuery::errorOccurred);

        s.server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(m.state() != DatabaseManager::State::Connected, 5000);
        QElapsedTimer down;
        down.start();
        QTest::qWait(outageSeconds() * 1000);
        QVERIFY(m.state() != DatabaseManager::State::Disconnected); // still trying
        QCOMPARE(live->state(), LiveQuery::State::Active);

        QVERIFY(s.start());
        QElapsedTimer back;
        back.start();
        // Nobody sends anything: the manager finds the server by itself.
        QTRY_COMPARE_WITH_TIMEOUT(m.state(), DatabaseManager::State::Connected, 20000);
        const qint64 reconnectMs = back.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(resync.count(), 1, 10000);
        QCOMPARE(restarted.count(), 1);
        QVERIFY(live->queryId() != firstId);
        QCOMPARE(failed.count(), 0);
        qInfo("outage %lld ms; Connected again %lld ms after the server was back",
              down.elapsed() - reconnectMs, reconnectMs);

        AWAIT(m.connection()->query(u"CREATE outage_t:1 SET n = 1"_s));
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000);
        QCOMPARE(created.at(0).at(0).toMap().value(u"n"_s).toInt(), 1);
    }

    void requestFromAFailureCallbackWaitsForTheReconnect()
    {
        RestartableServer s;
        QVERIFY(s.start());
        auto m = singleSocket(s.server.wsUrl());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        // Not safe to resend, so it fails when the socket drops; its failure callback runs on
        // the I/O thread while the drop is being handled, and asks again at once.
        QFuture<QVariant> next;
        std::atomic<bool> asked{false};
        QFuture<QueryResult> first =
            c->query(u"SLEEP 3s; CREATE drop_t SET n = 1"_s).onFailed([&](const Exception &e) -> QueryResult {
                next = c->call(u"query"_s, {u"RETURN 7"_s});
                asked = true;
                throw e;
            });
        QTest::qWait(300);
        s.server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(asked.load(), 5000);
        QCOMPARE(failureOf(first).kind(), Error::Kind::Connection);
        QVERIFY(s.start());
        const Error e = failureOf(next, 20000);
        QVERIFY2(!e.isValid(), qPrintable(e.toString()));
        QCOMPARE(next.result().toList().last().toMap().value(u"result"_s).toInt(), 7);
    }

    void timeoutCountsFromTheCall()
    {
        RestartableServer s;
        QVERIFY(s.start());
        auto m = singleSocket(s.server.wsUrl());
        AWAIT_VOID(m->open());
        s.server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(m->state() != DatabaseManager::State::Connected, 5000);
        RequestOptions options;
        options.timeout = std::chrono::milliseconds(1500);
        QElapsedTimer timer;
        timer.start();
        // Queued while the server is away: it is never sent, yet it ends on time.
        const Error e = failureOf(m->connection()->call(u"query"_s, {u"RETURN 1"_s}, options), 20000);
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(e.kind(), Error::Kind::Timeout);
        QVERIFY2(elapsed >= 1400 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        QVERIFY2(e.message().contains(u"1500"_s), qPrintable(e.message()));
    }

    void cancelledRequestIsNeverSent()
    {
        RestartableServer s;
        QVERIFY(s.start());
        auto m = singleSocket(s.server.wsUrl());
        AWAIT_VOID(m->open());
        QVERIFY(AWAIT(m->connection()->query(u"DEFINE TABLE IF NOT EXISTS cancel_t SCHEMALESS"_s)).isOk());
        s.server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(m->state() != DatabaseManager::State::Connected, 5000);
        QFuture<QVariant> f = m->connection()->call(u"query"_s, {u"CREATE cancel_t:1 SET n = 1"_s});
        QTest::qWait(100);
        QVERIFY(!f.isFinished());
        f.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 1000);
        QVERIFY(f.isCanceled());

        QVERIFY(s.start());
        QTRY_COMPARE_WITH_TIMEOUT(m->state(), DatabaseManager::State::Connected, 20000);
        const QueryResult r = AWAIT(m->connection()->query(u"SELECT * FROM cancel_t"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.last().toList().size(), 0);
    }

    void timedOutSessionChangeIsNotLeftHalfDone()
    {
        auto m = singleSocket(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        AWAIT(c->call(u"let"_s, {u"v"_s, u"old"_s}));
        // So large that the server cannot answer within the timeout, so it may still apply it.
        RequestOptions quick;
        quick.timeout = std::chrono::milliseconds(5);
        const QString big(8 * 1024 * 1024, u'x');
        QCOMPARE(failureOf(c->call(u"let"_s, {u"v"_s, big}, quick)).kind(), Error::Kind::Timeout);
        // What the client holds as the session is what the server uses: the socket was rebuilt
        // from the client's copy, in which the timed-out change never happened.
        for (int i = 0; i < 3; ++i) {
            QTest::qWait(300);
            const QueryResult r = AWAIT(c->query(u"RETURN string::len($v)"_s));
            QCOMPARE(r.last().toLongLong(), 3);
        }
        QCOMPARE(m->state(), DatabaseManager::State::Connected);
    }

    void reconnectAttemptsCanBeLimited()
    {
        RestartableServer s;
        QVERIFY(s.start());
        auto m = singleSocket(s.server.wsUrl());
        m->setMaxReconnectAttempts(2);
        m->setReconnectBackoff(std::chrono::milliseconds(10), std::chrono::milliseconds(50));
        AWAIT_VOID(m->open());
        QVERIFY(AWAIT(m->connection()->query(u"DEFINE TABLE IF NOT EXISTS limit_t SCHEMALESS"_s)).isOk());
        std::unique_ptr<LiveQuery> live(m->connection()->liveQuery(u"LIVE SELECT * FROM limit_t"_s));
        AWAIT(live->started());
        s.server.kill();
        QTRY_COMPARE_WITH_TIMEOUT(m->state(), DatabaseManager::State::Disconnected, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(live->state(), LiveQuery::State::Failed, 5000);
        QCOMPARE(live->lastError().kind(), Error::Kind::Connection);
    }

    void killWhileTheServerEndsTheQuery()
    {
        // kill() on this thread while the I/O thread deletes the subscription (the server's
        // KILLED notice): kill() must not touch that object. Run many times to hit the window.
        auto m = singleSocket(TestServer::url());
        AWAIT_VOID(m->open());
        QVERIFY(AWAIT(m->connection()->query(u"DEFINE TABLE IF NOT EXISTS race_t SCHEMALESS"_s)).isOk());
        for (int i = 0; i < 60; ++i) {
            std::unique_ptr<LiveQuery> live(m->connection()->liveQuery(u"LIVE SELECT * FROM race_t"_s));
            const QUuid id = AWAIT(live->started());
            QFuture<QueryResult> serverKill = m->connection()->query(u"KILL $id"_s, {{u"id"_s, id}});
            QTest::qWait(i % 4);
            live->kill();
            settle(serverKill);
        }
        QCOMPARE(AWAIT(m->connection()->query(u"RETURN 1"_s)).last().toInt(), 1);
    }

    void zeroConnectTimeoutMeansNoLimit()
    {
        auto m = singleSocket(TestServer::url());
        m->setConnectTimeout(std::chrono::milliseconds(0));
        m->setMaxRetries(1);
        AWAIT_VOID(m->open());
        QCOMPARE(AWAIT(m->connection()->query(u"RETURN 1"_s)).last().toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_Outage)
#include "tst_outage.moc"
