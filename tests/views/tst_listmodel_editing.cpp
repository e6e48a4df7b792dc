// Editing a QueryListModel as a Qt user does: a QTableView with its default QStyledItemDelegate,
// editors opened on cells, values typed and committed with Return, offscreen, against the real
// engine. What is checked is what lands in the database, read back with a fresh SELECT: the
// stored types survive edits, and opening an editor and leaving the cell writes nothing.

#include "twoclients.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/datetime.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QMetaProperty>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class TestListModelEditing : public QObject
{
    Q_OBJECT

    TwoClients m_clients;
    Connection *conn() { return m_clients.model(); }
    Connection *other() { return m_clients.other(); }

    void exec(const QString &text, const QVariantMap &vars = {}) { m_clients.exec(text, vars); }

    QVariantMap stored(const QString &table, const QVariant &key)
    {
        const QueryResult r = AWAIT(
            other()->query(u"SELECT * FROM $id"_s, {{u"id"_s, QVariant::fromValue(RecordId(table, key))}}));
        return r.last().toList().value(0).toMap();
    }

    qint64 updates()
    {
        return AWAIT(other()->query(u"SELECT VALUE n FROM counter:c"_s))
            .last()
            .toList()
            .value(0)
            .toLongLong();
    }

    static bool waitReady(QueryListModel &m)
    {
        return QTest::qWaitFor(
                   [&] {
                       return m.status() != QueryListModel::Loading && m.status() != QueryListModel::Null;
                   },
                   20000) &&
               m.status() == QueryListModel::Ready;
    }

    // Opens the view's editor on `index` (the delegate picks it from data(EditRole)), optionally
    // puts `value` into its user property (the property a delegate reads back), and commits with
    // Return, as a user typing into the cell does. Returns the editor's class name.
    static QByteArray editCell(QTableView &view, const QModelIndex &index, const QVariant &value = {})
    {
        // The previous cell's editor is deleted later: let it go first.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents();
        const QList<QWidget *> before = view.viewport()->findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
        view.setCurrentIndex(index);
        view.edit(index);
        QWidget *editor = nullptr;
        for (QWidget *w : view.viewport()->findChildren<QWidget *>(Qt::FindDirectChildrenOnly)) {
            if (!before.contains(w))
                editor = w;
        }
        if (!editor)
            return {};
        const QByteArray cls = editor->metaObject()->className();
        if (value.isValid()) {
            const QMetaProperty user = editor->metaObject()->userProperty();
            if (!user.write(editor, value))
                qWarning() << "editor" << cls << "did not take" << value;
        }
        // The delegate commits and closes on Return through a queued call.
        const QPointer<QWidget> open = editor;
        QTest::keyClick(editor, Qt::Key_Return);
        if (!QTest::qWaitFor([&] { return open.isNull() || !open->isVisible(); }, 5000))
            qWarning() << "the editor did not close";
        QCoreApplication::processEvents();
        return cls;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clients.open("viewsedit_");
        // Every write to `typed` counts itself: "writes nothing" is then a number.
        exec(u"DEFINE TABLE typed SCHEMALESS; CREATE counter:c SET n = 0;"
             "DEFINE EVENT count_updates ON typed WHEN $event = 'UPDATE' THEN (UPDATE counter:c SET n += 1);"
             "CREATE typed:1 SET age = 30, score = 2.5, active = true, name = 'Ann',"
             " born = d'2020-01-02T03:04:05.123456789Z', tags = ['a', 'b'];"_s);
    }

    // Issue 13, defect 3: editing through QStyledItemDelegate stored strings (`age: 30` became
    // `age: "30"` merely by opening an editor and leaving the cell), and datetimes were edited as
    // SurrealQL text.
    void delegateEditsKeepStoredTypes()
    {
        QueryListModel model(conn());
        model.setTable(u"typed"_s);
        model.setColumns({u"age"_s, u"score"_s, u"active"_s, u"name"_s, u"born"_s});
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&model);
        view.resize(800, 300);
        view.show();
        QVERIFY(waitReady(model));
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy failed(&model, &QueryListModel::writeFailed);

        // Open every editor and leave each cell as it is: nothing is written.
        const qint64 updatesBefore = updates();
        for (int c = 0; c < model.columnCount(); ++c)
            QVERIFY2(!editCell(view, model.index(0, c)).isEmpty(),
                     qPrintable(u"no editor for column %1"_s.arg(c)));
        QTest::qWait(300);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(updates(), updatesBefore);
        QVariantMap rec = stored(u"typed"_s, 1);
        QCOMPARE(rec.value(u"age"_s).metaType(), QMetaType::fromType<qlonglong>());
        QCOMPARE(rec.value(u"score"_s).metaType(), QMetaType::fromType<double>());
        QCOMPARE(rec.value(u"active"_s).metaType(), QMetaType::fromType<bool>());
        QCOMPARE(rec.value(u"born"_s).value<DateTime>().nanoseconds(), 123456789);

        // Datetimes are edited as dates, not as SurrealQL text.
        QCOMPARE(model.data(model.index(0, 4), Qt::EditRole).metaType(), QMetaType::fromType<QDateTime>());

        // Real edits through the editors keep the stored types.
        QCOMPARE(editCell(view, model.index(0, 0), u"31"_s), QByteArray("QSpinBox"));
        QVERIFY(!editCell(view, model.index(0, 1), u"4.75"_s).isEmpty());
        QVERIFY(!editCell(view, model.index(0, 2), false).isEmpty());
        QVERIFY(!editCell(view, model.index(0, 3), u"Anna"_s).isEmpty());
        QCOMPARE(editCell(view, model.index(0, 4), QDateTime(QDate(2021, 6, 7), QTime(8, 9, 10), Qt::UTC)),
                 QByteArray("QDateTimeEdit"));
        QTRY_COMPARE(stored(u"typed"_s, 1).value(u"name"_s).toString(), u"Anna"_s);
        QTRY_VERIFY(stored(u"typed"_s, 1).value(u"born"_s).value<DateTime>().seconds() ==
                    QDateTime(QDate(2021, 6, 7), QTime(8, 9, 10), Qt::UTC).toSecsSinceEpoch());
        rec = stored(u"typed"_s, 1);
        QCOMPARE(rec.value(u"age"_s).metaType(), QMetaType::fromType<qlonglong>());
        QCOMPARE(rec.value(u"age"_s).toLongLong(), 31);
        QCOMPARE(rec.value(u"score"_s).metaType(), QMetaType::fromType<double>());
        QCOMPARE(rec.value(u"score"_s).toDouble(), 4.75);
        QCOMPARE(rec.value(u"active"_s).metaType(), QMetaType::fromType<bool>());
        QCOMPARE(rec.value(u"active"_s).toBool(), false);
        QCOMPARE(rec.value(u"born"_s).metaType(), QMetaType::fromType<DateTime>());
        QCOMPARE(failed.size(), 0);

        // A value the field's type cannot take is refused, said, and not written.
        QVERIFY(!model.setData(model.index(0, 0), u"thirty"_s));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(1).value<Error>().kind(), Error::Kind::Validation);
        QCOMPARE(model.data(model.index(0, 0), Qt::EditRole).toLongLong(), 31);
        QTest::qWait(200);
        QCOMPARE(stored(u"typed"_s, 1).value(u"age"_s).toLongLong(), 31);
        // A float given to an int field is refused unless it is whole.
        QVERIFY(!model.setField(0, u"age"_s, 31.5));
        QVERIFY(model.setField(0, u"age"_s, u"32"_s));
        QTRY_COMPARE(stored(u"typed"_s, 1).value(u"age"_s).toLongLong(), 32);
        QCOMPARE(stored(u"typed"_s, 1).value(u"age"_s).metaType(), QMetaType::fromType<qlonglong>());
    }

    // The declared type decides where the record has no value yet (INFO FOR TABLE).
    void schemaTypeDecidesForEmptyFields()
    {
        exec(u"DEFINE TABLE declared SCHEMAFULL; DEFINE FIELD qty ON declared TYPE option<int>;"
             "DEFINE FIELD note ON declared TYPE option<string>; CREATE declared:1 SET note = 'x';"_s);
        QueryListModel model(conn());
        model.setTable(u"declared"_s);
        model.setRoles({u"id"_s, u"qty"_s, u"note"_s});
        model.setColumns({u"qty"_s, u"note"_s});
        QTableView view;
        view.setModel(&model);
        view.show();
        QVERIFY(waitReady(model));
        QSignalSpy failed(&model, &QueryListModel::writeFailed);
        QVERIFY(!editCell(view, model.index(0, 0), u"7"_s).isEmpty());
        QTRY_COMPARE(stored(u"declared"_s, 1).value(u"qty"_s).toLongLong(), 7);
        QCOMPARE(stored(u"declared"_s, 1).value(u"qty"_s).metaType(), QMetaType::fromType<qlonglong>());
        QCOMPARE(failed.size(), 0);
    }

    // A computed column (`… AS n`) is not a field of the record: not editable, and setData agrees.
    void computedColumnsAreReadOnly()
    {
        QueryListModel model(conn());
        model.setQuery(u"SELECT *, age * 2 AS twice FROM typed"_s);
        model.setColumns({u"name"_s, u"twice"_s});
        QVERIFY(waitReady(model));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(0, 1)) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(model.index(0, 1), 5));
        QVERIFY(!model.setField(0, u"twice"_s, 5));
        QTest::qWait(200);
        QVERIFY(!stored(u"typed"_s, 1).contains(u"twice"_s));
    }

    // Defect 4: insertRows created an empty record at once, so insertRows then removeRows before
    // the server answered left an orphan, a table with ASSERTs refused the empty record, and a
    // created record sorting beyond the loaded pages stayed where it was inserted (START paging
    // then skipped a server row, record-id paging showed it twice).
    void insertedRowsWaitForSubmit()
    {
        exec(u"DEFINE TABLE orphans SCHEMALESS; DEFINE FIELD name ON orphans TYPE string ASSERT $value != '';"
             "FOR $i IN 1..=5 { CREATE type::record('orphans', $i) SET name = 'n' + <string>$i };"_s);
        auto count = [this] {
            return AWAIT(other()->query(u"SELECT count() FROM orphans GROUP ALL"_s))
                .last()
                .toList()
                .value(0)
                .toMap()
                .value(u"count"_s)
                .toInt();
        };
        QueryListModel m(conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTable(u"orphans"_s);
        m.setColumns({u"name"_s});
        m.setLive(true);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 5);
        QSignalSpy failed(&m, &QueryListModel::writeFailed);

        // Added and removed again: no trace, on the server or in the view.
        QVERIFY(m.insertRows(5, 1));
        QCOMPARE(m.rowCount(), 6);
        QVERIFY(m.removeRows(5, 1));
        QTest::qWait(500);
        QCOMPARE(m.rowCount(), 5);
        QCOMPARE(count(), 5);

        // The QDataWidgetMapper flow: insert, set the fields, submit.
        QVERIFY(m.insertRows(m.rowCount(), 1));
        const int row = m.rowCount() - 1;
        QVERIFY(m.flags(m.index(row, 0)) & Qt::ItemIsEditable);
        QVERIFY(m.setData(m.index(row, 0), u"Zed"_s));
        QCOMPARE(m.data(m.index(row, 0)).toString(), u"Zed"_s);
        QTest::qWait(300);
        QCOMPARE(count(), 5); // nothing before submit
        QVERIFY(m.submit());
        QTRY_COMPARE(count(), 6);
        QTRY_VERIFY(m.rowOf(m.recordId(m.rowCount() - 1)) >= 0 && m.recordId(m.rowCount() - 1).isValid());
        QTest::qWait(300);
        QCOMPARE(m.rowCount(), 6);
        QCOMPARE(failed.size(), 0);

        // A row the ASSERT refuses stays, unsubmitted, with writeFailed; removing it leaves nothing.
        QVERIFY(m.insertRows(0, 1));
        QVERIFY(m.submit());
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(m.rowCount(), 7);
        QVERIFY(m.removeRows(0, 1));
        QTest::qWait(300);
        QCOMPARE(m.rowCount(), 6);
        QCOMPARE(count(), 6);
    }

    void submittedRowBeyondLoadedPages()
    {
        exec(
            u"DEFINE TABLE far SCHEMALESS; FOR $i IN 1..=30 { CREATE type::record('far', $i) SET v = $i };"_s);
        for (const bool byId : {true, false}) {
            QueryListModel m(conn());
            m.setTable(u"far"_s);
            if (!byId)
                m.setOrderBy(u"v"_s); // unindexed: START paging
            m.setPageSize(10);
            m.setColumns({u"v"_s});
            QVERIFY(waitReady(m));
            QCOMPARE(m.rowCount(), 10);
            QVERIFY(m.insertRows(10, 1));
            QVERIFY(m.setData(m.index(10, 0), byId ? 1000 : 100));
            QVERIFY(m.submit());
            QTRY_COMPARE(AWAIT(other()->query(u"SELECT count() FROM far GROUP ALL"_s))
                             .last()
                             .toList()
                             .value(0)
                             .toMap()
                             .value(u"count"_s)
                             .toInt(),
                         byId ? 31 : 32);
            QTest::qWait(300);
            m.fetchAll();
            QTRY_VERIFY(!m.canFetchMore({}));
            QTest::qWait(200);
            QList<QVariant> ids;
            for (int i = 0; i < m.rowCount(); ++i)
                ids.append(m.recordId(i));
            QList<QVariant> expected;
            const QueryResult r = AWAIT(other()->query(byId ? u"SELECT id FROM far ORDER BY id"_s
                                                            : u"SELECT id, v FROM far ORDER BY v, id"_s));
            for (const QVariant &v : r.last().toList())
                expected.append(v.toMap().value(u"id"_s));
            QCOMPARE(ids, expected);
        }
    }
};

QTEST_MAIN(TestListModelEditing)
#include "tst_listmodel_editing.moc"
