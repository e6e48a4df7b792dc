// Bulk operations against a real SurrealDB: volume, failure attribution, atomic batches,
// cancellation, a server restart mid-job, and the per-operation semantics.

#include "futurewait.h"
#include "guardednotes.h"
#include "testserver.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/connectionpool.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/syncbulkoperations.h>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

using Status = BulkResult::ItemStatus;

QVariantMap rec(int i)
{
    return {{u"id"_s, i}, {u"name"_s, u"n%1"_s.arg(i)}, {u"v"_s, i * 3}};
}

QList<QVariantMap> recs(int n)
{
    QList<QVariantMap> out;
    out.reserve(n);
    for (int i = 0; i < n; ++i)
        out.append(rec(i));
    return out;
}

QSet<qint64> storedIntIds(Connection *c, const QString &tb)
{
    const QueryResult r =
        AWAIT(c->query(u"SELECT VALUE record::id(id) FROM type::table($tb)"_s, {{u"tb"_s, tb}}));
    QSet<qint64> ids;
    for (const QVariant &v : r.value(0).toList())
        ids.insert(v.toLongLong());
    return ids;
}

qint64 countOf(Connection *c, const QString &tb)
{
    const QueryResult r =
        AWAIT(c->query(u"SELECT count() AS n FROM type::table($tb) GROUP ALL"_s, {{u"tb"_s, tb}}));
    const QVariantList rows = r.value(0).toList();
    return rows.isEmpty() ? 0 : rows.first().toMap().value(u"n"_s).toLongLong();
}

QList<qint64> errorIndexes(const BulkResult &r)
{
    QList<qint64> out;
    for (const BulkItemError &e : r.errors())
        out.append(e.index);
    return out;
}

// What the result says about each input must be what the database holds.
void verifyStatusesMatchDatabase(Connection *c, const QString &tb, const BulkResult &r, qint64 n)
{
    const QSet<qint64> stored = storedIntIds(c, tb);
    qint64 written = 0;
    for (qint64 i = 0; i < n; ++i) {
        const Status s = r.status(i);
        QVERIFY2(s != Status::Unknown, qPrintable(u"input %1 unknown"_s.arg(i)));
        if (s == Status::Written) {
            ++written;
            QVERIFY2(stored.contains(i), qPrintable(u"input %1 reported written but absent"_s.arg(i)));
        } else {
            QVERIFY2(!stored.contains(i), qPrintable(u"input %1 reported not written but present"_s.arg(i)));
        }
    }
    QCOMPARE(written, r.successCount());
    QCOMPARE(r.successCount() + r.errorCount() + r.notAttemptedCount(), r.total());
}

} // namespace

class tst_Bulk : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_db;
    std::unique_ptr<DatabaseManager> m_single;
    QString m_ns;
    int m_tables = 0;

    QString freshTable() { return u"bulk_t%1"_s.arg(++m_tables); }

    // DEFINE takes no expressions for names; these test-made names are plain identifiers.
    void defineStrictTable(const QString &tb, int existingId)
    {
        const QueryResult r =
            AWAIT(pool()->query(u"DEFINE TABLE %1 SCHEMAFULL; DEFINE FIELD name ON %1 TYPE string; DEFINE "
                                u"FIELD v ON %1 TYPE int; "
                                "CREATE type::record($tb, $id) CONTENT {name: 'old', v: 0};"_s.arg(tb),
                                {{u"tb"_s, tb}, {u"id"_s, existingId}}));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
    }
    Connection *pool() { return m_db->connection(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("bulk_");
        const auto creds = Credentials::root(TestServer::user(), TestServer::pass());
        m_db = std::make_unique<DatabaseManager>(
            TestServer::url(), m_ns, u"test"_s, creds,
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Pool, .poolSize = 4});
        m_db->setRequestTimeout(std::chrono::seconds(30));
        AWAIT_VOID(m_db->open());
        m_single = std::make_unique<DatabaseManager>(
            TestServer::url(), m_ns, u"test"_s, creds,
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m_single->open());
    }

    void cleanupTestCase()
    {
        if (m_db)
            AWAIT(m_db->connection()->query(u"REMOVE NAMESPACE IF EXISTS type::string($ns)"_s,
                                            {{u"ns"_s, m_ns}}));
    }

    // The volume case: 100,000 records in, the same 100,000 back, progress monotonic.
    void insertHundredThousandAndReadBack()
    {
        const QString tb = freshTable();
        constexpr int n = 100000;
        BulkOperations ops(pool());
        QSignalSpy progress(&ops, &BulkOperations::progress);
        QSignalSpy finished(&ops, &BulkOperations::finished);
        QFuture<BulkResult> f = ops.bulkInsert(tb, recs(n));
        QVERIFY(settle(f, 80000));
        const BulkResult r = f.result();
        QCOMPARE(r.successCount(), qint64(n));
        QCOMPARE(r.errorCount(), qint64(0));
        QVERIFY(r.isOk());
        QCOMPARE(r.results().size(), qsizetype(n));
        QCOMPARE(r.results().at(12345).toMap().value(u"name"_s).toString(), u"n12345"_s);
        QCOMPARE(r.results().at(12345).toMap().value(u"id"_s).value<RecordId>(), RecordId(tb, 12345));

        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(progress.count() >= n / BulkOptions().batchSize);
        qint64 last = 0;
        for (const QList<QVariant> &args : std::as_const(progress)) {
            QVERIFY(args.at(0).toLongLong() > last);
            last = args.at(0).toLongLong();
            QCOMPARE(args.at(1).toLongLong(), qint64(n));
        }
        QCOMPARE(last, qint64(n));

        const QueryResult back = AWAIT(pool()->query(u"SELECT * FROM type::table($tb)"_s, {{u"tb"_s, tb}}));
        const QVariantList rows = back.value(0).toList();
        QCOMPARE(rows.size(), qsizetype(n));
        QList<bool> seen(n, false);
        for (const QVariant &row : rows) {
            const QVariantMap m = row.toMap();
            const qint64 id = m.value(u"id"_s).value<RecordId>().id().toLongLong();
            QVERIFY(id >= 0 && id < n && !seen[id]);
            seen[id] = true;
            QCOMPARE(m.value(u"name"_s).toString(), u"n%1"_s.arg(id));
            QCOMPARE(m.value(u"v"_s).toLongLong(), id * 3);
            QCOMPARE(m.size(), qsizetype(3));
        }
    }

    // Records without an id get one before sending, and the stored records carry it.
    void generatedIdsAndSingleConnection()
    {
        const QString tb = freshTable();
        SyncBulkOperations ops(m_single->connection(), BulkOptions{.batchSize = 7, .parallelism = 3});
        QVariantList in;
        for (int i = 0; i < 50; ++i)
            in.append(QVariantMap{{u"k"_s, i}});
        const BulkResult r = QtConcurrent::run([&] { return ops.bulkInsert(tb, in); }).result();
        QCOMPARE(r.successCount(), qint64(50));
        QSet<RecordId> ids;
        for (int i = 0; i < 50; ++i) {
            const QVariantMap m = r.results().at(i).toMap();
            QCOMPARE(m.value(u"k"_s).toInt(), i); // input order kept across parallel batches
            ids.insert(m.value(u"id"_s).value<RecordId>());
        }
        QCOMPARE(ids.size(), qsizetype(50));
        QCOMPARE(countOf(pool(), tb), qint64(50));
    }

    // ignoreErrors = true, non-atomic: each failure at its index, every other input written.
    void failuresAttributedIgnoreErrors_data()
    {
        QTest::addColumn<bool>("sync");
        QTest::newRow("async") << false;
        QTest::newRow("sync") << true;
    }
    void failuresAttributedIgnoreErrors()
    {
        QFETCH(bool, sync);
        const QString tb = freshTable();
        defineStrictTable(tb, 5);
        QList<QVariantMap> in = recs(300);
        in[77][u"v"_s] = u"not a number"_s; // schema violation
        in[150][u"id"_s] = 149;             // duplicate inside the input
        in[299][u"name"_s] = 12;            // schema violation in the last, short batch
        BulkOptions o;
        o.batchSize = 40;
        o.ignoreErrors = true;
        BulkResult r;
        if (sync) {
            SyncBulkOperations ops(pool(), o);
            r = QtConcurrent::run([&] { return ops.bulkInsert(tb, in); }).result();
        } else {
            BulkOperations ops(pool(), o);
            r = AWAIT(ops.bulkInsert(tb, in));
        }
        // Input 5 collides with the record created above.
        const QList<qint64> errIdx = errorIndexes(r);
        QVERIFY(std::is_sorted(errIdx.cbegin(), errIdx.cend()));
        const QSet<qint64> failed(errIdx.cbegin(), errIdx.cend());
        // 149 and 150 share an id: exactly one of them is written, whichever ran first.
        QVERIFY(failed.contains(5) && failed.contains(77) && failed.contains(299));
        QVERIFY(failed.contains(149) != failed.contains(150));
        QCOMPARE(r.errorCount(), qint64(4));
        QCOMPARE(r.successCount(), qint64(296));
        for (const BulkItemError &e : r.errors()) {
            QCOMPARE(e.record.toMap(), in.at(e.index));
            if (e.index == 5 || e.index == 149 || e.index == 150)
                QCOMPARE(e.error.kind(), Error::Kind::AlreadyExists);
            QVERIFY2(e.error.context().contains(QString::number(e.index)), qPrintable(e.error.context()));
        }
        QVERIFY(!r.results().at(77).isValid());
        QVERIFY(r.results().at(78).isValid());
        QCOMPARE(countOf(pool(), tb), qint64(297)); // 296 + the pre-existing one
        const QSet<qint64> stored = storedIntIds(pool(), tb);
        QVERIFY(!stored.contains(77) && !stored.contains(299) && stored.contains(76) && stored.contains(78));
    }

    // ignoreErrors = false: the first failing batch stops the job; the result says exactly
    // which inputs are stored.
    void stopAtFirstFailingBatch()
    {
        const QString tb = freshTable();
        AWAIT(pool()->query(u"CREATE type::record($tb, 120)"_s, {{u"tb"_s, tb}}));
        BulkOptions o;
        o.batchSize = 50;
        o.parallelism = 1; // deterministic: batches strictly one after another
        SyncBulkOperations ops(pool(), o);
        const BulkResult r = QtConcurrent::run([&] { return ops.bulkInsert(tb, recs(1000)); }).result();
        QVERIFY(r.isStopped());
        QCOMPARE(errorIndexes(r), QList<qint64>{120});
        QCOMPARE(r.errors().first().error.kind(), Error::Kind::AlreadyExists);
        // Batches 0 and 1 written; batch 2 (100..149) written except the failing input;
        // everything after it never sent.
        QCOMPARE(r.successCount(), qint64(149));
        QCOMPARE(r.notAttemptedCount(), qint64(850));
        QCOMPARE(r.total(), qint64(1000));
        QCOMPARE(r.status(119), Status::Written);
        QCOMPARE(r.status(120), Status::Failed);
        QCOMPARE(r.status(121), Status::Written);
        QCOMPARE(r.status(150), Status::NotAttempted);
        QCOMPARE(r.ranges().size(), qsizetype(4));
        AWAIT(pool()->query(u"DELETE type::record($tb, 120)"_s, {{u"tb"_s, tb}}));
        verifyStatusesMatchDatabase(pool(), tb, r, 1000);
    }

    // atomic: a failed batch leaves none of its inputs behind; the others are all written.
    void atomicBatchesWhollyAbsent()
    {
        const QString tb = freshTable();
        defineStrictTable(tb, 70);
        QList<QVariantMap> in = recs(400);
        in[185][u"v"_s] = u"x"_s;
        BulkOptions o;
        o.batchSize = 50;
        o.atomic = true;
        o.ignoreErrors = true;
        BulkOperations ops(pool(), o);
        const BulkResult r = AWAIT(ops.bulkInsert(tb, in));
        QCOMPARE(r.successCount(), qint64(300));
        QCOMPARE(r.errorCount(), qint64(100));
        for (const BulkItemError &e : r.errors()) {
            QVERIFY((e.index >= 50 && e.index < 100) || (e.index >= 150 && e.index < 200));
            if (e.index == 70)
                QCOMPARE(e.error.kind(), Error::Kind::AlreadyExists);
            else if (e.index == 185)
                QVERIFY(e.error.kind() != Error::Kind::BulkOperation);
            else
                QCOMPARE(e.error.kind(), Error::Kind::BulkOperation);
        }
        const QSet<qint64> stored = storedIntIds(pool(), tb);
        QCOMPARE(stored.size(), qsizetype(301));
        for (int i = 0; i < 400; ++i) {
            const bool inFailed = (i >= 50 && i < 100) || (i >= 150 && i < 200);
            QCOMPARE(stored.contains(i), !inFailed || i == 70);
        }
    }

    void cancelMidJob()
    {
        const QString tb = freshTable();
        BulkOptions o;
        o.parallelism = 2;
        BulkOperations ops(pool(), o);
        QSignalSpy batches(&ops, &BulkOperations::batchFinished);
        int produced = 0;
        constexpr int n = 30000;
        QFuture<BulkResult> f = ops.bulkInsert(tb, BulkSource::fromGenerator(
                                                       [&produced]() -> std::optional<QVariant> {
                                                           if (produced >= n)
                                                               return std::nullopt;
                                                           return QVariant(rec(produced++));
                                                       },
                                                       n));
        QTRY_VERIFY(batches.count() >= 3);
        ops.cancel();
        const BulkResult r = AWAIT(f);
        QVERIFY(r.isCancelled());
        QVERIFY(r.successCount() > 0);
        QVERIFY(r.notAttemptedCount() > 0);
        QCOMPARE(r.errorCount(), qint64(0));
        QCOMPARE(r.total(), qint64(n));
        // Only what was pulled is held: nothing beyond the batches in flight at cancel time.
        QCOMPARE(qint64(produced), r.successCount());
        verifyStatusesMatchDatabase(pool(), tb, r, n);
    }

    // The owner deletes the operations object while batches are in flight: their completions
    // on the I/O thread still report progress to it. Posting once went through a QPointer
    // checked on the I/O thread, which raced the deletion (use after free under ASan); across
    // the rounds the deletion lands at a different point of the job.
    void deletedMidJob()
    {
        const QString tb = freshTable();
        QRandomGenerator rng(20261129);
        QElapsedTimer total;
        total.start();
        int rounds = 0;
        for (; rounds < 40 && total.elapsed() < 8000; ++rounds) {
            auto ops = std::make_unique<BulkOperations>(
                pool(), BulkOptions{.batchSize = 5, .parallelism = 8, .ignoreErrors = true});
            QList<QVariantMap> records;
            for (int i = 0; i < 400; ++i)
                records.append(rec(rounds * 1000 + i));
            QFuture<BulkResult> f = ops->bulkInsert(tb, records);
            // Spin (not sleep): completions arrive every few hundred microseconds.
            QElapsedTimer spin;
            spin.start();
            const qint64 deleteAfterNs = rng.bounded(30'000'000);
            while (!f.isFinished() && spin.nsecsElapsed() < deleteAfterNs) {
            }
            ops.reset();
            const BulkResult r = AWAIT(f);
            QCOMPARE(r.successCount() + r.errorCount() + r.notAttemptedCount(), r.total());
            QCOMPARE(r.errorCount(), qint64(0));
        }
        QVERIFY(rounds >= 5);
    }

    // The server dies mid-job and comes back on the same port: with retries, every record
    // ends up stored exactly once and the result says so.
    void serverKilledAndRestartedMidJob()
    {
        QTemporaryDir dir;
        const QString storage = u"surrealkv:"_s + dir.filePath(u"db"_s);
        TestServer::LocalServer server;
        QVERIFY(server.start(0, storage));
        const int port = server.port();
        DatabaseManager m(server.wsUrl(), u"bulk"_s, u"kill"_s, Credentials::root(u"root"_s, u"root"_s),
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Pool, .poolSize = 2});
        m.setReconnectBackoff(std::chrono::milliseconds(50), std::chrono::milliseconds(300));
        m.setMaxRetries(100);
        m.setRequestTimeout(std::chrono::seconds(10));
        AWAIT_VOID(m.open());
        const QString tb = u"killed"_s;
        BulkOptions o;
        o.maxRetries = 40;
        o.retryDelay = std::chrono::milliseconds(50);
        o.maxRetryDelay = std::chrono::milliseconds(500);
        BulkOperations ops(m.connection(), o);
        QSignalSpy batches(&ops, &BulkOperations::batchFinished);
        constexpr int n = 8000;
        QVariantList in;
        for (int i = 0; i < n; ++i)
            in.append(QVariantMap{{u"seq"_s, i}, {u"payload"_s, u"p%1"_s.arg(i)}}); // ids generated
        QFuture<BulkResult> f = ops.bulkInsert(tb, in);
        QTRY_VERIFY_WITH_TIMEOUT(batches.count() >= 10, 20000);
        server.kill();
        QTest::qWait(300);
        QVERIFY(server.start(port, storage));
        QVERIFY(settle(f, 60000));
        const BulkResult r = f.result();
        QCOMPARE(r.errorCount(), qint64(0));
        QCOMPARE(r.successCount(), qint64(n));
        const QueryResult back = AWAIT(m.connection()->query(u"SELECT VALUE seq FROM killed"_s));
        const QVariantList seqs = back.value(0).toList();
        QCOMPARE(seqs.size(), qsizetype(n));
        QList<int> hits(n, 0);
        for (const QVariant &s : seqs)
            ++hits[s.toInt()];
        QCOMPARE(hits.count(1), qsizetype(n));
    }

    void updateMergeReplaceAndMissing()
    {
        const QString tb = freshTable();
        SyncBulkOperations ops(pool(), BulkOptions{.batchSize = 3});
        auto run = [&](auto fn) { return QtConcurrent::run(fn).result(); };
        QCOMPARE(run([&] { return ops.bulkInsert(tb, recs(10)); }).successCount(), qint64(10));
        QList<BulkUpdateItem> items;
        for (int i = 0; i < 10; ++i)
            items.append({RecordId(tb, i), {{u"extra"_s, i}}, i % 2 == 0});
        items[4].recordId = RecordId(tb, 404);
        const BulkResult r = run([&] { return ops.bulkUpdate(items); });
        QCOMPARE(errorIndexes(r), QList<qint64>{4});
        QCOMPARE(r.errors().first().error.kind(), Error::Kind::NotFound);
        QCOMPARE(r.results().at(2).toMap().value(u"name"_s).toString(), u"n2"_s); // merged
        QVERIFY(!r.results().at(3).toMap().contains(u"name"_s));                  // replaced
        QCOMPARE(r.results().at(3).toMap().value(u"extra"_s).toInt(), 3);
        QCOMPARE(countOf(pool(), tb), qint64(10)); // nothing created

        // Atomic: the batch holding the missing record (inputs 3..5) rolls back.
        ops.setOptions(BulkOptions{.batchSize = 3, .ignoreErrors = true, .atomic = true});
        for (BulkUpdateItem &item : items)
            item.data = {{u"extra"_s, 100}};
        const BulkResult a = run([&] { return ops.bulkUpdate(items); });
        QCOMPARE(errorIndexes(a), (QList<qint64>{3, 4, 5}));
        QCOMPARE(a.errors().at(1).error.kind(), Error::Kind::NotFound);
        const QueryResult back = AWAIT(pool()->query(
            u"SELECT VALUE record::id(id) FROM type::table($tb) WHERE extra = 100"_s, {{u"tb"_s, tb}}));
        QCOMPARE(back.value(0).toList().size(), qsizetype(7)); // 0-2, 6-8, 9
    }

    // An update or delete a permission rule refuses comes back like one on a missing record; the
    // job reads the records back, as every single-record write does: NotAllowed when the record is
    // still there to read, NotFound when it is not.
    void refusedAndMissingAreToldApart()
    {
        const QString db = TestServer::uniqueName("perm_");
        const auto root = Credentials::root(TestServer::user(), TestServer::pass());
        const ConnectionOptions single{.sockets = ConnectionOptions::Sockets::Single};
        DatabaseManager admin(TestServer::url(), m_ns, db, root, single);
        AWAIT_VOID(admin.open());
        const QueryResult setup = AWAIT(admin.connection()->query(GuardedNotes::schema()));
        QVERIFY2(setup.isOk(), qPrintable(setup.firstError().toString()));
        DatabaseManager user(TestServer::url(), m_ns, db, Credentials(), single);
        AWAIT(user.connection()->signup(
            Credentials::recordAccess(m_ns, db, u"member"_s, {{u"name"_s, u"zoe"_s}})));
        BulkOperations ops(user.connection(), BulkOptions{.ignoreErrors = true});
        const RecordId theirs(u"note"_s, u"theirs"_s);
        const RecordId gone(u"note"_s, u"gone"_s);
        const BulkResult u =
            AWAIT(ops.bulkUpdate(QList<BulkUpdateItem>{BulkUpdateItem{theirs, {{u"text"_s, u"x"_s}}, true},
                                                       BulkUpdateItem{gone, {{u"text"_s, u"x"_s}}, true}}));
        QCOMPARE(errorIndexes(u), (QList<qint64>{0, 1}));
        QCOMPARE(u.errors().at(0).error.kind(), Error::Kind::NotAllowed);
        QCOMPARE(u.errors().at(1).error.kind(), Error::Kind::NotFound);
        const BulkResult d = AWAIT(ops.bulkDelete(QList<RecordId>{theirs, gone}));
        QCOMPARE(errorIndexes(d), (QList<qint64>{0, 1}));
        QCOMPARE(d.errors().at(0).error.kind(), Error::Kind::NotAllowed);
        QCOMPARE(d.errors().at(1).error.kind(), Error::Kind::NotFound);
        const QueryResult check = AWAIT(admin.connection()->query(u"SELECT VALUE text FROM note:theirs"_s));
        QCOMPARE(check.last().toList().value(0).toString(), u"keep"_s);
    }

    void upsertNeedsKeyIndex()
    {
        const QString tb = freshTable();
        BulkOperations ops(pool());
        QSignalSpy errors(&ops, &BulkOperations::errorOccurred);
        QList<QVariantMap> rows;
        for (int i = 0; i < 30; ++i)
            rows.append({{u"email"_s, u"u%1@x.org"_s.arg(i)}, {u"v"_s, i}});
        const Error e = failureOf(ops.bulkUpsert(tb, rows, u"email"_s));
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"INDEX"_s, Qt::CaseInsensitive), qPrintable(e.message()));
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(countOf(pool(), tb), qint64(0));

        ops.setOptions(BulkOptions{.batchSize = 8, .createKeyIndex = true});
        QCOMPARE(AWAIT(ops.bulkUpsert(tb, rows, u"email"_s)).successCount(), qint64(30));
        for (QVariantMap &row : rows)
            row[u"v"_s] = row[u"v"_s].toInt() + 1000;
        rows.append({{u"email"_s, u"new@x.org"_s}, {u"v"_s, -1}});
        rows.append({{u"v"_s, -2}}); // no key: refused at its index, before any request
        BulkOptions o = ops.options();
        o.ignoreErrors = true;
        ops.setOptions(o);
        const BulkResult r = AWAIT(ops.bulkUpsert(tb, rows, u"email"_s));
        QCOMPARE(errorIndexes(r), QList<qint64>{31});
        QCOMPARE(r.errors().first().error.kind(), Error::Kind::Validation);
        QCOMPARE(r.results().at(7).toMap().value(u"v"_s).toInt(), 1007);
        QCOMPARE(countOf(pool(), tb), qint64(31));

        // By id: no index needed.
        const QString tb2 = freshTable();
        QCOMPARE(AWAIT(ops.bulkUpsert(tb2, recs(20))).successCount(), qint64(20));
        QCOMPARE(AWAIT(ops.bulkUpsert(tb2, recs(25))).successCount(), qint64(25));
        QCOMPARE(countOf(pool(), tb2), qint64(25));
    }

    void deleteAndQuery()
    {
        const QString tb = freshTable();
        BulkOperations ops(pool(), BulkOptions{.batchSize = 6, .ignoreErrors = true});
        QCOMPARE(AWAIT(ops.bulkInsert(tb, recs(20))).successCount(), qint64(20));
        QList<RecordId> ids;
        for (int i = 0; i < 12; ++i)
            ids.append(RecordId(tb, i == 9 ? 999 : i));
        const BulkResult d = AWAIT(ops.bulkDelete(ids));
        QCOMPARE(errorIndexes(d), QList<qint64>{9});
        QCOMPARE(d.errors().first().error.kind(), Error::Kind::NotFound);
        QCOMPARE(d.results().at(3).toMap().value(u"name"_s).toString(), u"n3"_s);
        QCOMPARE(countOf(pool(), tb), qint64(9));

        QList<BulkQuery> queries;
        for (int i = 0; i < 10; ++i)
            queries.append({u"UPDATE type::record($tb, $i) SET touched = $v RETURN AFTER"_s,
                            {{u"tb"_s, tb}, {u"i"_s, 10 + i}, {u"v"_s, u"t%1"_s.arg(i)}}});
        queries[4] = {u"THROW $msg"_s, {{u"msg"_s, u"boom"_s}}};
        const BulkResult q = AWAIT(ops.bulkQuery(queries));
        QCOMPARE(errorIndexes(q), QList<qint64>{4});
        QVERIFY(q.errors().first().error.message().contains(u"boom"_s));
        QCOMPARE(q.results().at(2).value<QueryResult>().value(0).toList().first().toMap().value(u"touched"_s),
                 QVariant(u"t2"_s));

        // Atomic bulkQuery: the batch with the throwing query rolls back as a whole.
        ops.setOptions(BulkOptions{.batchSize = 5, .ignoreErrors = true, .atomic = true});
        for (BulkQuery &bq : queries)
            if (bq.vars.contains(u"v"_s))
                bq.vars[u"v"_s] = u"atomic"_s;
        const BulkResult qa = AWAIT(ops.bulkQuery(queries));
        QCOMPARE(errorIndexes(qa), (QList<qint64>{0, 1, 2, 3, 4}));
        const QueryResult back = AWAIT(
            pool()->query(u"SELECT VALUE record::id(id) FROM type::table($tb) WHERE touched = 'atomic'"_s,
                          {{u"tb"_s, tb}}));
        QList<qint64> touched;
        for (const QVariant &v : back.value(0).toList())
            touched.append(v.toLongLong());
        std::sort(touched.begin(), touched.end());
        QCOMPARE(touched, (QList<qint64>{15, 16, 17, 18, 19}));
    }

    void hostileStrings()
    {
        const QString tb = freshTable();
        const QStringList hostile{u"'; REMOVE TABLE %1; --"_s.arg(tb),
                                  u"$tb"_s,
                                  u"\") DELETE %1 (\""_s.arg(tb),
                                  u"`⟨x⟩`"_s,
                                  QString(QChar(0)) + u"nul"_s,
                                  u"🙂 ünïcødé \u202e rtl"_s,
                                  QString(5000, u'x'),
                                  u"}; THROW 'x'; {"_s};
        QList<QVariantMap> in;
        for (int i = 0; i < hostile.size(); ++i)
            in.append({{u"id"_s, hostile.at(i)}, {u"s"_s, hostile.at(i)}, {hostile.at(i).left(40), i}});
        BulkOperations ops(pool(), BulkOptions{.batchSize = 3});
        const BulkResult r = AWAIT(ops.bulkInsert(tb, in));
        QCOMPARE(r.errors().size(), qsizetype(0));
        QCOMPARE(r.successCount(), qint64(hostile.size()));
        for (int i = 0; i < hostile.size(); ++i) {
            const QVariant got = AWAIT(pool()->select(QVariant::fromValue(RecordId(tb, hostile.at(i)))));
            const QVariantMap m =
                got.typeId() == QMetaType::QVariantList ? got.toList().value(0).toMap() : got.toMap();
            QCOMPARE(m.value(u"s"_s).toString(), hostile.at(i));
            QCOMPARE(m.value(hostile.at(i).left(40)).toInt(), i);
        }
        QCOMPARE(countOf(pool(), tb), qint64(hostile.size()));
        const BulkResult u = AWAIT(ops.bulkUpsert(tb, in));
        QCOMPARE(u.successCount(), qint64(hostile.size()));
        QCOMPARE(countOf(pool(), tb), qint64(hostile.size()));
    }

    void badInputRefusedBeforeSending()
    {
        BulkOperations ops(pool());
        QCOMPARE(failureOf(ops.bulkInsert(u"no such:table"_s, recs(3))).kind(), Error::Kind::Validation);
        QCOMPARE(failureOf(ops.bulkUpsert(u"ok"_s, recs(3), u"a b"_s)).kind(), Error::Kind::Validation);
        ops.setOptions(BulkOptions{.batchSize = 0});
        QCOMPARE(failureOf(ops.bulkInsert(u"ok"_s, recs(3))).kind(), Error::Kind::Validation);
        const QString tb = freshTable();
        ops.setOptions(BulkOptions{.batchSize = 2, .ignoreErrors = true});
        const BulkResult r = AWAIT(ops.bulkInsert(
            tb,
            QVariantList{QVariant(rec(0)), QVariant(42), QVariant(rec(2)),
                         QVariant(QVariantMap{{u"id"_s, QVariant::fromValue(RecordId(u"other"_s, 1))}})}));
        QCOMPARE(errorIndexes(r), (QList<qint64>{1, 3}));
        QCOMPARE(r.errors().at(0).error.kind(), Error::Kind::Validation);
        QVERIFY(r.errors().at(0).error.context().contains(u"1"_s));
        QCOMPARE(storedIntIds(pool(), tb), (QSet<qint64>{0, 2}));
    }

    // A stream of unknown length: bounded pulling, progress total known only at the end.
    void streamOfUnknownLength()
    {
        const QString tb = freshTable();
        BulkOptions o;
        o.collectResults = false;
        o.adaptiveBatchSize = true;
        BulkOperations ops(pool(), o);
        QSignalSpy progress(&ops, &BulkOperations::progress);
        const QVariantList data = [] {
            QVariantList l;
            for (int i = 0; i < 5000; ++i)
                l.append(QVariant(rec(i)));
            return l;
        }();
        const BulkResult r = AWAIT(ops.bulkInsert(tb, BulkSource::fromRange(data.cbegin(), data.cend())));
        QCOMPARE(r.successCount(), qint64(5000));
        QVERIFY(r.results().isEmpty());
        // The progress signal is queued to this thread; the future can finish first.
        QTRY_VERIFY(!progress.isEmpty());
        QTRY_COMPARE(progress.last().at(0).toLongLong(), qint64(5000));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(5000));
        QCOMPARE(progress.first().at(1).toLongLong(), qint64(-1));
        QCOMPARE(countOf(pool(), tb), qint64(5000));
    }
};

QTEST_MAIN(tst_Bulk)
#include "tst_bulk.moc"
