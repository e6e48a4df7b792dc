// The server is SIGKILLed twice and restarted on the same port with its data on disk
// (surrealkv), during a bulk job and during live work (a live list model, a LiveQuery and a
// stream of single writes). Counted against the table afterwards: every bulk input is written
// exactly once or reported failed, no write is stored twice, and the live consumers equal a
// fresh SELECT.
//
// SURREALQT_KILL_RECORDS sets the size of the bulk job (default 100,000, the figure: the
// whole test takes 9-14 s on a loaded 2-core machine, docs/reliability.md), e.g. for a quick run:
//   SURREALQT_KILL_RECORDS=20000 ctest -R 'tst_killpersist'

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/querylistmodel.h>

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

int recordCount()
{
    const int fromEnv = qEnvironmentVariableIntValue("SURREALQT_KILL_RECORDS");
    return fromEnv > 0 ? fromEnv : 100000;
}

} // namespace

class tst_KillPersist : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedTwiceDuringBulkAndLiveWork()
    {
        QTemporaryDir dir;
        const QString storage = u"surrealkv:"_s + dir.filePath(u"db"_s);
        TestServer::LocalServer server;
        QVERIFY(server.start(0, storage));
        const int port = server.port();
        DatabaseManager m(server.wsUrl(), u"kill"_s, u"kill"_s, Credentials::root(u"root"_s, u"root"_s),
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Pool, .poolSize = 2});
        m.setReconnectBackoff(std::chrono::milliseconds(50), std::chrono::milliseconds(300));
        m.setMaxRetries(100);
        m.setRequestTimeout(std::chrono::seconds(15));
        AWAIT_VOID(m.open());
        Connection *c = m.connection();
        QVERIFY(AWAIT(c->query(u"DEFINE TABLE kill_bulk SCHEMALESS; DEFINE TABLE kill_live SCHEMALESS"_s))
                    .isOk());

        // Live work: a live model and a LiveQuery on kill_live, fed by single creates.
        QueryListModel model(c);
        model.setPageSize(100000);
        model.setTable(u"kill_live"_s);
        model.setLive(true);
        QTRY_COMPARE_WITH_TIMEOUT(model.status(), QueryListModel::Ready, 10000);
        std::unique_ptr<LiveQuery> live(c->liveQuery(u"LIVE SELECT * FROM kill_live"_s));
        QSignalSpy restarted(live.get(), &LiveQuery::restarted);
        QSignalSpy resync(live.get(), &LiveQuery::resyncRequired);
        QTRY_COMPARE_WITH_TIMEOUT(live->state(), LiveQuery::State::Active, 10000);
        // Generated ids: a create that were sent twice would show up as a second row.
        QList<QFuture<QueryResult>> liveWrites;
        QTimer writer;
        writer.setInterval(25);
        connect(&writer, &QTimer::timeout, this, [&] {
            const int k = int(liveWrites.size());
            liveWrites.append(c->query(u"CREATE kill_live SET k = $k"_s, {{u"k"_s, k}}));
        });
        writer.start();

        const int n = recordCount();
        const QDateTime base(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
        QVariantList in;
        in.reserve(n);
        for (int i = 0; i < n; ++i)
            in.append(QVariantMap{{u"seq"_s, i},
                                  {u"at"_s, base.addSecs(i)},
                                  {u"tags"_s, QStringList{u"t%1"_s.arg(i % 7), u"x"_s}},
                                  {u"p"_s, u"payload %1"_s.arg(i)}}); // ids generated
        BulkOptions o;
        o.batchSize = 200;
        o.maxRetries = 40;
        o.retryDelay = std::chrono::milliseconds(50);
        o.maxRetryDelay = std::chrono::milliseconds(500);
        BulkOperations ops(c, o);
        QSignalSpy batches(&ops, &BulkOperations::batchFinished);
        QElapsedTimer clock;
        clock.start();
        QFuture<BulkResult> job = ops.bulkInsert(u"kill_bulk"_s, in);
        const int batchesTotal = (n + o.batchSize - 1) / o.batchSize;
        for (int kill = 1; kill <= 2; ++kill) {
            QTRY_VERIFY_WITH_TIMEOUT(batches.count() >= batchesTotal * kill / 3, 60000);
            server.kill();
            QTest::qWait(300);
            QVERIFY(server.start(port, storage));
            qInfo("kill %d after %lld of %d batches, %lld ms in", kill, qlonglong(batches.count()),
                  batchesTotal, clock.elapsed());
        }
        QVERIFY(settle(job, 120000));
        writer.stop();
        const BulkResult r = job.result();
        qInfo("bulk job: %lld ms, %lld written, %lld failed", clock.elapsed(), r.successCount(),
              r.errorCount());
        QCOMPARE(r.successCount() + r.errorCount() + r.notAttemptedCount(), qint64(n));
        QCOMPARE(r.notAttemptedCount(), qint64(0));

        // Every bulk input exactly once, or reported failed (then at most once).
        QSet<qint64> reportedFailed;
        for (const BulkItemError &e : r.errors())
            reportedFailed.insert(e.index);
        const QueryResult back = AWAIT(c->query(u"SELECT VALUE seq FROM kill_bulk"_s));
        QVERIFY2(back.isOk(), qPrintable(back.firstError().toString()));
        QList<int> hits(n, 0);
        for (const QVariant &s : back.value(0).toList())
            ++hits[s.toInt()];
        for (int i = 0; i < n; ++i) {
            if (reportedFailed.contains(i))
                QVERIFY2(hits[i] <= 1, qPrintable(u"failed input %1 stored %2 times"_s.arg(i).arg(hits[i])));
            else
                QVERIFY2(hits[i] == 1, qPrintable(u"input %1 stored %2 times"_s.arg(i).arg(hits[i])));
        }

        // Live writes: every future finished; a success is stored once, a failure at most once.
        int liveOk = 0;
        int liveFailed = 0;
        QList<bool> succeeded;
        for (const auto &w : std::as_const(liveWrites)) {
            const Error e = failureOf(w, 20000);
            QVERIFY2(e.kind() != Error::Kind::Timeout || e.message() != u"test gave up waiting",
                     "a write hung");
            const bool ok = !e.isValid() && w.result().isOk();
            succeeded.append(ok);
            ok ? ++liveOk : ++liveFailed;
        }
        const QueryResult liveBack = AWAIT(c->query(u"SELECT VALUE k FROM kill_live"_s));
        QList<int> liveHits(liveWrites.size(), 0);
        for (const QVariant &k : liveBack.value(0).toList())
            ++liveHits[k.toInt()];
        int failedButStored = 0;
        for (qsizetype k = 0; k < liveHits.size(); ++k) {
            if (!succeeded.at(k) && liveHits[k] == 1)
                ++failedButStored;
            if (succeeded.at(k))
                QVERIFY2(liveHits[k] == 1,
                         qPrintable(u"live write %1 stored %2 times"_s.arg(k).arg(liveHits[k])));
            else
                QVERIFY2(liveHits[k] <= 1,
                         qPrintable(u"failed live write %1 stored %2 times"_s.arg(k).arg(liveHits[k])));
        }
        qInfo("live writes: %d ok, %d failed (%d of them stored: in flight at the kill)", liveOk, liveFailed,
              failedButStored);

        // The live consumers came back and say so; the model equals a fresh SELECT.
        // Said before the checks: a failure names the query's state, its error and the restarts.
        const QString liveState =
            u"live query: state %1, error '%2', %3 restarts, %4 resyncs"_s.arg(int(live->state()))
                .arg(live->lastError().toString())
                .arg(restarted.count())
                .arg(resync.count());
        QVERIFY2(restarted.count() >= 1, qPrintable(liveState));
        QVERIFY2(resync.count() == restarted.count(), qPrintable(liveState));
        QVERIFY2(live->state() == LiveQuery::State::Active, qPrintable(liveState));
        const QueryResult ids = AWAIT(c->query(u"SELECT VALUE id FROM kill_live"_s));
        QStringList truth;
        for (const QVariant &id : ids.value(0).toList())
            truth.append(id.value<RecordId>().toString());
        truth.sort();
        auto modelIds = [&] {
            QStringList out;
            for (int row = 0; row < model.rowCount(); ++row)
                out.append(model.recordId(row).value<RecordId>().toString());
            out.sort();
            return out;
        };
        // On a failure, say what state the model is in: stopped (Failed, with its error) or behind.
        auto diagnosis = [&] {
            return u"model: %1 rows, status %2, error '%3'; table: %4 rows"_s.arg(model.rowCount())
                .arg(int(model.status()))
                .arg(model.error().toString())
                .arg(truth.size());
        };
        QTRY_VERIFY2_WITH_TIMEOUT(modelIds() == truth, qPrintable(diagnosis()), 15000);
        qInfo("records checked: %d bulk + %lld live, duplicates 0", n, qlonglong(truth.size()));
    }
};

QTEST_MAIN(tst_KillPersist)
#include "tst_killpersist.moc"
