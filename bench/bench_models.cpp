// Loading rows as model objects versus the raw read of the same rows, against a real SurrealDB
// (tools/surreal-local, started here, or the server named by SURREALQT_BENCH_URL).
//   models  Query<BenchUser>::all(): SELECT, decode, then one QObject per row (moved to the
//           caller's thread), in QSharedPointers
//   raw     Connection::select(Table) into a QVariantList
// Both run interleaved round by round; medians of wall time are compared, so the ratio is what
// counts on a noisy machine. Memory per object: heap growth (glibc mallinfo2) while holding the
// objects minus the same for the raw rows, divided by the row count.
//
//   bench_models [--rows N] [--rounds R]

#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/values.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
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

namespace {

template<typename T>
T await(QFuture<T> f)
{
    while (!f.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return f.result();
}

size_t heapInUse()
{
    malloc_trim(0);
    const struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int rows = 20000;
    int rounds = 5;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == u"--rows"_s)
            rows = args.at(i + 1).toInt();
        else if (args.at(i) == u"--rounds"_s)
            rounds = args.at(i + 1).toInt();
    }

    LocalServer server;
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
        c->querySync(u"REMOVE TABLE IF EXISTS bench_user; DEFINE TABLE bench_user SCHEMALESS;"_s);
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
            c->querySync(u"INSERT INTO bench_user $rows"_s, {{u"rows"_s, batch}});
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
        c->querySync(u"REMOVE TABLE bench_user"_s);
    } catch (const Exception &e) {
        std::fprintf(stderr, "failed: %s\n", e.what());
        return 1;
    }
    return 0;
}

#include "bench_models.moc"
