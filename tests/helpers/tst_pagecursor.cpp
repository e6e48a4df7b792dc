// PageCursor against a real SurrealDB: every row exactly once and in order, for each order
// and strategy, with and without a condition, over a pool and a single connection.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/pagecursor.h>
#include <SurrealQt/recordid.h>

#include <QtConcurrent/QtConcurrent>
#include <QtTest/QTest>

#include <algorithm>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

constexpr int rowCount = 600;

struct Row
{
    qint64 key;
    int score;
    int grp;
    QString name;
};

Row expectedRow(int i)
{
    // Many ties on score and grp; hostile text in name, which only ever travels as a value.
    return Row{i, (i * 7) % 23, i % 5, u"n'%1\"`;--⟩"_s.arg((i * 13) % 101, 3, 10, QLatin1Char('0'))};
}

QList<qint64> keysOf(const QVariantList &rows)
{
    QList<qint64> keys;
    for (const QVariant &row : rows)
        keys.append(row.toMap().value(u"id"_s).value<RecordId>().id().toLongLong());
    return keys;
}

} // namespace

class tst_PageCursor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_pool;
    std::unique_ptr<DatabaseManager> m_single;
    QString m_ns;
    const QString m_table = u"paged"_s;

    Connection *connectionFor(const QString &transport)
    {
        return transport == u"single" ? m_single->connection() : m_pool->connection();
    }

    static void transports()
    {
        QTest::addColumn<QString>("transport");
        QTest::newRow("pool") << u"pool"_s;
        QTest::newRow("single") << u"single"_s;
    }

    // Drains the cursor, asynchronously or with nextSync(); fails the test on an error.
    static QVariantList drain(PageCursor cursor, bool sync, int *pages = nullptr)
    {
        QVariantList all;
        int count = 0;
        while (!cursor.atEnd() && count < 10000) {
            ++count;
            if (sync) {
                all += cursor.nextSync();
            } else {
                const PageCursor::Page page = AWAIT(cursor.fetch());
                if (page.rows.size() > cursor.pageSize())
                    qFatal("page larger than the page size");
                all += page.rows;
                if (page.next.position() != cursor.position() + page.rows.size())
                    qFatal("position does not count the returned rows");
                cursor = page.next;
            }
        }
        if (pages)
            *pages = count;
        return all;
    }

    static QList<qint64> expectedKeys(const std::function<bool(const Row &)> &filter,
                                      const std::function<bool(const Row &, const Row &)> &less)
    {
        QList<Row> rows;
        for (int i = 1; i <= rowCount; ++i) {
            if (!filter || filter(expectedRow(i)))
                rows.append(expectedRow(i));
        }
        std::sort(rows.begin(), rows.end(), less);
        QList<qint64> keys;
        for (const Row &r : rows)
            keys.append(r.key);
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("pager_");
        const auto creds = Credentials::root(TestServer::user(), TestServer::pass());
        m_pool = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"test"_s, creds,
                                                   ConnectionOptions{ConnectionOptions::Sockets::Pool, 2});
        m_single =
            std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"test"_s, creds,
                                              ConnectionOptions{ConnectionOptions::Sockets::Single, 1});
        AWAIT_VOID(m_pool->open());
        AWAIT_VOID(m_single->open());
        QVariantList rows;
        for (int i = 1; i <= rowCount; ++i) {
            const Row r = expectedRow(i);
            rows.append(
                QVariantMap{{u"id"_s, r.key}, {u"score"_s, r.score}, {u"grp"_s, r.grp}, {u"name"_s, r.name}});
        }
        const QueryResult created = AWAIT(m_pool->connection()->query(
            u"DEFINE TABLE paged SCHEMALESS; DEFINE INDEX paged_score ON paged FIELDS score;"
            " DEFINE INDEX paged_name ON paged FIELDS name; INSERT INTO paged $rows RETURN NONE;"_s,
            {{u"rows"_s, rows}}));
        QVERIFY2(created.isOk(), qPrintable(created.firstError().toString()));
    }

    void byIdVisitsEveryRowOnceInOrder_data()
    {
        QTest::addColumn<QString>("transport");
        QTest::addColumn<bool>("sync");
        QTest::addColumn<int>("pageSize");
        QTest::newRow("pool-async-37") << u"pool"_s << false << 37;
        QTest::newRow("single-sync-100") << u"single"_s << true << 100;
        QTest::newRow("pool-exact-multiple") << u"pool"_s << false << 200;
    }
    void byIdVisitsEveryRowOnceInOrder()
    {
        QFETCH(QString, transport);
        QFETCH(bool, sync);
        QFETCH(int, pageSize);
        PageCursor cursor(connectionFor(transport), m_table, pageSize);
        QCOMPARE(cursor.strategy(), PageCursor::Strategy::KeyRange);
        int pages = 0;
        const QVariantList rows = drain(cursor, sync, &pages);
        QCOMPARE(keysOf(rows), expectedKeys({}, [](const Row &a, const Row &b) { return a.key < b.key; }));
        // A final empty fetch is only needed when the row count is a multiple of the page size.
        QCOMPARE(pages, rowCount / pageSize + 1);
        QCOMPARE(rows.first().toMap().value(u"name"_s).toString(), expectedRow(1).name);
    }

    void byIdWithCondition_data()
    {
        QTest::addColumn<QString>("transport");
        QTest::addColumn<int>("window");
        QTest::newRow("pool-window-50") << u"pool"_s << 50;
        QTest::newRow("single-window-1000") << u"single"_s << 1000;
    }
    void byIdWithCondition()
    {
        QFETCH(QString, transport);
        QFETCH(int, window);
        PageCursor cursor(connectionFor(transport), Table(m_table), 25);
        cursor.where(u"grp = $g OR name = $hostile"_s, {{u"g"_s, 3}, {u"hostile"_s, expectedRow(7).name}})
            .setScanWindow(window);
        const QVariantList rows = drain(cursor, false);
        const Row seven = expectedRow(7);
        QCOMPARE(keysOf(rows), expectedKeys([&](const Row &r) { return r.grp == 3 || r.name == seven.name; },
                                            [](const Row &a, const Row &b) { return a.key < b.key; }));
    }

    void byIdDescending()
    {
        PageCursor cursor(m_pool->connection(), m_table, 64);
        cursor.orderBy(u"id"_s, Qt::DescendingOrder).where(u"score < $s"_s, {{u"s"_s, 10}});
        QCOMPARE(keysOf(drain(cursor, true)),
                 expectedKeys([](const Row &r) { return r.score < 10; },
                              [](const Row &a, const Row &b) { return a.key > b.key; }));
    }

    void byIndexedFieldWithTies_data() { transports(); }
    void byIndexedFieldWithTies()
    {
        QFETCH(QString, transport);
        // 23 distinct scores over 600 rows: pages of 7 end inside runs of ties.
        PageCursor cursor(connectionFor(transport), m_table, 7);
        cursor.orderBy(u"score"_s);
        const PageCursor::Page first = AWAIT(cursor.fetch());
        QCOMPARE(first.next.strategy(), PageCursor::Strategy::IndexedField);
        QCOMPARE(keysOf(drain(cursor, false)), expectedKeys({}, [](const Row &a, const Row &b) {
                     return a.score != b.score ? a.score < b.score : a.key < b.key;
                 }));
    }

    void byIndexedFieldWithConditionAndDescending()
    {
        PageCursor cursor(m_single->connection(), m_table, 11);
        cursor.orderBy(u"name"_s, Qt::DescendingOrder).where(u"grp != $g"_s, {{u"g"_s, 0}});
        QCOMPARE(keysOf(drain(cursor, true)), expectedKeys([](const Row &r) { return r.grp != 0; },
                                                           [](const Row &a, const Row &b) {
                                                               return a.name != b.name ? a.name > b.name
                                                                                       : a.key > b.key;
                                                           }));
    }

    void unindexedFieldFallsBackToOffset()
    {
        PageCursor cursor(m_pool->connection(), m_table, 50);
        cursor.orderBy(u"grp"_s);
        QCOMPARE(cursor.strategy(), PageCursor::Strategy::Unknown);
        const PageCursor::Page first = AWAIT(cursor.fetch());
        QCOMPARE(first.next.strategy(), PageCursor::Strategy::Offset);
        QCOMPARE(keysOf(drain(cursor, false)), expectedKeys({}, [](const Row &a, const Row &b) {
                     return a.grp != b.grp ? a.grp < b.grp : a.key < b.key;
                 }));
    }

    void cursorsAreValuesAndWorkFromAnyThread()
    {
        const PageCursor start(m_pool->connection(), m_table, 10);
        const PageCursor::Page a = AWAIT(start.fetch());
        const PageCursor::Page b = AWAIT(start.fetch());
        QCOMPARE(keysOf(a.rows), keysOf(b.rows)); // fetching does not move the cursor
        QCOMPARE(start.position(), 0);
        QCOMPARE(a.next.position(), 10);
        // The sync call from a worker thread, on a copy.
        QFuture<QVariantList> worker = QtConcurrent::run([c = a.next]() mutable { return c.nextSync(); });
        QVERIFY(settle(worker));
        QCOMPARE(keysOf(worker.result()), (QList<qint64>{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    }

    void emptyTableAndEndOfTable()
    {
        QVERIFY(AWAIT(m_pool->connection()->query(u"DEFINE TABLE empty_paged SCHEMALESS"_s)).isOk());
        PageCursor cursor(m_pool->connection(), u"empty_paged"_s, 10);
        const PageCursor::Page page = AWAIT(cursor.fetch());
        QVERIFY(page.rows.isEmpty());
        QVERIFY(page.next.atEnd());
        // At the end no request is sent and the page stays empty.
        const PageCursor::Page again = AWAIT(page.next.fetch());
        QVERIFY(again.rows.isEmpty());
    }

    void validationBeforeAnyRequest_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("record id as table") << 0;
        QTest::newRow("table with space") << 1;
        QTest::newRow("page size 0") << 2;
        QTest::newRow("condition with ;") << 3;
        QTest::newRow("reserved variable") << 4;
        QTest::newRow("bad field") << 5;
        QTest::newRow("no connection") << 6;
    }
    void validationBeforeAnyRequest()
    {
        QFETCH(int, which);
        Connection *c = m_pool->connection();
        PageCursor cursor;
        switch (which) {
        case 0:
            cursor = PageCursor(c, u"paged:1"_s);
            break;
        case 1:
            cursor = PageCursor(c, u"pa ged"_s);
            break;
        case 2:
            cursor = PageCursor(c, m_table, 0);
            break;
        case 3:
            cursor = PageCursor(c, m_table).where(u"true; DELETE paged"_s);
            break;
        case 4:
            cursor = PageCursor(c, m_table).where(u"id != $pc_n"_s, {{u"pc_n"_s, 1}});
            break;
        case 5:
            cursor = PageCursor(c, m_table).orderBy(u"name DESC"_s);
            break;
        case 6:
            cursor = PageCursor(nullptr, Table(m_table));
            break;
        }
        QCOMPARE(cursor.validationError().kind(), Error::Kind::Validation);
        const Error e = failureOf(cursor.fetch());
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY(!e.message().isEmpty());
        QVERIFY_THROWS_EXCEPTION(Exception, (void)cursor.fetchSync());
        // The table is untouched by the rejected condition.
        const QueryResult count = AWAIT(c->query(u"SELECT count() FROM paged GROUP ALL"_s));
        QCOMPARE(count.last().toList().value(0).toMap().value(u"count"_s).toInt(), rowCount);
    }

    void serverErrorArrivesAsException()
    {
        PageCursor cursor(m_pool->connection(), m_table, 10);
        cursor.where(u"string::nosuchfunction(name)"_s);
        const Error e = failureOf(cursor.fetch());
        QVERIFY(e.isValid());
        QVERIFY2(e.message().contains(u"nosuchfunction"_s) || e.toString().contains(u"nosuchfunction"_s),
                 qPrintable(e.toString()));
    }
};

QTEST_GUILESS_MAIN(tst_PageCursor)
#include "tst_pagecursor.moc"
