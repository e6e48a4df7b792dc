// QFuture::cancel() on the future of any request, not only call(): query() and the typed calls
// hand out futures of their own (a QueryResult, a record), and cancelling one of them must reach
// the request underneath, so that a request still queued (say, during an outage) is never sent.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Cancel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
