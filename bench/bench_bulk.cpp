// Bulk insert throughput against surreal-local, side by side in one run:
//   naive     the loop a user would write: Connection::insert of 100-record batches, one after
//             another, each awaited, on one socket (a single connection);
//   bulk      BulkOperations::bulkInsert with default options, over the default pool;
//   fixed-N   bulkInsert with batchSize N (the sweep that picks the default);
//   adaptive  bulkInsert with adaptiveBatchSize.
// Then the resident memory of this process while streaming generated records through
// bulkInsert (collectResults = false), which must stay flat however long the stream.
//
//   bench_bulk [--records 100000] [--rounds 2] [--stream 1000000]
// SURREALQT_BENCH_URL (+ _USER/_PASS) points it at another server instead of a local one.

#include "localserver.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/table.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void die(const QString &why)
{
    std::fprintf(stderr, "bench_bulk: %s\n", qPrintable(why));
    std::exit(1);
}

int argValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

template<typename T>
T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    try {
        if constexpr (std::is_void_v<T>)
            future.waitForFinished();
        else
            return future.result();
    } catch (const Exception &e) {
        die(QString::fromUtf8(e.what()));
    }
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

QString freshTable(Connection *c)
{
    const QString tb = u"bulk_bench_%1"_s.arg(++g_table);
    await(c->query(u"REMOVE TABLE IF EXISTS type::table($tb)"_s, {{u"tb"_s, tb}}));
    return tb;
}

void drop(Connection *c, const QString &tb)
{
    await(c->query(u"REMOVE TABLE IF EXISTS type::table($tb)"_s, {{u"tb"_s, tb}}));
}

double naiveRate(Connection *single, const QList<QVariantMap> &data)
{
    const QString tb = freshTable(single);
    QElapsedTimer t;
    t.start();
    for (qsizetype i = 0; i < data.size(); i += 100) {
        QVariantList chunk;
        for (qsizetype j = i; j < std::min(data.size(), i + 100); ++j)
            chunk.append(data.at(j));
        await(single->insert(QVariant::fromValue(Table(tb)), chunk));
    }
    const double rate = double(data.size()) * 1000.0 / double(std::max<qint64>(1, t.elapsed()));
    drop(single, tb);
    return rate;
}

double bulkRate(Connection *pool, const QList<QVariantMap> &data, const BulkOptions &options,
                int *finalSize = nullptr)
{
    const QString tb = freshTable(pool);
    BulkOperations ops(pool, options);
    int lastSize = 0;
    QObject::connect(&ops, &BulkOperations::batchFinished, &ops,
                     [&lastSize](qint64, qint64 count, qint64) { lastSize = int(count); });
    QElapsedTimer t;
    t.start();
    const BulkResult r = await(ops.bulkInsert(tb, data));
    const double rate = double(data.size()) * 1000.0 / double(std::max<qint64>(1, t.elapsed()));
    if (r.successCount() != data.size())
        die(u"bulkInsert wrote %1 of %2"_s.arg(r.successCount()).arg(data.size()));
    if (finalSize)
        *finalSize = lastSize;
    drop(pool, tb);
    return rate;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = argValue(args, u"--records"_s, 100000);
    const int rounds = argValue(args, u"--rounds"_s, 2);
    const int streamN = argValue(args, u"--stream"_s, 1000000);

    LocalServer server;
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
    }
    // The defaults a user gets: the manager's default pool, BulkOptions{}.
    DatabaseManager poolDb(url, u"bench"_s, u"bulk"_s, Credentials::root(user, pass));
    DatabaseManager singleDb(url, u"bench"_s, u"bulk"_s, Credentials::root(user, pass),
                             ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
    poolDb.setRequestTimeout(std::chrono::seconds(120));
    singleDb.setRequestTimeout(std::chrono::seconds(120));
    await(poolDb.open());
    await(singleDb.open());

    QList<QVariantMap> data;
    data.reserve(n);
    for (int i = 0; i < n; ++i)
        data.append(record(i));

    std::printf("bench_bulk: %d records of 6 fields, %d rounds (median), surreal-local %s\n", n, rounds,
                qPrintable(url.toString()));
    // Warm-up: the first table of a fresh server is slower.
    bulkRate(poolDb.connection(), data.mid(0, std::min(n, 5000)), {});

    QList<double> naive, bulk, adaptive;
    QMap<int, QList<double>> fixed;
    const QList<int> sizes{50, 100, 200, 400};
    int adaptiveEnd = 0;
    for (int r = 0; r < rounds; ++r) {
        naive.append(naiveRate(singleDb.connection(), data));
        bulk.append(bulkRate(poolDb.connection(), data, {}));
        for (int s : sizes) {
            BulkOptions o;
            o.batchSize = s;
            fixed[s].append(bulkRate(poolDb.connection(), data, o));
        }
        BulkOptions a;
        a.adaptiveBatchSize = true;
        adaptive.append(bulkRate(poolDb.connection(), data, a, &adaptiveEnd));
    }
    const double naiveM = median(naive), bulkM = median(bulk), adaptiveM = median(adaptive);
    std::printf("\n%-34s %12s\n", "variant", "records/s");
    std::printf("%-34s %12.0f\n", "naive (insert x100, sequential)", naiveM);
    std::printf("%-34s %12.0f\n", "bulkInsert defaults", bulkM);
    double bestFixed = 0;
    int bestSize = 0;
    for (int s : sizes) {
        const double m = median(fixed[s]);
        std::printf("%-34s %12.0f\n", qPrintable(u"bulkInsert batchSize=%1"_s.arg(s)), m);
        if (m > bestFixed) {
            bestFixed = m;
            bestSize = s;
        }
    }
    std::printf("%-34s %12.0f   (last batch size %d)\n", "bulkInsert adaptive", adaptiveM, adaptiveEnd);
    std::printf("\nratio bulk/naive = %.2f\n", bulkM / naiveM);
    std::printf("ratio adaptive/best-fixed = %.2f   (best fixed: batchSize=%d)\n", adaptiveM / bestFixed,
                bestSize);

    // Streaming: memory must not grow with the stream's length.
    if (streamN > 0) {
        const QString tb = freshTable(poolDb.connection());
        BulkOptions o;
        o.collectResults = false;
        BulkOperations ops(poolDb.connection(), o);
        int produced = 0;
        const qint64 before = rssKiB();
        qint64 peakFirstTenth = 0, peak = 0;
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
        while (!f.isFinished()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            const qint64 rss = rssKiB();
            peak = std::max(peak, rss);
            if (done <= streamN / 10)
                peakFirstTenth = std::max(peakFirstTenth, rss);
        }
        const BulkResult r = await(f);
        std::printf("\nstream %d generated records (collectResults=false): %lld written in %.1f s\n", streamN,
                    static_cast<long long>(r.successCount()), double(t.elapsed()) / 1000.0);
        std::printf("RSS before %lld KiB, peak during first 10%% %lld KiB, peak overall %lld KiB\n",
                    static_cast<long long>(before), static_cast<long long>(peakFirstTenth),
                    static_cast<long long>(peak));
        std::printf("ratio peak-overall/peak-first-10%% = %.2f   (flat = 1.00)\n",
                    double(peak) / double(std::max<qint64>(1, peakFirstTenth)));
        drop(poolDb.connection(), tb);
    }
    return 0;
}
