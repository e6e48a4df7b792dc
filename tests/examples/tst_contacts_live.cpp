// "Two instances side by side see each other's edits live", automated: two contacts windows
// (examples/contacts), each with its own DatabaseManager, on one database of the real engine.
// An edit, an insert and a delete made through one window's UI show up in the other's table,
// at the row the order says, within a bounded time; also through the other window's search.

#include "contactswindow.h"
#include "futurewait.h"
#include "livewait.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

struct Instance
{
    std::unique_ptr<ContactsWindow> window;

    QueryListModel *model() const { return window->model(); }
    QTableView *view() const { return window->findChild<QTableView *>(); }
    QAction *action(const QString &text) const
    {
        for (QAction *a : window->findChild<QToolBar *>()->actions())
            if (a->text() == text)
                return a;
        return nullptr;
    }
    // The table as the user reads it: the name column, top to bottom.
    QStringList names() const
    {
        QStringList out;
        QAbstractItemModel *m = view()->model();
        for (int row = 0; row < m->rowCount(); ++row)
            out.append(m->data(m->index(row, 0)).toString());
        return out;
    }
    int rowOfName(const QString &name) const { return int(names().indexOf(name)); }
};

} // namespace

class TestContactsLive : public QObject
{
    Q_OBJECT

    QString m_ns;
    Instance m_a, m_b;
    LiveWait m_live;

    bool start(Instance *i)
    {
        i->window = std::make_unique<ContactsWindow>(ConnectionSettings{
            TestServer::url(), m_ns, u"contacts"_s, TestServer::user(), TestServer::pass()});
        QSignalSpy ready(i->window.get(), &ContactsWindow::ready);
        i->window->show();
        return ready.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ns = TestServer::uniqueName("contacts_live_");
        // The first window seeds the empty database; the second starts on the seeded one.
        QVERIFY(start(&m_a));
        QVERIFY(start(&m_b));
        QTRY_COMPARE(m_b.model()->count(), 10);
        QCOMPARE(m_a.names(), m_b.names());
    }

    void editInOneShowsInTheOther()
    {
        // Double-click editing ends in setData on the view's model, as here.
        const int row = m_a.rowOfName(u"Grace Hopper"_s);
        QVERIFY(row >= 0);
        const QVariant id = m_a.model()->recordId(row);
        QAbstractItemModel *m = m_a.view()->model();
        QVERIFY(m->setData(m->index(row, 0), u"Admiral Grace Hopper"_s));
        QVERIFY(m_live.seen([&] { return m_b.rowOfName(u"Admiral Grace Hopper"_s) >= 0; }, "edit"));
        // The same record, at the position its new name sorts to, and the rest unchanged.
        const int rowInB = m_b.rowOfName(u"Admiral Grace Hopper"_s);
        QCOMPARE(m_b.model()->recordId(rowInB), id);
        QCOMPARE(rowInB, 1); // right after "Ada Lovelace"
        QCOMPARE(m_b.model()->get(rowInB).value(u"email"_s).toString(), u"grace@navy.mil"_s);
        QCOMPARE(m_b.names(), m_a.names());
        QCOMPARE(m_b.rowOfName(u"Grace Hopper"_s), -1);

        // And the other way round, a field other than the sort key: updated in place.
        const int emailRow = m_b.rowOfName(u"Alan Turing"_s);
        QVERIFY(m_b.view()->model()->setData(m_b.view()->model()->index(emailRow, 1), u"alan@npl.co.uk"_s));
        QVERIFY(m_live.seen(
            [&] {
                const int r = m_a.rowOfName(u"Alan Turing"_s);
                return r >= 0 && m_a.model()->get(r).value(u"email"_s).toString() == u"alan@npl.co.uk"_s;
            },
            "edit back"));
        QCOMPARE(m_a.names(), m_b.names());
    }

    void insertInOneShowsInTheOther()
    {
        // The Add button creates "New contact".
        QAction *add = m_a.action(u"Add"_s);
        QVERIFY(add);
        add->trigger();
        QVERIFY(m_live.seen([&] { return m_b.rowOfName(u"New contact"_s) >= 0; }, "insert"));
        QCOMPARE(m_b.model()->count(), 11);
        QTRY_COMPARE(m_a.model()->count(), 11);
        QCOMPARE(m_b.names(), m_a.names());
        const int row = m_b.rowOfName(u"New contact"_s);
        QCOMPARE(m_b.names().at(row - 1), u"Margaret Hamilton"_s); // sorted by name
        QCOMPARE(m_b.model()->recordId(row), m_a.model()->recordId(m_a.rowOfName(u"New contact"_s)));
    }

    void deleteInOneShowsInTheOther()
    {
        const int row = m_a.rowOfName(u"New contact"_s);
        QVERIFY(row >= 0);
        const QVariant id = m_a.model()->recordId(row);
        // Select the row and press Delete.
        m_a.view()->selectRow(row);
        QAction *del = m_a.action(u"Delete"_s);
        QVERIFY(del);
        del->trigger();
        QVERIFY(m_live.seen([&] { return m_b.model()->rowOf(id) < 0; }, "delete"));
        QCOMPARE(m_b.model()->count(), 10);
        QCOMPARE(m_b.rowOfName(u"New contact"_s), -1);
        QCOMPARE(m_a.names(), m_b.names());
    }

    void searchInTheOtherFollowsEdits()
    {
        // B searches; rows of A's edits enter and leave B's filtered table.
        auto *search = m_b.window->findChild<QLineEdit *>();
        QVERIFY(search);
        QSignalSpy reloaded(m_b.model(), &QueryListModel::statusChanged);
        search->setText(u"lovelace"_s);
        QTRY_VERIFY(m_b.model()->filter().contains(u"$q"_s));
        QTRY_COMPARE(m_b.model()->status(), QueryListModel::Ready);
        QTRY_COMPARE(m_b.names(), QStringList{u"Ada Lovelace"_s});

        // Enters: A renames Linus into the search.
        const int linus = m_a.rowOfName(u"Linus Torvalds"_s);
        QVERIFY(m_a.view()->model()->setData(m_a.view()->model()->index(linus, 0), u"Linus Lovelace"_s));
        QVERIFY(m_live.seen(
            [&] {
                return m_b.names() == QStringList{u"Ada Lovelace"_s, u"Linus Lovelace"_s};
            },
            "row entering the other's search"));
        // Leaves: A renames Ada out of it (her email does not match either).
        const int ada = m_a.rowOfName(u"Ada Lovelace"_s);
        QVERIFY(m_a.view()->model()->setData(m_a.view()->model()->index(ada, 0), u"Ada King"_s));
        QVERIFY(m_live.seen([&] { return m_b.names() == QStringList{u"Linus Lovelace"_s}; },
                            "row leaving the other's search"));
        search->clear();
        QTRY_COMPARE(m_b.model()->count(), 10);
        QTRY_COMPARE(m_b.names(), m_a.names());
        m_live.reportSlowest();
    }

    void cleanupTestCase()
    {
        m_b.window.reset();
        m_a.window.reset();
    }
};

QTEST_MAIN(TestContactsLive)
#include "tst_contacts_live.moc"
