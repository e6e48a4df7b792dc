// Runs the documentation's examples (doc_snippets_helpers.cpp) against a real server.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/pagecursor.h>

#include <QtConcurrent/QtConcurrent>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace DocSnippets {
void asyncExample(DatabaseManager *db, QObject *context);
qint64 syncExample(Connection *connection);
QVariantList upsertExample(Connection *connection);
QVariantList pagerExample(Connection *connection);
void asyncPagerExample(const PageCursor &cursor, QObject *context, std::function<void(QVariantList)> append);
} // namespace DocSnippets

class tst_CrudHelpersDocs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snippetsRun()
    {
        QVERIFY2(TestServer::url().isValid(), "no server");
        // Outlives the manager: the pager's last fetch (past the 4th row) may still be in flight
        // when the test ends, and a then(context, ...) whose context died first asserts in Qt
        // 6.4 debug builds (seen under the ASan build, 1 run in 3).
        QObject context;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        QVERIFY(
            AWAIT(
                c->query(u"DEFINE TABLE person SCHEMALESS; DEFINE INDEX person_name ON person FIELDS name"_s))
                .isOk());
        // The sync examples block: run them off this thread.
        auto adults = QtConcurrent::run([c] { return DocSnippets::syncExample(c); });
        QVERIFY(settle(adults));
        QCOMPARE(adults.result(), 1);
        auto upserted = QtConcurrent::run([c] { return DocSnippets::upsertExample(c); });
        QVERIFY(settle(upserted));
        QCOMPARE(upserted.result().size(), 2);
        DocSnippets::asyncExample(&db, &context);
        QTRY_COMPARE(AWAIT(c->query(u"SELECT count() FROM person GROUP ALL"_s))
                         .last()
                         .toList()
                         .value(0)
                         .toMap()
                         .value(u"count"_s)
                         .toInt(),
                     4);
        auto everyone = QtConcurrent::run([c] { return DocSnippets::pagerExample(c); });
        QVERIFY(settle(everyone));
        QCOMPARE(everyone.result().size(), 1); // only the first Ann is 18 now
        QVariantList rows;
        DocSnippets::asyncPagerExample(PageCursor(c, u"person"_s, 1), &context,
                                       [&rows](const QVariantList &page) { rows += page; });
        QTRY_COMPARE(rows.size(), 4);
    }
};

QTEST_GUILESS_MAIN(tst_CrudHelpersDocs)
#include "tst_crudhelpers_docs.moc"
