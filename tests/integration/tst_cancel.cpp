// QFuture::cancel() on the future of any request, not only call(): query() and the typed calls
// hand out futures of their own (a QueryResult, a record), and cancelling one of them must reach
// the request underneath, so that a request still queued (say, during an outage) is never sent.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/channel.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/transaction.h>

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Cancel : public QObject
{
    Q_OBJECT

    // Calls on an ordered queue (a Channel or a Transaction) wait there behind a slow call. Three
    // of them are cancelled (query(), a typed call, raw call()): each would create a record.
    // The calls around them append to log:1 in the order the server ran them.
    static void cancelQueuedCallsBehindSlowOne(QueryInterface *ordered, QueryInterface *check,
                                               const QString &what)
    {
        const QString slowText = u"SLEEP 500ms; UPDATE log:1 SET seq += 1"_s;
        QFuture<QueryResult> slow = ordered->query(slowText);
        QFuture<QueryResult> query = ordered->query(u"CREATE victim:1; UPDATE log:1 SET seq += 90"_s);
        QFuture<QVariantMap> typed = ordered->create(RecordId(u"victim"_s, 2), {{u"n"_s, 2}});
        QFuture<QVariant> raw = ordered->call(u"query"_s, {u"CREATE victim:3; UPDATE log:1 SET seq += 92"_s});
        QFuture<QueryResult> after = ordered->query(u"UPDATE log:1 SET seq += 3"_s);
        QFuture<QueryResult> last = ordered->query(u"UPDATE log:1 SET seq += 4"_s);
        QVERIFY(!slow.isFinished());
        query.cancel();
        typed.cancel();
        raw.cancel();
        QVERIFY2(AWAIT(slow).isOk(), qPrintable(what));
        QVERIFY2(AWAIT(after).isOk(), qPrintable(what));
        QVERIFY2(AWAIT(last).isOk(), qPrintable(what));
        QTRY_VERIFY_WITH_TIMEOUT(raw.isFinished(), 5000);
        QVERIFY(query.isCanceled());
        QVERIFY(typed.isCanceled());
        QVERIFY(raw.isCanceled());
        QCOMPARE(query.resultCount(), 0);
        QCOMPARE(typed.resultCount(), 0);
        QCOMPARE(raw.resultCount(), 0);
        // The calls that were not cancelled ran, in call order; the cancelled ones never reached the
        // server (their records do not exist, their appends are missing).
        const QueryResult r =
            AWAIT(check->query(u"SELECT VALUE seq FROM ONLY log:1; SELECT VALUE id FROM victim"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.value(0).toList(), (QVariantList{1, 3, 4}));
        QVERIFY2(r.value(1).toList().isEmpty(), qPrintable(what));
    }

    static std::unique_ptr<DatabaseManager> sharedServerManager(const QString &ns)
    {
        auto m = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"t"_s,
                                                   Credentials::root(TestServer::user(), TestServer::pass()));
        const Error e = failureOf(m->open());
        if (e.isValid())
            qFatal("open failed: %s", qPrintable(e.toString()));
        const QueryResult r = AWAIT(m->connection()->query(
            u"DEFINE TABLE log SCHEMALESS; DEFINE TABLE victim SCHEMALESS; CREATE log:1 SET seq = []"_s));
        if (!r.isOk())
            qFatal("setup failed: %s", qPrintable(r.firstError().toString()));
        return m;
    }

private Q_SLOTS:
    void cancelledChannelCallIsNeverSent()
    {
        auto m = sharedServerManager(TestServer::uniqueName("cancel_ch_"));
        std::unique_ptr<Channel> channel(m->connection()->channel());
        cancelQueuedCallsBehindSlowOne(channel.get(), m->connection(), u"channel"_s);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(channel->pendingCount(), 0);
    }

    void cancelledTransactionCallIsNeverSent()
    {
        auto m = sharedServerManager(TestServer::uniqueName("cancel_tx_"));
        std::unique_ptr<Transaction> txn(m->connection()->transaction());
        // The check reads inside the transaction: its writes are not visible outside before commit.
        cancelQueuedCallsBehindSlowOne(txn.get(), txn.get(), u"transaction"_s);
        if (QTest::currentTestFailed())
            return;
        AWAIT_VOID(txn->commit());
        const QueryResult r =
            AWAIT(m->connection()->query(u"SELECT VALUE seq FROM ONLY log:1; SELECT VALUE id FROM victim"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.value(0).toList(), (QVariantList{1, 3, 4}));
        QVERIFY(r.value(1).toList().isEmpty());
    }

    void cancelledQueryIsNeverSent()
    {
        // Its data survives the restart on the same port, so "never created" is a real answer.
        QTemporaryDir dir;
        TestServer::LocalServer server;
        QVERIFY(server.start(0, u"surrealkv:"_s + dir.filePath(u"db"_s)));
        const int port = server.port();
        // One socket, so the requests below queue on the socket that dropped.
        DatabaseManager m(server.wsUrl(), u"cancel"_s, u"cancel"_s, Credentials::root(u"root"_s, u"root"_s),
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m.open());
        Connection *c = m.connection();
        QVERIFY(AWAIT(c->query(u"DEFINE TABLE cancel_q SCHEMALESS"_s)).isOk());
        // Mapped replies still deliver while nothing is cancelled.
        QCOMPARE(AWAIT(c->create(RecordId(u"cancel_q"_s, 0), {{u"n"_s, 0}})).value(u"n"_s).toInt(), 0);

        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(m.state() != DatabaseManager::State::Connected, 5000);
        QFuture<QueryResult> query = c->query(u"CREATE cancel_q:1 SET n = 1"_s);
        QFuture<QVariantMap> create = c->create(RecordId(u"cancel_q"_s, 2), {{u"n"_s, 2}});
        QFuture<void> kept = c->query(u"CREATE cancel_q:3 SET n = 3"_s).then([](const QueryResult &) {});
        QTest::qWait(100);
        QVERIFY(!query.isFinished());
        QVERIFY(!create.isFinished());
        query.cancel();
        create.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(query.isFinished(), 1000);
        QTRY_VERIFY_WITH_TIMEOUT(create.isFinished(), 1000);
        QVERIFY(query.isCanceled());
        QVERIFY(create.isCanceled());
        QVERIFY(!kept.isFinished());

        QVERIFY(server.start(port, u"surrealkv:"_s + dir.filePath(u"db"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(m.state(), DatabaseManager::State::Connected, 20000);
        // The request that was not cancelled went through once the server was back.
        QVERIFY(settle(kept, 20000));
        const QueryResult r = AWAIT(c->query(u"SELECT VALUE n FROM cancel_q ORDER BY n"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QList<int> created;
        for (const QVariant &n : r.last().toList())
            created.append(n.toInt());
        QCOMPARE(created, (QList<int>{0, 3}));
        // A cancelled future stays cancelled, with no result, after the connection is back.
        QVERIFY(query.isCanceled());
        QCOMPARE(query.resultCount(), 0);
        QCOMPARE(create.resultCount(), 0);
    }
};

QTEST_MAIN(tst_Cancel)
#include "tst_cancel.moc"
