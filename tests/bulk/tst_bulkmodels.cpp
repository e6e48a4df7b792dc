// Model-typed bulk writes (the seed's "bulk create/save of model objects") against a real
// SurrealDB: BulkOperations::bulkCreate / bulkSave go through the bulk layer's batches, report
// progress and per-object results at each object's index, and leave every object as save()
// would.

#include "../orm/testmodels.h"

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/syncbulkoperations.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <thread>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

using Status = BulkResult::ItemStatus;

QSharedPointer<User> newUser(int i)
{
    auto u = QSharedPointer<User>::create();
    u->setName(u"u%1"_s.arg(i));
    u->setEmail(u"u%1@example.org"_s.arg(i));
    u->setAge(i);
    return u;
}

qint64 countOf(Connection *c, const QString &filter = u"true"_s)
{
    const QueryResult r =
        SyncConnection(c).query(u"SELECT count() AS n FROM user WHERE "_s + filter + u" GROUP ALL"_s);
    const QVariantList rows = r.value(0).toList();
    return rows.isEmpty() ? 0 : rows.first().toMap().value(u"n"_s).toLongLong();
}

} // namespace

class tst_BulkModels : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_db;
    Connection *c() { return m_db->connection(); }

    // Waits for the future, which finishes on this thread once the objects were updated.
    static BulkResult resultOf(const QFuture<BulkResult> &f)
    {
        if (!settle(f, 60000))
            qFatal("bulk future did not finish in time");
        return f.result();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("bm_"), u"b"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        m_db->openSync();
    }

    void init()
    {
        SyncConnection(c()).query(u"REMOVE TABLE IF EXISTS user; DEFINE TABLE user SCHEMALESS;"
                                  "DEFINE INDEX user_email ON user FIELDS email UNIQUE;"_s);
    }

    void bulkCreateWritesAndLoadsEveryObject()
    {
        BulkOptions options;
        options.batchSize = 40;
        options.parallelism = 3;
        options.collectResults = false; // model calls collect anyway: the objects need them
        BulkOperations bulk(c(), options);
        QList<QSharedPointer<User>> users;
        for (int i = 0; i < 250; ++i)
            users.append(newUser(i));
        users[7]->setId(QVariant(u"user:seven"_s)); // a chosen id is kept
        QSignalSpy progress(&bulk, &BulkOperations::progress);
        QSignalSpy finished(&bulk, &BulkOperations::finished);
        QSignalSpy saved(users[3].data(), &Model::saved);

        const BulkResult r = resultOf(bulk.bulkCreate(users));
        QVERIFY2(r.isOk(), qPrintable(r.toError().toString()));
        QCOMPARE(r.total(), 250);
        QCOMPARE(r.results().size(), 250);
        // By the time the future finished, every object is stored and loaded, on this thread.
        for (int i = 0; i < users.size(); ++i) {
            const auto &u = users.at(i);
            QVERIFY(!u->isNew());
            QVERIFY(!u->isDirty());
            QCOMPARE(u->id().table(), u"user"_s);
            QVERIFY(u->createdAt().isValid()); // autoNowAdd, as save() sets it
            QCOMPARE(r.results().at(i).toMap().value(u"id"_s).value<RecordId>(), u->id());
        }
        QCOMPARE(users[7]->id(), RecordId(u"user"_s, u"seven"_s));
        QCOMPARE(saved.count(), 1);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(countOf(c()), 250);
        // Progress over the whole list, monotonic, ending at 250 of 250.
        QVERIFY(progress.count() >= 2);
        qint64 last = 0;
        for (const QList<QVariant> &args : std::as_const(progress)) {
            QVERIFY(args.at(0).toLongLong() >= last);
            last = args.at(0).toLongLong();
            QCOMPARE(args.at(1).toLongLong(), 250);
        }
        QCOMPARE(last, 250);
    }

    void bulkCreateReportsEachFailureAtItsIndex()
    {
        SyncConnection(c()).query(u"CREATE user SET name = 'taken', email = 'u3@example.org', age = 1"_s);
        BulkOptions options;
        options.batchSize = 4;
        options.ignoreErrors = true;
        BulkOperations bulk(c(), options);
        // Raw pointers work too (the caller keeps the objects alive).
        QObject owner;
        QList<User *> users;
        for (int i = 0; i < 10; ++i) {
            auto *u = new User(&owner);
            u->setName(u"u%1"_s.arg(i));
            u->setEmail(u"u%1@example.org"_s.arg(i));
            users.append(u);
        }
        users[8]->setEmail(u"u3@example.org"_s); // the unique index refuses both 3 and 8
        QSignalSpy failed(users[3], &Model::errorOccurred);
        const BulkResult r = resultOf(bulk.bulkCreate(users));
        QCOMPARE(r.successCount(), 8);
        QCOMPARE(r.errors().size(), 2);
        QCOMPARE(r.errors().at(0).index, 3);
        QCOMPARE(r.errors().at(1).index, 8);
        QCOMPARE(r.status(3), Status::Failed);
        QCOMPARE(r.status(4), Status::Written);
        QCOMPARE(failed.count(), 1);
        QVERIFY(users[3]->isNew());  // not written, state kept
        QVERIFY(!users[4]->isNew()); // written
        QCOMPARE(countOf(c()), 9);
    }

    void invalidObjectsRefuseTheWholeCall()
    {
        BulkOperations bulk(c());
        QList<QSharedPointer<User>> users{newUser(1), newUser(2), newUser(3)};
        users[1]->setName(QString()); // required
        QSignalSpy errors(&bulk, &BulkOperations::errorOccurred);
        const Error e = failureOf(bulk.bulkCreate(users));
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QCOMPARE(e.itemErrors().size(), 1);
        QCOMPARE(e.itemErrors().first().context(), u"objects[1]"_s);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(countOf(c()), 0); // nothing sent

        // bulkCreate is for new objects only.
        const BulkResult ok = resultOf(bulk.bulkCreate(QList<QSharedPointer<User>>{newUser(4)}));
        QVERIFY(ok.isOk());
        auto stored = User::objects(c()).firstSync();
        QVERIFY(stored);
        QCOMPARE(failureOf(bulk.bulkCreate(QList<QSharedPointer<User>>{stored})).kind(),
                 Error::Kind::Validation);
        // One table per call.
        auto post = QSharedPointer<blog::BlogPost>::create();
        post->setTitle(u"t"_s);
        const auto user = newUser(5);
        QList<Model *> mixed{user.get(), post.get()};
        QCOMPARE(failureOf(bulk.bulkSave(mixed)).kind(), Error::Kind::Validation);
    }

    void bulkSaveCreatesNewAndMergesStoredObjects()
    {
        BulkOperations bulk(c(), BulkOptions{.batchSize = 2, .ignoreErrors = true});
        QList<QSharedPointer<User>> first{newUser(1), newUser(2), newUser(3), newUser(4)};
        QVERIFY(resultOf(bulk.bulkCreate(first)).isOk());
        SyncConnection(c()).query(u"UPDATE user SET note = 'server side'"_s);
        SyncConnection(c()).query(u"DELETE $id"_s, {{u"id"_s, QVariant::fromValue(first[3]->id())}});

        // Stored and changed, stored and unchanged, new, stored but deleted meanwhile, new.
        first[0]->setAge(40);
        QList<QSharedPointer<User>> list{first[0], first[1], newUser(5), first[3], newUser(6)};
        first[3]->setAge(99);
        QSignalSpy progress(&bulk, &BulkOperations::progress);
        QSignalSpy savedUnchanged(first[1].data(), &Model::saved);
        QSignalSpy goneError(first[3].data(), &Model::errorOccurred);
        const BulkResult r = resultOf(bulk.bulkSave(list));
        QCOMPARE(r.total(), 5);
        QCOMPARE(r.status(0), Status::Written);
        QCOMPARE(r.status(1), Status::Written);
        QCOMPARE(r.status(2), Status::Written);
        QCOMPARE(r.status(3), Status::Failed);
        QCOMPARE(r.status(4), Status::Written);
        QCOMPARE(r.errors().size(), 1);
        QCOMPARE(r.errors().first().index, 3);
        QCOMPARE(r.errors().first().error.kind(), Error::Kind::NotFound);
        QCOMPARE(goneError.count(), 1);
        QCOMPARE(savedUnchanged.count(), 1);

        // The merge sent only the dirty field: the server-side field survives, and the object
        // was loaded from the stored record.
        const QVariantMap row = SyncConnection(c()).select(first[0]->id());
        QCOMPARE(row.value(u"age"_s).toInt(), 40);
        QCOMPARE(row.value(u"note"_s).toString(), u"server side"_s);
        QVERIFY(!first[0]->isDirty());
        QVERIFY(!list[2]->isNew());
        QVERIFY(!list[4]->isNew());
        QVERIFY(first[3]->isDirty()); // its write failed: still to be saved
        QCOMPARE(countOf(c()), 5);
        QCOMPARE(progress.last().at(0).toLongLong(), 5);
        QCOMPARE(progress.last().at(1).toLongLong(), 5);
    }

    // The blocking form, on a thread without an event loop (where the objects live): the same
    // batches, progress and per-object results, and the objects loaded when it returns.
    void syncBulkCreateAndSaveOnWorkerThread()
    {
        Connection *conn = c();
        QStringList failures;
        std::thread worker([conn, &failures] {
            auto check = [&](bool ok, const QString &what) {
                if (!ok)
                    failures.append(what);
            };
            SyncBulkOperations sync(conn, BulkOptions{.batchSize = 7});
            qint64 lastDone = -1;
            qint64 calls = 0;
            sync.setProgressCallback([&](qint64 done, qint64) {
                lastDone = done;
                ++calls;
            });
            QList<QSharedPointer<User>> users;
            for (int i = 0; i < 30; ++i)
                users.append(newUser(i));
            const BulkResult created = sync.bulkCreate(users);
            check(created.isOk() && created.total() == 30, u"bulkCreate: "_s + created.toError().toString());
            check(calls >= 2 && lastDone == 30, u"progress %1 calls, last %2"_s.arg(calls).arg(lastDone));
            for (const auto &u : std::as_const(users))
                check(!u->isNew() && !u->isDirty() && u->createdAt().isValid(), u"object not loaded"_s);
            users[0]->setAge(77);
            QList<QSharedPointer<User>> mixed{users[0], users[1], newUser(100)};
            const BulkResult saved = sync.bulkSave(mixed);
            check(saved.isOk() && saved.total() == 3, u"bulkSave: "_s + saved.toError().toString());
            check(!mixed[2]->isNew() && !users[0]->isDirty(), u"bulkSave objects not loaded"_s);
            check(SyncConnection(conn).select(users[0]->id()).value(u"age"_s).toInt() == 77, u"merged age"_s);
            // A call that cannot start throws, naming the object.
            Error::Kind refused = Error::Kind::NoError;
            try {
                sync.bulkCreate(QList<QSharedPointer<User>>{users[2]}); // already stored
            } catch (const Exception &e) {
                refused = e.error().kind();
            }
            check(refused == Error::Kind::Validation, u"stored object refused"_s);
        });
        worker.join();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u"; "_s)));
        QCOMPARE(countOf(c()), 31);
    }

    void cleanupTestCase() { m_db.reset(); }
};

QTEST_GUILESS_MAIN(tst_BulkModels)
#include "tst_bulkmodels.moc"
