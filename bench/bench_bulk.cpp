// Bulk insert throughput against surreal-local, side by side in one run:
//   naive     the loop a user would write: Connection::insert of 100-record batches, one after
//             another, each awaited, on one socket (a single connection);
//   bulk      BulkOperations::bulkInsert with default options, over the default pool;
//   fixed-N   bulkInsert with batchSize N, and with P batches in flight (the sweeps that pick
//             the defaults);
//   adaptive  bulkInsert with adaptiveBatchSize.
// Each variant waits until the server is quiet and reports both processes' CPU per record.
// Then the heap this process holds while streaming generated records through bulkInsert
// (collectResults = false), which must stay flat however long the stream.
//
//   bench_bulk [--records 100000] [--rounds 2] [--stream 1000000] [--quick]
// SURREALQT_BENCH_URL (+ _USER/_PASS) points it at another server instead of a local one.

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/table.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// CPU time of this process (all its threads; the server is another process), in µs.
qint64 cpuMicros()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return qint64(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

// CPU time of the server process (Node and the engine's threads), in µs; 0 when unknown (an
// external server).
qint64 g_serverPid = 0;
qint64 serverCpuMicros()
{
    if (g_serverPid <= 0)
        return 0;
    QFile f(u"/proc/%1/stat"_s.arg(g_serverPid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks.
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    return ticks * 1000000 / sysconf(_SC_CLK_TCK);
}

// Waits until the server has gone quiet: after a table is removed the engine keeps working on
// it for a while, and that work would be charged to whichever variant runs next.
void settleServer()
{
    if (g_serverPid <= 0)
        return;
    QElapsedTimer t;
    t.start();
    qint64 last = serverCpuMicros();
    while (t.elapsed() < 20000) {
        QEventLoop loop;
        QTimer::singleShot(250, &loop, &QEventLoop::quit);
        loop.exec();
        const qint64 now = serverCpuMicros();
        if (now - last < 250000 / 20) // under 5 % of a core
            return;
        last = now;
    }
}

// Bytes of heap this process has allocated and not freed (glibc), in KiB. Unlike RSS it also
// falls when memory is freed, so growth during the stream shows even on a heap that earlier
// runs already grew.
qint64 heapInUseKiB()
{
    const struct mallinfo2 mi = mallinfo2();
    return qint64((mi.uordblks + mi.hblkhd) / 1024);
}

qint64 rssKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

QVariantMap record(int i)
{
    return {{u"id"_s, i},
            {u"name"_s, u"person %1"_s.arg(i)},
            {u"email"_s, u"p%1@example.org"_s.arg(i)},
            {u"age"_s, i % 90},
            {u"score"_s, i * 0.5},
            {u"active"_s, i % 3 == 0}};
}

int g_table = 0;

// REMOVE TABLE takes a name, not an expression (`type::table($tb)` is refused there), so the
// name goes into the text: it is ours, bulk_bench_<n>, never outside input.
void drop(Connection *c, const QString &tb)
{
    run(c, u"REMOVE TABLE IF EXISTS %1"_s.arg(tb));
}

QString freshTable(Connection *c)
{
    const QString tb = u"bulk_bench_%1"_s.arg(++g_table);
    drop(c, tb);
    return tb;
}

// Throughput and the client's own CPU cost of one run.
struct Sample
{
    double rate = 0;               // records/s
    double cpuPerRecord = 0;       // µs of this process's CPU per record
    double serverCpuPerRecord = 0; // µs of the server's CPU per record (0: external server)
};

// Measures one run of work over count records: wall-clock rate and both processes' CPU.
template<typename F>
Sample measure(qsizetype count, F &&work)
{
    settleServer();
    const qint64 cpu0 = cpuMicros();
    const qint64 server0 = serverCpuMicros();
    QElapsedTimer t;
    t.start();
    work();
    const double ms = double(std::max<qint64>(1, t.elapsed()));
    return {double(count) * 1000.0 / ms, double(cpuMicros() - cpu0) / double(count),
            double(serverCpuMicros() - server0) / double(count)};
}

// viaQuery: the same sequential loop, but each batch as the statement bulkInsert sends
// (`INSERT INTO $tb $rows`) instead of the insert RPC, to tell the engine's cost of the two apart.
Sample naiveRate(Connection *single, const QList<QVariantMap> &data, bool viaQuery = false)
{
    const QString tb = freshTable(single);
    const Sample sample = measure(data.size(), [&] {
        for (qsizetype i = 0; i < data.size(); i += 100) {
            QVariantList chunk;
            for (qsizetype j = i; j < std::min(data.size(), i + 100); ++j)
                chunk.append(data.at(j));
            if (viaQuery) {
                run(single, u"INSERT INTO $tb $rows"_s, {{u"tb"_s, tb}, {u"rows"_s, chunk}});
            } else {
                awaitOrDie(single->insert(QVariant::fromValue(Table(tb)), chunk), u"insert"_s);
            }
        }
    });
    drop(single, tb);
    return sample;
}

Sample bulkRate(Connection *pool, const QList<QVariantMap> &data, const BulkOptions &options,
                int *finalSize = nullptr)
{
    const QString tb = freshTable(pool);
    BulkOperations ops(pool, options);
    int lastSize = 0;
    QObject::connect(&ops, &BulkOperations::batchFinished, &ops,
                     [&lastSize](qint64, qint64 count, qint64) { lastSize = int(count); });
    BulkResult r;
    const Sample sample =
        measure(data.size(), [&] { r = awaitOrDie(ops.bulkInsert(tb, data), u"bulkInsert"_s); });
    if (r.successCount() != data.size())
        die(u"bulkInsert wrote %1 of %2"_s.arg(r.successCount()).arg(data.size()));
    if (finalSize)
        *finalSize = lastSize;
    drop(pool, tb);
    return sample;
}

Sample median(const QList<Sample> &samples)
{
    std::vector<double> rates, cpus, serverCpus;
    for (const Sample &s : samples) {
        rates.push_back(s.rate);
        cpus.push_back(s.cpuPerRecord);
        serverCpus.push_back(s.serverCpuPerRecord);
    }
    return {::median(rates), ::median(cpus), ::median(serverCpus)};
}

void printRow(const QString &name, const Sample &s, const QString &extra = {})
{
    std::printf("%-34s %10.0f %9.1f %9.1f%s\n", qPrintable(name), s.rate, s.cpuPerRecord,
                s.serverCpuPerRecord, qPrintable(extra));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = argValue(args, u"--records"_s, 100000);
    const int rounds = argValue(args, u"--rounds"_s, 2);
    const int streamN = argValue(args, u"--stream"_s, 1000000);

    SurrealLocalProcess server;
    QUrl url;
    QString user = u"root"_s, pass = u"root"_s;
    if (qEnvironmentVariableIsSet("SURREALQT_BENCH_URL")) {
        url = QUrl(qEnvironmentVariable("SURREALQT_BENCH_URL"));
        user = qEnvironmentVariable("SURREALQT_BENCH_USER", user);
        pass = qEnvironmentVariable("SURREALQT_BENCH_PASS", pass);
    } else {
        const QString address = server.start();
        if (address.isEmpty())
            die(u"could not start surreal-local; run npm ci in tools/surreal-local"_s);
        url = QUrl(u"ws://"_s + address);
        g_serverPid = server.processId();
    }
    // The defaults a user gets: the manager's default pool, BulkOptions{}.
    DatabaseManager poolDb(url, u"bench"_s, u"bulk"_s, Credentials::root(user, pass));
    DatabaseManager singleDb(url, u"bench"_s, u"bulk"_s, Credentials::root(user, pass),
                             ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
    poolDb.setRequestTimeout(std::chrono::seconds(120));
    singleDb.setRequestTimeout(std::chrono::seconds(120));
    awaitOrDie(poolDb.open(), u"opening the pool"_s);
    awaitOrDie(singleDb.open(), u"opening the single connection"_s);

    QList<QVariantMap> data;
    data.reserve(n);
    for (int i = 0; i < n; ++i)
        data.append(record(i));

    std::printf("bench_bulk: %d records of 6 fields, %d rounds (median), surreal-local %s\n", n, rounds,
                qPrintable(url.toString()));
    // Warm-up at full size: the first table of a fresh server is slower, and the first run that
    // collects n results grows this process's heap (measured: the run right after a smaller
    // warm-up was 20 % slower than the identical one after it).
    bulkRate(poolDb.connection(), data, {});

    QList<Sample> naive, naiveQuery, bulk, adaptive, leanRuns;
    QMap<int, QList<Sample>> fixed, parallel;
    // --quick: only what bulk/naive needs, plus 1 and 16 in flight.
    const bool quick = args.contains(u"--quick"_s);
    const QList<int> sizes = quick ? QList<int>{} : QList<int>{50, 100, 200, 400};
    const QList<int> parallelisms = quick ? QList<int>{1, 16} : QList<int>{1, 2, 4, 16};
    int adaptiveEnd = 0;
    for (int r = 0; r < rounds; ++r) {
        naive.append(naiveRate(singleDb.connection(), data));
        if (!quick)
            naiveQuery.append(naiveRate(singleDb.connection(), data, true));
        bulk.append(bulkRate(poolDb.connection(), data, {}));
        for (int s : sizes) {
            BulkOptions o;
            o.batchSize = s;
            fixed[s].append(bulkRate(poolDb.connection(), data, o));
        }
        for (int p : parallelisms) {
            BulkOptions o;
            o.parallelism = p;
            parallel[p].append(bulkRate(poolDb.connection(), data, o));
        }
        if (quick)
            continue;
        BulkOptions lean;
        lean.collectResults = false;
        leanRuns.append(bulkRate(poolDb.connection(), data, lean));
        BulkOptions a;
        a.adaptiveBatchSize = true;
        adaptive.append(bulkRate(poolDb.connection(), data, a, &adaptiveEnd));
    }
    const Sample naiveM = median(naive), bulkM = median(bulk), adaptiveM = median(adaptive);
    std::printf("\n%-34s %10s %9s %9s   (CPU: us per record)\n", "variant", "records/s", "client", "server");
    printRow(u"naive (insert x100, sequential)"_s, naiveM);
    if (!quick)
        printRow(u"sequential INSERT statement x100"_s, median(naiveQuery));
    printRow(u"bulkInsert defaults"_s, bulkM,
             u"   (batchSize %1, parallelism %2, pool %3)"_s.arg(BulkOptions{}.batchSize)
                 .arg(BulkOptions{}.parallelism)
                 .arg(poolDb.poolSize()));
    double bestFixed = 0;
    int bestSize = 0;
    for (int s : sizes) {
        const Sample m = median(fixed[s]);
        printRow(u"bulkInsert batchSize=%1"_s.arg(s), m);
        if (m.rate > bestFixed) {
            bestFixed = m.rate;
            bestSize = s;
        }
    }
    for (int p : parallelisms)
        printRow(u"bulkInsert parallelism=%1"_s.arg(p), median(parallel[p]));
    if (!quick) {
        printRow(u"bulkInsert collectResults=false"_s, median(leanRuns));
        printRow(u"bulkInsert adaptive"_s, adaptiveM, u"   (last batch size %1)"_s.arg(adaptiveEnd));
    }
    std::printf("\nratio bulk/naive = %.2f\n", bulkM.rate / naiveM.rate);
    if (!quick)
        std::printf("ratio adaptive/best-fixed = %.2f   (best fixed: batchSize=%d)\n",
                    adaptiveM.rate / bestFixed, bestSize);

    // Streaming: memory must not grow with the stream's length.
    if (streamN > 0) {
        const QString tb = freshTable(poolDb.connection());
        BulkOptions o;
        o.collectResults = false;
        BulkOperations ops(poolDb.connection(), o);
        int produced = 0;
        const qint64 before = heapInUseKiB(), rssBefore = rssKiB();
        qint64 peakFirstTenth = before, peak = before, rssPeak = rssBefore;
        QElapsedTimer t;
        t.start();
        QFuture<BulkResult> f =
            ops.bulkInsert(tb, BulkSource::fromGenerator([&produced, streamN]() -> std::optional<QVariant> {
                               if (produced >= streamN)
                                   return std::nullopt;
                               return QVariant(record(produced++));
                           }));
        qint64 done = 0;
        QObject::connect(&ops, &BulkOperations::progress, &ops, [&done](qint64 d, qint64) { done = d; });
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] {
            const qint64 heap = heapInUseKiB();
            peak = std::max(peak, heap);
            rssPeak = std::max(rssPeak, rssKiB());
            if (done <= streamN / 10)
                peakFirstTenth = std::max(peakFirstTenth, heap);
        });
        sampler.start(20);
        waitInEventLoop(f);
        sampler.stop();
        const BulkResult r = awaitOrDie(f, u"streaming bulkInsert"_s);
        std::printf("\nstream %d generated records (collectResults=false): %lld written in %.1f s\n", streamN,
                    static_cast<long long>(r.successCount()), double(t.elapsed()) / 1000.0);
        const qint64 growthFirst = peakFirstTenth - before, growthAll = peak - before;
        std::printf("heap in use before %lld KiB; growth: first 10%% %lld KiB, whole stream %lld KiB "
                    "(RSS %lld -> %lld KiB)\n",
                    static_cast<long long>(before), static_cast<long long>(growthFirst),
                    static_cast<long long>(growthAll), static_cast<long long>(rssBefore),
                    static_cast<long long>(rssPeak));
        // Bounded memory grows to a few batches early and stays there (ratio near 1); memory held
        // per record would grow with the stream (ratio near 10).
        std::printf("ratio heap-growth whole/first-10%% = %.2f   (flat = 1.00)\n",
                    double(growthAll) / double(std::max<qint64>(1, growthFirst)));
        drop(poolDb.connection(), tb);
    }
    return 0;
}
