// Our QFutures awaited through QCoro: GUI code can read top to bottom without nested
// continuations (docs/coroutines.md, whose example is doc_snippets_coroutines.h).

#include "doc_snippets_coroutines.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QCoroFuture>
#include <QCoroTask>

#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Coroutines : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_db;
    QString m_table;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("coro_"), u"c"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        m_table = TestServer::uniqueName("book_");
    }

    void awaitOpenThenCalls()
    {
        auto run = [this]() -> QCoro::Task<QVariantMap> {
            co_await m_db->open();
            co_return co_await saveAndReload(m_db->connection(), RecordId(m_table, u"dune"_s));
        };
        const QVariantMap record = QCoro::waitFor(run());
        QCOMPARE(record.value(u"title"_s).toString(), u"Dune"_s);
        QCOMPARE(record.value(u"read"_s).toBool(), true);
    }

    void failuresAreExceptions()
    {
        AWAIT_VOID(m_db->open());
        const Error e = QCoro::waitFor(failureInCoroutine(m_db->connection()));
        QCOMPARE(e.kind(), Error::Kind::Parse);
    }

    // A continuation attached elsewhere to the same future is not replaced by awaiting it.
    void awaitingKeepsOtherContinuations()
    {
        AWAIT_VOID(m_db->open());
        QFuture<QVariantList> rows = m_db->connection()->select(Table(m_table));
        int seenByContinuation = -1;
        QFuture<void> after =
            rows.then(this, [&](const QVariantList &list) { seenByContinuation = int(list.size()); });
        auto run = [rows]() -> QCoro::Task<qsizetype> { co_return (co_await rows).size(); };
        QCOMPARE(QCoro::waitFor(run()), qsizetype(1));
        QVERIFY(settle(after));
        QCOMPARE(seenByContinuation, 1);
    }
};

QTEST_MAIN(tst_Coroutines)
#include "tst_coroutines.moc"
