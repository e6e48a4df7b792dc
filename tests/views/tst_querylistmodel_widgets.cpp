// QueryListModel and the typed ModelListModel behind real widget views: a QTableView (columns,
// in-place editing, scrolling that pages in rows through fetchMore) and QListViews, offscreen,
// against the real engine.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QSortFilterProxyModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QListView>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class WidgetContact : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(WidgetContact)
    Q_CLASSINFO("table", "contact")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, city, setCity)
};

class TestQueryListModelWidgets : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db =
            std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("viewsw_"), u"test"_s,
                                              Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db->open());
        const QueryResult r = AWAIT(m_db->connection()->query(
            u"DEFINE TABLE contact SCHEMALESS; FOR $i IN 1..=300 { CREATE type::record('contact', $i) "
            "SET name = 'Contact ' + <string>$i, city = 'Lyon' };"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
    }

    void tableViewPagesAndEdits()
    {
        QueryListModel model(m_db->connection());
        model.setTable(u"contact"_s);
        model.setColumns({u"name"_s, u"city"_s});
        model.setPageSize(50);
        model.setLive(true);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&proxy);
        view.resize(400, 300);
        view.show();
        QTRY_COMPARE(model.status(), QueryListModel::Ready);
        QTRY_VERIFY(model.rowCount() >= 50);
        QCOMPARE(proxy.headerData(0, Qt::Horizontal).toString(), u"name"_s);
        QCOMPARE(view.model()->data(view.model()->index(0, 0)).toString(), u"Contact 1"_s);
        // Scrolling to the end asks the model for more rows.
        const int before = model.rowCount();
        view.scrollToBottom();
        QTRY_VERIFY(model.rowCount() > before);

        // In-place edit through the view's model interface, as a delegate does.
        QVERIFY(proxy.setData(proxy.index(0, 0), u"Renamed"_s));
        QCOMPARE(proxy.data(proxy.index(0, 0)).toString(), u"Renamed"_s);
        QTRY_COMPARE(AWAIT(m_db->connection()->query(u"SELECT VALUE name FROM contact:1"_s))
                         .last()
                         .toList()
                         .value(0)
                         .toString(),
                     u"Renamed"_s);
    }

    void listViewShowsDisplayField()
    {
        QueryListModel model(m_db->connection());
        model.setTable(u"contact"_s);
        model.setDisplayField(u"name"_s);
        model.setPageSize(20);
        QListView view;
        view.setModel(&model);
        view.show();
        QTRY_COMPARE(model.status(), QueryListModel::Ready);
        QCOMPARE(model.data(model.index(2, 0)).toString(), u"Contact 3"_s);
        QVERIFY(view.visualRect(model.index(0, 0)).isValid());
    }

    // The typed model in a QListView behind a proxy: names shown, scrolling pages rows in, a
    // change made elsewhere reaches the view and the row's object, which the view's current
    // index hands out.
    void typedModelInListView()
    {
        std::unique_ptr<ModelListModel> model(ModelListModel::of<WidgetContact>(m_db->connection()));
        model->setDisplayField(u"name"_s);
        model->setPageSize(40);
        model->setLive(true);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(model.get());
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QListView view;
        view.setModel(&proxy);
        view.resize(300, 200);
        view.show();
        QTRY_COMPARE(model->status(), ModelListModel::Ready);
        QCOMPARE(proxy.data(proxy.index(4, 0)).toString(), u"Contact 5"_s);
        view.scrollToBottom();
        QTRY_VERIFY(model->rowCount() > 40);

        view.setCurrentIndex(proxy.index(2, 0));
        auto *contact = model->object<WidgetContact>(proxy.mapToSource(view.currentIndex()).row());
        QVERIFY(contact);
        QCOMPARE(contact->name(), u"Contact 3"_s);
        const QueryResult r = AWAIT(m_db->connection()->query(u"UPDATE contact:3 SET name = 'Renamed'"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QTRY_COMPARE(proxy.data(proxy.index(2, 0)).toString(), u"Renamed"_s);
        QCOMPARE(contact->name(), u"Renamed"_s);
        QVERIFY(view.visualRect(view.currentIndex()).isValid());
        AWAIT(m_db->connection()->query(u"UPDATE contact:3 SET name = 'Contact 3'"_s));
    }
};

QTEST_MAIN(TestQueryListModelWidgets)
#include "tst_querylistmodel_widgets.moc"
