// "Live across instances" for examples/qml-tasks, automated: two QQmlApplicationEngines load
// the example's own Main.qml (the file the app compiles in), each with its own Database, on one
// database of the real engine. Adding (the Add path), ticking "done" and deleting (clicks on the
// delegate's CheckBox and ✕ button) in one window show up in the other's ListView, at the row,
// within a bounded time; and the other's "Open" filter drops a task ticked done elsewhere.
//
// Two engines in one process rather than two processes: the test can read the other window's
// ListView delegates directly, and each engine still has its own Database (own connections and
// live query), which is what two app instances have.

#include "livewait.h"
#include "testserver.h"

#include <SurrealQt/querylistmodel.h>

#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

struct Instance
{
    std::unique_ptr<QQmlApplicationEngine> engine;
    QQuickWindow *window = nullptr;

    QQuickItem *item(const char *name) const { return window->findChild<QQuickItem *>(QLatin1String(name)); }
    QQuickItem *list() const { return item("taskList"); }
    QueryListModel *model() const
    {
        return qobject_cast<QueryListModel *>(list()->property("model").value<QObject *>());
    }
    int count() const { return list()->property("count").toInt(); }
    // The delegate the ListView shows for row i (it creates those in view).
    QQuickItem *delegate(int i) const
    {
        QQuickItem *d = nullptr;
        QMetaObject::invokeMethod(list(), "itemAtIndex", Q_RETURN_ARG(QQuickItem *, d), Q_ARG(int, i));
        return d;
    }
    // The list as the user reads it: "title" or "title ✓" per delegate.
    QStringList rows() const
    {
        QStringList out;
        for (int i = 0; i < count(); ++i) {
            QQuickItem *d = delegate(i);
            if (!d)
                return out;
            out.append(d->property("title").toString() +
                       (d->property("done").toBool() ? u" ✓"_s : QString()));
        }
        return out;
    }
    int rowOf(const QString &title) const
    {
        for (int i = 0; i < count(); ++i)
            if (QQuickItem *d = delegate(i); d && d->property("title").toString() == title)
                return i;
        return -1;
    }
    QQuickItem *child(QQuickItem *parent, const char *name) const
    {
        return parent ? parent->findChild<QQuickItem *>(QLatin1String(name)) : nullptr;
    }
    bool click(QQuickItem *target) const
    {
        if (!target || !target->isVisible())
            return false;
        const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        return true;
    }
};

} // namespace

class TestQmlTasksLive : public QObject
{
    Q_OBJECT

    QString m_ns;
    Instance m_a, m_b;
    LiveWait m_live;

    bool start(Instance *i, bool seed)
    {
        i->engine = std::make_unique<QQmlApplicationEngine>();
        i->engine->addImportPath(QStringLiteral(SURREALQT_QML_IMPORT_PATH));
        // The properties main.cpp sets, plus the namespace (default "examples").
        i->engine->setInitialProperties({{u"url"_s, TestServer::url()},
                                         {u"user"_s, TestServer::user()},
                                         {u"password"_s, TestServer::pass()},
                                         {u"seedDemoData"_s, seed},
                                         {u"databaseNamespace"_s, m_ns}});
        i->engine->load(QUrl::fromLocalFile(QStringLiteral(QML_TASKS_MAIN)));
        if (i->engine->rootObjects().isEmpty())
            return false;
        i->window = qobject_cast<QQuickWindow *>(i->engine->rootObjects().constFirst());
        if (!i->window)
            return false;
        // "loaded" is what the app's --screenshot waits for: the model is Ready with rows.
        return QTest::qWaitFor([i] { return i->window->property("loaded").toBool(); }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ns = TestServer::uniqueName("qmltasks_live_");
        QVERIFY(start(&m_a, true)); // seeds five tasks
        QVERIFY(start(&m_b, false));
        QTRY_COMPARE(m_b.count(), 5);
        QTRY_COMPARE(m_b.rows().size(), 5);
        QCOMPARE(m_a.rows(), m_b.rows());
    }

    void addInOneShowsInTheOther()
    {
        // What typing a title and pressing Enter (or Add) runs.
        QQuickItem *title = m_a.item("newTitle");
        QVERIFY(title);
        title->setProperty("text", u"Water the plants"_s);
        QVERIFY(QMetaObject::invokeMethod(m_a.window, "addTask"));
        // Ordered by creation time: the new task is the last row.
        QVERIFY(
            m_live.seen([&] { return m_b.count() == 6 && m_b.rowOf(u"Water the plants"_s) == 5; }, "add"));
        QCOMPARE(m_b.rows().last(), u"Water the plants"_s);
        QTRY_COMPARE(m_a.rows(), m_b.rows());
        QCOMPARE(m_b.model()->recordId(5), m_a.model()->recordId(5));
        // The other window's LiveQuery says so; the adding window does not tell itself.
        QTRY_COMPARE(m_b.item("statusLine")->property("text").toString(),
                     u"Added elsewhere: Water the plants"_s);
        QVERIFY(!m_a.item("statusLine")->property("text").toString().startsWith(u"Added elsewhere"_s));
    }

    void renameInOneShowsInTheOther()
    {
        // Click a row (it becomes the current one), then ✎: a dialog bound to a Record.
        const int row = m_a.rowOf(u"Try the contacts example"_s);
        QVERIFY(row >= 0);
        QVERIFY(m_a.click(m_a.delegate(row)));
        QTRY_COMPARE(m_a.list()->property("currentIndex").toInt(), row);
        QVERIFY(m_a.click(m_a.item("renameButton")));
        QQuickItem *field = m_a.item("renameField");
        QVERIFY(field);
        QTRY_VERIFY(field->isVisible() &&
                    field->property("text").toString() == u"Try the contacts example"_s);
        QQuickItem *save = m_a.item("renameSave");
        QVERIFY(!save->isEnabled());                              // nothing edited yet
        field->setProperty("text", u"Try the library example"_s); // as typed
        QTRY_VERIFY(save->isEnabled());
        QVERIFY(m_a.click(save));
        QTRY_VERIFY(!field->isVisible()); // closed once saved
        QVERIFY(m_live.seen([&] { return m_b.rowOf(u"Try the library example"_s) == row; }, "rename"));
        QTRY_COMPARE(m_a.rows(), m_b.rows());
    }

    void toggleInOneShowsInTheOther()
    {
        const int row = m_a.rowOf(u"Water the plants"_s);
        QVERIFY(row >= 0);
        QVERIFY(m_a.click(m_a.child(m_a.delegate(row), "doneBox")));
        QVERIFY(m_live.seen([&] { return m_b.rows().value(row) == u"Water the plants ✓"_s; }, "toggle done"));
        QCOMPARE(m_b.rows(), m_a.rows());
        // And back, from the other window.
        QVERIFY(m_b.click(m_b.child(m_b.delegate(row), "doneBox")));
        QVERIFY(m_live.seen([&] { return m_a.rows().value(row) == u"Water the plants"_s; }, "toggle back"));
    }

    void filterInTheOtherFollowsToggles()
    {
        // B shows only open tasks; A ticks one done: it leaves B's list.
        QQuickItem *combo = m_b.item("showFilter");
        QVERIFY(combo);
        // What B should show: A's open tasks, in A's order.
        auto openInA = [this] {
            QStringList open;
            for (const QString &r : m_a.rows())
                if (!r.endsWith(u" ✓"_s))
                    open.append(r);
            return open;
        };
        const QStringList open = openInA();
        QCOMPARE(open.size(), 4); // three seeded open tasks and the new one
        QCOMPARE(open.last(), u"Water the plants"_s);
        combo->setProperty("currentIndex", 1); // "Open"
        QVERIFY(m_live.seen([&] { return m_b.rows() == open; }, "filter applied"));
        const int row = m_a.rowOf(u"Water the plants"_s);
        QVERIFY(m_a.click(m_a.child(m_a.delegate(row), "doneBox")));
        QVERIFY(m_live.seen([&] { return m_b.rows() == open.mid(0, 3); }, "task leaving the other's filter"));
        // Unticked again in A: it comes back at its place (ordered by creation: last).
        QVERIFY(m_a.click(m_a.child(m_a.delegate(row), "doneBox")));
        QVERIFY(m_live.seen([&] { return m_b.rows() == open; }, "task entering the other's filter"));
        combo->setProperty("currentIndex", 0);
        QTRY_COMPARE(m_b.count(), 6);
        QTRY_COMPARE(m_b.rows(), m_a.rows());
        QCOMPARE(m_b.rows().size(), 6);
    }

    void deleteInOneShowsInTheOther()
    {
        const int row = m_a.rowOf(u"Water the plants"_s);
        QVERIFY(row >= 0);
        const QVariant id = m_a.model()->recordId(row);
        QVERIFY(m_a.click(m_a.child(m_a.delegate(row), "removeButton")));
        QVERIFY(m_live.seen([&] { return m_b.count() == 5 && m_b.model()->rowOf(id) < 0; }, "delete"));
        QTRY_COMPARE(m_b.rows().size(), 5);
        QCOMPARE(m_b.rowOf(u"Water the plants"_s), -1);
        QTRY_COMPARE(m_a.rows(), m_b.rows());
        m_live.reportSlowest();
    }

    void cleanupTestCase()
    {
        m_b.engine.reset();
        m_a.engine.reset();
    }
};

QTEST_MAIN(TestQmlTasksLive)
#include "tst_qmltasks_live.moc"
