// Writes that collide in the engine: two clients writing one record at once, or the first writes
// to a table that does not exist yet, make the engine refuse one side with a retryable
// transaction conflict ("This transaction can be retried"). A one-record RPC write outside a
// transaction is one statement and one transaction on the server: refused, it changed nothing,
// so the library sends it again (docs/reliability.md, "Write conflicts") and the caller sees
// every write land.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/query.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>
#include <SurrealQt/transaction.h>

#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class HotRow : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(HotRow)
    Q_CLASSINFO("table", "hotmany")
    SURREALQT_FIELD(int, n, setN)
    SURREALQT_FIELD(int, by, setBy)
};

class tst_WriteConflicts : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_a, m_b;
    QString m_db;

    std::unique_ptr<DatabaseManager> manager()
    {
        auto m = std::make_unique<DatabaseManager>(TestServer::url(), u"conflicts"_s, m_db,
                                                   Credentials::root(TestServer::user(), TestServer::pass()));
        return m;
    }

    // Waits for every future and returns the errors, one line each.
    template<typename T>
    static QStringList failures(const QList<QFuture<T>> &futures)
    {
        QStringList out;
        for (const QFuture<T> &f : futures) {
            const Error e = failureOf(f, 60000);
            if (e.isValid())
                out << e.toString();
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = TestServer::uniqueName("wc_");
        m_a = manager();
        m_b = manager();
        AWAIT_VOID(m_a->open());
        AWAIT_VOID(m_b->open());
    }

    // Two clients merge different fields of one record, many in flight each: every merge lands
    // and the record ends with every field.
    void concurrentMergesOfOneRecordAllLand()
    {
        const RecordId id(u"hot"_s, 1);
        AWAIT(m_a->connection()->create(id, {{u"n"_s, 0}}));
        constexpr int PerClient = 150;
        QList<QFuture<QVariantMap>> all;
        for (int i = 0; i < PerClient; ++i) {
            all << m_a->connection()->merge(id, {{u"a%1"_s.arg(i), i}});
            all << m_b->connection()->merge(id, {{u"b%1"_s.arg(i), i}});
        }
        const QStringList failed = failures(all);
        QVERIFY2(failed.isEmpty(), qPrintable(u"%1 of %2 merges failed, first: %3"_s.arg(failed.size())
                                                  .arg(all.size())
                                                  .arg(failed.value(0))));
        // What the engine kept. Surreal-local's engine (3.0, memory storage) loses a few of
        // such concurrent merges although it answered them as written (docs/protocol-notes.md,
        // "Lost updates"): counted and shown, not asserted, since no client can change it.
        const QVariantMap stored = AWAIT(m_a->connection()->select(id));
        int lost = 0;
        for (int i = 0; i < PerClient; ++i)
            lost += int(!stored.contains(u"a%1"_s.arg(i))) + int(!stored.contains(u"b%1"_s.arg(i)));
        qInfo("%d merges answered, %d of them not in the stored record (the engine's lost updates)",
              int(all.size()), lost);
    }

    // The same through the write path every layer above the connection uses (a query that reads
    // the record back, sent again after a conflict like a write method): every merge lands.
    void concurrentWritePathMergesAllLand()
    {
        const RecordId id(u"hot"_s, 2);
        AWAIT(m_a->connection()->create(id, {{u"n"_s, 0}}));
        CrudHelpers a(m_a->connection());
        CrudHelpers b(m_b->connection());
        constexpr int PerClient = 150;
        QList<QFuture<QVariantMap>> all;
        for (int i = 0; i < PerClient; ++i) {
            all << a.updateOne(id, {{u"a%1"_s.arg(i), i}}, CrudHelpers::UpdateMode::Merge);
            all << b.updateOne(id, {{u"b%1"_s.arg(i), i}}, CrudHelpers::UpdateMode::Merge);
        }
        const QStringList failed = failures(all);
        QVERIFY2(failed.isEmpty(), qPrintable(u"%1 of %2 merges failed, first: %3"_s.arg(failed.size())
                                                  .arg(all.size())
                                                  .arg(failed.value(0))));
    }

    // The first writes of two clients to a table that does not exist yet: both create it, one
    // is refused with a conflict on the table's definition; every record is there afterwards.
    void firstWritesToANewTableAllLand()
    {
        for (int round = 0; round < 8; ++round) {
            const Table table(u"fresh_%1"_s.arg(round));
            QList<QFuture<QVariantMap>> all;
            for (int i = 0; i < 4; ++i) {
                all << m_a->connection()->create(RecordId(table.name(), qint64(2 * i + 1)),
                                                 {{u"by"_s, u"a"_s}});
                all << m_b->connection()->create(RecordId(table.name(), qint64(2 * i + 2)),
                                                 {{u"by"_s, u"b"_s}});
            }
            const QStringList failed = failures(all);
            QVERIFY2(failed.isEmpty(), qPrintable(u"round %1: %2 of %3 creates failed, first: %4"_s.arg(round)
                                                      .arg(failed.size())
                                                      .arg(all.size())
                                                      .arg(failed.value(0))));
            QCOMPARE(AWAIT(m_a->connection()->select(table)).size(), 8);
        }
    }

    // Query<T>::updateMany() and deleteMany() are filtered writes outside a transaction, one
    // statement each: refused with a conflict they changed nothing, so they are sent again like
    // the one-record writes. Two clients updating the same records at once: every call lands.
    void concurrentUpdateManyAllLand()
    {
        QList<QFuture<QVariantMap>> made;
        for (int i = 1; i <= 8; ++i)
            made << m_a->connection()->create(RecordId(u"hotmany"_s, i), {{u"n"_s, i}, {u"by"_s, 0}});
        QVERIFY(failures(made).isEmpty());
        const auto a = HotRow::objects(m_a->connection());
        const auto b = HotRow::objects(m_b->connection());
        constexpr int PerClient = 60;
        QList<QFuture<qint64>> all;
        for (int i = 0; i < PerClient; ++i) {
            all << a.updateMany(Condition(u"n__lte"_s, 8), {{u"by"_s, 1}});
            all << b.updateMany(Condition(u"n__lte"_s, 8), {{u"by"_s, 2}});
        }
        const QStringList failed = failures(all);
        QVERIFY2(failed.isEmpty(),
                 qPrintable(u"%1 of %2 updateMany calls failed, first: %3"_s.arg(failed.size())
                                .arg(all.size())
                                .arg(failed.value(0))));
        for (const QFuture<qint64> &f : std::as_const(all))
            QCOMPARE(f.result(), qint64(8));
        QList<QFuture<qint64>> removed{a.deleteMany(Condition(u"n__lte"_s, 4)),
                                       b.deleteMany(Condition(u"n__gt"_s, 4))};
        QVERIFY(failures(removed).isEmpty());
        QCOMPARE(removed.at(0).result() + removed.at(1).result(), qint64(8));
        QCOMPARE(AWAIT(m_a->connection()->select(Table(u"hotmany"_s))).size(), 0);
    }

    // A conflict inside a transaction is not resent by the library: the server cancels the
    // whole transaction, so only the caller can run it again. What the caller sees is a
    // retryable error, never a silent resend of one statement of it.
    void aQueryIsNeverResent()
    {
        const RecordId id(u"hotq"_s, 1);
        AWAIT(m_a->connection()->create(id, {{u"n"_s, 0}}));
        // `n += 1` in a query: a query sent again after a conflict would count once more than
        // the queries that reported success. (The engine may count fewer: its lost updates.)
        QList<QFuture<QueryResult>> all;
        for (int i = 0; i < 60; ++i) {
            all << m_a->connection()->query(u"UPDATE $id SET n += 1"_s, {{u"id"_s, QVariant::fromValue(id)}});
            all << m_b->connection()->query(u"UPDATE $id SET n += 1"_s, {{u"id"_s, QVariant::fromValue(id)}});
        }
        int succeeded = 0;
        for (const auto &f : std::as_const(all)) {
            QVERIFY(settle(f, 60000));
            try {
                if (f.result().isOk())
                    ++succeeded;
            } catch (const Exception &e) {
                QVERIFY2(e.error().isRetryable(), qPrintable(e.error().toString()));
            }
        }
        const QVariantMap stored = AWAIT(m_a->connection()->select(id));
        const int n = stored.value(u"n"_s).toInt();
        QVERIFY2(n <= succeeded, qPrintable(u"n = %1 after %2 successful queries"_s.arg(n).arg(succeeded)));
        qInfo("%d of %d queries succeeded, n = %d", succeeded, int(all.size()), n);
    }
};

QTEST_GUILESS_MAIN(tst_WriteConflicts)
#include "tst_writeconflicts.moc"
