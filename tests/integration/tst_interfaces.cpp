// Issue 14, items 7 and 8: a Transaction and a Channel offer only the calls that are valid
// inside them (checked at compile time), and the blocking calls live in SyncConnection, with a
// throwing and a non-throwing (lastError()) form, against a real SurrealDB.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// --- Compile time: what each class offers -------------------------------------------------

template<typename C>
concept HasUpdate = requires(C *c, const RecordId &id)
{
    c->update(id, QVariantMap());
};
template<typename C>
concept HasPatch = requires(C *c, const RecordId &id)
{
    c->patch(id, QVariantList());
};
template<typename C>
concept HasRelate = requires(C *c, const RecordId &id, const Table &t)
{
    c->relate(id, t, id);
};
template<typename C>
concept HasRun = requires(C *c)
{
    c->run(QString());
};
template<typename C>
concept HasUse = requires(C *c)
{
    c->use(QString(), QString());
};
template<typename C>
concept HasLet = requires(C *c)
{
    c->let(QString(), QVariant());
};
template<typename C>
concept HasSignin = requires(C *c, const Credentials &cr)
{
    c->signin(cr);
};
template<typename C>
concept HasTransaction = requires(C *c)
{
    c->transaction();
};
template<typename C>
concept HasChannel = requires(C *c)
{
    c->channel();
};
template<typename C>
concept HasLive = requires(C *c, const Table &t)
{
    c->live(t);
};
template<typename C>
concept HasExport = requires(C *c)
{
    c->exportDatabase();
};
template<typename C>
concept HasQuery = requires(C *c)
{
    c->query(QString());
};
template<typename C>
concept HasCrud = requires(C *c, const RecordId &id, const Table &t)
{
    c->select(id);
    c->create(id);
    c->insert(t, QVariantMap());
    c->upsert(id, QVariantMap());
    c->merge(id, QVariantMap());
    c->remove(id);
};
// Any blocking twin left on the asynchronous classes.
template<typename C>
concept HasSyncTwin = requires(C *c, const RecordId &id)
{
    c->querySync(QString());
}
|| requires(C *c, const RecordId &id)
{
    c->selectSync(id);
}
|| requires(C *c)
{
    c->callSync(QString());
}
|| requires(C *c)
{
    c->useSync(QString(), QString());
};

// A transaction: query and the record calls SurrealDB 3 runs inside it; nothing else.
static_assert(HasQuery<Transaction> && HasCrud<Transaction>);
static_assert(!HasUpdate<Transaction>, "update commits on its own in SurrealDB 3.0");
static_assert(!HasPatch<Transaction>, "patch commits on its own in SurrealDB 3.0");
static_assert(!HasRelate<Transaction>, "relate commits on its own in SurrealDB 3.0");
static_assert(!HasRun<Transaction>, "run commits on its own in SurrealDB 3.0");
static_assert(!HasUse<Transaction> && !HasLet<Transaction> && !HasSignin<Transaction>);
static_assert(!HasTransaction<Transaction> && !HasChannel<Transaction> && !HasLive<Transaction>);
static_assert(!HasExport<Transaction>);

// A channel: every data call and live queries, in call order; no session changes.
static_assert(HasQuery<Channel> && HasCrud<Channel> && HasUpdate<Channel> && HasPatch<Channel>);
static_assert(HasRelate<Channel> && HasRun<Channel> && HasLive<Channel>);
static_assert(!HasUse<Channel> && !HasLet<Channel> && !HasSignin<Channel>);
static_assert(!HasTransaction<Channel> && !HasChannel<Channel> && !HasExport<Channel>);

// A connection: all of it.
static_assert(HasQuery<Connection> && HasCrud<Connection> && HasUpdate<Connection> && HasRun<Connection>);
static_assert(HasUse<Connection> && HasSignin<Connection> && HasTransaction<Connection> &&
              HasChannel<Connection> && HasLive<Connection> && HasExport<Connection>);

// The blocking calls are SyncConnection's, not the asynchronous classes'.
static_assert(!HasSyncTwin<Connection> && !HasSyncTwin<Transaction> && !HasSyncTwin<Channel>);

// --- Run time ------------------------------------------------------------------------------

class tst_Interfaces : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> makeManager(const QUrl &url, const QString &db = u"ifaces"_s)
    {
        auto m = std::make_unique<DatabaseManager>(url, m_ns, db,
                                                   Credentials::root(TestServer::user(), TestServer::pass()));
        m->setRequestTimeout(std::chrono::seconds(15));
        return m;
    }

    // Code written once for anything that runs queries: a connection, a channel, a transaction.
    // (Each call awaited: on a pool, calls made one after another may run in any order.)
    static QFuture<QVariantMap> writeAndRead(QueryInterface *target, const RecordId &id)
    {
        AWAIT(target->create(id, {{u"v"_s, 1}}));
        AWAIT(target->merge(id, {{u"w"_s, 2}}));
        return target->select(id);
    }

    QString m_ns;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("ifaces_");
    }

    void oneCodePathForAllThree()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("one_");
        QCOMPARE(AWAIT(writeAndRead(m->connection(), RecordId(tb, 1))).value(u"w"_s).toInt(), 2);
        std::unique_ptr<Channel> ch(m->connection()->channel());
        QCOMPARE(AWAIT(writeAndRead(ch.get(), RecordId(tb, 2))).value(u"w"_s).toInt(), 2);
        std::unique_ptr<Transaction> tx(m->connection()->transaction());
        QFuture<QVariantMap> inside = writeAndRead(tx.get(), RecordId(tb, 3));
        QCOMPARE(AWAIT(inside).value(u"w"_s).toInt(), 2);
        // Not visible outside before commit, then visible: the calls ran inside the transaction.
        QVERIFY(AWAIT(m->connection()->select(RecordId(tb, 3))).isEmpty());
        AWAIT_VOID(tx->commit());
        QCOMPARE(AWAIT(m->connection()->select(RecordId(tb, 3))).value(u"v"_s).toInt(), 1);
    }

    // The by-name escape hatch still refuses what would escape the transaction or the session.
    void rawCallsStillChecked()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        std::unique_ptr<Transaction> tx(m->connection()->transaction());
        const Error e = failureOf(tx->call(u"update"_s, {QVariant::fromValue(RecordId(u"x"_s, 1))}));
        QCOMPARE(e.kind(), Error::Kind::Validation);
        AWAIT_VOID(tx->cancel());
        std::unique_ptr<Channel> ch(m->connection()->channel());
        const Error s = failureOf(ch->call(u"use"_s, {u"other"_s, u"other"_s}));
        QCOMPARE(s.kind(), Error::Kind::Validation);
        QCOMPARE(AWAIT(ch->query(u"RETURN 1"_s)).value(0).toInt(), 1);
    }

    // Item 8: the blocking calls, throwing by default and reporting through lastError() on request.
    void syncConnectionThrowsOrReports()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const RecordId id(TestServer::uniqueName("sync_"), 1);
        Connection *c = m->connection();
        auto worker = QtConcurrent::run([c, id] {
            QStringList failures;
            auto check = [&](bool ok, const char *what) {
                if (!ok)
                    failures.append(QString::fromLatin1(what));
            };
            SyncConnection sync(c);
            check(sync.create(id, {{u"v"_s, 1}}).value(u"v"_s).toInt() == 1, "create");
            check(sync.merge(id, {{u"w"_s, 2}}).value(u"w"_s).toInt() == 2, "merge");
            check(sync.query(u"RETURN $x"_s, {{u"x"_s, 5}}).value(0).toInt() == 5, "query");
            check(sync.let(u"y"_s, 7) && !sync.lastError().isValid(), "let");
            check(sync.select(id).value(u"w"_s).toInt() == 2, "select");
            check(!sync.version().isEmpty(), "version");
            // Throwing form: the failure is an exception carrying the error, and lastError() too.
            Error::Kind thrown = Error::Kind::NoError;
            try {
                sync.select(RecordId());
            } catch (const Exception &e) {
                thrown = e.error().kind();
            }
            check(thrown == Error::Kind::Validation, "throws Validation");
            check(sync.lastError().kind() == Error::Kind::Validation, "lastError after throw");
            // Non-throwing form: an empty value, and the error in lastError().
            SyncConnection quiet(c, SyncConnection::ErrorMode::Report);
            check(quiet.select(RecordId()).isEmpty(), "report: empty value");
            check(quiet.lastError().kind() == Error::Kind::Validation, "report: lastError");
            check(quiet.run(u"fn::does_not_exist"_s).isNull() && quiet.lastError().isValid(),
                  "report: failed run");
            check(quiet.select(id).value(u"v"_s).toInt() == 1, "report: success");
            check(!quiet.lastError().isValid(), "report: success clears lastError");
            const QueryResult bad = quiet.query(u"RETURN 1; THROW \"boom\"; RETURN 2"_s);
            check(!bad.isOk() && bad.value(2).toInt() == 2 && !quiet.lastError().isValid(),
                  "statement errors stay in the result");
            (void)quiet.query(u"SELEC nothing"_s); // a parse error fails the whole request
            check(quiet.lastError().kind() == Error::Kind::Parse, "report: parse error");
            return failures;
        });
        const QStringList failures = AWAIT(worker);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u", "_s)));

        // A void call gives false; once the connection is gone, calls fail with Cancelled.
        auto other = makeManager(TestServer::url());
        AWAIT_VOID(other->open());
        SyncConnection gone(other->connection(), SyncConnection::ErrorMode::Report);
        QVERIFY(gone.ping());
        other.reset();
        QVERIFY(!gone.ping());
        QCOMPARE(gone.lastError().kind(), Error::Kind::Cancelled);
        QVERIFY(gone.connection() == nullptr);
    }

    // Item 4: a bulk job and a page cursor send their next request from the I/O thread. They read
    // a QPointer<Connection> there while the owner deleted the connection in its own thread: a
    // request could reach a half-destroyed pool. Now the deletion waits for a send in progress,
    // and later sends fail with Cancelled. The deletion lands at varying points across rounds.
    void bulkAndCursorOutliveTheirConnection()
    {
        const QString tb = TestServer::uniqueName("gone_");
        {
            auto m = makeManager(TestServer::url());
            AWAIT_VOID(m->open());
            QVERIFY(AWAIT(m->connection()->query(
                              u"FOR $i IN 1..=300 { CREATE type::record($tb, $i) SET v = $i }"_s,
                              {{u"tb"_s, tb}}))
                        .isOk());
        }
        QElapsedTimer total;
        total.start();
        int rounds = 0;
        for (; rounds < 40 && total.elapsed() < 8000; ++rounds) {
            auto m = makeManager(TestServer::url());
            AWAIT_VOID(m->open());
            BulkOperations bulk(m->connection(), BulkOptions{.batchSize = 3, .parallelism = 2});
            QVariantList rows;
            for (int i = 0; i < 120; ++i)
                rows.append(QVariantMap{{u"v"_s, i}});
            QFuture<BulkResult> written = bulk.bulkInsert(tb + u"_w"_s, rows);
            PageCursor cursor(m->connection(), Table(tb), 7);
            QFuture<PageCursor::Page> page = cursor.fetch();
            QElapsedTimer wait;
            wait.start();
            const qint64 delayUs = (rounds * 1237) % 20000; // 0..20 ms
            while (wait.nsecsElapsed() < delayUs * 1000)
                QCoreApplication::processEvents();
            m.reset(); // deletes the pool while the job and the cursor are sending
            QVERIFY2(settle(written, 20000), "the bulk job hung after its connection was deleted");
            QVERIFY2(settle(page, 20000), "the page hung after its connection was deleted");
        }
        QVERIFY(rounds >= 5);
    }

    // Item 8, the other blocking adaptors: the same two forms as SyncConnection. Report mode
    // throws nothing, gives an empty value and says why in lastError(); a success clears it.
    void syncAdaptorsThrowOrReport()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("adapt_");
        Connection *c = m->connection();

        // SyncCrudHelpers
        SyncCrudHelpers quietCrud(c, SyncCrudHelpers::ErrorMode::Report);
        QCOMPARE(quietCrud.errorMode(), SyncConnection::ErrorMode::Report);
        QVERIFY(quietCrud.insertOne(u"per son"_s, {{u"v"_s, 1}}).isEmpty());
        QCOMPARE(quietCrud.lastError().kind(), Error::Kind::Validation);
        QVERIFY(!quietCrud.selectOne(u"not an id"_s).has_value());
        QCOMPARE(quietCrud.lastError().kind(), Error::Kind::Validation);
        QCOMPARE(quietCrud.count(u"no_such_table_here"_s), qint64(0));
        QCOMPARE(quietCrud.lastError().kind(), Error::Kind::NotFound);
        QCOMPARE(quietCrud.insertOne(tb, {{u"id"_s, 1}, {u"v"_s, 1}}).value(u"v"_s).toInt(), 1);
        QVERIFY(!quietCrud.lastError().isValid());
        QVERIFY(quietCrud.updateOne(RecordId(tb, 99), {{u"v"_s, 2}}).isEmpty());
        QCOMPARE(quietCrud.lastError().kind(), Error::Kind::NotFound);
        QVERIFY(quietCrud.exists(RecordId(tb, 1)));
        QVERIFY(!quietCrud.lastError().isValid());
        SyncCrudHelpers loudCrud(c);
        QVERIFY_THROWS_EXCEPTION(Exception, loudCrud.insertOne(u"per son"_s, {{u"v"_s, 1}}));
        QCOMPARE(loudCrud.lastError().kind(), Error::Kind::Validation);

        // SyncBulkOperations: a job that cannot start; per-input failures stay in the result.
        SyncBulkOperations quietBulk(c, BulkOptions{.batchSize = 0}, SyncConnection::ErrorMode::Report);
        const BulkResult none = quietBulk.bulkInsert(tb, QVariantList{QVariantMap{{u"v"_s, 1}}});
        QCOMPARE(none.successCount(), qint64(0));
        QCOMPARE(quietBulk.lastError().kind(), Error::Kind::Validation);
        quietBulk.setOptions(BulkOptions{});
        const BulkResult two =
            quietBulk.bulkInsert(tb, QVariantList{QVariantMap{{u"v"_s, 2}}, QVariantMap{{u"v"_s, 3}}});
        QCOMPARE(two.successCount(), qint64(2));
        QVERIFY(!quietBulk.lastError().isValid());
        SyncBulkOperations loudBulk(c, BulkOptions{.batchSize = 0});
        QVERIFY_THROWS_EXCEPTION(Exception, loudBulk.bulkInsert(tb, QVariantList{QVariantMap{{u"v"_s, 1}}}));
        QCOMPARE(loudBulk.lastError().kind(), Error::Kind::Validation);

        // SyncSingleConnection: the Error * form of executeWithRetry retries a retryable
        // failure, and reports (or throws) one that stays.
        SingleConnection single(c); // the manager's pool, wrapped
        SyncSingleConnection quietSingle(&single, SyncConnection::ErrorMode::Report);
        QVERIFY(quietSingle.ensureConnected());
        int calls = 0;
        const QVariant v = quietSingle.executeWithRetry([&calls](Connection *conn, Error *error) {
            if (++calls == 1) {
                *error = Error(Error::Kind::Timeout, u"first attempt"_s);
                return QVariant();
            }
            SyncConnection quiet(conn, SyncConnection::ErrorMode::Report);
            const QVariant pong = quiet.query(u"RETURN 42"_s).value(0);
            *error = quiet.lastError();
            return pong;
        });
        QCOMPARE(v.toInt(), 42);
        QCOMPARE(calls, 2);
        QVERIFY(!quietSingle.lastError().isValid());
        calls = 0;
        const QVariant refused = quietSingle.executeWithRetry([&calls](Connection *, Error *error) {
            ++calls;
            *error = Error(Error::Kind::NotAllowed, u"never"_s);
            return QVariant(1);
        });
        QVERIFY(!refused.isValid());
        QCOMPARE(calls, 1);
        QCOMPARE(quietSingle.lastError().kind(), Error::Kind::NotAllowed);
        SyncSingleConnection loudSingle(&single);
        QVERIFY_THROWS_EXCEPTION(Exception, loudSingle.executeWithRetry([](Connection *, Error *error) {
            *error = Error(Error::Kind::NotAllowed, u"never"_s);
            return QVariant();
        }));
        QCOMPARE(loudSingle.lastError().kind(), Error::Kind::NotAllowed);

        // SyncConnectionPool: after closeAll() no socket can be acquired.
        auto p = makeManager(TestServer::url());
        AWAIT_VOID(p->open());
        SyncConnectionPool quietPool(p->pool(), SyncConnection::ErrorMode::Report);
        QCOMPARE(quietPool.executeWithConnection([](Connection *conn) {
            return SyncConnection(conn).query(u"RETURN 7"_s).value(0).toInt();
        }),
                 7);
        QVERIFY(!quietPool.lastError().isValid());
        QVERIFY(quietPool.closeAll());
        QVERIFY(!quietPool.acquire().isValid());
        QCOMPARE(quietPool.lastError().kind(), Error::Kind::Cancelled);
        bool ran = false;
        QCOMPARE(quietPool.executeWithConnection([&ran](Connection *) {
            ran = true;
            return 1;
        }),
                 0);
        QVERIFY(!ran);
        QCOMPARE(quietPool.lastError().kind(), Error::Kind::Cancelled);
        SyncConnectionPool loudPool(p->pool());
        QVERIFY_THROWS_EXCEPTION(Exception, (void)loudPool.acquire());
        QCOMPARE(loudPool.lastError().kind(), Error::Kind::Cancelled);
    }

    // Error::kindName() is the enumerator's name, as QML's error.kindName.
    void errorKindName()
    {
        QCOMPARE(Error().kindName(), u"NoError"_s);
        QCOMPARE(Error(Error::Kind::NotFound, u"x"_s).kindName(), u"NotFound"_s);
        QCOMPARE(Error(Error::Kind::AlreadyExists, u"x"_s).kindName(), u"AlreadyExists"_s);
    }

    // insertRelation has typed overloads (Table with one edge or a list), as insert() has.
    void typedInsertRelation()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QString tb = TestServer::uniqueName("rel_");
        const RecordId a(tb, u"a"_s), b(tb, u"b"_s), cc(tb, u"c"_s);
        for (const RecordId &id : {a, b, cc})
            AWAIT(c->create(id));
        const Table likes(tb + u"_likes"_s);
        const QVariantMap one = AWAIT(c->insertRelation(
            likes, QVariantMap{{u"in"_s, QVariant::fromValue(a)}, {u"out"_s, QVariant::fromValue(b)}}));
        QCOMPARE(one.value(u"in"_s).value<RecordId>(), a);
        QCOMPARE(one.value(u"id"_s).value<RecordId>().table(), likes.name());
        const QVariantList two = SyncConnection(c).insertRelation(
            likes, QVariantList{
                       QVariantMap{{u"in"_s, QVariant::fromValue(b)}, {u"out"_s, QVariant::fromValue(cc)}},
                       QVariantMap{{u"in"_s, QVariant::fromValue(cc)}, {u"out"_s, QVariant::fromValue(a)}}});
        QCOMPARE(two.size(), 2);
        QCOMPARE(AWAIT(c->query(u"RETURN count(SELECT * FROM type::table($t))"_s, {{u"t"_s, likes.name()}}))
                     .value(0)
                     .toInt(),
                 3);
        QCOMPARE(failureOf(c->insertRelation(Table(), QVariantMap())).kind(), Error::Kind::Validation);
    }

    // On the I/O thread nobody can wait: refused (thrown, or reported), never a deadlock.
    void syncConnectionRefusesIoThread()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        QFuture<int> kind = c->query(u"RETURN 1"_s).then([c](const QueryResult &) {
            SyncConnection quiet(c, SyncConnection::ErrorMode::Report);
            quiet.query(u"RETURN 2"_s);
            return int(quiet.lastError().kind());
        });
        QCOMPARE(Error::Kind(AWAIT(kind)), Error::Kind::Validation);
    }
};

QTEST_GUILESS_MAIN(tst_Interfaces)
#include "tst_interfaces.moc"
