// QueryListModel against a real SurrealDB (tools/surreal-local, started here, or the server named
// by SURREALQT_BENCH_URL) on a 100,000-row table. Measured side by side in one run, medians of
// interleaved rounds:
//   firstpage/raw        time until the model shows its first page vs a raw SELECT ... LIMIT pageSize
//   bytes/cbor           resident memory per loaded row vs the CBOR size of that row
//   lastpage/firstpage   a page at row 90,000 vs a page at the start (by id, by an indexed field,
//                        and by an unindexed field for contrast: (value, id) pages the engine
//                        sorts for, START before issue 13)
//   live                 changes applied per second while a proxy model and a reader of every
//                        changed cell (standing in for a view) are attached
//   traffic              bytes each way for a filtered live model: table-level live query + server
//                        re-check (what the model does) vs a filtered + a negated live query
//   live-apply/select    1,000 remote updates applied to an open, fully loaded live model of
//                        10,000 rows (from the writer's request until the model shows every new
//                        value) vs the same updates followed by a re-SELECT of the changed rows
//
//   bench_listmodel [--rows N] [--rounds R] [--page P] [--live-apply-only]
//                   [--apply-rows 10000] [--apply-changes 1000]

#include "views/querylistmodel_p.h"

#include "codec/cborcodec_p.h"

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

qint64 residentBytes()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.value(1).toLongLong() * 4096;
}

qint64 heapInUse()
{
    const struct mallinfo2 mi = mallinfo2();
    return qint64(mi.uordblks) + qint64(mi.hblkhd);
}

// Time until the model is Ready after a (re)load.
double loadFirstPage(QueryListModel &m)
{
    QElapsedTimer t;
    t.start();
    m.reload();
    if (!spinUntil([&] { return m.status() != QueryListModel::Loading; }) ||
        m.status() != QueryListModel::Ready)
        die(u"model did not load: "_s + m.errorString());
    return msSince(t);
}

double timeFetchMore(QueryListModel &m)
{
    const int before = m.rowCount();
    QElapsedTimer t;
    t.start();
    m.fetchMore({});
    if (!spinUntil([&] { return m.rowCount() > before || m.status() == QueryListModel::Failed; }))
        die(u"page did not arrive"_s);
    return msSince(t);
}

// Loads up to `rows` rows quickly (big pages), then goes back to `page` rows per page.
void loadTo(QueryListModel &m, int rows, int page)
{
    while (m.rowCount() < rows && m.canFetchMore({})) {
        const int before = m.rowCount();
        m.setPageSize(qMin(5000, rows - before));
        m.fetchMore({});
        if (!spinUntil([&] { return m.rowCount() > before || m.status() == QueryListModel::Failed; }))
            die(u"loading stalled"_s);
    }
    m.setPageSize(page);
}

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct LiveApply
{
    std::vector<double> applyMs, selectMs, applyCpu, selectCpu;
    // Where the model's time goes: the writer's answer, the first and the last change shown; and
    // a bare LiveQuery on a third twin table receiving the same updates (the engine's delivery).
    std::vector<double> writeDoneMs, firstShownMs, rawLiveMs, rawLiveCpu;
};

// An open, fully loaded live model of `rows` rows takes `changes` updates made by another
// connection (one request, spread over the whole table), against the same updates on a twin table
// followed by a SELECT of the changed ids: what a program without live models does to show them.
// Both start when the writer's request is sent; the model's time ends when every changed row
// shows its new value, the other when the re-selected rows are decoded. CPU is this process's
// (both connections, the model and the I/O threads), the server runs elsewhere.
LiveApply measureLiveApply(Connection *c, Connection *w, int rows, int changes, int rounds, int page)
{
    const int step = qMax(1, rows / changes);
    for (const QString &table : {u"apply_live"_s, u"apply_sel"_s, u"apply_raw"_s})
        run(w,
            u"DEFINE TABLE %1 SCHEMALESS; FOR $i IN 1..=$n { CREATE type::record('%1', $i) SET v = 0, "
            "name = 'Customer ' + <string>$i, email = 'customer' + <string>$i + '@example.com', "
            "city = ['Berlin', 'Lyon', 'Oslo', 'Porto'][$i % 4] };"_s.arg(table),
            {{u"n"_s, rows}});
    QVariantList changedIds;
    for (int i = 1; i <= changes; ++i)
        changedIds.append(QVariant::fromValue(RecordId(u"apply_sel"_s, qint64(i) * step)));
    const QString update =
        u"FOR $i IN 1..=$n { UPDATE type::record($t, $i * $step) SET v = $base + $i RETURN NONE }"_s;

    QueryListModel m(c);
    m.setTable(u"apply_live"_s);
    m.setPageSize(page);
    m.setLive(true);
    loadFirstPage(m);
    loadTo(m, rows, page);
    // The end is known once a page comes back short.
    m.fetchAll();
    spinUntil([&] { return !m.canFetchMore({}) || m.status() == QueryListModel::Failed; });
    if (m.rowCount() != rows || m.canFetchMore({}))
        die(u"live-apply: the model is not fully loaded (%1 rows)"_s.arg(m.rowCount()));
    if (auto *lq = m.findChild<LiveQuery *>()) {
        auto started = lq->started();
        if (!waitInEventLoop(started, 30000))
            die(u"live-apply: the live query did not start"_s);
    }
    const int vRole = m.roleForField(u"v"_s);
    qint64 base = 0;
    int settled = 0;
    QElapsedTimer t;
    double firstShown = -1;
    QObject::connect(&m, &QAbstractItemModel::dataChanged, &m,
                     [&](const QModelIndex &a, const QModelIndex &b) {
                         for (int row = a.row(); row <= b.row(); ++row)
                             settled += m.data(m.index(row), vRole).toLongLong() > base ? 1 : 0;
                         if (firstShown < 0 && settled > 0)
                             firstShown = msSince(t);
                     });
    LiveQuery *raw = c->live(Table(u"apply_raw"_s), &m);
    int rawSeen = 0;
    QObject::connect(raw, &LiveQuery::notification, &m, [&](const LiveNotification &) { ++rawSeen; });
    if (auto started = raw->started(); !waitInEventLoop(started, 30000))
        die(u"live-apply: the bare live query did not start"_s);

    LiveApply out;
    for (int r = 0; r <= rounds; ++r) {
        base = qint64(r + 1) * 1000000;
        settled = 0;
        firstShown = -1;
        t.start();
        double cpu0 = cpuMs();
        run(w, update, {{u"n"_s, changes}, {u"t"_s, u"apply_live"_s}, {u"step"_s, step}, {u"base"_s, base}});
        const double writeDone = msSince(t);
        if (!spinUntil([&] { return settled >= changes; }, 120000))
            die(u"live-apply: %1 of %2 changes shown"_s.arg(settled).arg(changes));
        const double applyMs = msSince(t), applyCpu = cpuMs() - cpu0;
        // Notifications of this round that are still queued would be counted in the next one.
        spinUntil([] { return false; }, 200);

        t.restart();
        cpu0 = cpuMs();
        run(w, update, {{u"n"_s, changes}, {u"t"_s, u"apply_sel"_s}, {u"step"_s, step}, {u"base"_s, base}});
        const QVariantList reread = run(c, u"SELECT * FROM $ids"_s, {{u"ids"_s, changedIds}}).last().toList();
        const double selectMs = msSince(t), selectCpu = cpuMs() - cpu0;
        spinUntil([] { return false; }, 200);

        rawSeen = 0;
        t.restart();
        cpu0 = cpuMs();
        run(w, update, {{u"n"_s, changes}, {u"t"_s, u"apply_raw"_s}, {u"step"_s, step}, {u"base"_s, base}});
        if (!spinUntil([&] { return rawSeen >= changes; }, 120000))
            die(u"live-apply: the bare live query saw %1 of %2 changes"_s.arg(rawSeen).arg(changes));
        const double rawMs = msSince(t), rawCpu = cpuMs() - cpu0;
        spinUntil([] { return false; }, 200);
        if (reread.size() != changes || reread.last().toMap().value(u"v"_s).toLongLong() != base + changes)
            die(u"live-apply: the re-select read %1 rows"_s.arg(reread.size()));
        if (r > 0) { // round 0 warms both paths up
            out.applyMs.push_back(applyMs);
            out.applyCpu.push_back(applyCpu);
            out.selectMs.push_back(selectMs);
            out.selectCpu.push_back(selectCpu);
            out.writeDoneMs.push_back(writeDone);
            out.firstShownMs.push_back(firstShown);
            out.rawLiveMs.push_back(rawMs);
            out.rawLiveCpu.push_back(rawCpu);
        }
    }
    return out;
}

void printLiveApply(const LiveApply &a, int rows, int changes)
{
    std::printf("  live-apply, %d remote updates on a loaded live model of %d rows (medians): model %.1f ms "
                "(CPU %.1f ms); updates + re-SELECT of the changed rows %.1f ms (CPU %.1f ms)\n",
                changes, rows, median(a.applyMs), median(a.applyCpu), median(a.selectMs),
                median(a.selectCpu));
    std::printf(
        "    model: writer answered at %.1f ms, first change shown at %.1f ms, last at %.1f ms; a bare "
        "LiveQuery receives the same updates in %.1f ms (CPU %.1f ms)\n",
        median(a.writeDoneMs), median(a.firstShownMs), median(a.applyMs), median(a.rawLiveMs),
        median(a.rawLiveCpu));
    std::printf("ratio live-apply/select = %.2f   (CPU: %.2f)\n", median(a.applyMs) / median(a.selectMs),
                median(a.applyCpu) / median(a.selectCpu));
    // The model's own share: the same updates seen by a bare LiveQuery (no rows, no placement).
    std::printf("ratio live-apply/bare-live = %.2f\n", median(a.applyMs) / median(a.rawLiveMs));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int total = argValue(args, u"--rows"_s, 100000);
    const int rounds = argValue(args, u"--rounds"_s, 5);
    const int page = argValue(args, u"--page"_s, 100);
    const int deep = total * 9 / 10;

    SurrealLocalProcess server;
    QUrl url;
    QString user = u"root"_s, pass = u"root"_s;
    if (const QByteArray env = qgetenv("SURREALQT_BENCH_URL"); !env.isEmpty()) {
        url = QUrl(QString::fromUtf8(env));
        user = qEnvironmentVariableIsSet("SURREALQT_BENCH_USER")
                   ? qEnvironmentVariable("SURREALQT_BENCH_USER")
                   : user;
        pass = qEnvironmentVariableIsSet("SURREALQT_BENCH_PASS")
                   ? qEnvironmentVariable("SURREALQT_BENCH_PASS")
                   : pass;
    } else {
        const QString address = server.start();
        if (address.isEmpty())
            die(u"could not start surreal-local (node " SURREALQT_SERVER_JS
                "); run npm ci in tools/surreal-local"_s);
        url = QUrl(u"ws://"_s + address);
    }
    const QString db = u"lm"_s + QString::number(QCoreApplication::applicationPid());
    DatabaseManager mgr(url, u"bench"_s, db, Credentials::root(user, pass));
    DatabaseManager writer(url, u"bench"_s, db, Credentials::root(user, pass));
    mgr.setRequestTimeout(std::chrono::seconds(120));
    writer.setRequestTimeout(std::chrono::seconds(120));
    auto opened = mgr.open();
    auto opened2 = writer.open();
    if (!spinUntil([&] { return opened.isFinished() && opened2.isFinished(); }))
        die(u"open timed out"_s);
    Connection *c = mgr.connection();
    Connection *w = writer.connection();

    const int applyRows = argValue(args, u"--apply-rows"_s, 10000);
    const int applyChanges = argValue(args, u"--apply-changes"_s, 1000);
    if (args.contains(u"--live-apply-only"_s)) {
        const LiveApply a = measureLiveApply(c, w, applyRows, applyChanges, rounds, page);
        std::printf("\n");
        printLiveApply(a, applyRows, applyChanges);
        return 0;
    }

    // The table: ids item:1..N, a unique indexed `score`, the same values unindexed in `loose`.
    std::printf("filling %d rows...\n", total);
    run(w, u"DEFINE TABLE item SCHEMALESS; DEFINE INDEX item_score ON item FIELDS score;"_s);
    const int batch = 5000;
    for (int from = 1; from <= total; from += batch) {
        run(w,
            u"FOR $i IN $from..=$to { LET $s = ($i * 7919) % $total; CREATE type::record('item', $i) SET "
            "name = 'Customer ' + <string>$i, email = 'customer' + <string>$i + '@example.com', "
            "city = ['Berlin', 'Lyon', 'Oslo', 'Porto'][$i % 4], score = $s, loose = $s };"_s,
            {{u"from"_s, from}, {u"to"_s, qMin(total, from + batch - 1)}, {u"total"_s, total}});
    }

    // 1. First page: model vs raw SELECT, interleaved.
    std::vector<double> raw, first;
    for (int r = 0; r < rounds + 1; ++r) {
        QElapsedTimer t;
        t.start();
        const QueryResult res = run(c, u"SELECT * FROM item LIMIT $n"_s, {{u"n"_s, page}});
        const double rawMs = msSince(t);
        if (res.last().toList().size() != page)
            die(u"raw page has the wrong size"_s);
        QueryListModel m(c);
        m.setTable(u"item"_s);
        m.setPageSize(page);
        const double modelMs = loadFirstPage(m);
        if (m.rowCount() != page)
            die(u"model page has the wrong size"_s);
        if (r > 0) { // round 0 warms both paths up
            raw.push_back(rawMs);
            first.push_back(modelMs);
        }
    }

    // 2. Memory per loaded row vs its CBOR size.
    double cborPerRow = 0;
    {
        const QVariantList sample = run(c, u"SELECT * FROM item LIMIT 1000"_s).last().toList();
        qint64 sum = 0;
        for (const QVariant &rec : sample)
            sum += CborCodec::encode(rec).size();
        cborPerRow = double(sum) / double(sample.size());
    }
    double rssPerRow = 0, heapPerRow = 0;
    int loadedRows = 0;
    {
        malloc_trim(0);
        const qint64 rss0 = residentBytes();
        const qint64 heap0 = heapInUse();
        auto *m = new QueryListModel(c);
        m->setTable(u"item"_s);
        m->setPageSize(page);
        loadFirstPage(*m);
        loadTo(*m, total, page);
        loadedRows = m->rowCount();
        malloc_trim(0);
        rssPerRow = double(residentBytes() - rss0) / loadedRows;
        heapPerRow = double(heapInUse() - heap0) / loadedRows;
        delete m;
    }

    // 3. A page at row 90,000 vs a page at the start, per paging kind.
    struct Order
    {
        const char *name;
        QString orderBy;
        std::vector<double> early, late;
        bool constant = false;
    };
    std::vector<Order> orders{
        {"id", QString(), {}, {}}, {"indexed score", u"score"_s, {}, {}}, {"unindexed", u"loose"_s, {}, {}}};
    for (Order &o : orders) {
        QueryListModel m(c);
        m.setTable(u"item"_s);
        m.setOrderBy(o.orderBy);
        m.setPageSize(page);
        loadFirstPage(m);
        o.constant = m.isPagedInConstantTime();
        for (int r = 0; r < rounds; ++r)
            o.early.push_back(timeFetchMore(m));
        loadTo(m, deep, page);
        for (int r = 0; r < rounds; ++r)
            o.late.push_back(timeFetchMore(m));
    }

    // 4. Live changes applied per second with a proxy and a cell reader attached.
    const int liveRows = 1000, changes = 2000;
    run(w,
        u"DEFINE TABLE feed SCHEMALESS; FOR $i IN 1..=$n { CREATE type::record('feed', $i) SET v = 0, "
        "label = 'row ' + <string>$i };"_s,
        {{u"n"_s, liveRows}});
    auto liveRate = [&](const QString &filter, qint64 *notifBytes) {
        QueryListModel m(c);
        m.setTable(u"feed"_s);
        m.setFilter(filter);
        m.setPageSize(liveRows);
        m.setLive(true);
        loadFirstPage(m);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&m);
        proxy.setFilterRole(m.roleForField(u"label"_s));
        proxy.setFilterFixedString(u"row"_s);
        qint64 reads = 0;
        QObject::connect(&m, &QAbstractItemModel::dataChanged, &m,
                         [&](const QModelIndex &a, const QModelIndex &) {
                             const QModelIndex p = proxy.mapFromSource(a);
                             reads += proxy.data(p).isValid() ? 1 : 0;
                             reads += m.data(a, m.roleForField(u"v"_s)).toLongLong() >= 0 ? 1 : 0;
                         });
        qint64 bytes = 0;
        if (auto *lq = m.findChild<LiveQuery *>())
            QObject::connect(lq, &LiveQuery::notification, &m, [&](const LiveNotification &n) {
                bytes += CborCodec::encode(n.result()).size() + CborCodec::encode(n.record()).size();
            });
        // Done when every row shows its final value: a filtered model re-reads changed rows and
        // may show two quick changes of one row as one.
        static int base = 0;
        base += 100000;
        const qint64 finalFrom = base + changes - liveRows;
        const int vRole = m.roleForField(u"v"_s);
        QSet<int> settled;
        QObject::connect(&m, &QAbstractItemModel::dataChanged, &m,
                         [&](const QModelIndex &a, const QModelIndex &b) {
                             for (int row = a.row(); row <= b.row(); ++row)
                                 if (m.data(m.index(row), vRole).toLongLong() >= finalFrom)
                                     settled.insert(row);
                         });
        QElapsedTimer t;
        t.start();
        // Every row changes twice; each change keeps it inside the filter.
        run(w, u"FOR $i IN 1..=$n { UPDATE type::record('feed', $i % $rows + 1) SET v = $base + $i }"_s,
            {{u"n"_s, changes}, {u"rows"_s, liveRows}, {u"base"_s, base}});
        if (!spinUntil([&] { return settled.size() >= liveRows; }, 120000))
            die(u"live changes missing: %1 of %2 rows show their final value"_s.arg(settled.size())
                    .arg(liveRows));
        *notifBytes = bytes;
        return changes / (msSince(t) / 1000.0);
    };
    qint64 unfilteredBytes = 0, filteredBytes = 0;
    const double rateUnfiltered = liveRate(QString(), &unfilteredBytes);
    auto &stats = QueryListModelPrivate::recheckStats();
    stats = {};
    stats.enabled = true;
    const double rateFiltered = liveRate(u"v >= 0"_s, &filteredBytes);
    stats.enabled = false;

    // 5. Traffic of the alternative: a filtered live query plus one on the negated condition.
    // Workload: 1000 updates that move rows in and out of `v > 500` (half of them change sides).
    qint64 altBytes = 0, altNotifications = 0;
    qint64 oursBytesIn = 0, oursBytesOut = 0, oursNotifications = 0;
    {
        run(w, u"UPDATE feed SET v = 0"_s);
        const QString cond = u"v > 500"_s;
        LiveQuery *inside = c->liveQuery(u"LIVE SELECT * FROM feed WHERE "_s + cond);
        LiveQuery *outside = c->liveQuery(u"LIVE SELECT id FROM feed WHERE !("_s + cond + u")"_s);
        for (LiveQuery *lq : {inside, outside})
            QObject::connect(lq, &LiveQuery::notification, lq, [&](const LiveNotification &n) {
                altBytes += CborCodec::encode(n.result()).size() + CborCodec::encode(n.record()).size();
                ++altNotifications;
            });
        QueryListModel m(c);
        m.setTable(u"feed"_s);
        m.setFilter(cond);
        m.setPageSize(liveRows);
        m.setLive(true);
        loadFirstPage(m);
        if (auto *lq = m.findChild<LiveQuery *>())
            QObject::connect(lq, &LiveQuery::notification, &m, [&](const LiveNotification &n) {
                oursBytesIn += CborCodec::encode(n.result()).size() + CborCodec::encode(n.record()).size();
                ++oursNotifications;
            });
        auto f1 = inside->started();
        auto f2 = outside->started();
        spinUntil([&] { return f1.isFinished() && f2.isFinished(); });
        stats = {};
        stats.enabled = true;
        run(w,
            u"FOR $i IN 1..=1000 { UPDATE type::record('feed', $i) SET v = IF $i % 2 = 0 { 1000 } ELSE { $i } }"_s);
        spinUntil([&] { return m.rowCount() == 750 && altNotifications >= 1000; }, 30000);
        spinUntil([] { return false; }, 500);
        stats.enabled = false;
        oursBytesIn += stats.bytesReceived;
        oursBytesOut = stats.bytesSent;
        delete inside;
        delete outside;
    }

    // 6. Remote changes applied to a loaded live model vs re-selecting the changed rows.
    const LiveApply applied = measureLiveApply(c, w, applyRows, applyChanges, rounds, page);

    const Order &byId = orders[0], &byScore = orders[1], &byStart = orders[2];
    std::printf("\nrows %d, page %d, rounds %d (medians, ms)\n", total, page, rounds);
    std::printf("  raw SELECT LIMIT page     %8.2f\n", median(raw));
    std::printf("  model first page          %8.2f\n", median(first));
    for (const Order &o : orders)
        std::printf("  page near row %-6d %-18s %8.2f   near row %d: %8.2f   (constant-time paging: %s)\n",
                    page, o.name, median(o.early), deep, median(o.late), o.constant ? "yes" : "no");
    std::printf("  CBOR per row %.1f B; loaded %d rows: RSS %.1f B/row, heap in use %.1f B/row\n", cborPerRow,
                loadedRows, rssPerRow, heapPerRow);
    std::printf(
        "  live, %d updates on %d rows: unfiltered %.0f changes/s, filtered (re-checked) %.0f changes/s\n",
        changes, liveRows, rateUnfiltered, rateFiltered);
    std::printf("  filtered live traffic for 1000 updates (500 rows cross the filter):\n");
    std::printf("    table-level + re-check (model): %lld notifications, %lld B in (notifications + re-check "
                "answers), %lld B out (re-check ids), %lld re-check queries\n",
                (long long)oursNotifications, (long long)oursBytesIn, (long long)oursBytesOut,
                (long long)stats.queries);
    std::printf("    filtered + negated live queries: %lld notifications, %lld B in, 0 B out\n",
                (long long)altNotifications, (long long)altBytes);
    std::printf("\nratio firstpage/raw = %.2f\n", median(first) / median(raw));
    std::printf("ratio bytes/cbor = %.2f   (RSS; heap in use: %.2f)\n", rssPerRow / cborPerRow,
                heapPerRow / cborPerRow);
    std::printf("ratio lastpage/firstpage (id) = %.2f\n", median(byId.late) / median(byId.early));
    std::printf("ratio lastpage/firstpage (indexed field) = %.2f\n",
                median(byScore.late) / median(byScore.early));
    std::printf("ratio lastpage/firstpage (unindexed, for contrast) = %.2f\n",
                median(byStart.late) / median(byStart.early));
    std::printf("live changes/s = %.0f (unfiltered), %.0f (filtered)\n", rateUnfiltered, rateFiltered);
    printLiveApply(applied, applyRows, applyChanges);
    return 0;
}
