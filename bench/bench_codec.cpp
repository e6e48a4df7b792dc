// CBOR codec speed: SurrealQt::CborCodec against the obvious Qt baseline
// (QCborValue::fromVariant(v).toCbor() / QCborValue::fromCbor(bytes).toVariant()),
// measured side by side in one process, interleaved A, B, A, B, ... and reduced to medians,
// so machine noise hits both sides alike. The ratios are what counts, not the absolute times.
//
//   bench_codec [--records N] [--rounds R]

#include "benchutil.h"
#include "codec/cborcodec_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QStringList>
#include <QtCore/QUuid>
#include <QtCore/QVariant>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// Keeps results alive so the optimiser cannot drop the work.
volatile qint64 g_sink = 0;

// A reply to `SELECT * FROM person`: plain maps, lists, strings, integers, doubles, bools.
QVariant plainPayload(int records)
{
    static const QStringList cities{u"Oslo"_s, u"Lisboa"_s, u"Kraków"_s, u"Zürich"_s, u"Montréal"_s};
    static const QStringList tagPool{u"admin"_s, u"beta"_s, u"vip"_s, u"new"_s, u"eu"_s, u"us"_s, u"staff"_s};
    QVariantList rows;
    rows.reserve(records);
    for (int i = 0; i < records; ++i) {
        QVariantMap address{{u"street"_s, u"%1 Long Street"_s.arg(i * 7 % 997)},
                            {u"city"_s, cities.at(i % cities.size())},
                            {u"zip"_s, u"%1"_s.arg(10000 + i * 31 % 89999)},
                            {u"lat"_s, 40.0 + (i % 1000) * 0.001},
                            {u"lon"_s, -3.0 - (i % 500) * 0.002}};
        QVariantList tags{tagPool.at(i % 7), tagPool.at((i + 2) % 7), tagPool.at((i + 5) % 7)};
        rows.append(QVariantMap{{u"id"_s, u"person:%1"_s.arg(i)},
                                {u"name"_s, u"Person Number %1"_s.arg(i)},
                                {u"email"_s, u"person%1@example.com"_s.arg(i)},
                                {u"age"_s, qint64(18 + i % 70)},
                                {u"score"_s, i * 1.37 + 0.25},
                                {u"visits"_s, qint64(i) * 104729},
                                {u"tags"_s, tags},
                                {u"address"_s, address},
                                {u"active"_s, i % 3 != 0},
                                {u"note"_s, QVariant::fromValue(nullptr)}});
    }
    // The shape of an RPC reply: {result: [{status, time, result: rows}]}.
    return QVariantMap{
        {u"result"_s,
         QVariantList{QVariantMap{{u"status"_s, u"OK"_s}, {u"time"_s, u"1.2ms"_s}, {u"result"_s, rows}}}}};
}

// The same shape with SurrealDB types the baseline cannot express: RecordId, DateTime, Decimal, QUuid.
QVariant surrealPayload(int records)
{
    QVariantList rows;
    rows.reserve(records);
    const qint64 base = 1'700'000'000;
    for (int i = 0; i < records; ++i) {
        rows.append(QVariantMap{
            {u"id"_s, QVariant::fromValue(RecordId(u"order"_s, qint64(i)))},
            {u"customer"_s, QVariant::fromValue(RecordId(u"person"_s, u"p%1"_s.arg(i % 97)))},
            {u"created"_s, QVariant::fromValue(DateTime(base + i * 61, (i * 7919) % 1'000'000'000))},
            {u"updated"_s, QVariant::fromValue(DateTime(base + i * 67, (i * 104729) % 1'000'000'000))},
            {u"total"_s, QVariant::fromValue(
                             Decimal::fromString(u"%1.%2"_s.arg(i * 13).arg(i % 100, 2, 10, QChar(u'0'))))},
            {u"tax"_s, QVariant::fromValue(Decimal::fromString(u"0.%1"_s.arg(i % 1000, 3, 10, QChar(u'0'))))},
            {u"token"_s, QVariant::fromValue(QUuid::createUuid())},
            {u"items"_s, qint64(1 + i % 9)},
            {u"status"_s, i % 4 == 0 ? u"shipped"_s : u"pending"_s},
            {u"paid"_s, i % 2 == 0}});
    }
    return QVariantMap{
        {u"result"_s,
         QVariantList{QVariantMap{{u"status"_s, u"OK"_s}, {u"time"_s, u"2.0ms"_s}, {u"result"_s, rows}}}}};
}

// Runs fn `reps` times and returns the time per call in microseconds.
double timeIt(int reps, const std::function<void()> &fn)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < reps; ++i)
        fn();
    return double(t.nsecsElapsed()) / 1000.0 / reps;
}

// How many repetitions make one sample last about targetMs.
int calibrate(const std::function<void()> &fn, double targetMs)
{
    const double us = timeIt(1, fn);
    return std::max(1, int(targetMs * 1000.0 / std::max(us, 1.0)));
}

[[noreturn]] void fail(const char *what, const CodecError &e)
{
    std::fprintf(stderr, "%s: %s\n", what, qPrintable(e.message));
    std::exit(1);
}

struct Stats
{
    double ours = 0;
    double qt = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int records = argValue(args, u"--records"_s, 1000);
    const int rounds = argValue(args, u"--rounds"_s, 15);

    // ---- plain payload, ours vs QCborValue ----
    const QVariant plain = plainPayload(records);

    CodecError err;
    const QByteArray oursBytes = CborCodec::encode(plain, &err);
    if (err.isError() || oursBytes.isEmpty())
        fail("encode", err);
    const QByteArray qtBytes = QCborValue::fromVariant(plain).toCbor();

    // Sanity: each side decodes the other's bytes to the same tree, so both do the same work.
    QVariant check;
    if (!CborCodec::decode(qtBytes, &check, &err))
        fail("decode of the Qt encoding", err);
    if (QCborValue::fromVariant(check).toCbor() != qtBytes) {
        std::fprintf(stderr, "round trip through our decoder differs from the input\n");
        return 1;
    }

    const auto encOurs = [&] {
        CodecError e;
        g_sink = g_sink + CborCodec::encode(plain, &e).size();
    };
    const auto encQt = [&] { g_sink = g_sink + QCborValue::fromVariant(plain).toCbor().size(); };
    const auto decOurs = [&] {
        QVariant v;
        CodecError e;
        if (!CborCodec::decode(oursBytes, &v, &e))
            fail("decode", e);
        g_sink = g_sink + v.toMap().size();
    };
    const auto decQt = [&] { g_sink = g_sink + QCborValue::fromCbor(qtBytes).toVariant().toMap().size(); };

    // Warm up (allocator, caches) and size one sample at ~60 ms.
    for (int i = 0; i < 3; ++i) {
        encOurs();
        encQt();
        decOurs();
        decQt();
    }
    const int encReps = std::max(calibrate(encOurs, 60), calibrate(encQt, 60));
    const int decReps = std::max(calibrate(decOurs, 60), calibrate(decQt, 60));

    std::vector<double> eo, eq, dq, dOurs, encRatio, decRatio;
    for (int r = 0; r < rounds; ++r) {
        // Alternate who goes first, so neither side always runs on a warm or a cold cache.
        double a, b;
        if (r % 2 == 0) {
            a = timeIt(encReps, encOurs);
            b = timeIt(encReps, encQt);
        } else {
            b = timeIt(encReps, encQt);
            a = timeIt(encReps, encOurs);
        }
        eo.push_back(a);
        eq.push_back(b);
        encRatio.push_back(a / b);
        if (r % 2 == 0) {
            a = timeIt(decReps, decOurs);
            b = timeIt(decReps, decQt);
        } else {
            b = timeIt(decReps, decQt);
            a = timeIt(decReps, decOurs);
        }
        dOurs.push_back(a);
        dq.push_back(b);
        decRatio.push_back(a / b);
    }

    const double mb = double(oursBytes.size()) / 1e6;
    std::printf("bench_codec: %d records x 10 fields, %lld bytes (ours) / %lld bytes (QCborValue), "
                "%d rounds, median\n\n",
                records, qint64(oursBytes.size()), qint64(qtBytes.size()), rounds);
    std::printf("%-28s %12s %10s\n", "plain payload", "us/op", "MB/s");
    const auto row = [&](const char *name, double us) {
        std::printf("%-28s %12.1f %10.1f\n", name, us, mb / (us / 1e6));
    };
    row("encode  SurrealQt", median(eo));
    row("encode  QCborValue", median(eq));
    row("decode  SurrealQt", median(dOurs));
    row("decode  QCborValue", median(dq));

    // ---- SurrealDB types, ours only ----
    const QVariant surreal = surrealPayload(records);
    const QByteArray sBytes = CborCodec::encode(surreal, &err);
    if (err.isError() || sBytes.isEmpty())
        fail("encode (surreal types)", err);
    const auto encS = [&] {
        CodecError e;
        g_sink = g_sink + CborCodec::encode(surreal, &e).size();
    };
    const auto decS = [&] {
        QVariant v;
        CodecError e;
        if (!CborCodec::decode(sBytes, &v, &e))
            fail("decode (surreal types)", e);
        g_sink = g_sink + v.toMap().size();
    };
    encS();
    decS();
    const int sEncReps = calibrate(encS, 60);
    const int sDecReps = calibrate(decS, 60);
    std::vector<double> se, sd;
    for (int r = 0; r < std::max(5, rounds / 2); ++r) {
        se.push_back(timeIt(sEncReps, encS));
        sd.push_back(timeIt(sDecReps, decS));
    }
    const double smb = double(sBytes.size()) / 1e6;
    std::printf("\n%-28s %12s %10s   (%lld bytes: RecordId, DateTime, Decimal, QUuid)\n",
                "surreal-typed payload", "us/op", "MB/s", qint64(sBytes.size()));
    std::printf("%-28s %12.1f %10.1f\n", "encode  SurrealQt", median(se), smb / (median(se) / 1e6));
    std::printf("%-28s %12.1f %10.1f\n", "decode  SurrealQt", median(sd), smb / (median(sd) / 1e6));

    std::printf("\n(time ratios, median of per-round ratios; < 1 means SurrealQt is faster)\n");
    std::printf("ratio encode ours/qt = %.2f\n", median(encRatio));
    std::printf("ratio decode ours/qt = %.2f\n", median(decRatio));
    return 0;
}
