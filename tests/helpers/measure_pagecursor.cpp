// Not a test: measures what a PageCursor page costs at the start of a 100,000-row table and
// at row 99,000, for each order, side by side in one run. The figures are quoted in
// docs/helpers/crud-helpers.md.
//   measure_pagecursor ws://127.0.0.1:8000   (a surreal-local server; root/root)

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/pagecursor.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTextStream>

#include <algorithm>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

constexpr int rows = 100000;
constexpr int late = 99000;

double medianMs(const PageCursor &cursor)
{
    QList<double> times;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer t;
        t.start();
        const PageCursor::Page page = cursor.fetchSync();
        times.append(t.nsecsElapsed() / 1e6);
        if (page.rows.isEmpty())
            qFatal("empty page");
    }
    std::sort(times.begin(), times.end());
    return times.at(2);
}

PageCursor advancedTo(PageCursor cursor, qint64 position)
{
    const int pageSize = cursor.pageSize();
    // Filtered id pages read windows of max(page, scanWindow) rows: keep them at 1,000.
    cursor.setPageSize(int(std::min<qint64>(cursor.condition().isEmpty() ? 9900 : 1000, position)));
    while (cursor.position() < position) {
        cursor.setPageSize(int(std::min<qint64>(cursor.pageSize(), position - cursor.position())));
        (void)cursor.nextSync();
    }
    return cursor.setPageSize(pageSize);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QUrl url(argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"ws://127.0.0.1:8000"_s);
    DatabaseManager db(url, u"measure"_s, u"pager"_s, Credentials::root(u"root"_s, u"root"_s),
                       ConnectionOptions{ConnectionOptions::Sockets::Single, 1});
    QTextStream out(stdout);
    try {
        db.openSync();
        Connection *c = db.connection();
        const QVariant count = SyncConnection(c)
                                   .query(u"DEFINE TABLE IF NOT EXISTS big SCHEMALESS;"
                                          " SELECT count() FROM big GROUP ALL"_s)
                                   .last();
        if (count.toList().value(0).toMap().value(u"count"_s).toInt() != rows) {
            out << "filling " << rows << " rows...\n" << Qt::flush;
            SyncConnection(c).query(u"DELETE big; CREATE |big:1..=100000| SET name = rand::string(12),"
                                    " grp = rand::int(0, 9), score = rand::int(0, 999) RETURN NONE;"
                                    " DEFINE INDEX IF NOT EXISTS big_name ON big FIELDS name;"
                                    " DEFINE INDEX IF NOT EXISTS big_score ON big FIELDS score;"_s);
        }
        struct Case
        {
            const char *label;
            PageCursor cursor;
        };
        const PageCursor base(c, Table(u"big"_s), 100);
        QList<Case> cases{
            {"id ascending", base},
            {"id ascending, WHERE grp = $g", PageCursor(base).where(u"grp = $g"_s, {{u"g"_s, 3}})},
            {"name (indexed) ascending", PageCursor(base).orderBy(u"name"_s)},
            {"score (indexed, ties) ascending", PageCursor(base).orderBy(u"score"_s)},
            {"name (indexed) ascending, WHERE grp = $g",
             PageCursor(base).orderBy(u"name"_s).where(u"grp = $g"_s, {{u"g"_s, 3}})},
            {"name (indexed) descending", PageCursor(base).orderBy(u"name"_s, Qt::DescendingOrder)},
            {"id descending", PageCursor(base).orderBy(u"id"_s, Qt::DescendingOrder)},
            {"grp (no index): START", PageCursor(base).orderBy(u"grp"_s)},
        };
        out << "page of 100 rows, median of 5, " << rows << " rows\n";
        for (const Case &k : cases) {
            const qint64 at = k.cursor.condition().isEmpty() ? late : late / 10;
            const double first = medianMs(k.cursor);
            const PageCursor there = advancedTo(k.cursor, at);
            const double atLate = medianMs(there);
            out << QString::asprintf(
                       "%-44s first %8.1f ms   at row %6lld %8.1f ms   ratio late/first = %.2f  "
                       "(%s)\n",
                       k.label, first, at, atLate, atLate / first,
                       there.strategy() == PageCursor::Strategy::KeyRange       ? "KeyRange"
                       : there.strategy() == PageCursor::Strategy::IndexedField ? "IndexedField"
                                                                                : "Offset")
                << Qt::flush;
        }
    } catch (const Exception &e) {
        out << "failed: " << e.error().toString() << '\n';
        return 1;
    }
    return 0;
}
