// SurrealItemDelegate (SurrealQt::Widgets) in a QTableView over the real list models, offscreen,
// against the real engine: each SurrealDB type Qt lacks (datetime with nanoseconds, decimal,
// duration, record link) is edited in its own editor, opened through the view and committed with
// Return as a user does; what lands on the server (a fresh SELECT) has the type and the exact
// value, and an editor opened and left writes nothing (an event logs every update).

#include "futurewait.h"
#include "setupquery.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/widgets/surrealitemdelegate.h>

#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class DelegItem : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(DelegItem)
    Q_CLASSINFO("table", "deleg_item")
    SURREALQT_FIELD(SurrealQt::DateTime, born, setBorn)
    SURREALQT_FIELD(SurrealQt::Decimal, price, setPrice)
    SURREALQT_FIELD(SurrealQt::Duration, took, setTook)
    SURREALQT_FIELD(SurrealQt::RecordId, author, setAuthor)
};

namespace {

// The delegate's cell text, as the view paints it.
struct Probe : SurrealItemDelegate
{
    QString text(const QModelIndex &index) const
    {
        QStyleOptionViewItem option;
        initStyleOption(&option, index);
        return option.text;
    }
};

const QString bornText = u"2020-01-02T03:04:05.123456789Z"_s;
const QString priceText = u"12.5"_s;
// More digits than a double holds: a double round trip would change it.
const QString newPriceText = u"1234567890123456.123456789"_s;

} // namespace

class TestItemDelegate : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_db1; // the models' connection
    std::unique_ptr<DatabaseManager> m_db2; // sets up and reads back

    Connection *conn() { return m_db1->connection(); }
    Connection *other() { return m_db2->connection(); }

    void exec(const QString &text) { execSetup(other(), text); }

    QVariantMap stored(const QString &table, const QVariant &key)
    {
        const QueryResult r = AWAIT(
            other()->query(u"SELECT * FROM $id"_s, {{u"id"_s, QVariant::fromValue(RecordId(table, key))}}));
        return r.last().toList().value(0).toMap();
    }

    qint64 updates()
    {
        return AWAIT(other()->query(u"SELECT count() FROM upd GROUP ALL"_s))
            .last()
            .toList()
            .value(0)
            .toMap()
            .value(u"count"_s)
            .toLongLong();
    }

    template<typename M>
    static bool waitReady(M &m)
    {
        return QTest::qWaitFor([&] { return m.status() == M::Ready || m.status() == M::Failed; }, 20000) &&
               m.status() == M::Ready;
    }

    // Opens the view's editor on `index` through the view, lets `change` act on it as a user
    // would (nothing: open and leave), commits with Return and waits until it closed. The editor's
    // class name, empty when none opened.
    QByteArray editCell(QTableView &view, const QModelIndex &index,
                        const std::function<void(QWidget *)> &change = {})
    {
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
        if (change)
            change(editor);
        const QPointer<QWidget> open = editor;
        QWidget *target = editor->focusProxy() ? editor->focusProxy() : editor;
        QTest::keyClick(target, Qt::Key_Return);
        if (!QTest::qWaitFor([&] { return open.isNull() || !open->isVisible(); }, 5000)) {
            qWarning() << "the editor did not close:" << cls;
            return "(did not close) " + cls;
        }
        QCoreApplication::processEvents();
        return cls;
    }

    // Waits until the server counted `expected` updates (a user commits one cell at a time: the
    // next edit starts once the last one is written). Two writes to one record in flight at once
    // can conflict in the engine ("Transaction conflict ... can be retried"), which the list
    // models do not retry yet; that is not what this test is about.
    bool landed(qint64 expected, const QSignalSpy &failed)
    {
        const bool done =
            QTest::qWaitFor([&] { return updates() >= expected || !failed.isEmpty(); }, 10000) &&
            failed.isEmpty();
        // The model's own answer to the write follows: let it arrive before the next edit.
        QTest::qWait(50);
        return done;
    }

    static void typeInto(QWidget *editor, const QString &text)
    {
        auto *edit = qobject_cast<QLineEdit *>(editor);
        if (!edit)
            edit = editor->findChild<QLineEdit *>();
        QVERIFY(edit);
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    static void setDateTime(QWidget *editor, const DateTime &dt)
    {
        QVERIFY(editor->metaObject()->userProperty().write(editor, QVariant::fromValue(dt)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString ns = TestServer::uniqueName("delegates_");
        m_db1 = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"test"_s,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        m_db2 = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"test"_s,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db1->open());
        AWAIT_VOID(m_db2->open());
        exec(
            u"DEFINE TABLE author SCHEMALESS; CREATE author:tobie SET name = 'Tobie';"
            "CREATE author:jaime SET name = 'Jaime';"
            "DEFINE TABLE typed SCHEMALESS; DEFINE TABLE deleg_item SCHEMALESS; DEFINE TABLE upd SCHEMALESS;"
            // One record per update: a shared counter would make concurrent writes conflict.
            "DEFINE EVENT count_typed ON typed WHEN $event = 'UPDATE' THEN (CREATE upd SET rec = $after.id);"
            "DEFINE EVENT count_items ON deleg_item WHEN $event = 'UPDATE' THEN (CREATE upd SET rec = $after.id);"_s);
        const QString values =
            u" SET born = d'%1', price = %2dec, took = 1h30m5s250ms, author = author:tobie;"_s.arg(bornText,
                                                                                                   priceText);
        exec(u"CREATE typed:1"_s + values + u"CREATE typed:2"_s + values + u"CREATE deleg_item:1"_s + values);
    }

    // Issue 13: "Delegates for the SurrealDB types that Qt lacks (datetime with nanoseconds,
    // decimal, duration, record link): edit them as what they are, not as SurrealQL text."
    void queryListModelEditsEachType()
    {
        QueryListModel model(conn());
        model.setTable(u"typed"_s);
        model.setFilter(u"id = typed:1"_s);
        model.setColumns({u"born"_s, u"price"_s, u"took"_s, u"author"_s, u"due"_s});
        QTableView view;
        auto *delegate = new Probe;
        delegate->setParent(&view);
        delegate->setColumnType(4, QMetaType::fromType<Duration>());
        view.setItemDelegate(delegate);
        view.setModel(&model);
        view.resize(900, 200);
        view.show();
        QVERIFY(waitReady(model));
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy failed(&model, &QueryListModel::writeFailed);

        // Shown as people read them, not as SurrealQL literals (d'…', 12.5dec).
        QCOMPARE(delegate->text(model.index(0, 0)), u"2020-01-02 03:04:05.123456789 UTC"_s);
        QCOMPARE(delegate->text(model.index(0, 1)), u"12.5"_s);
        QCOMPARE(delegate->text(model.index(0, 2)), u"1h 30m 5s 250ms"_s);
        QCOMPARE(delegate->text(model.index(0, 3)), u"author:tobie"_s);
        QCOMPARE(SurrealItemDelegate::storedValue(model.index(0, 0)).value<DateTime>().nanoseconds(),
                 123456789);

        // Each editor opened through the view and left: nothing is written.
        const qint64 before = updates();
        QCOMPARE(editCell(view, model.index(0, 0)), QByteArray("SurrealQt::DateTimeEditor"));
        QCOMPARE(editCell(view, model.index(0, 1)), QByteArray("QLineEdit"));
        QCOMPARE(editCell(view, model.index(0, 2)), QByteArray("QLineEdit"));
        QCOMPARE(editCell(view, model.index(0, 3)), QByteArray("SurrealQt::RecordIdEditor"));
        QCOMPARE(editCell(view, model.index(0, 4)), QByteArray("QLineEdit"));
        QTest::qWait(300);
        QCOMPARE(updates(), before);
        QCOMPARE(failed.size(), 0);
        QVariantMap rec = stored(u"typed"_s, 1);
        QCOMPARE(rec.value(u"born"_s).value<DateTime>(), DateTime::fromString(bornText));
        QCOMPARE(rec.value(u"price"_s).value<Decimal>(), Decimal::fromString(priceText));

        // Changed and committed: the server holds the type and the exact value.
        const DateTime newBorn = DateTime::fromString(u"2021-06-07T08:09:10.987654321Z"_s);
        QCOMPARE(editCell(view, model.index(0, 0), [&](QWidget *e) { setDateTime(e, newBorn); }),
                 QByteArray("SurrealQt::DateTimeEditor"));
        QVERIFY(landed(before + 1, failed));
        QCOMPARE(editCell(view, model.index(0, 1), [](QWidget *e) { typeInto(e, newPriceText); }),
                 QByteArray("QLineEdit"));
        QVERIFY(landed(before + 2, failed));
        QCOMPARE(editCell(view, model.index(0, 2), [](QWidget *e) { typeInto(e, u"2h 15m 1ns"_s); }),
                 QByteArray("QLineEdit"));
        QVERIFY(landed(before + 3, failed));
        QCOMPARE(editCell(view, model.index(0, 3), [](QWidget *e) { typeInto(e, u"jaime"_s); }),
                 QByteArray("SurrealQt::RecordIdEditor"));
        QVERIFY(landed(before + 4, failed));
        QCOMPARE(editCell(view, model.index(0, 4), [](QWidget *e) { typeInto(e, u"45m"_s); }),
                 QByteArray("QLineEdit"));
        QVERIFY(landed(before + 5, failed));
        QTRY_COMPARE_WITH_TIMEOUT(updates(), before + 5, 10000);
        rec = stored(u"typed"_s, 1);
        QCOMPARE(rec.value(u"born"_s).metaType(), QMetaType::fromType<DateTime>());
        QCOMPARE(rec.value(u"born"_s).value<DateTime>(), newBorn);
        QCOMPARE(rec.value(u"price"_s).metaType(), QMetaType::fromType<Decimal>());
        QCOMPARE(rec.value(u"price"_s).value<Decimal>().toString(), newPriceText);
        QCOMPARE(rec.value(u"took"_s).metaType(), QMetaType::fromType<Duration>());
        QCOMPARE(rec.value(u"took"_s).value<Duration>(), Duration(2 * 3600 + 15 * 60, 1));
        QCOMPARE(rec.value(u"author"_s).metaType(), QMetaType::fromType<RecordId>());
        QCOMPARE(rec.value(u"author"_s).value<RecordId>(), RecordId(u"author"_s, u"jaime"_s));
        QCOMPARE(rec.value(u"due"_s).value<Duration>(), Duration(45 * 60));
        QCOMPARE(failed.size(), 0);
        // The other record is untouched.
        QCOMPARE(stored(u"typed"_s, 2).value(u"price"_s).value<Decimal>(), Decimal::fromString(priceText));

        // Through a proxy the typed value is still found.
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QCOMPARE(SurrealItemDelegate::storedValue(proxy.index(0, 1)).value<Decimal>().toString(),
                 newPriceText);
    }

    // A record link column with record choices: a combo box of the linked table's rows, shown by
    // their display text.
    void recordChoicesComboBox()
    {
        QueryListModel authors(conn());
        authors.setTable(u"author"_s);
        authors.setDisplayField(u"name"_s);
        QueryListModel model(conn());
        model.setTable(u"typed"_s);
        model.setFilter(u"id = typed:2"_s);
        model.setColumns({u"author"_s});
        QTableView view;
        auto *delegate = new Probe;
        delegate->setParent(&view);
        delegate->setRecordChoices(0, &authors);
        view.setItemDelegate(delegate);
        view.setModel(&model);
        view.show();
        QVERIFY(waitReady(authors));
        QVERIFY(waitReady(model));
        QCOMPARE(delegate->text(model.index(0, 0)), u"Tobie"_s);

        const qint64 before = updates();
        QCOMPARE(editCell(view, model.index(0, 0)), QByteArray("QComboBox"));
        QTest::qWait(300);
        QCOMPARE(updates(), before);
        editCell(view, model.index(0, 0), [](QWidget *e) {
            auto *combo = qobject_cast<QComboBox *>(e);
            QVERIFY(combo);
            QCOMPARE(combo->count(), 2);
            QCOMPARE(combo->currentText(), u"Tobie"_s);
            combo->setCurrentIndex(combo->findText(u"Jaime"_s));
        });
        QTRY_COMPARE_WITH_TIMEOUT(stored(u"typed"_s, 2).value(u"author"_s).value<RecordId>(),
                                  RecordId(u"author"_s, u"jaime"_s), 10000);
        QCOMPARE(updates(), before + 1);
        QCOMPARE(delegate->text(model.index(0, 0)), u"Jaime"_s);
    }

    // The typed list model: one column, the display field; each field edited in turn.
    void modelListModelEditsEachType()
    {
        QObject owner;
        ModelListModel *model = ModelListModel::of<DelegItem>(conn(), &owner);
        QTableView view;
        auto *delegate = new Probe;
        delegate->setParent(&view);
        view.setItemDelegate(delegate);
        view.setModel(model);
        view.show();
        QVERIFY(waitReady(*model));
        QCOMPARE(model->rowCount(), 1);
        QSignalSpy failed(model, &ModelListModel::writeFailed);
        const QModelIndex cell = model->index(0, 0);

        const qint64 before = updates();
        const QList<std::pair<QString, QByteArray>> fields{{u"born"_s, "SurrealQt::DateTimeEditor"},
                                                           {u"price"_s, "QLineEdit"},
                                                           {u"took"_s, "QLineEdit"},
                                                           {u"author"_s, "SurrealQt::RecordIdEditor"}};
        for (const auto &[field, editor] : fields) {
            model->setDisplayField(field);
            QCOMPARE(editCell(view, cell), editor);
        }
        QTest::qWait(300);
        QCOMPARE(updates(), before);
        model->setDisplayField(u"born"_s);
        QCOMPARE(delegate->text(cell), u"2020-01-02 03:04:05.123456789 UTC"_s);

        const DateTime newBorn = DateTime::fromString(u"1999-12-31T23:59:59.000000001Z"_s);
        model->setDisplayField(u"born"_s);
        QCOMPARE(editCell(view, cell, [&](QWidget *e) { setDateTime(e, newBorn); }),
                 QByteArray("SurrealQt::DateTimeEditor"));
        QVERIFY(landed(before + 1, failed));
        model->setDisplayField(u"price"_s);
        QCOMPARE(editCell(view, cell, [](QWidget *e) { typeInto(e, newPriceText); }),
                 QByteArray("QLineEdit"));
        QVERIFY(landed(before + 2, failed));
        model->setDisplayField(u"took"_s);
        QCOMPARE(editCell(view, cell, [](QWidget *e) { typeInto(e, u"3d 4h"_s); }), QByteArray("QLineEdit"));
        QVERIFY(landed(before + 3, failed));
        model->setDisplayField(u"author"_s);
        QCOMPARE(editCell(view, cell, [](QWidget *e) { typeInto(e, u"jaime"_s); }),
                 QByteArray("SurrealQt::RecordIdEditor"));
        QVERIFY(landed(before + 4, failed));
        QTRY_COMPARE_WITH_TIMEOUT(stored(u"deleg_item"_s, 1).value(u"born"_s).value<DateTime>(), newBorn,
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(stored(u"deleg_item"_s, 1).value(u"price"_s).value<Decimal>().toString(),
                                  newPriceText, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stored(u"deleg_item"_s, 1).value(u"took"_s).value<Duration>(),
                                  Duration((3 * 24 + 4) * 3600), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stored(u"deleg_item"_s, 1).value(u"author"_s).value<RecordId>(),
                                  RecordId(u"author"_s, u"jaime"_s), 10000);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(updates(), before + 4);
        const QVariantMap rec = stored(u"deleg_item"_s, 1);
        QCOMPARE(rec.value(u"born"_s).metaType(), QMetaType::fromType<DateTime>());
        QCOMPARE(rec.value(u"born"_s).value<DateTime>(), newBorn);
        QCOMPARE(rec.value(u"price"_s).metaType(), QMetaType::fromType<Decimal>());
        QCOMPARE(rec.value(u"price"_s).value<Decimal>().toString(), newPriceText);
        QCOMPARE(rec.value(u"took"_s).metaType(), QMetaType::fromType<Duration>());
        QCOMPARE(rec.value(u"took"_s).value<Duration>(), Duration((3 * 24 + 4) * 3600));
        QCOMPARE(rec.value(u"author"_s).metaType(), QMetaType::fromType<RecordId>());
        QCOMPARE(rec.value(u"author"_s).value<RecordId>(), RecordId(u"author"_s, u"jaime"_s));
        QCOMPARE(failed.size(), 0);
        // The row's object sees the exact values too.
        QCOMPARE(model->data(cell, ModelListModel::FirstFieldRole).value<DateTime>(), newBorn);
    }

    // Text that makes no value of the type is not written (the editor's validator refuses most of
    // it; what is left is dropped, not sent as text).
    void invalidTextWritesNothing()
    {
        QueryListModel model(conn());
        model.setTable(u"typed"_s);
        model.setFilter(u"id = typed:2"_s);
        model.setColumns({u"price"_s, u"took"_s, u"author"_s});
        QTableView view;
        view.setItemDelegate(new SurrealItemDelegate(&view));
        view.setModel(&model);
        view.show();
        QVERIFY(waitReady(model));
        const QVariantMap was = stored(u"typed"_s, 2);
        const qint64 before = updates();
        // A sign alone passes the validator and makes no decimal; an empty key makes no id.
        editCell(view, model.index(0, 0), [](QWidget *e) { typeInto(e, u"-"_s); });
        editCell(view, model.index(0, 2), [](QWidget *e) { typeInto(e, QString()); });
        // A duration being typed ("1h5") is not taken: Return leaves the editor open.
        const QModelIndex took = model.index(0, 1);
        view.setCurrentIndex(took);
        view.edit(took);
        QPointer<QLineEdit> edit = view.viewport()->findChild<QLineEdit *>();
        QVERIFY(edit);
        typeInto(edit, u"1h5x"_s);
        QCOMPARE(edit->text(), u"1h5"_s); // 'x' is refused as typed
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::qWait(100);
        QVERIFY(edit->isVisible());
        QTest::keyClick(edit, Qt::Key_Escape);
        QTRY_VERIFY(edit.isNull() || !edit->isVisible());
        QTest::qWait(300);
        QCOMPARE(updates(), before);
        const QVariantMap now = stored(u"typed"_s, 2);
        QCOMPARE(now.value(u"price"_s).value<Decimal>(), was.value(u"price"_s).value<Decimal>());
        QCOMPARE(now.value(u"took"_s).value<Duration>(), was.value(u"took"_s).value<Duration>());
        QCOMPARE(now.value(u"author"_s).value<RecordId>(), was.value(u"author"_s).value<RecordId>());
    }
};

QTEST_MAIN(TestItemDelegate)
#include "tst_itemdelegate.moc"
