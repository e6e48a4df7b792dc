// RecordCache's coherence where it is hard to see from tst_relations' happy path: a reply that
// reaches the client after a second client's change of the record (held back at a proxy) is not
// kept, and a dropped socket drops the watched tables' records until the live query is back.

#include "faultproxy.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_RecordCache : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<DatabaseManager> m_db;    // through the proxy
    std::unique_ptr<DatabaseManager> m_other; // a second client, direct

    Connection *c() { return m_db->connection(); }

    RecordId makeNote(const QString &key, const QString &text)
    {
        const RecordId id(u"note"_s, key);
        SyncConnection(m_other->connection())
            .query(u"CREATE $id SET text = $t"_s, {{u"id"_s, QVariant::fromValue(id)}, {u"t"_s, text}});
        return id;
    }
    void setText(const RecordId &id, const QString &text)
    {
        SyncConnection(m_other->connection())
            .query(u"UPDATE $id SET text = $t"_s, {{u"id"_s, QVariant::fromValue(id)}, {u"t"_s, text}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_proxy = std::make_unique<FaultProxy>(TestServer::url());
        QVERIFY(m_proxy->start());
        const QString ns = TestServer::uniqueName("rcache_");
        const auto creds = Credentials::root(TestServer::user(), TestServer::pass());
        // One socket, so a dropped connection reaches the live queries the cache depends on.
        m_db = std::make_unique<DatabaseManager>(
            m_proxy->url(), ns, u"r"_s, creds,
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        m_db->setReconnectBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(200));
        m_db->openSync();
        m_other = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"r"_s, creds);
        m_other->openSync();
        SyncConnection(m_other->connection()).query(u"DEFINE TABLE note SCHEMALESS;"_s);
    }

    void cleanupTestCase()
    {
        if (m_proxy)
            m_proxy->clearRule();
    }

    // The server reads the record, a second client changes it, and only then does the reply
    // arrive: it is returned to its caller but not kept, so the next get() sees the change.
    void lateReplyIsNotKept()
    {
        const QString key = TestServer::uniqueName("rc_late_");
        const RecordId id = makeNote(key, u"old"_s);
        const RecordId marker = makeNote(TestServer::uniqueName("rc_mark_"), u"m0"_s);
        RecordCache cache(c());
        cache.watchSync(Table(u"note"_s));
        QCOMPARE(cache.getSync(marker).value(u"text"_s).toString(), u"m0"_s);
        QSignalSpy changed(&cache, &RecordCache::recordChanged);

        m_proxy->setRule(
            {.needle = key.toUtf8(), .fault = FaultProxy::Fault::DelayReply, .limit = 1, .delayMs = 3000});
        const int sent = m_proxy->matchedRequests();
        QFuture<QVariantMap> late = cache.get(id);
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->matchedRequests() > sent, 10000);
        QTest::qWait(300); // the server has answered; the proxy holds the reply back
        setText(id, u"new"_s);
        // The marker's change comes after the record's: once the cache has it (notifications of
        // two statements may come in either order, so a little more time), it has both.
        setText(marker, u"m1"_s);
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, 10000);
        QTest::qWait(300);
        QVERIFY2(!late.isFinished(), "the held reply arrived before the notification: no test");

        QCOMPARE(AWAIT(late).value(u"text"_s).toString(), u"old"_s); // read before the change
        m_proxy->clearRule();
        QVERIFY(!cache.contains(id));
        QCOMPARE(cache.getSync(id).value(u"text"_s).toString(), u"new"_s);
        QVERIFY(cache.contains(id));
    }

    // After a dropped socket changes may have been missed: the table's records are dropped, and
    // once the live query is back records are kept and followed again.
    void reconnectDropsRecords()
    {
        const RecordId id = makeNote(TestServer::uniqueName("rc_rc_"), u"before"_s);
        RecordCache cache(c());
        cache.watchSync(Table(u"note"_s));
        QCOMPARE(cache.getSync(id).value(u"text"_s).toString(), u"before"_s);
        QVERIFY(cache.contains(id));
        QSignalSpy cleared(&cache, &RecordCache::tableCleared);

        const int connectsBefore = m_proxy->connectionsAccepted();
        m_proxy->setRule({.needle = "rc_drop", .fault = FaultProxy::Fault::DropReplyAndClose, .limit = 1});
        (void)failureOf(c()->query(u"RETURN 'rc_drop'"_s), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->connectionsAccepted() > connectsBefore, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(cleared.size() >= 1, 10000);
        QCOMPARE(cleared.first().first().toString(), u"note"_s);
        QVERIFY(!cache.contains(id));
        m_proxy->clearRule();

        QTRY_COMPARE_WITH_TIMEOUT(m_db->state(), DatabaseManager::State::Connected, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                cache.getSync(id);
                return cache.contains(id);
            }(),
            10000);
        setText(id, u"after"_s);
        QTRY_COMPARE_WITH_TIMEOUT(cache.cached(id).value_or(QVariantMap()).value(u"text"_s).toString(),
                                  u"after"_s, 10000);
    }
};

QTEST_GUILESS_MAIN(tst_RecordCache)
#include "tst_recordcache.moc"
