// A request timeout is a deadline: against a server that never answers (the fault proxy
// swallows the reply) the request fails with Timeout neither early nor noticeably late.
// A coarse timer is allowed 5 % of its interval either way (150 ms on 3 s).

#include "faultproxy.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <atomic>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Timeouts : public QObject
{
    Q_OBJECT

    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<DatabaseManager> m_db;
    int m_probe = 0;

    // Milliseconds from the call until the future failed (measured on the thread that failed
    // it, so the test thread's wake-up does not count); -1 when it did not fail with Timeout.
    qint64 timeToTimeout(std::chrono::milliseconds timeout, bool perCall)
    {
        // The connection's timeout is fixed when it opens: a manager of its own for that case.
        std::unique_ptr<DatabaseManager> own;
        DatabaseManager *db = m_db.get();
        if (!perCall) {
            own = std::make_unique<DatabaseManager>(
                m_proxy->url(), u"timeouts"_s, u"test"_s,
                Credentials::root(TestServer::user(), TestServer::pass()),
                ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
            own->setRequestTimeout(timeout);
            if (failureOf(own->open()).isValid())
                return -2;
            db = own.get();
        }
        const QByteArray probe = "swallowed-probe-" + QByteArray::number(++m_probe);
        m_proxy->setRule({.needle = probe, .fault = FaultProxy::Fault::SwallowReply});
        auto failedAt = std::make_shared<std::atomic<qint64>>(-1);
        QElapsedTimer clock;
        clock.start();
        RequestOptions options;
        if (perCall)
            options.timeout = timeout;
        QFuture<QueryResult> f =
            db->connection()->query(u"RETURN $p"_s, {{u"p"_s, QString::fromLatin1(probe)}}, options);
        auto done = f.then(QtFuture::Launch::Sync, [](const QueryResult &) {
                         return Error();
                     }).onFailed([failedAt, clock](const Exception &e) {
            failedAt->store(clock.elapsed());
            return e.error();
        });
        const Error error = [&] {
            if (!settle(done, int(timeout.count()) + 10000))
                return Error(Error::Kind::Cancelled, u"never finished"_s);
            return done.result();
        }();
        m_proxy->clearRule();
        if (error.kind() != Error::Kind::Timeout) {
            qWarning() << "expected a timeout, got" << error.toString();
            return -1;
        }
        return failedAt->load();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_proxy = std::make_unique<FaultProxy>(TestServer::url());
        QVERIFY(m_proxy->start());
        m_db = std::make_unique<DatabaseManager>(
            m_proxy->url(), u"timeouts"_s, u"test"_s,
            Credentials::root(TestServer::user(), TestServer::pass()),
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m_db->open());
    }

    void firesOnTime_data()
    {
        QTest::addColumn<int>("ms");
        QTest::addColumn<bool>("perCall");
        QTest::newRow("connection 1300 ms") << 1300 << false;
        QTest::newRow("connection 2900 ms") << 2900 << false;
        QTest::newRow("per call 1700 ms") << 1700 << true;
        QTest::newRow("per call 3300 ms") << 3300 << true;
    }

    void firesOnTime()
    {
        QFETCH(int, ms);
        QFETCH(bool, perCall);
        const qint64 took = timeToTimeout(std::chrono::milliseconds(ms), perCall);
        QVERIFY(took >= 0);
        qInfo("timeout %d ms fired after %lld ms", ms, took);
        QVERIFY2(took >= ms, qPrintable(u"fired %1 ms early"_s.arg(ms - took)));
        // The bound leaves room for a loaded two-core machine, far below a coarse timer's 5 %.
        QVERIFY2(took <= ms + 25, qPrintable(u"fired %1 ms late"_s.arg(took - ms)));
        QCOMPARE(m_proxy->faultsInjected() > 0, true);
    }

    void cleanupTestCase()
    {
        m_db.reset();
        m_proxy.reset();
    }
};

QTEST_GUILESS_MAIN(tst_Timeouts)
#include "tst_timeouts.moc"
