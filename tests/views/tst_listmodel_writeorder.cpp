// Two quick edits of one record through a list model: the later one wins, in the model and in
// the database, whatever order the server answers them in. The model's connection goes through
// the fault proxy, which holds back the answer to the first edit so that the second one's answer
// comes first (as on two sockets of a pool, or a slow write on a busy server).

#include "faultproxy.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class TestListModelWriteOrder : public QObject
{
    Q_OBJECT

    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<DatabaseManager> m_direct;
    std::unique_ptr<DatabaseManager> m_proxied;
    static constexpr int HeldBackMs = 700;

    void exec(const QString &text)
    {
        const QueryResult r = AWAIT(m_direct->connection()->query(text));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
    }

    QVariantMap stored(const QString &key)
    {
        const QueryResult r = AWAIT(m_direct->connection()->query(
            u"SELECT * FROM $id"_s, {{u"id"_s, QVariant::fromValue(RecordId(u"wo_item"_s, key))}}));
        return r.last().toList().value(0).toMap();
    }

    // The answer to the first request carrying `needle` comes HeldBackMs late.
    void holdBackAnswerTo(const QByteArray &needle)
    {
        m_proxy->setRule(
            {.needle = needle, .fault = FaultProxy::Fault::DelayReply, .limit = 1, .delayMs = HeldBackMs});
    }

    // Until every answer (the held back one too) has come and been applied: the answer was held
    // back, the database holds `field: value` of record `key`, and the time for the held back
    // answer to arrive (if it has not) has passed.
    void waitForAllAnswers(int faultsBefore, const QString &key, const QString &field, const QVariant &value)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->faultsInjected() > faultsBefore, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stored(key).value(field), value, 10000);
        QTest::qWait(HeldBackMs + 300);
    }

    // Both records in two columns, read through the proxy.
    void show(QueryListModel &m, bool live = false)
    {
        m.setConnection(m_proxied->connection());
        m.setTable(u"wo_item"_s);
        m.setColumns({u"name"_s, u"n"_s});
        m.setLive(live);
    }

    static bool waitReady(QueryListModel &m)
    {
        return QTest::qWaitFor([&] { return m.status() == QueryListModel::Ready && m.rowCount() >= 2; },
                               20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_proxy = std::make_unique<FaultProxy>(TestServer::url());
        QVERIFY(m_proxy->start());
        const QString ns = TestServer::uniqueName("writeorder_");
        const auto creds = Credentials::root(TestServer::user(), TestServer::pass());
        m_direct = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"test"_s, creds);
        AWAIT_VOID(m_direct->open());
        m_proxied = std::make_unique<DatabaseManager>(m_proxy->url(), ns, u"test"_s, creds);
        AWAIT_VOID(m_proxied->open());
        exec(u"DEFINE TABLE wo_item SCHEMALESS; DEFINE FIELD n ON wo_item TYPE int ASSERT $value < 100;"
             "DEFINE FIELD name ON wo_item TYPE string ASSERT $value != 'wo-refused';"_s);
    }

    void cleanup() { m_proxy->clearRule(); }

    void init()
    {
        exec(
            u"DELETE wo_item; CREATE wo_item:a SET name = 'A', n = 1; CREATE wo_item:b SET name = 'B', n = 2;"_s);
    }

    void laterEditWins_data()
    {
        QTest::addColumn<bool>("live");
        QTest::addRow("not live") << false;
        QTest::addRow("live") << true;
    }

    // The same field twice: the first edit's answer, coming last, must not bring its value back.
    void laterEditWins()
    {
        QFETCH(bool, live);
        QueryListModel m;
        show(m, live);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        const int faults = m_proxy->faultsInjected();
        holdBackAnswerTo("wo-first-edit");
        QVERIFY(m.setData(m.index(0, 0), u"wo-first-edit"_s));
        QVERIFY(m.setData(m.index(0, 0), u"wo-second-edit"_s));
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"wo-second-edit"_s);
        waitForAllAnswers(faults, u"a"_s, u"name"_s, QVariant(u"wo-second-edit"_s));
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"wo-second-edit"_s);
        QCOMPARE(stored(u"a"_s).value(u"name"_s).toString(), u"wo-second-edit"_s);
        QCOMPARE(failed.size(), 0);
    }

    // Two fields, one after the other: the first edit's answer (the record before the second
    // edit) must not take the second field back.
    void laterEditOfAnotherFieldStays()
    {
        QueryListModel m;
        show(m);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        const int faults = m_proxy->faultsInjected();
        holdBackAnswerTo("wo-first-edit");
        QVERIFY(m.setData(m.index(0, 0), u"wo-first-edit"_s));
        QVERIFY(m.setData(m.index(0, 1), u"42"_s));
        waitForAllAnswers(faults, u"a"_s, u"n"_s, QVariant(qlonglong(42)));
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"wo-first-edit"_s);
        QCOMPARE(m.data(m.index(0, 1), Qt::EditRole), QVariant(qlonglong(42)));
        const QVariantMap rec = stored(u"a"_s);
        QCOMPARE(rec.value(u"name"_s).toString(), u"wo-first-edit"_s);
        QCOMPARE(rec.value(u"n"_s), QVariant(qlonglong(42)));
        QCOMPARE(failed.size(), 0);
    }

    // Refused edits among them (an ASSERT refuses the name "wo-refused"; the server's error): a refused first
    // edit gives its field the database's value back and the second edit is written; a refused second edit
    // brings back what the first one stored, not the value shown before it.
    void refusedEditsRollBackToTheDatabase()
    {
        QueryListModel m;
        show(m);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        int faults = m_proxy->faultsInjected();
        holdBackAnswerTo("wo-refused");
        QVERIFY(m.setData(m.index(1, 0), u"wo-refused"_s));
        QVERIFY(m.setData(m.index(1, 1), u"7"_s));
        waitForAllAnswers(faults, u"b"_s, u"n"_s, QVariant(qlonglong(7)));
        QCOMPARE(m.data(m.index(1, 0)).toString(), u"B"_s);
        QCOMPARE(m.data(m.index(1, 1), Qt::EditRole), QVariant(qlonglong(7)));
        QVariantMap rec = stored(u"b"_s);
        QCOMPARE(rec.value(u"name"_s).toString(), u"B"_s);
        QCOMPARE(rec.value(u"n"_s), QVariant(qlonglong(7)));
        QCOMPARE(failed.size(), 1);
        // The ASSERT's failure, as the server reported it.
        QVERIFY2(failed.at(0).at(1).value<Error>().message().contains(u"wo-refused"_s),
                 qPrintable(failed.at(0).at(1).value<Error>().toString()));

        faults = m_proxy->faultsInjected();
        holdBackAnswerTo("wo-slow");
        QVERIFY(m.setData(m.index(1, 0), u"wo-slow"_s));
        QVERIFY(m.setData(m.index(1, 0), u"wo-refused"_s));
        waitForAllAnswers(faults, u"b"_s, u"name"_s, QVariant(u"wo-slow"_s));
        QCOMPARE(m.data(m.index(1, 0)).toString(), u"wo-slow"_s);
        rec = stored(u"b"_s);
        QCOMPARE(rec.value(u"name"_s).toString(), u"wo-slow"_s);
        QCOMPARE(failed.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestListModelWriteOrder)
#include "tst_listmodel_writeorder.moc"
