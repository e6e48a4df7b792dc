// KeysetPager (src/orm/keysetpager_p.h), the one pager under Query<T>::page, PageCursor and the
// list models, against the real engine: for every mode, direction, page size and filter (one the
// engine's index walk answers short, SurrealDB #7028), the pages read one after the other are
// exactly a fresh `ORDER BY key, id` of the same rows, a short page is the end, the loaded
// interval (covers()) holds exactly the rows read so far, and upTo() reads them again.

#include "orm/keysetpager_p.h"

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/queryresult.h>

#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SurrealQt;
using Pager = SurrealQt::Internal::KeysetPager;

Q_DECLARE_METATYPE(Pager::Mode)

namespace {

RecordId idOf(const QVariant &row)
{
    return row.toMap().value(u"id"_s).value<RecordId>();
}

} // namespace

class tst_KeysetPager : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_db;

    QVariantList rows(const QString &text, const QVariantMap &vars = {})
    {
        const QueryResult r = AWAIT(m_db->connection()->query(text, vars));
        if (!r.isOk())
            QTest::qFail(qPrintable(r.firstError().toString() + u"\n"_s + text), __FILE__, __LINE__);
        return r.last().toList();
    }

    // A pager over the test table.
    static Pager::Spec over(Pager::Mode mode, const QString &path = {}, bool descending = false,
                            const QString &condition = {})
    {
        Pager::Spec spec;
        spec.mode = mode;
        spec.table = u"kp"_s;
        spec.path = path;
        spec.descending = descending;
        spec.condition = condition;
        spec.prefix = u"t_"_s;
        return spec;
    }

    static QList<RecordId> ids(const QVariantList &list)
    {
        QList<RecordId> out;
        for (const QVariant &row : list)
            out.append(idOf(row));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("kp_"), u"p"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db->open());
        // Seven tie groups of about 43 rows on `rank` (indexed) and on `w` (the same values,
        // no index); half the rows match `score >= 50`, in no relation to the ranks.
        rows(u"DEFINE TABLE kp SCHEMALESS; DEFINE INDEX kp_rank ON kp FIELDS rank;"
             "FOR $i IN 1..=300 { CREATE type::record('kp', $i) SET rank = $i % 7, w = $i % 7,"
             " score = ($i * 7919) % 100 };"_s);
    }

    void pagesAreTheSortedRows_data()
    {
        QTest::addColumn<Pager::Mode>("mode");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<QString>("condition");
        const QStringList conditions{QString(), u"score >= 50"_s, u"score >= 50 AND rank > 4"_s};
        for (const QString &c : conditions) {
            for (const bool desc : {false, true}) {
                const char *dir = desc ? "desc" : "asc";
                const QByteArray tail = (u" "_s + (c.isEmpty() ? u"all"_s : c)).toUtf8();
                QTest::addRow("id %s%s", dir, tail.constData())
                    << Pager::Mode::IdRange << QString() << desc << c;
                QTest::addRow("indexed %s%s", dir, tail.constData())
                    << Pager::Mode::Indexed << u"rank"_s << desc << c;
                QTest::addRow("sorted %s%s", dir, tail.constData())
                    << Pager::Mode::Sorted << u"w"_s << desc << c;
            }
        }
    }

    void pagesAreTheSortedRows()
    {
        QFETCH(Pager::Mode, mode);
        QFETCH(QString, path);
        QFETCH(bool, descending);
        QFETCH(QString, condition);
        const Pager pager(over(mode, path, descending, condition));
        const QString key = path.isEmpty() ? u"id"_s : path;
        const QString dir = descending ? u" DESC"_s : u" ASC"_s;
        const QList<RecordId> expected =
            ids(rows(u"SELECT * FROM kp"_s + (condition.isEmpty() ? QString() : u" WHERE "_s + condition) +
                     u" ORDER BY "_s + key + dir + u", id"_s + dir));
        QVERIFY(expected.size() > 40);

        for (const int size : {1, 4, 50}) {
            QList<RecordId> seen;
            Pager::Position at;
            for (int guard = 0; guard < 400; ++guard) {
                const Pager::Statement s = pager.page(at, size);
                QVERIFY2(!s.text.contains(u"START"_s), qPrintable(s.text));
                const QVariantList page = rows(s.text, s.vars);
                QVERIFY(page.size() <= size);
                for (const QVariant &row : page) {
                    const QVariantMap m = row.toMap();
                    // Every row of a page lies after what was loaded before it.
                    QVERIFY(!pager.covers(at, pager.keyOf(m), idOf(row)));
                }
                seen += ids(page);
                at = pager.advanced(at, page);
                if (page.size() < size)
                    break;
            }
            QCOMPARE(seen, expected);
        }

        // Part way: the loaded interval holds exactly the rows read, and upTo() reads them again.
        Pager::Position at;
        QVariantList loaded;
        for (int i = 0; i < 3; ++i) {
            const Pager::Statement s = pager.page(at, 7);
            const QVariantList page = rows(s.text, s.vars);
            loaded += page;
            at = pager.advanced(at, page);
        }
        const QVariantList all =
            rows(u"SELECT * FROM kp"_s + (condition.isEmpty() ? QString() : u" WHERE "_s + condition));
        int covered = 0;
        for (const QVariant &row : all) {
            if (pager.covers(at, pager.keyOf(row.toMap()), idOf(row)))
                ++covered;
        }
        QCOMPARE(covered, int(loaded.size()));
        const Pager::Statement again = pager.upTo(at);
        QCOMPARE(ids(rows(again.text, again.vars)), ids(loaded));
    }

    // A row that joins the last loaded tie group before the position is inside what is loaded
    // (it shows where it sorts); one after the position comes with the next page, once.
    void tieJoinsTheLoadedGroup()
    {
        const Pager pager(over(Pager::Mode::Indexed, u"rank"_s));
        Pager::Statement s = pager.page({}, 50);
        const QVariantList first = rows(s.text, s.vars);
        const Pager::Position at = pager.advanced({}, first);
        // rank 0 holds kp:7, kp:14 ... kp:294 (42 rows): the page ends inside the rank-1 group,
        // at its eighth row.
        QCOMPARE(at.key.toInt(), 1);
        QCOMPARE(at.id, RecordId(u"kp"_s, 50));
        QVERIFY(pager.covers(at, 1, RecordId(u"kp"_s, 45)));
        QVERIFY(!pager.covers(at, 1, RecordId(u"kp"_s, 51)));
        // kp:45 joins rank 1 before the position: the next page does not deliver it again.
        rows(u"UPDATE kp:45 SET rank = 1"_s);
        s = pager.page(at, 3);
        const QList<RecordId> next = ids(rows(s.text, s.vars));
        rows(u"UPDATE kp:45 SET rank = 3"_s);
        QCOMPARE(next,
                 (QList<RecordId>{RecordId(u"kp"_s, 57), RecordId(u"kp"_s, 64), RecordId(u"kp"_s, 71)}));
    }

    // A filter the index walk misses entirely (SurrealDB #7028) with one matching row: the page
    // read again by (key, id) is still a list (a bare sub-query in an IF branch is one object).
    void oneRowReadAgainIsAList()
    {
        const Pager pager(over(Pager::Mode::Indexed, u"rank"_s, false, u"score = 0 AND w = 6"_s));
        const QList<RecordId> expected = ids(rows(u"SELECT * FROM kp WHERE score = 0 AND w = 6"_s));
        QCOMPARE(expected.size(), 1);
        const Pager::Statement s = pager.page({}, 50);
        QCOMPARE(ids(rows(s.text, s.vars)), expected);
    }

    void offsetIsStart()
    {
        Pager::Spec spec = over(Pager::Mode::Offset);
        spec.offsetOrder = u"rank ASC, w DESC, id ASC"_s;
        const Pager pager(spec);
        Pager::Position at;
        at.offset = 10;
        const Pager::Statement s = pager.page(at, 5);
        QCOMPARE(s.text, u"SELECT * FROM kp ORDER BY rank ASC, w DESC, id ASC LIMIT $t_n START $t_start"_s);
        QCOMPARE(ids(rows(s.text, s.vars)),
                 ids(rows(u"SELECT * FROM kp ORDER BY rank ASC, w DESC, id ASC LIMIT 5 START 10"_s)));
        QCOMPARE(pager.advanced(at, rows(s.text, s.vars)).offset, qint64(15));
    }
};

QTEST_GUILESS_MAIN(tst_KeysetPager)
#include "tst_keysetpager.moc"
