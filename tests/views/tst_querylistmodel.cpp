// QueryListModel against the real engine: paging, roles, every live transition with exact
// signals, edits that the database refuses, and the item-model contract in every state.

#include "futurewait.h"
#include "setupquery.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

QList<QVariant> idsOf(const QueryListModel &m)
{
    QList<QVariant> out;
    for (int i = 0; i < m.rowCount(); ++i)
        out.append(m.recordId(i));
    return out;
}

QVariant rid(const QString &table, qint64 key)
{
    return QVariant::fromValue(RecordId(table, key));
}

QList<int> rolesOf(const QList<QVariant> &dataChangedArgs)
{
    return dataChangedArgs.at(2).value<QList<int>>();
}

} // namespace

class TestQueryListModel : public QObject
{
    Q_OBJECT

private:
    QString m_ns = TestServer::uniqueName("views_");
    QString m_db = u"test"_s;
    std::unique_ptr<DatabaseManager> m_db1; // the model's connection
    std::unique_ptr<DatabaseManager> m_db2; // "another user" making changes

    Connection *conn() { return m_db1->connection(); }
    Connection *other() { return m_db2->connection(); }

    void exec(const QString &text, const QVariantMap &vars = {}) { execSetup(other(), text, vars); }

    static bool waitReady(QueryListModel &m)
    {
        return QTest::qWaitFor(
                   [&] {
                       return m.status() == QueryListModel::Ready || m.status() == QueryListModel::Failed;
                   },
                   20000) &&
               m.status() == QueryListModel::Ready;
    }

    static bool waitRows(QueryListModel &m, int rows)
    {
        return QTest::qWaitFor([&] { return m.rowCount() == rows; }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db1 = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, m_db,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        m_db2 = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, m_db,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db1->open());
        AWAIT_VOID(m_db2->open());
    }

    void pagesByIdGrowRowCount()
    {
        exec(
            u"DEFINE TABLE paged SCHEMALESS; FOR $i IN 1..=250 { CREATE type::record('paged', $i) SET v = $i };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.setTable(u"paged"_s);
        m.setPageSize(100);
        QCOMPARE(m.status(), QueryListModel::Null);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 100);
        QVERIFY(m.isPagedInConstantTime());
        QVERIFY(m.canFetchMore({}));
        QTRY_COMPARE(m.totalCount(), 250);
        m.fetchMore({});
        QVERIFY(waitRows(m, 200));
        QCOMPARE(inserted.constLast().at(1).toInt(), 100);
        QCOMPARE(inserted.constLast().at(2).toInt(), 199);
        m.fetchAll();
        QVERIFY(waitRows(m, 250));
        QVERIFY(!m.canFetchMore({}));
        QList<QVariant> expected;
        for (int i = 1; i <= 250; ++i)
            expected.append(rid(u"paged"_s, i));
        QCOMPARE(idsOf(m), expected);
        QCOMPARE(m.data(m.index(41, 0), m.roleForField(u"v"_s)).toLongLong(), 42);
        QCOMPARE(m.get(41).value(u"v"_s).toLongLong(), 42);
        QCOMPARE(m.rowOf(rid(u"paged"_s, 42)), 41);
    }

    // fetchAll() asked for before the load it is meant for (QML's Component.onCompleted, or
    // right after a setter) loads everything once the model starts.
    void fetchAllBeforeTheLoadStarts()
    {
        exec(
            u"DEFINE TABLE early SCHEMALESS; FOR $i IN 1..=95 { CREATE type::record('early', $i) SET v = $i };"_s);
        QueryListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"early"_s);
        m.setPageSize(10);
        m.fetchAll(); // no connection yet: nothing can start
        m.setConnection(conn());
        QVERIFY(waitRows(m, 95));
        QVERIFY(!m.canFetchMore({}));

        // Right after a setter, before the queued reload ran: applies to the new source.
        QueryListModel f(conn());
        f.setTable(u"early"_s);
        f.setPageSize(10);
        QVERIFY(waitReady(f));
        QCOMPARE(f.rowCount(), 10);
        f.setFilter(u"v > $min"_s);
        f.setBindings({{u"min"_s, 20}});
        f.fetchAll();
        QVERIFY(waitRows(f, 75));
        QVERIFY(!f.canFetchMore({}));
    }

    void pagesByIndexedFieldWithTies()
    {
        // 5 distinct names over 47 rows: page boundaries fall inside runs of equal keys.
        exec(u"DEFINE TABLE people SCHEMALESS; DEFINE INDEX people_name ON people FIELDS name;"
             "FOR $i IN 1..=47 { CREATE type::record('people', $i) SET name = 'n' + <string>($i % 5) };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"people"_s);
        m.setOrderBy(u"name"_s);
        m.setPageSize(7);
        QVERIFY(waitReady(m));
        QVERIFY(m.isPagedInConstantTime());
        m.fetchAll();
        QVERIFY(waitRows(m, 47));
        QTest::qWait(100);
        QCOMPARE(m.rowCount(), 47);
        QSet<QString> seen;
        QString previous;
        for (int i = 0; i < m.rowCount(); ++i) {
            const QString name = m.get(i).value(u"name"_s).toString();
            QVERIFY2(previous <= name, qPrintable(u"row %1 out of order"_s.arg(i)));
            previous = name;
            seen.insert(m.recordId(i).value<RecordId>().toString());
        }
        QCOMPARE(seen.size(), 47);

        // Descending on the same index.
        QueryListModel desc(conn());
        desc.setTable(u"people"_s);
        desc.setOrderBy(u"name"_s);
        desc.setDescending(true);
        desc.setPageSize(6);
        QVERIFY(waitReady(desc));
        desc.fetchAll();
        QVERIFY(waitRows(desc, 47));
        QCOMPARE(desc.get(0).value(u"name"_s).toString(), u"n4"_s);
        QCOMPARE(desc.get(46).value(u"name"_s).toString(), u"n0"_s);
    }

    void unindexedOrderFallsBackToStart()
    {
        exec(
            u"DEFINE TABLE loose SCHEMALESS; FOR $i IN 1..=30 { CREATE type::record('loose', $i) SET w = 100 - $i };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"loose"_s);
        m.setOrderBy(u"w"_s);
        m.setPageSize(8);
        QVERIFY(waitReady(m));
        QVERIFY(!m.isPagedInConstantTime());
        m.fetchAll();
        QVERIFY(waitRows(m, 30));
        QCOMPARE(m.get(0).value(u"w"_s).toLongLong(), 70);
        QCOMPARE(m.get(29).value(u"w"_s).toLongLong(), 99);
    }

    void queryWithBindings()
    {
        exec(u"DEFINE TABLE qb SCHEMALESS; FOR $i IN 1..=20 { CREATE type::record('qb', $i) SET v = $i };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setQuery(u"SELECT id, v FROM qb WHERE v >= $min ORDER BY v DESC"_s);
        m.setBindings({{u"min"_s, 15}});
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 6);
        QCOMPARE(m.get(0).value(u"v"_s).toLongLong(), 20);
        QVERIFY(m.roleNames().values().contains("v"));
        QVERIFY(m.roleNames().values().contains("record"));
        // Changing a binding reloads.
        m.setBindings({{u"min"_s, 18}});
        QVERIFY(
            QTest::qWaitFor([&] { return m.rowCount() == 3 && m.status() == QueryListModel::Ready; }, 20000));

        // Paged through $limit / $start.
        QueryListModel paged(conn());
        paged.setQuery(u"SELECT * FROM qb ORDER BY v LIMIT $limit START $start"_s);
        paged.setPageSize(6);
        QVERIFY(waitReady(paged));
        QCOMPARE(paged.rowCount(), 6);
        paged.fetchAll();
        QVERIFY(waitRows(paged, 20));
        QCOMPARE(paged.get(19).value(u"v"_s).toLongLong(), 20);
    }

    void badInputIsAValidationError()
    {
        QueryListModel m(conn());
        m.setTable(u"paged"_s);
        m.setFilter(u"v > 1; DELETE paged"_s);
        QTRY_COMPARE(m.status(), QueryListModel::Failed);
        QCOMPARE(m.error().kind(), Error::Kind::Validation);
        QVERIFY(m.errorString().contains(u"filter"_s));
    }

    // Every transition of a filtered live model, each with its exact signals.
    void liveFilteredTransitions()
    {
        exec(u"DEFINE TABLE lf SCHEMALESS; CREATE lf:1 SET v = 20, name = 'a'; CREATE lf:2 SET v = 5, name = "
             u"'b';"
             "CREATE lf:3 SET v = 30, name = 'c'; CREATE lf:4 SET v = 1, name = 'd';"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"lf"_s);
        m.setFilter(u"v > $min"_s);
        m.setBindings({{u"min"_s, 10}});
        m.setLive(true);
        QVERIFY(waitReady(m));
        QCOMPARE(idsOf(m), (QList<QVariant>{rid(u"lf"_s, 1), rid(u"lf"_s, 3)}));
        const int vRole = m.roleForField(u"v"_s);
        const int nameRole = m.roleForField(u"name"_s);
        QVERIFY(vRole > 0 && nameRole > 0);

        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);

        // Enter: lf:2 from 5 to 50 appears between lf:1 and lf:3.
        exec(u"UPDATE lf:2 SET v = 50"_s);
        QTRY_COMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(m.get(1).value(u"v"_s).toLongLong(), 50);

        // Change inside: only the v role (and the whole-record role) change.
        exec(u"UPDATE lf:2 SET v = 60"_s);
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        const QList<int> roles = rolesOf(changed.at(0));
        QVERIFY(roles.contains(vRole));
        QVERIFY(roles.contains(QueryListModel::RecordRole));
        QVERIFY(!roles.contains(nameRole));
        QCOMPARE(m.data(m.index(1, 0), vRole).toLongLong(), 60);

        // Leave: lf:1 from 20 to 5 disappears (the filtered live query alone would say nothing).
        exec(u"UPDATE lf:1 SET v = 5"_s);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(idsOf(m), (QList<QVariant>{rid(u"lf"_s, 2), rid(u"lf"_s, 3)}));

        // Delete inside.
        exec(u"DELETE lf:3"_s);
        QTRY_COMPARE(removed.size(), 2);
        QCOMPARE(removed.at(1).at(1).toInt(), 1);

        // Delete outside: no row signal. A later change inside proves the delete was seen first.
        exec(u"DELETE lf:4"_s);
        exec(u"UPDATE lf:2 SET name = 'bb'"_s);
        QTRY_COMPARE(changed.size(), 2);
        QVERIFY(rolesOf(changed.at(1)).contains(nameRole));
        QVERIFY(!rolesOf(changed.at(1)).contains(vRole));
        QCOMPARE(removed.size(), 2);

        // Create a matching record.
        exec(u"CREATE lf:0 SET v = 99, name = 'z'"_s);
        QTRY_COMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 0);
        QCOMPARE(idsOf(m), (QList<QVariant>{rid(u"lf"_s, 0), rid(u"lf"_s, 2)}));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(m.count(), 2);
        QTRY_COMPARE(m.totalCount(), 2);
    }

    // Unfiltered, ordered by an indexed field: a changed sort key moves the row.
    void liveSortKeyChangeMovesRow()
    {
        exec(u"DEFINE TABLE ls SCHEMALESS; DEFINE INDEX ls_rank ON ls FIELDS rank;"
             "CREATE ls:1 SET rank = 10, label = 'x'; CREATE ls:2 SET rank = 20, label = 'y'; "
             "CREATE ls:3 SET rank = 30, label = 'z';"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"ls"_s);
        m.setOrderBy(u"rank"_s);
        m.setLive(true);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 3);
        QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        exec(u"UPDATE ls:1 SET rank = 25"_s);
        QTRY_COMPARE(moved.size(), 1);
        QCOMPARE(moved.at(0).at(1).toInt(), 0); // from row 0
        QCOMPARE(moved.at(0).at(4).toInt(), 2); // to before row 2
        QCOMPARE(idsOf(m), (QList<QVariant>{rid(u"ls"_s, 2), rid(u"ls"_s, 1), rid(u"ls"_s, 3)}));
        QTRY_COMPARE(changed.size(), 1);
        QVERIFY(rolesOf(changed.at(0)).contains(m.roleForField(u"rank"_s)));
        QVERIFY(!rolesOf(changed.at(0)).contains(m.roleForField(u"label"_s)));
    }

    // Rows beyond the loaded pages are left to the pages; changes while a page loads are kept.
    void liveWhilePaging()
    {
        exec(
            u"DEFINE TABLE lp SCHEMALESS; FOR $i IN 1..=40 { CREATE type::record('lp', $i * 10) SET v = $i };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"lp"_s);
        m.setPageSize(10);
        m.setLive(true);
        QVERIFY(waitReady(m));
        // The tester itself calls fetchMore(), so how many pages are in varies; what counts is
        // that a row inside the loaded part shows at once and none is lost or doubled.
        exec(u"CREATE lp:15 SET v = 0; CREATE lp:395 SET v = 0"_s);
        QTRY_COMPARE(m.rowOf(rid(u"lp"_s, 15)), 1);
        // Changes racing with page loads.
        m.fetchMore({});
        exec(u"DELETE lp:20; CREATE lp:25 SET v = 0"_s);
        m.fetchAll();
        QVERIFY(QTest::qWaitFor([&] { return !m.canFetchMore({}) && m.rowCount() == 42; }, 20000));
        QTest::qWait(200);
        QList<QVariant> expected;
        for (int i = 1; i <= 40; ++i) {
            if (i * 10 != 20)
                expected.append(rid(u"lp"_s, i * 10));
        }
        expected.insert(1, rid(u"lp"_s, 15));
        expected.insert(2, rid(u"lp"_s, 25));
        expected.insert(40, rid(u"lp"_s, 395));
        QCOMPARE(idsOf(m), expected);
        QCOMPARE(m.totalCount(), 42);
    }

    // After changes were missed (the live query was gone for a while), resyncRequired makes the
    // model re-read and reconcile: no duplicates, no gaps, no reset.
    void resyncReconcilesMissedChanges()
    {
        exec(u"DEFINE TABLE rs SCHEMALESS; FOR $i IN 1..=8 { CREATE type::record('rs', $i) SET v = $i };"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"rs"_s);
        m.setLive(true);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 8);
        auto *lq = m.findChild<LiveQuery *>();
        QVERIFY(lq);
        // Notifications lost on the way, as while a socket is down.
        lq->blockSignals(true);
        exec(u"DELETE rs:2; UPDATE rs:5 SET v = 500; CREATE rs:9 SET v = 9; CREATE rs:0 SET v = 0"_s);
        QTest::qWait(300);
        lq->blockSignals(false);
        QCOMPARE(m.rowCount(), 8);
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        QSignalSpy applied(&m, &QueryListModel::liveChangesApplied);
        Q_EMIT lq->resyncRequired();
        QTRY_VERIFY(applied.size() >= 1);
        QList<QVariant> expected{rid(u"rs"_s, 0)};
        for (int i : {1, 3, 4, 5, 6, 7, 8, 9})
            expected.append(rid(u"rs"_s, i));
        QCOMPARE(idsOf(m), expected);
        QCOMPARE(m.get(m.rowOf(rid(u"rs"_s, 5))).value(u"v"_s).toLongLong(), 500);
        QCOMPARE(reset.size(), 0);
    }

    void editsWriteBack()
    {
        exec(u"DEFINE TABLE ed SCHEMALESS; CREATE ed:1 SET name = 'one'; CREATE ed:2 SET name = 'two';"_s);
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"ed"_s);
        m.setColumns({u"id"_s, u"name"_s});
        QVERIFY(waitReady(m));
        QCOMPARE(m.columnCount(), 2);
        QCOMPARE(m.headerData(1, Qt::Horizontal).toString(), u"name"_s);
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"ed:1"_s);
        QVERIFY(!(m.flags(m.index(0, 0)) & Qt::ItemIsEditable));
        QVERIFY(m.flags(m.index(0, 1)) & Qt::ItemIsEditable);
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        QVERIFY(m.setData(m.index(0, 1), u"uno"_s));
        QCOMPARE(m.data(m.index(0, 1)).toString(), u"uno"_s); // at once
        QTRY_COMPARE(
            AWAIT(other()->query(u"SELECT VALUE name FROM ed:1"_s)).last().toList().value(0).toString(),
            u"uno"_s);
        QCOMPARE(failed.size(), 0);

        // insertRows adds a row that submit() creates, removeRows deletes records.
        QVERIFY(m.insertRows(m.rowCount(), 1));
        QCOMPARE(m.rowCount(), 3);
        QVERIFY(m.submit());
        QTRY_COMPARE(AWAIT(other()->query(u"SELECT count() FROM ed GROUP ALL"_s))
                         .last()
                         .toList()
                         .value(0)
                         .toMap()
                         .value(u"count"_s)
                         .toInt(),
                     3);
        QTRY_VERIFY(m.recordId(0).isValid() && m.recordId(1).isValid() && m.recordId(2).isValid());
        QVERIFY(m.removeRows(m.rowOf(rid(u"ed"_s, 2)), 1));
        QCOMPARE(m.rowCount(), 2);
        QTRY_COMPARE(AWAIT(other()->query(u"SELECT count() FROM ed GROUP ALL"_s))
                         .last()
                         .toList()
                         .value(0)
                         .toMap()
                         .value(u"count"_s)
                         .toInt(),
                     2);
        QCOMPARE(failed.size(), 0);
    }

    // A record user may read every note but change only their own. The engine answers a refused
    // write like a write to a missing record (no error): the model must still roll back.
    void refusedWritesRollBack()
    {
        exec(u"DEFINE TABLE member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
             "DEFINE ACCESS member_access ON DATABASE TYPE RECORD "
             "SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;"
             "CREATE member:ann SET name = 'ann'; CREATE member:bob SET name = 'bob';"
             "DEFINE TABLE note SCHEMALESS PERMISSIONS FOR select FULL, FOR create FULL,"
             " FOR update, delete WHERE owner = $auth.id;"
             "CREATE note:mine SET owner = member:ann, text = 'mine';"
             "CREATE note:theirs SET owner = member:bob, text = 'theirs';"_s);
        DatabaseManager ann(
            TestServer::url(), m_ns, m_db,
            Credentials::recordAccess(m_ns, m_db, u"member_access"_s, {{u"name"_s, u"ann"_s}}));
        AWAIT_VOID(ann.open());
        QueryListModel m(ann.connection());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"note"_s);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 2);
        const int textRole = m.roleForField(u"text"_s);
        const int theirs = m.rowOf(QVariant::fromValue(RecordId(u"note"_s, u"theirs"_s)));
        QVERIFY(theirs >= 0);
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        QVERIFY(m.setData(m.index(theirs, 0), u"hacked"_s, textRole));
        QCOMPARE(m.data(m.index(theirs, 0), textRole).toString(), u"hacked"_s); // shown at once
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0), QVariant::fromValue(RecordId(u"note"_s, u"theirs"_s)));
        QCOMPARE(failed.at(0).at(1).value<Error>().kind(), Error::Kind::NotAllowed);
        QCOMPARE(m.data(m.index(theirs, 0), textRole).toString(), u"theirs"_s); // rolled back
        QCOMPARE(changed.size(), 2);
        QCOMPARE(AWAIT(other()->query(u"SELECT VALUE text FROM note:theirs"_s))
                     .last()
                     .toList()
                     .value(0)
                     .toString(),
                 u"theirs"_s);

        // Their own note: the write goes through.
        const int mine = m.rowOf(QVariant::fromValue(RecordId(u"note"_s, u"mine"_s)));
        QVERIFY(m.setData(m.index(mine, 0), u"edited"_s, textRole));
        QTRY_COMPARE(
            AWAIT(other()->query(u"SELECT VALUE text FROM note:mine"_s)).last().toList().value(0).toString(),
            u"edited"_s);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(m.data(m.index(mine, 0), textRole).toString(), u"edited"_s);

        // A refused delete brings the row back.
        QVERIFY(m.removeRows(theirs, 1));
        QCOMPARE(m.rowCount(), 1);
        QTRY_COMPARE(failed.size(), 2);
        QCOMPARE(failed.at(1).at(1).value<Error>().kind(), Error::Kind::NotAllowed);
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.rowOf(QVariant::fromValue(RecordId(u"note"_s, u"theirs"_s))), theirs);

        // A record deleted by someone else meanwhile: NotFound, as Model and CrudHelpers say. The
        // edit is rolled back; the delete does not bring back a row whose record is gone.
        const QVariant mineId = QVariant::fromValue(RecordId(u"note"_s, u"mine"_s));
        exec(u"DELETE note:mine"_s);
        QVERIFY(m.setData(m.index(m.rowOf(mineId), 0), u"again"_s, textRole));
        QTRY_COMPARE(failed.size(), 3);
        QCOMPARE(failed.at(2).at(0), mineId);
        QCOMPARE(failed.at(2).at(1).value<Error>().kind(), Error::Kind::NotFound);
        QCOMPARE(m.data(m.index(m.rowOf(mineId), 0), textRole).toString(), u"edited"_s);
        QVERIFY(m.removeRows(m.rowOf(mineId), 1));
        QTRY_COMPARE(failed.size(), 4);
        QCOMPARE(failed.at(3).at(1).value<Error>().kind(), Error::Kind::NotFound);
        QCOMPARE(m.rowOf(mineId), -1);
        QCOMPARE(m.rowCount(), 1);
    }

    // What a QSortFilterProxyModel sees: only the rows loaded so far, until fetchAll().
    void proxySeesLoadedRowsOnly()
    {
        QueryListModel m(conn());
        m.setTable(u"paged"_s);
        m.setPageSize(50);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&m);
        proxy.setFilterRole(m.roleForField(u"v"_s));
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitReady(m));
        proxy.setFilterRole(m.roleForField(u"v"_s));
        proxy.setFilterRegularExpression(u"^2\\d\\d$"_s);
        QCOMPARE(proxy.rowCount(), 0); // v 200..250 are not loaded yet
        m.fetchAll();
        QVERIFY(waitRows(m, 250));
        QTRY_COMPARE(proxy.rowCount(), 51);
    }
};

QTEST_GUILESS_MAIN(TestQueryListModel)
#include "tst_querylistmodel.moc"
