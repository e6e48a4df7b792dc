// Request throughput and latency against a real SurrealDB (tools/surreal-local, started here,
// or the server named by SURREALQT_BENCH_URL). Three clients are measured side by side in one
// process, interleaved round by round and reduced to medians:
//   ws-pool   DatabaseManager over WebSockets with a pool of 4 sockets
//   ws-single DatabaseManager over one WebSocket
//   http      DatabaseManager over HTTP
// The ratios are what counts on a noisy machine, not the absolute figures.
//
//   bench_requests [--requests N] [--sequential M] [--rounds R] [--pool P]
//   SURREALQT_BENCH_URL=ws://host:port (+ SURREALQT_BENCH_USER / SURREALQT_BENCH_PASS)

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFuture>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
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
#include <vector>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

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
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = argValue(args, u"--requests"_s, 2000);
    const int m = argValue(args, u"--sequential"_s, 500);
    const int rounds = argValue(args, u"--rounds"_s, 5);
    const int poolSize = argValue(args, u"--pool"_s, 4);

    LocalServer server;
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
