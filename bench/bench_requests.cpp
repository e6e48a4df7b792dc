// Request throughput and latency against a real SurrealDB (tools/surreal-local, started here,
// or the server named by SURREALQT_BENCH_URL). Three clients are measured side by side in one
// process, interleaved round by round and reduced to medians:
//   ws-pool   DatabaseManager over WebSockets with a pool of 4 sockets
//   ws-single DatabaseManager over one WebSocket
//   http      DatabaseManager over HTTP
// The ratios are what counts on a noisy machine, not the absolute figures.
//
// First, the costs of one request, counted rather than timed (counts do not swing with the
// machine's load): queued calls (thread hops), future call-outs and deferred deletes delivered,
// write() calls of 8 bytes (event-loop wake-ups through an eventfd) and other write() calls (the
// socket), malloc/calloc/realloc calls, sched_getaffinity calls; for a typed call whose caller
// waits without an event loop, a typed call and a raw query continued with then(context, ...),
// and a SyncConnection call from a worker thread. They are held against a budget: "ratio costs/budget".
//
//   bench_requests [--requests N] [--sequential M] [--rounds R] [--pool P] [--costs-only]
//   SURREALQT_BENCH_URL=ws://host:port (+ SURREALQT_BENCH_USER / SURREALQT_BENCH_PASS)

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/table.h>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFuture>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// --- Counters for the per-request costs --------------------------------------------------------
// This executable's malloc, calloc, realloc, write and sched_getaffinity interpose libc's for the
// whole process (Qt, SurrealQt, GLib): each counts, then forwards.
namespace counters {
std::atomic<bool> on{false};
std::atomic<quint64> allocations{0};
std::atomic<quint64> wakeWrites{0};
std::atomic<quint64> otherWrites{0};
std::atomic<quint64> affinity{0};
std::atomic<quint64> metaCalls{0};
std::atomic<quint64> callOuts{0};
std::atomic<quint64> deferredDeletes{0};
std::atomic<quint64> timerEvents{0};
} // namespace counters

extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);

void *malloc(size_t size) noexcept
{
    counters::allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) noexcept
{
    counters::allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) noexcept
{
    counters::allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(ptr, size);
}

// GLib wakes a thread's event loop by writing 8 bytes to its eventfd.
ssize_t write(int fd, const void *buffer, size_t size)
{
    (size == 8 ? counters::wakeWrites : counters::otherWrites).fetch_add(1, std::memory_order_relaxed);
    return ssize_t(syscall(SYS_write, fd, buffer, size));
}

// QThread::idealThreadCount() asks this; once per request would mean a thread pool sized per request.
int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set) noexcept
{
    counters::affinity.fetch_add(1, std::memory_order_relaxed);
    using Fn = int (*)(pid_t, size_t, cpu_set_t *);
    static const Fn next = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "sched_getaffinity"));
    return next(pid, size, set);
}
} // extern "C"

namespace {

// CPU time of this whole process (all threads: caller, I/O thread, ...), in microseconds.
double processCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

// The value of `RETURN $i` as the client saw it; dies on any failure, so a fast error
// path can never pass for throughput.
void verify(const QFuture<QueryResult> &f, qint64 expected)
{
    try {
        const QueryResult r = f.result();
        if (!r.isOk())
            die(u"query failed: "_s + r.firstError().toString());
        if (r.last().toLongLong() != expected)
            die(u"wrong answer: expected %1, got %2"_s.arg(expected).arg(r.last().toString()));
    } catch (const Exception &e) {
        die(u"query failed: "_s + QString::fromUtf8(e.what()));
    }
}

struct Client
{
    const char *name;
    std::unique_ptr<DatabaseManager> manager;
};

struct Burst
{
    double rps = 0;
    double cpuUsPerRequest = 0; // client side only; the server runs in another process
};

// Counts the events delivered in every thread, by kind.
class CountingApplication : public QCoreApplication
{
public:
    using QCoreApplication::QCoreApplication;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (counters::on.load(std::memory_order_relaxed)) {
            switch (event->type()) {
            case QEvent::MetaCall:
                counters::metaCalls.fetch_add(1, std::memory_order_relaxed);
                break;
            case QEvent::FutureCallOut:
                counters::callOuts.fetch_add(1, std::memory_order_relaxed);
                break;
            case QEvent::DeferredDelete:
                counters::deferredDeletes.fetch_add(1, std::memory_order_relaxed);
                break;
            case QEvent::Timer:
                counters::timerEvents.fetch_add(1, std::memory_order_relaxed);
                break;
            default:
                break;
            }
        }
        return QCoreApplication::notify(receiver, event);
    }
};

struct Costs
{
    double metaCalls = 0, callOuts = 0, deferredDeletes = 0, timerEvents = 0;
    double wakeWrites = 0, otherWrites = 0, allocations = 0, affinity = 0, cpuUs = 0, switches = 0;
};

struct Counts
{
    quint64 metaCalls, callOuts, deferredDeletes, timerEvents, wakeWrites, otherWrites, allocations, affinity;
    double cpuUs;
    quint64 switches;
};

// Context switches of the whole process (all threads): a thread woken from its poll costs one.
quint64 contextSwitches()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return quint64(u.ru_nvcsw + u.ru_nivcsw);
}

Counts snapshot()
{
    using namespace counters;
    return {metaCalls.load(),  callOuts.load(),    deferredDeletes.load(), timerEvents.load(),
            wakeWrites.load(), otherWrites.load(), allocations.load(),     affinity.load(),
            processCpuUs(),    contextSwitches()};
}

// Runs m requests through run(m) with the counters on; per request.
Costs countPerRequest(int m, const std::function<void(int)> &run)
{
    counters::on = true;
    const Counts a = snapshot();
    run(m);
    // What the last replies left to the event loops (deferred deletes) belongs to them too.
    QThread::msleep(20);
    QCoreApplication::processEvents();
    const Counts b = snapshot();
    counters::on = false;
    const double n = m;
    return {double(b.metaCalls - a.metaCalls) / n,
            double(b.callOuts - a.callOuts) / n,
            double(b.deferredDeletes - a.deferredDeletes) / n,
            double(b.timerEvents - a.timerEvents) / n,
            double(b.wakeWrites - a.wakeWrites) / n,
            double(b.otherWrites - a.otherWrites) / n,
            double(b.allocations - a.allocations) / n,
            double(b.affinity - a.affinity) / n,
            (b.cpuUs - a.cpuUs) / n,
            double(b.switches - a.switches) / n};
}

// Dies unless the record read back is the one created for the cost runs.
void checkRecord(const QFuture<QVariantMap> &f)
{
    try {
        if (f.result().value(u"n"_s).toInt() != 1)
            die(u"typed call: wrong record"_s);
    } catch (const Exception &e) {
        die(u"typed call failed: "_s + QString::fromUtf8(e.what()));
    }
}

// A typed call whose caller waits on a semaphore (no event loop): what the library itself does.
void typedWithoutContext(Connection *c, int m)
{
    QSemaphore answered;
    for (int i = 0; i < m; ++i) {
        QFuture<QVariantMap> f = c->select(RecordId(u"cost"_s, 1));
        f.then([&answered](QFuture<QVariantMap>) { answered.release(); });
        answered.acquire();
        checkRecord(f);
    }
}

// One request after another, each continued with then(context, ...) in this thread's event loop.
template<typename Issue>
void chainWithContext(int m, Issue issue)
{
    QEventLoop loop;
    QObject context;
    int i = 0;
    std::function<void()> next = [&] {
        issue(i, &context, [&] {
            if (++i == m)
                loop.quit();
            else
                next();
        });
    };
    next();
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    if (i != m)
        die(u"the cost run did not finish in time"_s);
}

void typedWithContext(Connection *c, int m)
{
    chainWithContext(m, [c](int, QObject *context, const std::function<void()> &done) {
        c->select(RecordId(u"cost"_s, 1)).then(context, [done](QFuture<QVariantMap> f) {
            checkRecord(f);
            done();
        });
    });
}

void queryWithContext(Connection *c, int m)
{
    chainWithContext(m, [c](int i, QObject *context, const std::function<void()> &done) {
        c->query(u"RETURN $i"_s, {{u"i"_s, qint64(i)}}).then(context, [done, i](QFuture<QueryResult> f) {
            verify(f, i);
            done();
        });
    });
}

void syncFromWorker(Connection *c, int m)
{
    std::thread worker([c, m] {
        for (int i = 0; i < m; ++i) {
            try {
                if (SyncConnection(c).query(u"RETURN $i"_s, {{u"i"_s, qint64(i)}}).last().toLongLong() != i)
                    die(u"SyncConnection::query: wrong answer"_s);
            } catch (const Exception &e) {
                die(u"SyncConnection::query failed: "_s + QString::fromUtf8(e.what()));
            }
        }
    });
    worker.join();
}

// Live notifications: one query creates m records in a table a live query watches; the costs
// are counted per notification received (the one query's own share is 1/m of a request).
void liveNotifications(Connection *c, LiveQuery *live, int m)
{
    QEventLoop loop;
    int received = 0;
    const QMetaObject::Connection counting = QObject::connect(live, &LiveQuery::notification, &loop, [&] {
        if (++received == m)
            loop.quit();
    });
    const QFuture<QueryResult> writer =
        c->query(u"FOR $i IN 1..=$n { CREATE cost_live CONTENT { n: $i } }"_s, {{u"n"_s, qint64(m)}});
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    if (received < m)
        loop.exec();
    QObject::disconnect(counting);
    if (received < m)
        die(u"live: %1 of %2 notifications"_s.arg(received).arg(m));
    if (!waitInEventLoop(writer, 60000))
        die(u"live: the writing query did not finish"_s);
}

// The budget per request (bench/README.md): queued calls, future call-outs, deferred deletes,
// wake-up writes, allocations, sched_getaffinity. A count above its budget is a regression.
struct Budget
{
    const char *name;
    double metaCalls, callOuts, deferredDeletes, wakeWrites, allocations, affinity;
};

double worstRatio(const Costs &c, const Budget &b)
{
    // Counts are means over a run of requests: a stray event in it (a keep-alive ping, the
    // writer query of the live run) adds a few thousandths, which is no regression.
    constexpr double Strays = 0.02;
    auto ratio = [](double measured, double budget) {
        measured = std::max(0.0, measured - Strays);
        return budget > 0 ? measured / budget : (measured > 0.05 ? 99.0 : 0.0);
    };
    return std::max({ratio(c.metaCalls, b.metaCalls), ratio(c.callOuts, b.callOuts),
                     ratio(c.deferredDeletes, b.deferredDeletes), ratio(c.wakeWrites, b.wakeWrites),
                     ratio(c.allocations, b.allocations), ratio(c.affinity, b.affinity)});
}

// N queries fired at once.
Burst burst(Connection *c, int n)
{
    std::vector<QFuture<QueryResult>> futures;
    futures.reserve(n);
    std::atomic<int> remaining{n};
    QEventLoop loop;
    const double cpu0 = processCpuUs();
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        QFuture<QueryResult> f = c->query(u"RETURN $i"_s, {{u"i"_s, qint64(i)}});
        f.then(QtFuture::Launch::Sync, [&remaining, &loop](QFuture<QueryResult>) {
            if (remaining.fetch_sub(1) == 1)
                QMetaObject::invokeMethod(&loop, "quit", Qt::QueuedConnection);
        });
        futures.push_back(std::move(f));
    }
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    if (remaining.load() > 0)
        loop.exec();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    const double cpu = processCpuUs() - cpu0;
    if (remaining.load() > 0)
        die(u"burst did not finish in time"_s);
    for (int i = 0; i < n; ++i)
        verify(futures[size_t(i)], i);
    return {n / seconds, cpu / n};
}

// M queries one after the other; returns the mean latency in microseconds.
double sequential(Connection *c, int m)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < m; ++i) {
        const QFuture<QueryResult> f = c->query(u"RETURN $i"_s, {{u"i"_s, qint64(i)}});
        if (!waitInEventLoop(f, 60000))
            die(u"sequential query timed out"_s);
        verify(f, i);
    }
    return double(t.nsecsElapsed()) / 1000.0 / m;
}

// The floor QNetworkAccessManager sets for any HTTP client built on it: the same `RETURN $i`
// POSTs, pre-encoded, with a pre-built request and token, six in flight, nothing of SurrealQt's
// in the path. SurrealQt's HTTP transport used QNAM until its client CPU per request was
// measured against this.
class QnamBaseline
{
public:
    bool signIn(const QUrl &httpBase, const QString &user, const QString &pass)
    {
        QUrl url = httpBase;
        url.setPath(u"/rpc"_s);
        m_request = QNetworkRequest(url);
        m_request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/cbor"));
        m_request.setRawHeader("Accept", "application/cbor");
        m_request.setRawHeader("Surreal-NS", "bench");
        m_request.setRawHeader("Surreal-DB", "bench");
        const QCborMap signin{{u"id"_s, 1},
                              {u"method"_s, u"signin"_s},
                              {u"params"_s, QCborArray{QCborMap{{u"user"_s, user}, {u"pass"_s, pass}}}}};
        QNetworkReply *reply = m_nam.post(m_request, signin.toCborValue().toCbor());
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QCborValue answer = QCborValue::fromCbor(reply->readAll());
        reply->deleteLater();
        const QString token = answer[u"result"_s].toString();
        if (token.isEmpty())
            return false;
        m_request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        return true;
    }

    Burst burst(int n)
    {
        std::vector<QByteArray> bodies;
        bodies.reserve(size_t(n));
        for (int i = 0; i < n; ++i)
            bodies.push_back(QCborMap{{u"id"_s, i},
                                      {u"method"_s, u"query"_s},
                                      {u"params"_s, QCborArray{u"RETURN $i"_s, QCborMap{{u"i"_s, i}}}}}
                                 .toCborValue()
                                 .toCbor());
        int sent = 0, done = 0;
        QEventLoop loop;
        std::function<void()> next = [&] {
            if (sent >= n)
                return;
            const int i = sent++;
            QNetworkReply *reply = m_nam.post(m_request, bodies[size_t(i)]);
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, i] {
                const QCborValue answer = QCborValue::fromCbor(reply->readAll());
                reply->deleteLater();
                if (answer[u"result"_s][0][u"result"_s].toInteger(-1) != i)
                    die(u"qnam baseline: wrong answer for %1"_s.arg(i));
                if (++done == n)
                    loop.quit();
                else
                    next();
            });
        };
        const double cpu0 = processCpuUs();
        QElapsedTimer t;
        t.start();
        for (int k = 0; k < 6; ++k)
            next();
        loop.exec();
        return {n / (double(t.nsecsElapsed()) / 1e9), (processCpuUs() - cpu0) / n};
    }

private:
    QNetworkAccessManager m_nam;
    QNetworkRequest m_request;
};

} // namespace

int main(int argc, char **argv)
{
    CountingApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool costsOnly = args.contains(u"--costs-only"_s);
    const int n = argValue(args, u"--requests"_s, 2000);
    const int m = argValue(args, u"--sequential"_s, 500);
    const int rounds = argValue(args, u"--rounds"_s, 5);
    const int poolSize = argValue(args, u"--pool"_s, 4);

    SurrealLocalProcess server;
    QUrl wsUrl;
    QString user = u"root"_s, pass = u"root"_s;
    const QByteArray fromEnv = qgetenv("SURREALQT_BENCH_URL");
    if (!fromEnv.isEmpty()) {
        wsUrl = QUrl(QString::fromUtf8(fromEnv));
        if (qEnvironmentVariableIsSet("SURREALQT_BENCH_USER"))
            user = qEnvironmentVariable("SURREALQT_BENCH_USER");
        if (qEnvironmentVariableIsSet("SURREALQT_BENCH_PASS"))
            pass = qEnvironmentVariable("SURREALQT_BENCH_PASS");
    } else {
        const QString address = server.start();
        if (address.isEmpty())
            die(u"could not start surreal-local (node " SURREALQT_SERVER_JS
                "); run npm ci in tools/surreal-local"_s);
        wsUrl = QUrl(u"ws://"_s + address);
    }
    QUrl httpUrl = wsUrl;
    httpUrl.setScheme(wsUrl.scheme() == u"wss" ? u"https"_s : u"http"_s);

    const auto make = [&](const QUrl &url, int size, bool usePool) {
        auto mgr = std::make_unique<DatabaseManager>(
            url, u"bench"_s, u"bench"_s, Credentials::root(user, pass),
            ConnectionOptions{.sockets = usePool ? ConnectionOptions::Sockets::Pool
                                                 : ConnectionOptions::Sockets::Single,
                              .poolSize = size});
        mgr->setRequestTimeout(std::chrono::seconds(60));
        if (!waitInEventLoop(mgr->open(), 60000))
            die(u"open timed out for "_s + url.toString());
        try {
            mgr->open().waitForFinished();
        } catch (const Exception &e) {
            die(u"open failed: "_s + QString::fromUtf8(e.what()));
        }
        return mgr;
    };

    std::vector<Client> clients;
    clients.push_back({"ws-pool", make(wsUrl, poolSize, true)});
    clients.push_back({"ws-single", make(wsUrl, 1, false)});
    clients.push_back({"http", make(httpUrl, poolSize, true)});
    enum { Pool, Single, Http };
    // Sequential latency is a transport question: one WebSocket against HTTP.
    const std::vector<size_t> latencyClients{Single, Http};

    // --- Per-request costs, counted on one WebSocket ---------------------------------------------
    {
        Connection *c = clients[Single].manager->connection();
        run(c, u"UPSERT cost:1 SET n = 1"_s);
        run(c, u"DEFINE TABLE IF NOT EXISTS cost_live SCHEMALESS"_s);
        LiveQuery *live = c->live(Table(u"cost_live"_s), &app);
        if (!waitInEventLoop(live->started(), 60000))
            die(u"the live query for the cost runs did not start"_s);
        const int perRun = std::max(50, std::min(m, 500));
        struct Scenario
        {
            Budget budget;
            std::function<void(int)> run;
        };
        // Budgets: see bench/README.md, "Per-request budget".
        const std::vector<Scenario> scenarios{
            {{"typed, no context", 1, 0, 0, 1, 32, 0}, [c](int k) { typedWithoutContext(c, k); }},
            {{"typed, then(ctx)", 2, 0, 0, 2, 43, 0}, [c](int k) { typedWithContext(c, k); }},
            {{"query, then(ctx)", 2, 0, 0, 2, 51, 0}, [c](int k) { queryWithContext(c, k); }},
            {{"SyncConnection, worker", 1, 0, 0, 1, 34, 0}, [c](int k) { syncFromWorker(c, k); }},
            {{"live notification", 0.25, 0, 0, 0.25, 20, 0},
             [c, live](int k) { liveNotifications(c, live, k); }},
        };
        std::vector<std::vector<Costs>> samples(scenarios.size());
        for (auto &sc : scenarios)
            sc.run(20); // warm-up
        for (int r = 0; r < 3; ++r)
            for (size_t k = 0; k < scenarios.size(); ++k) {
                const size_t i = (k + size_t(r)) % scenarios.size();
                samples[i].push_back(countPerRequest(perRun, scenarios[i].run));
            }
        std::printf("bench_requests: per-request costs on one WebSocket, %d requests per run, median of 3 "
                    "runs (budget in brackets)\n\n",
                    perRun);
        std::printf("%-22s %12s %10s %10s %8s %12s %10s %10s %12s %9s %9s\n", "call", "queued-calls",
                    "call-outs", "def-delete", "timers", "wake-writes", "writes", "allocs", "affinity",
                    "switches", "CPU us");
        double worst = 0;
        for (size_t i = 0; i < scenarios.size(); ++i) {
            auto med = [&](double Costs::*field) {
                std::vector<double> v;
                for (const Costs &c : samples[i])
                    v.push_back(c.*field);
                return median(v);
            };
            const Costs c{med(&Costs::metaCalls),   med(&Costs::callOuts),   med(&Costs::deferredDeletes),
                          med(&Costs::timerEvents), med(&Costs::wakeWrites), med(&Costs::otherWrites),
                          med(&Costs::allocations), med(&Costs::affinity),   med(&Costs::cpuUs),
                          med(&Costs::switches)};
            const Budget &b = scenarios[i].budget;
            auto cell = [](double v, double budget) { return QString::asprintf("%.2f [%g]", v, budget); };
            std::printf("%-22s %12s %10s %10s %8.2f %12s %10.2f %10s %12s %9.2f %9.1f\n", b.name,
                        qPrintable(cell(c.metaCalls, b.metaCalls)), qPrintable(cell(c.callOuts, b.callOuts)),
                        qPrintable(cell(c.deferredDeletes, b.deferredDeletes)), c.timerEvents,
                        qPrintable(cell(c.wakeWrites, b.wakeWrites)), c.otherWrites,
                        qPrintable(cell(c.allocations, b.allocations)),
                        qPrintable(cell(c.affinity, b.affinity)), c.switches, c.cpuUs);
            worst = std::max(worst, worstRatio(c, b));
        }
        std::printf(
            "\nratio costs/budget = %.2f   (the worst count against its budget; <= 1: within budget)\n\n",
            worst);
        std::fflush(stdout);
        if (costsOnly)
            return worst <= 1.0 ? 0 : 2;
    }

    QnamBaseline qnam;
    if (!qnam.signIn(httpUrl, user, pass))
        die(u"qnam baseline: signin failed"_s);

    // Warm up every client (sockets, server-side sessions, allocators).
    for (auto &c : clients) {
        burst(c.manager->connection(), std::min(n, 200));
        sequential(c.manager->connection(), std::min(m, 50));
    }
    qnam.burst(std::min(n, 200));
    std::vector<double> qnamRps, qnamCpu, cpuHttpOverQnam;

    std::vector<std::vector<double>> rps(clients.size()), cpu(clients.size()), lat(clients.size());
    std::vector<double> poolOverSingle, wsOverHttp, latWsOverHttp, cpuWsOverHttp;
    for (int r = 0; r < rounds; ++r) {
        // Rotate the order each round so no client always goes first.
        std::vector<Burst> b(clients.size());
        Burst raw;
        // The QNAM baseline takes its turn in the rotation too (slot clients.size()).
        for (size_t k = 0; k <= clients.size(); ++k) {
            const size_t i = (k + size_t(r)) % (clients.size() + 1);
            if (i == clients.size()) {
                raw = qnam.burst(n);
                qnamRps.push_back(raw.rps);
                qnamCpu.push_back(raw.cpuUsPerRequest);
                continue;
            }
            b[i] = burst(clients[i].manager->connection(), n);
            rps[i].push_back(b[i].rps);
            cpu[i].push_back(b[i].cpuUsPerRequest);
        }
        cpuHttpOverQnam.push_back(b[Http].cpuUsPerRequest / raw.cpuUsPerRequest);
        std::vector<double> l(clients.size());
        for (size_t k = 0; k < latencyClients.size(); ++k) {
            const size_t i = latencyClients[(k + size_t(r)) % latencyClients.size()];
            l[i] = sequential(clients[i].manager->connection(), m);
            lat[i].push_back(l[i]);
        }
        poolOverSingle.push_back(b[Pool].rps / b[Single].rps);
        wsOverHttp.push_back(b[Pool].rps / b[Http].rps);
        cpuWsOverHttp.push_back(b[Pool].cpuUsPerRequest / b[Http].cpuUsPerRequest);
        latWsOverHttp.push_back(l[Single] / l[Http]);
        std::fprintf(stderr, "round %d/%d done\n", r + 1, rounds);
    }

    std::printf("bench_requests: %s, %d concurrent `RETURN $i` per client per round (pool of %d), "
                "%d sequential for ws-single and http, %d rounds, median\n\n",
                qPrintable(fromEnv.isEmpty() ? u"surreal-local (memory)"_s : wsUrl.toString()), n, poolSize,
                m, rounds);
    std::printf("%-12s %16s %24s %22s\n", "client", "concurrent req/s", "client CPU us/request",
                "sequential latency us");
    for (size_t i = 0; i < clients.size(); ++i) {
        const bool hasLatency = !lat[i].empty();
        std::printf("%-12s %16.0f %24.1f %22s\n", clients[i].name, median(rps[i]), median(cpu[i]),
                    hasLatency ? qPrintable(QString::number(median(lat[i]), 'f', 1)) : "-");
    }

    std::printf("%-12s %16.0f %24.1f %22s\n", "qnam-raw", median(qnamRps), median(qnamCpu), "-");

    std::printf("\n(throughput ratios: > 1 means the first is faster; CPU and latency ratios: < 1 means ws "
                "is cheaper)\n");
    std::printf("ratio throughput pool/single = %.2f\n", median(poolOverSingle));
    std::printf("ratio throughput ws/http = %.2f   (ws-pool vs http)\n", median(wsOverHttp));
    std::printf("ratio client-cpu ws/http = %.2f   (ws-pool vs http, per request)\n", median(cpuWsOverHttp));
    std::printf("ratio latency ws/http = %.2f   (ws-single vs http, sequential)\n", median(latWsOverHttp));
    std::printf("ratio client-cpu http/qnam-raw = %.2f   (SurrealQt over HTTP vs bare QNetworkAccessManager "
                "posts, per request; < 1: ours is cheaper)\n",
                median(cpuHttpOverQnam));

    for (auto &c : clients)
        c.manager->close();
    clients.clear();
    return 0;
}
