// QueryCache against the real engine (issue 14, seed parity "query result caching"): a repeated
// Query<T>::all() or selectMany() is answered without a request (counted at a proxy between the
// client and the server), a second client's write drops the result so the next call sees it,
// and a reconnect drops every result of the watched tables.

#include "faultproxy.h"
#include "futurewait.h"
#include "testmodels.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/querycache.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_QueryCache : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<DatabaseManager> m_db;    // through the proxy: its requests are counted
    std::unique_ptr<DatabaseManager> m_other; // a second client, direct
    QString m_ns;
    int m_baseline = 0;

    Connection *c() { return m_db->connection(); }

    // Counts the requests whose payload carries needle from now on (the rule faults none of them).
    void countRequests(const QByteArray &needle)
    {
        m_proxy->setRule({.needle = needle, .fault = FaultProxy::Fault::DelayReply, .limit = 0});
        m_baseline = m_proxy->matchedRequests();
    }
    // Requests counted since countRequests().
    int requests() const { return m_proxy->matchedRequests() - m_baseline; }
    void makeUser(DatabaseManager *db, const QString &name, int age)
    {
        SyncConnection(db->connection())
            .query(u"CREATE user SET name = $n, email = $e, age = $a"_s,
                   {{u"n"_s, name}, {u"e"_s, TestServer::uniqueName("mail_")}, {u"a"_s, age}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_proxy = std::make_unique<FaultProxy>(TestServer::url());
        QVERIFY(m_proxy->start());
        m_ns = TestServer::uniqueName("qcache_");
        const auto creds = Credentials::root(TestServer::user(), TestServer::pass());
        // One socket, so a dropped connection reaches the live queries the cache depends on.
        m_db = std::make_unique<DatabaseManager>(
            m_proxy->url(), m_ns, u"q"_s, creds,
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        m_db->setReconnectBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(200));
        m_db->openSync();
        m_other = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"q"_s, creds);
        m_other->openSync();
        SyncConnection(m_other->connection())
            .query(u"DEFINE TABLE user SCHEMALESS; DEFINE TABLE post SCHEMALESS;"_s);
    }

    void cleanupTestCase()
    {
        if (m_proxy)
            m_proxy->clearRule();
    }

    void queryServedFromCacheUntilAnotherClientWrites()
    {
        makeUser(m_other.get(), u"qc_ann"_s, 30);
        QueryCache cache(c());
        cache.watchSync(Table(u"user"_s));
        const auto q = User::objects(c()).filter(u"name"_s, u"qc_ann"_s);
        countRequests("qc_ann");

        auto first = AWAIT(cache.all(q));
        QCOMPARE(first.size(), 1);
        QCOMPARE(first.first()->age(), 30);
        QCOMPARE(requests(), 1);
        QCOMPARE(cache.misses(), 1);
        QCOMPARE(cache.size(), 1);

        // A hit: finished on return, nothing sent, new objects built from the stored rows.
        QFuture<QList<QSharedPointer<User>>> again = cache.all(q);
        QVERIFY(again.isFinished());
        const auto second = again.result();
        QCOMPARE(second.size(), 1);
        QVERIFY(second.first() != first.first());
        QVERIFY(!second.first()->isNew());
        first.first()->setAge(99); // an edit of one caller's object is not another's result
        QCOMPARE(cache.allSync(q).first()->age(), 30);
        QCOMPARE(cache.hits(), 2);
        QCOMPARE(requests(), 1);

        // Another filter value is another result.
        QCOMPARE(cache.allSync(User::objects(c()).filter(u"name"_s, u"qc_zed"_s)).size(), 0);
        QCOMPARE(cache.misses(), 2);

        // A second client adds a matching user: the notification drops the table's results and
        // the next call asks the server and sees the new row.
        QSignalSpy cleared(&cache, &QueryCache::tableCleared);
        makeUser(m_other.get(), u"qc_ann"_s, 31);
        QTRY_VERIFY_WITH_TIMEOUT(cleared.size() >= 1, 10000);
        QCOMPARE(cleared.first().first().toString(), u"user"_s);
        QCOMPARE(cache.size(), 0);
        QCOMPARE(AWAIT(cache.all(q)).size(), 2);
        QCOMPARE(requests(), 2);
        QCOMPARE(cache.allSync(q).size(), 2);
        QCOMPARE(requests(), 2);

        // An update that makes a row stop matching, and a delete, drop it too.
        SyncConnection(m_other->connection())
            .query(u"UPDATE user SET name = 'qc_bea' WHERE name = 'qc_ann' AND age = 31"_s);
        QTRY_COMPARE_WITH_TIMEOUT(cache.size(), 0, 10000);
        QCOMPARE(cache.allSync(q).size(), 1);
        SyncConnection(m_other->connection()).query(u"DELETE user WHERE name = 'qc_ann'"_s);
        QTRY_COMPARE_WITH_TIMEOUT(cache.size(), 0, 10000);
        QCOMPARE(cache.allSync(q).size(), 0);
        m_proxy->clearRule();
    }

    void selectManyCachedAndInvalidated()
    {
        makeUser(m_other.get(), u"qc_sm"_s, 40);
        QueryCache cache(m_db.get());
        AWAIT_VOID(cache.watch(Table(u"user"_s)));
        countRequests("qc_sm");
        const QVariantMap vars{{u"n"_s, u"qc_sm"_s}};
        QCOMPARE(AWAIT(cache.selectMany(Table(u"user"_s), u"name = $n"_s, vars)).size(), 1);
        QFuture<QVariantList> hit = cache.selectMany(Table(u"user"_s), u"name = $n"_s, vars);
        QVERIFY(hit.isFinished());
        QCOMPARE(hit.result().first().toMap().value(u"age"_s).toInt(), 40);
        QCOMPARE(cache.selectManySync(Table(u"user"_s), u"name = $n"_s, vars).size(), 1);
        QCOMPARE(requests(), 1);
        // Other arguments are other results: limit, order.
        QCOMPARE(cache.selectManySync(Table(u"user"_s), u"name = $n"_s, vars, 0).size(), 0);
        QCOMPARE(requests(), 2);

        SyncConnection(m_other->connection()).query(u"UPDATE user SET age = 41 WHERE name = 'qc_sm'"_s);
        QTRY_COMPARE_WITH_TIMEOUT(cache.size(), 0, 10000);
        QCOMPARE(cache.selectManySync(Table(u"user"_s), u"name = $n"_s, vars)
                     .first()
                     .toMap()
                     .value(u"age"_s)
                     .toInt(),
                 41);
        QCOMPARE(requests(), 3);
        // The helpers' input checks apply: a bad name fails before anything is cached.
        QVERIFY_THROWS_EXCEPTION(Exception, cache.selectManySync(Table(), u"true"_s));
        m_proxy->clearRule();
    }

    void reconnectDropsResults()
    {
        makeUser(m_other.get(), u"qc_rc"_s, 50);
        QueryCache cache(c());
        cache.watchSync(Table(u"user"_s));
        const auto q = User::objects(c()).filter(u"name"_s, u"qc_rc"_s);
        QCOMPARE(cache.allSync(q).size(), 1);
        QCOMPARE(cache.size(), 1);
        QSignalSpy cleared(&cache, &QueryCache::tableCleared);

        // The socket drops: changes may have been missed while it was down.
        const int connectsBefore = m_proxy->connectionsAccepted();
        m_proxy->setRule({.needle = "qc_drop", .fault = FaultProxy::Fault::DropReplyAndClose, .limit = 1});
        (void)failureOf(c()->query(u"RETURN 'qc_drop'"_s), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->connectionsAccepted() > connectsBefore, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(cleared.size() >= 1, 10000);
        QCOMPARE(cache.size(), 0);
        m_proxy->clearRule();

        // Once the live query is back, results are kept again and stay coherent.
        QTRY_COMPARE_WITH_TIMEOUT(m_db->state(), DatabaseManager::State::Connected, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                cache.allSync(q);
                return cache.size() == 1;
            }(),
            10000);
        countRequests("qc_rc");
        QCOMPARE(cache.allSync(q).size(), 1);
        QCOMPARE(requests(), 0);
        makeUser(m_other.get(), u"qc_rc"_s, 51);
        QTRY_COMPARE_WITH_TIMEOUT(cache.size(), 0, 10000);
        QCOMPARE(cache.allSync(q).size(), 2);
        m_proxy->clearRule();
    }

    // A reply the server sent before another client's change, but that reaches us after the
    // change's notification, is returned to its caller and not kept: the next call asks again
    // and sees the change.
    void lateReplyIsNotKept()
    {
        const QString name = TestServer::uniqueName("qc_late_");
        makeUser(m_other.get(), name, 60);
        QueryCache cache(c());
        cache.watchSync(Table(u"user"_s));
        // A result of the table in the cache, so tableCleared() says when the cache has had the
        // notification.
        QCOMPARE(cache.allSync(User::objects(c()).filter(u"name"_s, u"qc_late_marker"_s)).size(), 0);
        QCOMPARE(cache.size(), 1);
        QSignalSpy cleared(&cache, &QueryCache::tableCleared);

        const auto q = User::objects(c()).filter(u"name"_s, name);
        m_proxy->setRule(
            {.needle = name.toUtf8(), .fault = FaultProxy::Fault::DelayReply, .limit = 1, .delayMs = 3000});
        const int sent = m_proxy->matchedRequests();
        QFuture<QList<QSharedPointer<User>>> late = cache.all(q);
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->matchedRequests() > sent, 10000);
        QTest::qWait(300); // the server has answered; the proxy holds the reply back
        makeUser(m_other.get(), name, 61);
        QTRY_VERIFY_WITH_TIMEOUT(cleared.size() >= 1, 10000);
        QVERIFY2(!late.isFinished(), "the held reply arrived before the notification: no test");

        QCOMPARE(AWAIT(late).size(), 1); // what the server read before the change
        m_proxy->clearRule();
        countRequests(name.toUtf8());
        QCOMPARE(cache.allSync(q).size(), 2);
        QCOMPARE(requests(), 1);
        QCOMPARE(cache.allSync(q).size(), 2); // kept now
        QCOMPARE(requests(), 1);
        m_proxy->clearRule();
    }

    void unwatchedTablesAndOtherConnectionsAreNotCached()
    {
        QueryCache cache(c());
        countRequests("qc_none");
        const auto q = blog::BlogPost::objects(c()).filter(u"title"_s, u"qc_none"_s);
        QCOMPARE(cache.allSync(q).size(), 0);
        QCOMPARE(cache.allSync(q).size(), 0);
        QCOMPARE(requests(), 2); // post is not watched: nothing would drop it
        QCOMPARE(cache.size(), 0);
        m_proxy->clearRule();

        // A query on another connection than the one the cache watches is refused.
        QCOMPARE(failureOf(cache.all(User::objects(m_other->connection()))).kind(), Error::Kind::Validation);

        // At most maxEntries() results; the oldest goes first.
        cache.watchSync(Table(u"user"_s));
        cache.setMaxEntries(2);
        for (int age : {1, 2, 3})
            cache.allSync(User::objects(c()).filter(u"age"_s, age));
        QCOMPARE(cache.size(), 2);
        cache.resetCounters();
        cache.allSync(User::objects(c()).filter(u"age"_s, 3));
        QCOMPARE(cache.hits(), 1);
        cache.allSync(User::objects(c()).filter(u"age"_s, 1));
        QCOMPARE(cache.misses(), 1);

        cache.unwatch(Table(u"user"_s));
        QCOMPARE(cache.size(), 0);
        QVERIFY(!cache.isWatched(Table(u"user"_s)));
    }
};

QTEST_GUILESS_MAIN(tst_QueryCache)
#include "tst_querycache.moc"
