// The adaptive batch size, driven by synthetic servers: pure code, no database.

#include "bulk/bulkjob_p.h"

#include <QtTest/QTest>

#include <cmath>
#include <functional>

using namespace SurrealQt;

namespace {

// Runs `batches` batches through the sizer against a server whose throughput (records/s) at a
// batch size is rate(size); returns the records written per simulated second overall, and the
// size the sizer settled on.
struct Run
{
    double throughput = 0;
    int finalSize = 0;
    int batchesOffBest = 0;
};

Run simulate(const BulkOptions &options, const std::function<double(int)> &rate, int batches, int best)
{
    AdaptiveBatchSizer sizer;
    sizer.configure(options);
    double seconds = 0;
    qint64 records = 0;
    Run run;
    for (int i = 0; i < batches; ++i) {
        const int size = sizer.next();
        const double latency = double(size) / rate(size);
        seconds += latency;
        records += size;
        if (size != best)
            ++run.batchesOffBest;
        sizer.record(size, qint64(latency * 1e9));
    }
    run.throughput = double(records) / seconds;
    run.finalSize = sizer.current();
    return run;
}

BulkOptions adaptive(int start = 100)
{
    BulkOptions o;
    o.adaptiveBatchSize = true;
    o.batchSize = start;
    return o;
}

// A throughput curve with its peak at `peak` (a rung of the sizer's ladder), falling off by
// `fall` per doubling on either side.
std::function<double(int)> peakedAt(int peak, double fall = 0.25)
{
    return [peak, fall](int size) {
        const double steps = std::abs(std::log2(double(size) / double(peak)));
        return 20000.0 * std::pow(1.0 - fall, steps);
    };
}

} // namespace

class tst_AdaptiveBatchSizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixedWhenNotAdaptive()
    {
        AdaptiveBatchSizer sizer;
        BulkOptions o;
        o.batchSize = 300;
        sizer.configure(o);
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(sizer.next(), 300);
            sizer.record(300, 1000000);
        }
    }

    void findsABetterSizeAbove()
    {
        const Run run = simulate(adaptive(100), peakedAt(400), 1000, 400);
        QCOMPARE(run.finalSize, 400);
        QVERIFY2(run.throughput > 0.9 * 20000, qPrintable(QString::number(run.throughput)));
    }

    void findsABetterSizeBelow()
    {
        const Run run = simulate(adaptive(100), peakedAt(25), 1000, 25);
        QCOMPARE(run.finalSize, 25);
    }

    // When the starting size is already the best, exploring must cost little: the benchmark's
    // target is adaptive ≥ 0.9 × the best fixed size.
    void keepsTheBestSizeCheaply_data()
    {
        QTest::addColumn<double>("fall");
        QTest::newRow("steep") << 0.5;
        QTest::newRow("mild") << 0.25;
        QTest::newRow("shallow") << 0.08; // neighbours within the noise margin
    }
    void keepsTheBestSizeCheaply()
    {
        QFETCH(double, fall);
        const Run run = simulate(adaptive(100), peakedAt(100, fall), 1000, 100);
        QCOMPARE(run.finalSize, 100);
        QVERIFY2(run.throughput >= 0.97 * 20000, qPrintable(QString::number(run.throughput)));
        QVERIFY2(run.batchesOffBest <= 40, qPrintable(QString::number(run.batchesOffBest)));
    }

    // A server that gets better at bigger batches halfway through: the sizer follows.
    void followsDrift()
    {
        AdaptiveBatchSizer sizer;
        sizer.configure(adaptive(100));
        auto before = peakedAt(100), after = peakedAt(400);
        for (int i = 0; i < 3000; ++i) {
            const int size = sizer.next();
            const double r = i < 500 ? before(size) : after(size);
            sizer.record(size, qint64(double(size) / r * 1e9));
        }
        QCOMPARE(sizer.current(), 400);
    }

    void staysWithinItsBounds()
    {
        BulkOptions o = adaptive(100);
        o.minBatchSize = 50;
        o.maxBatchSize = 200;
        const Run up = simulate(o, peakedAt(1600), 500, 200);
        QCOMPARE(up.finalSize, 200);
        const Run down = simulate(o, peakedAt(25), 500, 50);
        QCOMPARE(down.finalSize, 50);
    }
};

QTEST_APPLESS_MAIN(tst_AdaptiveBatchSizer)
#include "tst_adaptivebatchsizer.moc"
