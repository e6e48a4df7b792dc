// The list models' edit strategies, as QSqlTableModel's: OnFieldChange writes each edit at once,
// OnRowChange when the row is submitted (views and QDataWidgetMapper call submit()),
// OnManualSubmit keeps edits in the model until submitAll() (revertAll() drops them). Checked
// against the real engine: what is stored is read back with a second connection.

#include "twoclients.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/modelmacros.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDataWidgetMapper>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class EsItem : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(EsItem)
    Q_CLASSINFO("table", "es_item")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(int, n, setN)
};

class TestListModelEditStrategy : public QObject
{
    Q_OBJECT

    TwoClients m_clients;
    Connection *conn() { return m_clients.model(); }
    Connection *other() { return m_clients.other(); }
    void exec(const QString &text) { m_clients.exec(text); }

    QVariant stored(const QString &key, const QString &field)
    {
        const QueryResult r = AWAIT(other()->query(
            u"SELECT * FROM $id"_s, {{u"id"_s, QVariant::fromValue(RecordId(u"es_item"_s, key))}}));
        return r.last().toList().value(0).toMap().value(field);
    }

    qint64 storedCount()
    {
        return AWAIT(other()->query(u"SELECT count() FROM es_item GROUP ALL"_s))
            .last()
            .toList()
            .value(0)
            .toMap()
            .value(u"count"_s)
            .toLongLong();
    }

    // a: name "A", n 1; b: "B", 2; c: "C", 3. `n` must stay below 100 (the ASSERT refuses more).
    void resetTable()
    {
        exec(
            u"DELETE es_item; CREATE es_item:a SET name = 'A', n = 1; CREATE es_item:b SET name = 'B', n = 2;"
            "CREATE es_item:c SET name = 'C', n = 3;"_s);
    }

    static bool waitReady(QueryListModel &m)
    {
        return QTest::qWaitFor([&] { return m.status() == QueryListModel::Ready && m.rowCount() >= 3; },
                               20000);
    }

    // Long enough for a write the model should not have sent to have arrived.
    static void letWritesArrive() { QTest::qWait(300); }

    void setupModel(QueryListModel &m, QueryListModel::EditStrategy strategy, bool live = false)
    {
        m.setConnection(conn());
        m.setTable(u"es_item"_s);
        m.setColumns({u"name"_s, u"n"_s});
        m.setLive(live);
        m.setEditStrategy(strategy);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clients.open("viewsstrategy_");
        exec(u"DEFINE TABLE es_item SCHEMALESS; DEFINE FIELD name ON es_item TYPE string;"
             "DEFINE FIELD n ON es_item TYPE int ASSERT $value < 100;"_s);
    }

    void init() { resetTable(); }

    void onFieldChangeIsTheDefaultAndWritesAtOnce()
    {
        QueryListModel m(conn());
        QCOMPARE(m.editStrategy(), QueryListModel::OnFieldChange);
        setupModel(m, QueryListModel::OnFieldChange);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(!m.isDirty());
        QTRY_COMPARE(stored(u"a"_s, u"name"_s).toString(), u"A2"_s);
    }

    void onManualSubmitKeepsEditsUntilSubmitAll()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(m.setData(m.index(1, 1), u"7"_s)); // a QLineEdit's text: converted to int
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"A2"_s);
        QCOMPARE(m.data(m.index(1, 1), Qt::EditRole), QVariant(qlonglong(7)));
        QVERIFY(m.isDirty());
        QVERIFY(m.isDirty(m.index(0, 0)));
        QVERIFY(!m.isDirty(m.index(0, 1)));
        QVERIFY(m.isDirty(m.index(1, 1)));
        QVERIFY(!m.isDirty(m.index(2, 0)));
        QVERIFY(m.submit()); // what a view calls when the current row changes: no write
        letWritesArrive();
        QCOMPARE(stored(u"a"_s, u"name"_s).toString(), u"A"_s);
        QCOMPARE(stored(u"b"_s, u"n"_s), QVariant(qlonglong(2)));

        QVERIFY(m.submitAll());
        QTRY_COMPARE(stored(u"a"_s, u"name"_s).toString(), u"A2"_s);
        QTRY_COMPARE(stored(u"b"_s, u"n"_s), QVariant(qlonglong(7)));
        QTRY_VERIFY(!m.isDirty());
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"A2"_s);
        QCOMPARE(failed.size(), 0);
    }

    void revertAllRestoresServerValues()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(m.setData(m.index(2, 1), 9));
        QVERIFY(m.insertRows(3, 1));
        QVERIFY(m.setData(m.index(3, 0), u"new"_s));
        QCOMPARE(m.rowCount(), 4);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        m.revertRow(2);
        QCOMPARE(m.data(m.index(2, 1), Qt::EditRole), QVariant(qlonglong(3)));
        QVERIFY(m.isDirty());
        m.revertAll();
        QCOMPARE(m.rowCount(), 3); // the inserted row goes with revertAll
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"A"_s);
        QVERIFY(!m.isDirty());
        QVERIFY(changed.size() >= 2);
        QVERIFY(m.submitAll()); // nothing left to write
        letWritesArrive();
        QCOMPARE(stored(u"a"_s, u"name"_s).toString(), u"A"_s);
        QCOMPARE(stored(u"c"_s, u"n"_s), QVariant(qlonglong(3)));
        QCOMPARE(storedCount(), 3);
    }

    // A live change to a row with an unsaved edit: the edited field keeps the user's value (the
    // server's becomes what revertAll() restores), the other fields follow the server.
    void liveChangeKeepsTheUnsavedEdit()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit, true);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QVERIFY(m.setData(m.index(0, 0), u"mine"_s));
        exec(u"UPDATE es_item:a SET name = 'theirs', n = 50"_s);
        QTRY_COMPARE(m.data(m.index(0, 1), Qt::EditRole), QVariant(qlonglong(50)));
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"mine"_s);
        QVERIFY(m.isDirty(m.index(0, 0)));
        m.revertAll();
        QCOMPARE(m.data(m.index(0, 0)).toString(), u"theirs"_s);
        QCOMPARE(m.data(m.index(0, 1), Qt::EditRole), QVariant(qlonglong(50)));

        // Submitted after a live change: the user's value wins on the server.
        QVERIFY(m.setData(m.index(1, 0), u"mine"_s));
        exec(u"UPDATE es_item:b SET name = 'theirs', n = 60"_s);
        QTRY_COMPARE(m.data(m.index(1, 1), Qt::EditRole), QVariant(qlonglong(60)));
        QCOMPARE(m.data(m.index(1, 0)).toString(), u"mine"_s);
        QVERIFY(m.submitAll());
        QTRY_COMPARE(stored(u"b"_s, u"name"_s).toString(), u"mine"_s);
        QTRY_VERIFY(!m.isDirty());
    }

    // submitAll() writes row by row: the row the schema refuses (ASSERT) rolls back with
    // writeFailed, the others are written.
    void submitAllRollsBackTheRefusedRow()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        QVERIFY(m.setData(m.index(0, 1), 5));
        QVERIFY(m.setData(m.index(1, 1), 500)); // ASSERT $value < 100
        QVERIFY(m.setData(m.index(1, 0), u"B2"_s));
        QVERIFY(m.submitAll());
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).value<RecordId>(), RecordId(u"es_item"_s, u"b"_s));
        QTRY_COMPARE(stored(u"a"_s, u"n"_s), QVariant(qlonglong(5)));
        QCOMPARE(stored(u"b"_s, u"n"_s), QVariant(qlonglong(2)));
        QCOMPARE(stored(u"b"_s, u"name"_s).toString(), u"B"_s);
        // The refused row shows the database's values again.
        QTRY_COMPARE(m.data(m.index(1, 1), Qt::EditRole), QVariant(qlonglong(2)));
        QCOMPARE(m.data(m.index(1, 0)).toString(), u"B"_s);
        QVERIFY(!m.isDirty());
    }

    // submitAll() is asynchronous: submitAllFinished(ok) comes once per call, when every write it
    // started has been answered, with ok false when one was not written.
    void submitAllFinishedTellsWhetherEverythingWasWritten()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy finished(&m, &QueryListModel::submitAllFinished);
        QSignalSpy failed(&m, &QueryListModel::writeFailed);

        // Nothing to write: finished, after submitAll() returned.
        QVERIFY(m.submitAll());
        QCOMPARE(finished.size(), 0);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);

        // Two edited rows (one refused by the ASSERT) and an inserted row.
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(m.setData(m.index(1, 1), u"500"_s));
        QVERIFY(m.insertRows(3, 1));
        QVERIFY(m.setData(m.index(3, 0), u"D"_s));
        QVERIFY(m.setData(m.index(3, 1), u"4"_s));
        QVERIFY(m.submitAll());
        QCOMPARE(finished.size(), 1);
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        // Every write was answered when it came.
        QCOMPARE(failed.size(), 1);
        QCOMPARE(stored(u"a"_s, u"name"_s).toString(), u"A2"_s);
        QCOMPARE(stored(u"b"_s, u"n"_s), QVariant(qlonglong(2)));
        QCOMPARE(storedCount(), 4);
        // The new row took its place in id order.
        const auto rowOf = [&](const QString &key) { return m.rowOf(RecordId(u"es_item"_s, key)); };
        QCOMPARE(m.data(m.index(rowOf(u"b"_s), 1), Qt::EditRole), QVariant(qlonglong(2)));
        QVERIFY(!m.isDirty());

        QVERIFY(m.setData(m.index(rowOf(u"b"_s), 1), u"8"_s));
        QVERIFY(m.submitAll());
        QTRY_COMPARE(finished.size(), 3);
        QCOMPARE(finished.at(2).at(0).toBool(), true);
        QCOMPARE(stored(u"b"_s, u"n"_s), QVariant(qlonglong(8)));
        QCOMPARE(failed.size(), 1);

        // OnRowChange: submit() is submitAll().
        m.setEditStrategy(QueryListModel::OnRowChange);
        QVERIFY(m.setData(m.index(rowOf(u"c"_s), 0), u"C2"_s));
        QVERIFY(m.submit());
        QTRY_COMPARE(finished.size(), 4);
        QCOMPARE(finished.at(3).at(0).toBool(), true);
        QCOMPARE(stored(u"c"_s, u"name"_s).toString(), u"C2"_s);

        // Without a connection nothing is sent: false, and finished(false).
        QueryListModel unconnected;
        QSignalSpy notSent(&unconnected, &QueryListModel::submitAllFinished);
        QVERIFY(!unconnected.submitAll());
        QTRY_COMPARE(notSent.size(), 1);
        QCOMPARE(notSent.at(0).at(0).toBool(), false);
    }

    // DirtyRole ("dirty"): true for a cell with an edit not written yet (its column's field with
    // `columns` set), and for an unsubmitted inserted row; dataChanged(DirtyRole) when that
    // changes, so a delegate bound to it updates.
    void dirtyRoleFollowsUnsavedEdits()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QCOMPARE(m.roleNames().value(QueryListModel::DirtyRole), QByteArray("dirty"));
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        const auto dirtyChangedAt = [&](int row) {
            for (const QList<QVariant> &args : std::as_const(changed)) {
                const auto from = args.at(0).value<QModelIndex>(), to = args.at(1).value<QModelIndex>();
                if (from.row() <= row && row <= to.row() &&
                    args.at(2).value<QList<int>>().contains(QueryListModel::DirtyRole))
                    return true;
            }
            return false;
        };
        const auto dirty = [&](int row, int column) {
            return m.data(m.index(row, column), QueryListModel::DirtyRole).toBool();
        };
        QVERIFY(!dirty(0, 0));
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(dirty(0, 0));
        QVERIFY(!dirty(0, 1));
        QVERIFY(!dirty(1, 0));
        QVERIFY(dirtyChangedAt(0));
        QVERIFY(m.insertRows(3, 1));
        QVERIFY(dirty(3, 0));
        QVERIFY(m.setData(m.index(3, 0), u"D"_s));
        QVERIFY(m.setData(m.index(3, 1), u"4"_s));

        changed.clear();
        QVERIFY(m.submitAll());
        QVERIFY(dirtyChangedAt(0));
        QVERIFY(!dirty(0, 0));
        QVERIFY(dirtyChangedAt(3));
        QVERIFY(!dirty(3, 0)); // on its way to the server
        QTRY_COMPARE(storedCount(), 4);
        QTRY_VERIFY(!m.isDirty());

        // The new row took its place in id order.
        const int b = m.rowOf(RecordId(u"es_item"_s, u"b"_s));
        QVERIFY(m.setData(m.index(b, 0), u"B2"_s));
        QVERIFY(dirty(b, 0));
        changed.clear();
        m.revertRow(b);
        QVERIFY(dirtyChangedAt(b));
        QVERIFY(!dirty(b, 0));

        // Written at once: never dirty.
        m.setEditStrategy(QueryListModel::OnFieldChange);
        QVERIFY(m.setData(m.index(b, 0), u"B3"_s));
        QVERIFY(!dirty(b, 0));
    }

    void onRowChangeWritesOnSubmit()
    {
        QueryListModel m;
        setupModel(m, QueryListModel::OnRowChange);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QVERIFY(m.setData(m.index(0, 0), u"A2"_s));
        QVERIFY(m.setData(m.index(0, 1), 8));
        letWritesArrive();
        QCOMPARE(stored(u"a"_s, u"name"_s).toString(), u"A"_s);
        QVERIFY(m.isDirty());
        QVERIFY(m.submit()); // the current row changed
        QTRY_COMPARE(stored(u"a"_s, u"name"_s).toString(), u"A2"_s);
        QCOMPARE(stored(u"a"_s, u"n"_s), QVariant(qlonglong(8)));
        QTRY_VERIFY(!m.isDirty());
    }

    // QDataWidgetMapper: a new row filled through line edits; submit() writes it with
    // OnRowChange, and only submitAll() does with OnManualSubmit. The mapper sets the fields one
    // after the other and refreshes its widgets from dataChanged(): a change reported for the
    // whole row (as the model did for inserted rows) reset the second line edit before it was
    // read, and the record was created without `n` (refused by its type).
    void dataWidgetMapperFlow_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("OnRowChange") << int(QueryListModel::OnRowChange);
        QTest::newRow("OnManualSubmit") << int(QueryListModel::OnManualSubmit);
    }

    void dataWidgetMapperFlow()
    {
        QFETCH(int, strategy);
        QueryListModel m;
        setupModel(m, QueryListModel::EditStrategy(strategy));
        QVERIFY(waitReady(m));
        QLineEdit name, n;
        QDataWidgetMapper mapper;
        mapper.setModel(&m);
        mapper.setSubmitPolicy(QDataWidgetMapper::ManualSubmit);
        mapper.addMapping(&name, 0);
        mapper.addMapping(&n, 1);
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        QVERIFY(m.insertRows(m.rowCount(), 1));
        mapper.toLast();
        QCOMPARE(mapper.currentIndex(), 3);
        name.setText(u"D"_s);
        n.setText(u"4"_s);
        QVERIFY(mapper.submit());
        QCOMPARE(m.get(3).value(u"name"_s).toString(), u"D"_s);
        if (strategy == QueryListModel::OnManualSubmit) {
            letWritesArrive();
            QCOMPARE(storedCount(), 3);
            QVERIFY(m.isDirty());
            QVERIFY(m.submitAll());
        }
        QTRY_COMPARE(storedCount(), 4);
        QCOMPARE(failed.size(), 0);
        const QueryResult r = AWAIT(other()->query(u"SELECT name, n FROM es_item WHERE name = 'D'"_s));
        const QVariantMap rec = r.last().toList().value(0).toMap();
        QCOMPARE(rec.value(u"n"_s), QVariant(qlonglong(4)));
        QTRY_VERIFY(!m.isDirty());

        // An edit of an existing row through the mapper (the new row took its place in id order).
        mapper.setCurrentIndex(m.rowOf(QVariant::fromValue(RecordId(u"es_item"_s, u"a"_s))));
        name.setText(u"A3"_s);
        QVERIFY(mapper.submit());
        if (strategy == QueryListModel::OnManualSubmit) {
            letWritesArrive();
            QCOMPARE(stored(u"a"_s, u"name"_s).toString(), u"A"_s);
            QVERIFY(m.submitAll());
        }
        QTRY_COMPARE(stored(u"a"_s, u"name"_s).toString(), u"A3"_s);
    }

    void modelListModelManualSubmit()
    {
        ModelListModel m(ModelInfo::of<EsItem>(), conn());
        QCOMPARE(m.editStrategy(), QueryListModel::OnFieldChange);
        m.setEditStrategy(QueryListModel::OnManualSubmit);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(waitReady(m));
        QSignalSpy failed(&m, &QueryListModel::writeFailed);
        const int nRole = m.roleForField(u"n"_s);
        const int row = m.rowOf(QVariant::fromValue(RecordId(u"es_item"_s, u"c"_s)));
        QVERIFY(row >= 0);
        QCOMPARE(m.roleNames().value(ModelListModel::DirtyRole), QByteArray("dirty"));
        QSignalSpy finished(&m, &QueryListModel::submitAllFinished);
        QVERIFY(!m.data(m.index(row), ModelListModel::DirtyRole).toBool());
        QVERIFY(m.setData(m.index(row), 30, nRole));
        QCOMPARE(m.data(m.index(row), nRole), QVariant(30));
        QCOMPARE(m.object<EsItem>(row)->n(), 30);
        QVERIFY(m.isDirty());
        QVERIFY(m.data(m.index(row), ModelListModel::DirtyRole).toBool());
        letWritesArrive();
        QCOMPARE(stored(u"c"_s, u"n"_s), QVariant(qlonglong(3)));
        QVERIFY(m.setData(m.index(row), 300, nRole)); // ASSERT refuses it at submitAll
        QVERIFY(m.submitAll());
        QVERIFY(!m.data(m.index(row), ModelListModel::DirtyRole).toBool());
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QTRY_COMPARE(failed.size(), 1);
        QTRY_COMPARE(m.data(m.index(row), nRole), QVariant(3));
        QCOMPARE(m.object<EsItem>(row)->n(), 3);
        QVERIFY(m.setData(m.index(row), 31, nRole));
        m.revertAll();
        QCOMPARE(m.data(m.index(row), nRole), QVariant(3));
        QVERIFY(m.setData(m.index(row), 32, nRole));
        QVERIFY(m.submitAll());
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QCOMPARE(stored(u"c"_s, u"n"_s), QVariant(qlonglong(32)));
        QCOMPARE(failed.size(), 1);
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    TestListModelEditStrategy t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_listmodel_editstrategy.moc"
