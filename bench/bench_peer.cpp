// The SurrealQt side of the peer comparison (bench/peer-js/compare.mjs runs it alternately with
// the official JavaScript SDK doing the same workloads, each against a fresh surreal-local).
//
//   bench_peer --url ws://host:port [--records N] [--server-pid PID] [--only WORKLOAD] [--reads R]
//
// --only runs one workload (and insert-100, which fills the table the reads use) for a
// profiler; --reads sets how often select-all and model-load read the whole table (5).
// One DatabaseManager with one WebSocket, as the JS SDK has. Each workload prints one JSON line:
// {"workload", "ops", "wall" (s), "cpu" (this process, all threads, s), "server_cpu" (s, from
// /proc/PID/stat when --server-pid is given)}. Every answer is checked, so a fast failure path
// cannot pass for throughput. bench/README.md describes the workloads.

#include "benchutil.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/model.h>
#include <SurrealQt/query.h>
#include <SurrealQt/table.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>

#include <sys/resource.h>
#include <unistd.h>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class PeerUser : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(PeerUser)
    Q_CLASSINFO("table", "peer_a")
    SURREALQT_FIELD(int, n, setN)
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(bool, active, setActive)
    SURREALQT_FIELD(double, score, setScore)
};

namespace {

double processCpu()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process, in seconds; 0 when unknown.
double otherCpu(qint64 pid)
{
    if (pid <= 0)
        return 0;
    QFile f(u"/proc/%1/stat"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

// The same record peer.mjs builds, with the same id: a RecordId of the table it goes into.
QVariantMap record(const QString &table, int i)
{
    return {{u"id"_s, QVariant::fromValue(RecordId(table, i))},
            {u"n"_s, i},
            {u"name"_s, u"user-%1"_s.arg(i)},
            {u"email"_s, u"user%1@example.org"_s.arg(i)},
            {u"age"_s, 18 + i % 60},
            {u"active"_s, i % 3 != 0},
            {u"score"_s, i * 0.5}};
}

// Turns an event loop until done() holds, woken by the events that change it (never by a
// polling timer, whose wake-ups would be counted as the client's CPU); false after ms.
bool loopUntil(QEventLoop &loop, const std::function<bool()> &done, int ms)
{
    if (done())
        return true;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

// Runs total requests with at most window in flight; make(k) starts request k and returns its
// future. The next request starts from the finished one's continuation, as an application
// would.
template<typename T>
void runWindow(int total, int window, const std::function<QFuture<T>(int)> &make,
               const std::function<void(const T &)> &check)
{
    QEventLoop loop;
    int started = 0, finished = 0;
    QString failure;
    const auto settle = [&] {
        if (++finished == total || !failure.isEmpty())
            loop.quit();
    };
    std::function<void()> startOne = [&] {
        const int k = started++;
        make(k)
            .then(&loop,
                  [&](const T &value) {
                      check(value);
                      if (started < total)
                          startOne();
                      settle();
                  })
            .onFailed(&loop, [&](const Exception &e) {
                failure = QString::fromUtf8(e.what());
                settle();
            });
    };
    for (int i = 0; i < std::min(window, total); ++i)
        startOne();
    if (!loopUntil(
            loop, [&] { return finished == total || !failure.isEmpty(); }, 600000))
        die(u"workload timed out"_s);
    if (!failure.isEmpty())
        die(u"request failed: "_s + failure);
}

struct Meter
{
    Meter(qint64 pid, const QString &onlyWorkload)
        : serverPid(pid)
        , only(onlyWorkload)
    {}
    qint64 serverPid;
    QString only;
    const char *name = nullptr;
    int ops = 0;
    QElapsedTimer wall;
    double cpu0 = 0, server0 = 0;

    [[nodiscard]] bool wanted(const char *workload) const
    {
        return only.isEmpty() || only == QLatin1StringView(workload);
    }

    void start(const char *workload, int count)
    {
        name = workload;
        ops = count;
        server0 = otherCpu(serverPid);
        cpu0 = processCpu();
        wall.start();
    }
    void stop() const
    {
        const double w = double(wall.nsecsElapsed()) / 1e9;
        const double cpu = processCpu() - cpu0;
        const double server = otherCpu(serverPid) - server0;
        std::printf("{\"workload\":\"%s\",\"ops\":%d,\"wall\":%.6f,\"cpu\":%.6f,\"server_cpu\":%.6f}\n", name,
                    ops, w, cpu, server);
        std::fflush(stdout);
    }
};

void insertBatches(Connection *c, const Table &table, int records, int batch)
{
    const int batches = (records + batch - 1) / batch;
    runWindow<QVariantList>(
        batches, 1,
        [&](int k) {
            QVariantList rows;
            for (int i = k * batch; i < std::min(records, (k + 1) * batch); ++i)
                rows.append(record(table.name(), i + 1));
            return c->insert(table, rows);
        },
        [&](const QVariantList &stored) {
            if (stored.size() != std::min(batch, records))
                die(u"insert stored %1 records"_s.arg(stored.size()));
        });
}

void pointSelects(Connection *c, int count, int window, int records)
{
    QRandomGenerator rng(42);
    runWindow<QVariantMap>(
        count, window, [&](int) { return c->select(RecordId(u"peer_a"_s, int(rng.bounded(records)) + 1)); },
        [](const QVariantMap &row) {
            if (!row.contains(u"n"_s))
                die(u"point select returned no record"_s);
        });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype urlAt = args.indexOf(u"--url"_s);
    if (urlAt < 0 || urlAt + 1 >= args.size())
        die(u"usage: bench_peer --url ws://host:port [--records N] [--server-pid PID]"_s);
    const QUrl url(args.at(urlAt + 1));
    const int records = argValue(args, u"--records"_s, 20000);
    const qsizetype onlyAt = args.indexOf(u"--only"_s);
    Meter meter(argValue(args, u"--server-pid"_s, 0),
                onlyAt >= 0 && onlyAt + 1 < args.size() ? args.at(onlyAt + 1) : QString());

    DatabaseManager manager(url, u"bench"_s, u"peer"_s, Credentials::root(u"root"_s, u"root"_s),
                            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
    manager.setRequestTimeout(std::chrono::seconds(120));
    QFuture<void> opened = manager.open();
    if (!waitInEventLoop(opened, 60000))
        die(u"open timed out"_s);
    try {
        opened.waitForFinished();
    } catch (const Exception &e) {
        die(u"open failed: "_s + QString::fromUtf8(e.what()));
    }
    Connection *c = manager.connection();

    meter.start("insert-100", records);
    insertBatches(c, Table(u"peer_a"_s), records, 100);
    if (meter.wanted("insert-100"))
        meter.stop();

    if (meter.wanted("insert-1000")) {
        meter.start("insert-1000", records);
        insertBatches(c, Table(u"peer_b"_s), records, 1000);
        meter.stop();
    }

    const int sequential = std::max(1, records / 10);
    if (meter.wanted("select-seq")) {
        meter.start("select-seq", sequential);
        pointSelects(c, sequential, 1, records);
        meter.stop();
    }

    if (meter.wanted("select-16")) {
        meter.start("select-16", records / 2);
        pointSelects(c, records / 2, 16, records);
        meter.stop();
    }

    const int fullReads = argValue(args, u"--reads"_s, 5);
    if (meter.wanted("select-all")) {
        meter.start("select-all", fullReads * records);
        runWindow<QVariantList>(
            fullReads, 1, [&](int) { return c->select(Table(u"peer_a"_s)); },
            [&](const QVariantList &rows) {
                if (rows.size() != records)
                    die(u"select all returned %1 rows"_s.arg(rows.size()));
            });
        meter.stop();
    }

    const auto query = PeerUser::objects(c);
    if (meter.wanted("model-load")) {
        meter.start("model-load", fullReads * records);
        runWindow<QList<QSharedPointer<PeerUser>>>(
            fullReads, 1, [&](int) { return query.all(); },
            [&](const QList<QSharedPointer<PeerUser>> &objects) {
                if (objects.size() != records || objects.last()->name().isEmpty())
                    die(u"models: %1 objects"_s.arg(objects.size()));
            });
        meter.stop();
    }

    // Notifications: one server-side loop creates the records, so the client's cost is receiving.
    const int notifications = records / 2;
    if (meter.wanted("live")) {
        if (!waitInEventLoop(c->query(u"DEFINE TABLE peer_live"_s), 60000))
            die(u"DEFINE TABLE timed out"_s);
        LiveQuery *live = c->live(Table(u"peer_live"_s), &app);
        int received = 0;
        QEventLoop loop;
        QObject::connect(live, &LiveQuery::notification, &app, [&] {
            if (++received == notifications)
                loop.quit();
        });
        if (!waitInEventLoop(live->started(), 60000))
            die(u"live query did not start"_s);
        meter.start("live", notifications);
        QFuture<QueryResult> writer =
            c->query(u"FOR $i IN 1..=$n { CREATE peer_live CONTENT { n: $i } }"_s, {{u"n"_s, notifications}});
        if (!loopUntil(
                loop, [&] { return received >= notifications; }, 600000))
            die(u"live: %1 of %2 notifications"_s.arg(received).arg(notifications));
        meter.stop();
        waitInEventLoop(writer);
        live->kill();
    }

    // Bulk insert with the defaults (no JS counterpart: compared with the engine in-process).
    if (meter.wanted("bulk-defaults")) {
        QVariantList rows;
        rows.reserve(records);
        for (int i = 0; i < records; ++i)
            rows.append(record(u"peer_c"_s, i + 1));
        BulkOperations bulk(c);
        meter.start("bulk-defaults", records);
        QFuture<BulkResult> done = bulk.bulkInsert(u"peer_c"_s, rows);
        if (!waitInEventLoop(done, 600000))
            die(u"bulk insert timed out"_s);
        const BulkResult result = done.result();
        meter.stop();
        if (result.successCount() != records)
            die(u"bulk insert wrote %1 of %2"_s.arg(result.successCount()).arg(records));
    }
    return 0;
}

#include "bench_peer.moc"
