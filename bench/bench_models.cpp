// Loading rows as model objects versus the raw read of the same rows, against a real SurrealDB
// (tools/surreal-local, started here, or the server named by SURREALQT_BENCH_URL).
//   models  Query<BenchUser>::all(): SELECT, decode, then one QObject per row (moved to the
//           caller's thread), in QSharedPointers
//   raw     Connection::select(Table) into a QVariantList
// Both run interleaved round by round; medians of wall time are compared, so the ratio is what
// counts on a noisy machine. Memory per object: heap growth (glibc mallinfo2) while holding the
// objects minus the same for the raw rows, divided by the row count.
//
// Query cache: the same Query<T>::all() repeated, sent every time versus through a QueryCache
// watching the table (hits build new objects from the stored rows, no request), interleaved
// call by call, for a 20-row query and for the whole table.
//
// Paging (Query<T>::page): a page of 100 at row 90,000 of a 100,000-row table versus the first
// page, ordered by id (record-id range) and by an indexed field (key set), interleaved round by
// round; START (an order without an index) is printed for reference. The token of the deep page
// is the one page 900 would have returned, built with PageToken::make from the row before it.
//
//   bench_models [--rows N] [--rounds R] [--page-rows N (0: skip paging)] [--page-rounds R]
//                [--cache-repeats N (0: skip the cache)]

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/querycache.h>
#include <SurrealQt/schema.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/values.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <memory>
#include <vector>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class BenchUser : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(BenchUser)
    Q_CLASSINFO("table", "bench_user")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(bool, active, setActive)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
};

class BenchPage : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(BenchPage)
    Q_CLASSINFO("table", "bench_page")
    Q_CLASSINFO("rank", "index")
    Q_CLASSINFO("seq", "unique")
    SURREALQT_FIELD(int, rank, setRank)
    SURREALQT_FIELD(int, seq, setSeq)
    SURREALQT_FIELD(QString, label, setLabel)
};

namespace {

template<typename T>
T await(QFuture<T> f)
{
    waitInEventLoop(f);
    return f.result();
}

size_t heapInUse()
{
    malloc_trim(0);
    const struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

template<typename F>
double timeMs(F f)
{
    QElapsedTimer t;
    t.start();
    f();
    return double(t.nsecsElapsed()) / 1e6;
}

void check(bool ok, const QString &what)
{
    if (!ok)
        throw Exception(Error(Error::Kind::Query, what));
}

// Repeats of one query, uncached versus through a watching QueryCache, alternating call by call.
void benchCache(Connection *c, const Query<BenchUser> &query, const char *what, int repeats)
{
    QueryCache cache(c);
    cache.watchSync(Table(u"bench_user"_s));
    const qsizetype expected = query.allSync().size();
    std::vector<double> plainMs, cachedMs;
    for (int i = 0; i < repeats; ++i) {
        QList<QSharedPointer<BenchUser>> a, b;
        plainMs.push_back(timeMs([&] { a = await(query.all()); }));
        cachedMs.push_back(timeMs([&] { b = await(cache.all(query)); }));
        check(a.size() == expected && b.size() == expected, u"cache bench: wrong row count"_s);
    }
    const double p = median(plainMs), k = median(cachedMs);
    std::printf("  %-26s uncached %8.3f ms   cached %8.3f ms   (hits %lld of %d)\n", what, p, k, cache.hits(),
                repeats);
    std::printf("ratio cached/uncached = %.3f (%s)\n", k / p, what);
}

// First page versus the page at row `at`, by id and by the indexed field, each `rounds` times.
void benchPaging(Connection *c, int rows, int rounds)
{
    const int pageSize = 100;
    const int at = rows * 9 / 10;
    SyncConnection(c).query(u"REMOVE TABLE IF EXISTS bench_page; DEFINE TABLE bench_page SCHEMALESS;"_s);
    // The indexes as the schema generator defines them: rank (index), seq (UNIQUE).
    Schema(c).applySync<BenchPage>();
    QElapsedTimer fill;
    fill.start();
    for (int start = 0; start < rows; start += 5000) {
        // Ranks descend while ids ascend, so the two orders read different parts of the table.
        SyncConnection(c).query(
            u"FOR $i IN $from..$to { CREATE type::record('bench_page', $i) SET rank = $n - $i, seq "
            u"= $n - $i, "
            "label = 'row ' + <string> $i; };"_s,
            {{u"from"_s, start + 1}, {u"to"_s, std::min(rows, start + 5000) + 1}, {u"n"_s, rows}});
    }
    const qint64 stored = BenchPage::objects(c).countSync();
    check(stored == rows, u"bench_page holds %1 rows, expected %2"_s.arg(stored).arg(rows));
    std::printf("\npaging: %d rows (filled in %.1f s), %d per page, page at row %d vs the first\n", rows,
                double(fill.elapsed()) / 1000, pageSize, at);

    const auto byId = BenchPage::objects(c).limit(pageSize);
    const auto byRank = BenchPage::objects(c).orderBy(u"rank"_s).limit(pageSize);
    const auto bySeq = BenchPage::objects(c).orderBy(u"seq"_s).limit(pageSize);
    const auto byLabel = BenchPage::objects(c).orderBy(u"label"_s).limit(pageSize);
    // The rows just before the deep pages, as the previous page would have ended.
    const RecordId lastId(u"bench_page"_s, at);
    const auto beforeRank = byRank.offset(at - 1).limit(1).allSync();
    check(beforeRank.size() == 1, u"no row at %1 by rank"_s.arg(at));
    const PageToken idToken =
        PageToken::make(PageToken::Mode::IdRange, {{u"id"_s, QVariant::fromValue(lastId)}}, at);
    const PageToken rankToken = PageToken::make(
        PageToken::Mode::KeySet,
        {{u"value"_s, beforeRank.first()->rank()}, {u"id"_s, QVariant::fromValue(beforeRank.first()->id())}},
        at);
    const PageToken seqToken = PageToken::make(
        PageToken::Mode::KeySet,
        {{u"value"_s, beforeRank.first()->seq()}, {u"id"_s, QVariant::fromValue(beforeRank.first()->id())}},
        at);
    const PageToken labelToken = PageToken::make(PageToken::Mode::Offset, {}, at);

    // Correctness of the deep pages before timing them.
    const Page<BenchPage> idPage = byId.pageSync(idToken);
    check(idPage.items.size() == pageSize && idPage.items.first()->id() == RecordId(u"bench_page"_s, at + 1),
          u"the id page at %1 does not start at id %2"_s.arg(at).arg(at + 1));
    const Page<BenchPage> rankPage = byRank.pageSync(rankToken);
    check(rankPage.items.size() == pageSize &&
              rankPage.items.first()->rank() == beforeRank.first()->rank() + 1,
          u"the rank page at %1 does not continue after rank %2"_s.arg(at).arg(beforeRank.first()->rank()));

    const Page<BenchPage> seqPage = bySeq.pageSync(seqToken);
    check(seqPage.items.size() == pageSize && seqPage.items.first()->seq() == beforeRank.first()->seq() + 1,
          u"the seq page at %1 does not continue after seq %2"_s.arg(at).arg(beforeRank.first()->seq()));

    std::vector<double> idFirst, idDeep, rankFirst, rankDeep, seqFirst, seqDeep, startFirst, startDeep;
    (void)byId.pageSync();
    (void)byRank.pageSync();
    for (int r = 0; r < rounds; ++r) {
        idFirst.push_back(timeMs([&] { (void)await(byId.page()); }));
        idDeep.push_back(timeMs([&] { (void)await(byId.page(idToken)); }));
        rankFirst.push_back(timeMs([&] { (void)await(byRank.page()); }));
        rankDeep.push_back(timeMs([&] { (void)await(byRank.page(rankToken)); }));
        seqFirst.push_back(timeMs([&] { (void)await(bySeq.page()); }));
        seqDeep.push_back(timeMs([&] { (void)await(bySeq.page(seqToken)); }));
        if (r < 3) { // the START reference is slow; three rounds are enough to show it grows
            startFirst.push_back(timeMs([&] { (void)await(byLabel.page()); }));
            startDeep.push_back(timeMs([&] { (void)await(byLabel.page(labelToken)); }));
        }
    }
    const auto line = [](const char *what, double first, double deep) {
        std::printf("  %-34s first %7.1f ms   at row 90%%: %7.1f ms\n", what, first, deep);
    };
    line("by id (record-id range)", median(idFirst), median(idDeep));
    line("by indexed field rank (key set)", median(rankFirst), median(rankDeep));
    line("by unique field seq (key set)", median(seqFirst), median(seqDeep));
    line("by label, no index (START)", median(startFirst), median(startDeep));
    std::printf("ratio lastpage/firstpage = %.2f (by id)\n", median(idDeep) / median(idFirst));
    std::printf("ratio lastpage/firstpage = %.2f (by indexed field)\n", median(rankDeep) / median(rankFirst));
    std::printf("ratio lastpage/firstpage = %.2f (by unique field)\n", median(seqDeep) / median(seqFirst));
    std::printf("(reference, START: ratio %.2f; target for the three above: <= 2.0)\n",
                median(startDeep) / median(startFirst));
    SyncConnection(c).query(u"REMOVE TABLE bench_page"_s);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int rows = 20000;
    int rounds = 5;
    int pageRows = 100000;
    int pageRounds = 9;
    int cacheRepeats = 50;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == u"--rows"_s)
            rows = args.at(i + 1).toInt();
        else if (args.at(i) == u"--rounds"_s)
            rounds = args.at(i + 1).toInt();
        else if (args.at(i) == u"--page-rows"_s)
            pageRows = args.at(i + 1).toInt();
        else if (args.at(i) == u"--page-rounds"_s)
            pageRounds = args.at(i + 1).toInt();
        else if (args.at(i) == u"--cache-repeats"_s)
            cacheRepeats = args.at(i + 1).toInt();
    }

    SurrealLocalProcess server;
    QUrl url(QString::fromUtf8(qgetenv("SURREALQT_BENCH_URL")));
    QString user = u"root"_s, pass = u"root"_s;
    if (url.isEmpty()) {
        const QString address = server.start();
        if (address.isEmpty()) {
            std::fprintf(stderr, "could not start surreal-local\n");
            return 1;
        }
        url = QUrl(u"ws://"_s + address);
    } else {
        if (!qgetenv("SURREALQT_BENCH_USER").isEmpty())
            user = QString::fromUtf8(qgetenv("SURREALQT_BENCH_USER"));
        if (!qgetenv("SURREALQT_BENCH_PASS").isEmpty())
            pass = QString::fromUtf8(qgetenv("SURREALQT_BENCH_PASS"));
    }

    try {
        DatabaseManager db(url, u"bench"_s, u"models"_s, Credentials::root(user, pass));
        db.openSync();
        Connection *c = db.connection();
        SyncConnection(c).query(u"REMOVE TABLE IF EXISTS bench_user; DEFINE TABLE bench_user SCHEMALESS;"_s);
        const DateTime now = DateTime::currentDateTime();
        for (int start = 0; start < rows; start += 2000) {
            QVariantList batch;
            for (int i = start; i < std::min(rows, start + 2000); ++i) {
                batch.append(QVariantMap{{u"id"_s, i + 1},
                                         {u"name"_s, u"User %1"_s.arg(i)},
                                         {u"email"_s, u"user%1@example.org"_s.arg(i)},
                                         {u"age"_s, 18 + i % 60},
                                         {u"active"_s, i % 3 != 0},
                                         {u"createdAt"_s, QVariant::fromValue(now)}});
            }
            SyncConnection(c).query(u"INSERT INTO bench_user $rows"_s, {{u"rows"_s, batch}});
        }

        const auto query = BenchUser::objects(c);
        std::vector<double> modelMs, rawMs;
        // One warm-up of each, not measured.
        (void)await(query.all());
        (void)await(c->select(QVariant::fromValue(Table(u"bench_user"_s))));
        for (int r = 0; r < rounds; ++r) {
            QElapsedTimer t;
            t.start();
            const QVariantList raw = await(c->select(QVariant::fromValue(Table(u"bench_user"_s)))).toList();
            rawMs.push_back(double(t.nsecsElapsed()) / 1e6);
            if (raw.size() != rows)
                throw Exception(Error(Error::Kind::Query, u"raw read returned %1 rows"_s.arg(raw.size())));
            t.restart();
            const QList<QSharedPointer<BenchUser>> objects = await(query.all());
            modelMs.push_back(double(t.nsecsElapsed()) / 1e6);
            if (objects.size() != rows)
                throw Exception(Error(Error::Kind::Query, u"models returned %1 rows"_s.arg(objects.size())));
        }

        // Memory: what the loaded result holds, measured while it is alive.
        const size_t base = heapInUse();
        size_t rawBytes = 0, modelBytes = 0;
        {
            const QVariantList raw = await(c->select(QVariant::fromValue(Table(u"bench_user"_s)))).toList();
            rawBytes = heapInUse() - base;
        }
        const size_t base2 = heapInUse();
        {
            const QList<QSharedPointer<BenchUser>> objects = await(query.all());
            modelBytes = heapInUse() - base2;
        }

        const double m = median(modelMs), rw = median(rawMs);
        std::printf("rows %d, rounds %d (medians, wall time)\n", rows, rounds);
        std::printf("  raw    Connection::select -> QVariantList   %8.1f ms\n", rw);
        std::printf("  models Query<BenchUser>::all()               %8.1f ms\n", m);
        std::printf("ratio models/raw = %.2f\n", m / rw);
        std::printf("memory per loaded object = %.0f bytes (a raw row map: %.0f bytes)\n",
                    double(modelBytes) / rows, double(rawBytes) / rows);
        if (cacheRepeats > 0) {
            std::printf("\nquery cache: %d repeats of the same query (medians per call)\n", cacheRepeats);
            benchCache(c, BenchUser::objects(c).filter(u"age"_s, 30).orderBy(u"id"_s).limit(20), "20 rows",
                       cacheRepeats);
            benchCache(c, query, "whole table", std::max(3, cacheRepeats / 10));
        }
        SyncConnection(c).query(u"REMOVE TABLE bench_user"_s);
        if (pageRows > 0)
            benchPaging(c, pageRows, pageRounds);
    } catch (const Exception &e) {
        std::fprintf(stderr, "failed: %s\n", e.what());
        return 1;
    }
    return 0;
}

#include "bench_models.moc"
