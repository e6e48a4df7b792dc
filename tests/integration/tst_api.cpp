// The connection layer's public API as a user meets it, against a real SurrealDB:
// error kinds, typed arguments, ordering, the manager's single voice.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace IoThreadCheck {
// The manager's I/O thread is the one named "SurrealQt I/O".
inline bool isIo()
{
    return QThread::currentThread()->objectName() == u"SurrealQt I/O"_s;
}
} // namespace IoThreadCheck

// live(table, x) compiles for these second arguments only.
template<typename Arg>
concept LiveAccepts = requires(Connection *c, const Table &t, Arg a)
{
    c->live(t, a);
};

class tst_Api : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> makeManager(const QUrl &url, const QString &db = u"api"_s,
                                                 const Credentials &credentials = {},
                                                 const ConnectionOptions &options = {})
    {
        auto m = std::make_unique<DatabaseManager>(
            url, m_ns, db,
            credentials.isEmpty() ? Credentials::root(TestServer::user(), TestServer::pass()) : credentials,
            options);
        m->setRequestTimeout(std::chrono::seconds(15));
        return m;
    }

    // Three sockets signed in as nobody, for signup() on a pool.
    std::unique_ptr<DatabaseManager> anonymousPool(const QString &db) const
    {
        return std::make_unique<DatabaseManager>(TestServer::url(), m_ns, db, Credentials(),
                                                 ConnectionOptions{.poolSize = 3});
    }

    // A member account of db (defineMemberAccess()), by name.
    Credentials member(const QString &db, const QString &name) const
    {
        return Credentials::recordAccess(m_ns, db, u"member"_s, {{u"name"_s, name}});
    }

    // Record users of table member, signed up by name, who may read their own record only.
    static void defineMemberAccess(DatabaseManager *admin)
    {
        AWAIT_VOID(admin->open());
        const QueryResult r = AWAIT(admin->connection()->query(
            u"DEFINE TABLE member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
            "DEFINE ACCESS member ON DATABASE TYPE RECORD"
            " SIGNUP (CREATE member SET name = $name) SIGNIN (SELECT * FROM member WHERE name = $name)"
            " DURATION FOR SESSION 1h;"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
    }

    static QString sessionIdOf(Connection *c)
    {
        const QueryResult r = AWAIT(c->query(u"RETURN session::id()"_s));
        return r.value(0).toString();
    }

    QString m_ns;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("api_");
    }

    // Each kind a caller branches on really arises from the engine, with the server's own
    // kind and message kept alongside.
    void errorKindsFromTheEngine_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::newRow("ws") << TestServer::url();
        QTest::newRow("http") << TestServer::httpUrl();
    }
    void errorKindsFromTheEngine()
    {
        QFETCH(QUrl, url);
        const QString db = TestServer::uniqueName("errs_");
        auto m = makeManager(url, db);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QueryResult setup = AWAIT(
            c->query(u"DEFINE TABLE person SCHEMAFULL PERMISSIONS FOR select, create, update, delete FULL;"
                     "DEFINE FIELD email ON person TYPE string; DEFINE FIELD age ON person TYPE int;"
                     "DEFINE INDEX person_email ON person FIELDS email UNIQUE;"
                     "DEFINE TABLE secret PERMISSIONS NONE;"
                     "DEFINE FUNCTION fn::secret() { RETURN 1; } PERMISSIONS NONE;"
                     "DEFINE ACCESS member ON DATABASE TYPE RECORD SIGNUP (CREATE member SET name = $name)"
                     " SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;"
                     "CREATE person:1 SET email = $email, age = 30;"_s,
                     {{u"email"_s, u"ann@example.com"_s}}));
        QVERIFY2(setup.isOk(), qPrintable(setup.firstError().toString()));

        const QueryResult r = AWAIT(c->query(u"CREATE person:1 SET email = 'other@example.com', age = 1;"
                                             "CREATE person:2 SET email = $email, age = 2;"
                                             "CREATE person:3 SET email = 'c@example.com', age = 'thirty';"
                                             "SELECT * FROM nosuch_table;"
                                             "THROW 'boom';"_s,
                                             {{u"email"_s, u"ann@example.com"_s}}));
        QCOMPARE(r.size(), 5);

        const Error duplicate = r.at(0).error();
        QCOMPARE(duplicate.kind(), Error::Kind::AlreadyExists);
        QCOMPARE(duplicate.serverKind(), u"AlreadyExists"_s);
        QVERIFY2(duplicate.message().contains(u"person:1"_s), qPrintable(duplicate.message()));

        const Error unique = r.at(1).error();
        QCOMPARE(unique.kind(), Error::Kind::AlreadyExists);
        QVERIFY(!unique.serverKind().isEmpty());
        QVERIFY2(unique.message().contains(u"person_email"_s), qPrintable(unique.message()));

        const Error type = r.at(2).error();
        QCOMPARE(type.kind(), Error::Kind::Validation);
        QVERIFY2(type.message().contains(u"age"_s), qPrintable(type.message()));

        QCOMPARE(r.at(3).error().kind(), Error::Kind::NotFound);
        QCOMPARE(r.at(3).error().serverKind(), u"NotFound"_s);
        QCOMPARE(r.at(4).error().kind(), Error::Kind::Query);
        QCOMPARE(r.at(4).error().serverKind(), u"Thrown"_s);
        for (int i = 0; i < r.size(); ++i)
            QVERIFY(!r.at(i).error().isRetryable());

        // RPC-level errors (not statement entries) take the same kinds.
        const Error parse = failureOf(c->query(u"SELEC * FROM person"_s));
        QCOMPARE(parse.kind(), Error::Kind::Parse);
        QCOMPARE(parse.serverKind(), u"Validation"_s);
        QVERIFY(parse.message().contains(u"Parse error"_s));
        const Error missing =
            failureOf(c->call(u"select"_s, {QVariant::fromValue(Table(u"nosuch_table"_s))}));
        QCOMPARE(missing.kind(), Error::Kind::NotFound);

        // Permission denied for a record user; bad credentials are an authentication error.
        if (url.scheme() == u"ws") {
            // Signed in by signup() itself: the manager has no credentials of its own.
            auto user = std::make_unique<DatabaseManager>(url, m_ns, db, Credentials());
            AWAIT(user->connection()->signup(
                Credentials::recordAccess(m_ns, db, u"member"_s, {{u"name"_s, u"zoe"_s}})));
            const QueryResult denied = AWAIT(user->connection()->query(u"INFO FOR DB"_s));
            QCOMPARE(denied.at(0).error().kind(), Error::Kind::NotAllowed);
            QCOMPARE(denied.at(0).error().serverKind(), u"NotAllowed"_s);
            // A function the user may not run: the engine says so only in a sentence of kind
            // Internal, through run() and inside a query alike.
            const Error refusedRun = failureOf(user->connection()->run(u"fn::secret"_s));
            QVERIFY2(refusedRun.message().contains(u"permission"_s), qPrintable(refusedRun.toString()));
            QCOMPARE(refusedRun.kind(), Error::Kind::NotAllowed);
            const QueryResult refusedCall = AWAIT(user->connection()->query(u"RETURN fn::secret()"_s));
            QCOMPARE(refusedCall.at(0).error().kind(), Error::Kind::NotAllowed);
            // A function that does not exist stays a Query error.
            QCOMPARE(failureOf(user->connection()->run(u"fn::nope"_s)).kind(), Error::Kind::Query);
            auto wrong = makeManager(url, db, Credentials::root(TestServer::user(), u"wrong password"_s));
            QCOMPARE(failureOf(wrong->open()).kind(), Error::Kind::Authentication);
        }
    }

    // --- Section 2: ordering -------------------------------------------------------------

    // The server runs a socket's requests concurrently: before, the SELECT ran while the
    // first query still slept, and read nothing.
    void transactionRunsInCallOrder()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const RecordId rid(TestServer::uniqueName("txorder_"), 1);
        std::unique_ptr<Transaction> tx(m->connection()->transaction());
        QFuture<QueryResult> slow =
            tx->query(u"SLEEP 300ms; CREATE $rid SET v = 1"_s, {{u"rid"_s, QVariant::fromValue(rid)}});
        QFuture<QueryResult> read =
            tx->query(u"SELECT * FROM $rid"_s, {{u"rid"_s, QVariant::fromValue(rid)}});
        QFuture<QVariantMap> typed = tx->select(rid);
        AWAIT_VOID(tx->commit());
        QVERIFY(AWAIT(slow).isOk());
        const QueryResult r = AWAIT(read);
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.value(0).toList().size(), 1);
        QCOMPARE(AWAIT(typed).value(u"v"_s).toInt(), 1);
        QCOMPARE(AWAIT(m->connection()->select(rid)).value(u"v"_s).toInt(), 1);
    }

    void channelRunsInCallOrder_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::newRow("ws") << TestServer::url();
        QTest::newRow("http") << TestServer::httpUrl();
    }
    void channelRunsInCallOrder()
    {
        QFETCH(QUrl, url);
        auto m = makeManager(url);
        AWAIT_VOID(m->open());
        const RecordId rid(TestServer::uniqueName("chorder_"), 1);
        std::unique_ptr<Channel> ch(m->connection()->channel());
        QFuture<QueryResult> slow =
            ch->query(u"SLEEP 300ms; CREATE $rid SET v = 1"_s, {{u"rid"_s, QVariant::fromValue(rid)}});
        QFuture<QVariantMap> read = ch->select(rid);
        QFuture<QVariantMap> merged = ch->merge(rid, {{u"w"_s, 2}});
        QCOMPARE(ch->pendingCount(), 3);
        QVERIFY(AWAIT(slow).isOk());
        QCOMPARE(AWAIT(read).value(u"v"_s).toInt(), 1);
        QCOMPARE(AWAIT(merged).value(u"w"_s).toInt(), 2);
        QTRY_COMPARE(ch->pendingCount(), 0);
        // A failed call does not stop the ones behind it.
        QFuture<QueryResult> bad = ch->query(u"SELEC * FROM nothing"_s);
        QFuture<QVariantMap> after = ch->select(rid);
        QCOMPARE(failureOf(bad).kind(), Error::Kind::Parse);
        QCOMPARE(AWAIT(after).value(u"w"_s).toInt(), 2);
        // Destroying the channel fails what was not sent.
        QFuture<QueryResult> sleeping = ch->query(u"SLEEP 200ms"_s);
        QFuture<QVariantMap> unsent = ch->select(rid);
        ch.reset();
        QCOMPARE(failureOf(unsent).kind(), Error::Kind::Cancelled);
        QVERIFY(AWAIT(sleeping).isOk());
    }

    // Select-then-subscribe and subscribe-then-write: a live query created on a channel is
    // registered after the calls before it were answered, and the calls after it wait for it.
    void channelOrdersLiveRegistration()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("chlive_");
        QVERIFY(AWAIT(m->connection()->query(u"CREATE type::table($tb); DELETE type::table($tb)"_s,
                                             {{u"tb"_s, tb}}))
                    .isOk());
        std::unique_ptr<Channel> ch(m->connection()->channel());
        QFuture<QueryResult> before =
            ch->query(u"SLEEP 200ms; CREATE type::record($tb, 1)"_s, {{u"tb"_s, tb}});
        LiveQuery *live = ch->live(Table(tb), this);
        QCOMPARE(live->parent(), this);
        QSignalSpy created(live, &LiveQuery::created);
        // Sent right away on a pool this create would race the registration and be missed.
        QFuture<QVariantMap> write = ch->create(RecordId(tb, 2), {{u"v"_s, 2}});
        QCOMPARE(AWAIT(write).value(u"v"_s).toInt(), 2);
        QVERIFY(AWAIT(before).isOk());
        QCOMPARE(live->state(), LiveQuery::State::Active);
        QTRY_COMPARE(created.count(), 1); // record 2 only: record 1 came before the subscription
        QCOMPARE(created.first().first().toMap().value(u"id"_s).value<RecordId>(), RecordId(tb, 2));
        delete live;
        // Killed while still held back by the channel: never registered, the channel moves on.
        QFuture<QueryResult> slow = ch->query(u"SLEEP 200ms"_s);
        LiveQuery *dropped = ch->live(Table(tb));
        delete dropped;
        QVERIFY(AWAIT(ch->select(Table(tb))).size() == 2);
        QVERIFY(AWAIT(slow).isOk());
    }

    // A live query's owner deletes it while the channel moves on to it: the channel's step runs
    // on the I/O thread the moment the call before it is answered. The step once checked a
    // QPointer and connected to the object there, racing the deletion (use after free under
    // ASan); the deletion lands before, during and after the step across the rounds.
    void channelLiveDeletedWhileItsTurnComes()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("chdel_");
        std::unique_ptr<Channel> ch(m->connection()->channel());
        QRandomGenerator rng(20261129);
        qint64 roundTripNs = 0;
        QElapsedTimer total;
        total.start();
        int rounds = 0;
        for (; rounds < 300 && total.elapsed() < 6000; ++rounds) {
            QElapsedTimer sent;
            sent.start();
            QFuture<QueryResult> before = ch->query(u"RETURN 1"_s);
            LiveQuery *live = ch->live(Table(tb));
            // Spin (not sleep): the window is microseconds wide, around the answer's arrival.
            const qint64 target =
                roundTripNs > 0 ? qint64(rng.bounded(quint32(std::min<qint64>(2 * roundTripNs, 100000000))))
                                : 0;
            while (!before.isFinished() && sent.nsecsElapsed() < target) {
            }
            delete live;
            QVERIFY(AWAIT(before).isOk());
            roundTripNs = sent.nsecsElapsed();
        }
        QVERIFY(rounds >= 20);
        // The channel kept its order and moves on: nothing waits for the deleted queries.
        QCOMPARE(AWAIT(ch->query(u"RETURN 2"_s)).value(0).toInt(), 2);
    }

    void channelOnPoolRefusesSessionChanges()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        std::unique_ptr<Channel> ch(m->connection()->channel());
        // Channel has no use() at all; by name it is refused.
        const Error e = failureOf(ch->call(u"use"_s, {u"other"_s, u"other"_s}));
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"pool"_s), qPrintable(e.message()));
        QCOMPARE(AWAIT(ch->query(u"RETURN 1"_s)).value(0).toInt(), 1);
    }

    // --- Section 3: defects -----------------------------------------------------------------

    void signupOnPoolRunsOnce()
    {
        const QString db = TestServer::uniqueName("signup_");
        auto admin = makeManager(TestServer::url(), db);
        defineMemberAccess(admin.get());
        auto pool = anonymousPool(db);
        Connection *c = pool->connection();
        const QString token = AWAIT(c->signup(member(db, u"zoe"_s)));
        QVERIFY(!token.isEmpty());
        const QueryResult count =
            AWAIT(admin->connection()->query(u"SELECT count() FROM member GROUP ALL"_s));
        QCOMPARE(count.value(0).toList().value(0).toMap().value(u"count"_s).toInt(), 1);
        // Every socket runs as the one new account.
        QSet<QString> identities;
        QList<QFuture<QueryResult>> probes;
        for (int i = 0; i < 9; ++i)
            probes.append(c->query(u"RETURN $auth.id"_s));
        for (auto &f : probes)
            identities.insert(AWAIT(f).value(0).value<RecordId>().toString());
        QCOMPARE(identities.size(), 1);
        QVERIFY(identities.begin()->startsWith(u"member:"_s));
    }

    // Calls made right after signup(), without waiting for it, run as the new account on a pool
    // too, as they would on one socket: before, the pool signed up on one socket and the others
    // took the account over only after the answer, so a call that landed on another socket
    // meanwhile ran as whoever that socket was before (here: nobody).
    void callsRightAfterSignupOnPoolRunAsTheNewAccount()
    {
        const QString db = TestServer::uniqueName("signupnext_");
        auto admin = makeManager(TestServer::url(), db);
        defineMemberAccess(admin.get());
        for (int round = 0; round < 5; ++round) {
            auto pool = anonymousPool(db);
            Connection *c = pool->connection();
            AWAIT_VOID(pool->open());
            const QString name = u"yan%1"_s.arg(round);
            QFuture<QString> signedUp = c->signup(member(db, name));
            // A session change made meanwhile applies after the signup on every socket too.
            QFuture<void> greeted = c->let(u"greeting"_s, u"hello "_s + name);
            QList<QFuture<QueryResult>> probes;
            for (int i = 0; i < 12; ++i)
                probes.append(c->query(u"RETURN [$auth.name, $greeting]"_s));
            QVERIFY(!AWAIT(signedUp).isEmpty());
            AWAIT_VOID(greeted);
            for (int i = 0; i < probes.size(); ++i)
                QCOMPARE(AWAIT(probes[i]).value(0).toList(), (QVariantList{name, u"hello "_s + name}));
        }
    }

    // Two signups in a row with a session change between them, none waited for: every socket
    // ends as the second account, as one socket would (signup, invalidate, signup). The change
    // must reach the other sockets between the two tokens, not after both.
    void sessionChangeBetweenTwoSignupsKeepsItsPlace()
    {
        const QString db = TestServer::uniqueName("signuptwice_");
        auto admin = makeManager(TestServer::url(), db);
        defineMemberAccess(admin.get());
        for (int round = 0; round < 3; ++round) {
            auto pool = anonymousPool(db);
            Connection *c = pool->connection();
            AWAIT_VOID(pool->open());
            const QString first = u"ida%1"_s.arg(round);
            const QString second = u"ivo%1"_s.arg(round);
            QFuture<QString> a = c->signup(member(db, first));
            QFuture<void> invalidated = c->invalidate();
            QFuture<QString> b = c->signup(member(db, second));
            QVERIFY(!AWAIT(a).isEmpty());
            AWAIT_VOID(invalidated);
            QVERIFY(!AWAIT(b).isEmpty());
            QList<QFuture<QueryResult>> probes;
            for (int i = 0; i < 12; ++i)
                probes.append(c->query(u"RETURN $auth.name"_s));
            for (int i = 0; i < probes.size(); ++i)
                QCOMPARE(AWAIT(probes[i]).value(0).toString(), second);
        }
    }

    // Deleting the manager from a continuation that runs on the I/O thread used to block on
    // that very thread ("Dead lock detected").
    void deleteManagerFromIoThread()
    {
        // A Sync continuation runs on the I/O thread only when the reply completes it there; if
        // the reply beat the attaching, it runs right here on the test thread and proves
        // nothing. The reply is slowed down, and such a round is repeated with a new manager.
        bool onIo = false;
        for (int attempt = 0; attempt < 10 && !onIo; ++attempt) {
            auto *m = new DatabaseManager(TestServer::url(), m_ns, u"api"_s,
                                          Credentials::root(TestServer::user(), TestServer::pass()));
            AWAIT_VOID(m->open());
            std::atomic<bool> ran{false};
            std::atomic<bool> deleted{false};
            QPointer<QThread> ioGuard(m->ioThread());
            QFuture<void> done = m->connection()
                                     ->query(u"SLEEP 50ms"_s)
                                     .then(QtFuture::Launch::Sync, [m, &ran, &deleted](QFuture<QueryResult>) {
                                         if (!IoThreadCheck::isIo()) {
                                             ran = true;
                                             return;
                                         }
                                         delete m;
                                         deleted = true;
                                         ran = true;
                                     });
            QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 10000);
            if (!deleted) {
                delete m;
                continue;
            }
            onIo = true;
            // The thread ends and its object goes away from this thread's event loop.
            QTRY_VERIFY_WITH_TIMEOUT(ioGuard.isNull(), 10000);
        }
        QVERIFY2(onIo, "the continuation must run on the I/O thread for this test to mean anything");
    }

    void liveOptionsCannotBeABool()
    {
        static_assert(!LiveAccepts<bool>, "a bool must not select a live query mode");
        static_assert(LiveAccepts<QObject *>);
        static_assert(LiveAccepts<LiveOptions>);
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("liveopt_");
        QVERIFY(AWAIT(m->connection()->query(u"CREATE type::table($tb); DELETE type::table($tb)"_s,
                                             {{u"tb"_s, tb}}))
                    .isOk());
        // live(table, this) means parent = this, records (not diffs) in the notifications.
        LiveQuery *records = m->connection()->live(Table(tb), this);
        QCOMPARE(records->parent(), this);
        std::unique_ptr<LiveQuery> diff(
            m->connection()->live(Table(tb), LiveOptions{LiveOptions::Mode::Diff}));
        AWAIT(records->started());
        AWAIT(diff->started());
        QSignalSpy asRecord(records, &LiveQuery::created);
        QSignalSpy asDiff(diff.get(), &LiveQuery::created);
        AWAIT(m->connection()->create(RecordId(tb, 1), {{u"v"_s, 1}}));
        QTRY_COMPARE(asRecord.count(), 1);
        QTRY_COMPARE(asDiff.count(), 1);
        QCOMPARE(asRecord.first().first().toMap().value(u"v"_s).toInt(), 1);
        QCOMPARE(asDiff.first().first().metaType().id(), QMetaType::QVariantList); // JSON Patch
        delete records;
        // A record-id-looking table fails the live query instead of watching "x:1".
        std::unique_ptr<LiveQuery> bad(m->connection()->live(Table(u"x:1"_s)));
        QCOMPARE(failureOf(bad->started()).kind(), Error::Kind::Validation);
    }

    // A socket held by a handle is free again only when the last copy of that handle goes,
    // and a held socket is never given to another handle.
    void acquireCountsHandles()
    {
        auto m = makeManager(TestServer::url(), u"api"_s, {}, ConnectionOptions{.poolSize = 2});
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        QTRY_COMPARE(pool->connectedCount(), 2);
        auto h1 = pool->tryAcquire();
        auto h2 = pool->tryAcquire();
        QVERIFY(h1.isValid() && h2.isValid());
        QVERIFY(sessionIdOf(h1.get()) != sessionIdOf(h2.get()));
        QVERIFY(!pool->tryAcquire().isValid()); // both held: none to share
        const QString first = sessionIdOf(h1.get());
        ConnectionPool::Handle copy = h1;
        h1.release(); // the copy still holds that socket
        QVERIFY(!pool->tryAcquire().isValid());
        copy.release(); // this socket is free now
        auto h4 = pool->tryAcquire();
        QVERIFY(h4.isValid());
        QCOMPARE(sessionIdOf(h4.get()), first);
    }

    // --- Section 4: the API --------------------------------------------------------------

    void recordIdStringWhereTableExpected()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        // Where a table or a record is expected, record-id text names the record (the one policy
        // for "person:1" everywhere: docs/connections.md, "Record ids as text").
        const QString tb = TestServer::uniqueName("rid_");
        AWAIT(c->create(RecordId(tb, 1), {{u"n"_s, 1}}));
        AWAIT(c->create(RecordId(tb, u"a b"_s), {{u"n"_s, 2}}));
        const QVariant one = AWAIT(c->select(QVariant(tb + u":1"_s)));
        QCOMPARE(one.toMap().value(u"n"_s).toInt(), 1);
        const QVariant quoted = AWAIT(c->select(QVariant(tb + u":⟨a b⟩"_s)));
        QCOMPARE(quoted.toMap().value(u"n"_s).toInt(), 2);
        const QVariant merged = AWAIT(c->merge(QVariant(tb + u":`a b`"_s), QVariantMap{{u"m"_s, 3}}));
        QCOMPARE(merged.toMap().value(u"m"_s).toInt(), 3);
        // Text that has a ':' but is not a record id is ambiguous: refused, nothing sent.
        const Error select = failureOf(c->select(QVariant(u"person:1:2"_s)));
        QCOMPARE(select.kind(), Error::Kind::Validation);
        QVERIFY2(select.message().contains(u"RecordId"_s), qPrintable(select.message()));
        QCOMPARE(failureOf(c->create(QVariant(u"person:a b"_s))).kind(), Error::Kind::Validation);
        // Where only a table makes sense, a record id stays refused.
        QCOMPARE(failureOf(c->insert(QVariant(u"person:1"_s), QVariantList{})).kind(),
                 Error::Kind::Validation);
        QCOMPARE(failureOf(c->select(Table(u"person:1"_s))).kind(), Error::Kind::Validation);
        QCOMPARE(failureOf(c->insert(Table(u"a:b"_s), QVariantList{})).kind(), Error::Kind::Validation);
        // Nothing was created under that name.
        const QVariantMap info = AWAIT(c->query(u"INFO FOR DB"_s)).value(0).toMap();
        QVERIFY(!info.value(u"tables"_s).toMap().contains(u"person:1"_s));
    }

    // update() replaces the content, as documented: with an empty map the record keeps only its
    // id (the engine's CONTENT {}); before, an empty map was not sent and nothing changed.
    void updateWithEmptyDataReplacesTheContent()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const RecordId id(TestServer::uniqueName("upd_"), 1);
        AWAIT(c->create(id, {{u"a"_s, 1}, {u"b"_s, 2}}));
        const QVariantMap replaced = AWAIT(c->update(id, QVariantMap{}));
        QCOMPARE(replaced, (QVariantMap{{u"id"_s, QVariant::fromValue(id)}}));
        QCOMPARE(AWAIT(c->select(id)), (QVariantMap{{u"id"_s, QVariant::fromValue(id)}}));
        AWAIT(c->create(RecordId(id.table(), 2), {{u"a"_s, 1}}));
        const QVariantMap upserted = AWAIT(c->upsert(RecordId(id.table(), 2), QVariantMap{}));
        QCOMPARE(upserted, (QVariantMap{{u"id"_s, QVariant::fromValue(RecordId(id.table(), 2))}}));
        const QVariantList all = AWAIT(c->update(Table(id.table()), QVariantMap{{u"c"_s, 3}}));
        QCOMPARE(all.size(), 2);
        AWAIT(c->update(Table(id.table()), QVariantMap{}));
        for (const QVariant &row : AWAIT(c->select(Table(id.table()))))
            QCOMPARE(row.toMap().size(), 1);
    }

    void resultShapes_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::newRow("ws") << TestServer::url();
        QTest::newRow("http") << TestServer::httpUrl();
    }
    void resultShapes()
    {
        QFETCH(QUrl, url);
        auto m = makeManager(url);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QString tb = TestServer::uniqueName("shape_");
        const RecordId ann(tb, u"ann"_s);

        const QVariantMap created = AWAIT(c->create(ann, {{u"age"_s, 30}}));
        QCOMPARE(created.value(u"id"_s).value<RecordId>(), ann);
        const QVariantMap generated = AWAIT(c->create(Table(tb), {{u"age"_s, 5}}));
        QCOMPARE(generated.value(u"id"_s).value<RecordId>().table(), tb);
        QCOMPARE(generated.value(u"age"_s).toInt(), 5);
        QCOMPARE(AWAIT(c->select(ann)).value(u"age"_s).toInt(), 30);
        QCOMPARE(AWAIT(c->select(Table(tb))).size(), 2);
        QVERIFY(AWAIT(c->select(RecordId(tb, u"nobody"_s))).isEmpty());
        QVERIFY(AWAIT(c->update(RecordId(tb, u"nobody"_s), {{u"age"_s, 1}})).isEmpty());
        QCOMPARE(AWAIT(c->merge(ann, {{u"city"_s, u"Oslo"_s}})).value(u"city"_s).toString(), u"Oslo"_s);
        QCOMPARE(AWAIT(c->update(ann, {{u"age"_s, 31}})).value(u"age"_s).toInt(), 31);
        QCOMPARE(AWAIT(c->upsert(RecordId(tb, u"bob"_s), {{u"age"_s, 40}})).value(u"age"_s).toInt(), 40);
        const QVariantMap patched = AWAIT(c->patch(
            ann,
            QVariantList{QVariantMap{{u"op"_s, u"replace"_s}, {u"path"_s, u"/age"_s}, {u"value"_s, 32}}}));
        QCOMPARE(patched.value(u"age"_s).toInt(), 32);
        const QVariantList inserted =
            AWAIT(c->insert(Table(tb), QVariantList{QVariantMap{{u"age"_s, 1}}, QVariantMap{{u"age"_s, 2}}}));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(AWAIT(c->insert(Table(tb), QVariantMap{{u"age"_s, 3}})).value(u"age"_s).toInt(), 3);
        QCOMPARE(AWAIT(c->update(Table(tb), {{u"seen"_s, true}})).size(), 6);
        const QVariantMap edge =
            AWAIT(c->relate(ann, Table(tb + u"_knows"_s), RecordId(tb, u"bob"_s), {{u"since"_s, 2020}}));
        QCOMPARE(edge.value(u"in"_s).value<RecordId>(), ann);
        QCOMPARE(AWAIT(c->remove(ann)).value(u"id"_s).value<RecordId>(), ann);
        QVERIFY(AWAIT(c->remove(ann)).isEmpty());
        QCOMPARE(AWAIT(c->remove(Table(tb))).size(), 5);
    }

    // Every async call has a blocking twin for worker threads, and each takes RequestOptions.
    void syncTwinsAndPerCallOptions()
    {
        auto m = makeManager(TestServer::url());
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QString tb = TestServer::uniqueName("sync_");
        QFuture<QVariantMap> work = QtConcurrent::run([c, tb] {
            SyncConnection(c).create(RecordId(tb, 1), {{u"v"_s, 1}});
            SyncConnection(c).merge(RecordId(tb, 1), {{u"w"_s, 2}});
            SyncConnection(c).let(u"x"_s, 5);
            SyncConnection(c).ping();
            return SyncConnection(c).select(RecordId(tb, 1));
        });
        QVERIFY(settle(work));
        QCOMPARE(work.result().value(u"w"_s).toInt(), 2);
        RequestOptions quick;
        quick.timeout = std::chrono::milliseconds(100);
        QCOMPARE(failureOf(c->query(u"SLEEP 2s"_s, {}, quick)).kind(), Error::Kind::Timeout);
        QCOMPARE(failureOf(c->select(RecordId(tb, 1), quick)).kind(), Error::Kind::NoError);
    }

    // A QML reader meets one meaning per name: no signal or method of the manager is named like
    // one of its properties (there was a signal authenticated() next to the property authenticated).
    void managerNamesHaveOneMeaning()
    {
        const QMetaObject &mo = DatabaseManager::staticMetaObject;
        for (int p = mo.propertyOffset(); p < mo.propertyCount(); ++p) {
            const QByteArray name = mo.property(p).name();
            for (int m = mo.methodOffset(); m < mo.methodCount(); ++m)
                QVERIFY2(
                    mo.method(m).name() != name,
                    qPrintable(u"a property and a method are both named "_s + QString::fromLatin1(name)));
        }
        QVERIFY(mo.indexOfSignal("signedIn()") >= 0);
        QCOMPARE(mo.property(mo.indexOfProperty("authenticated")).notifySignal().methodSignature(),
                 QByteArray("authenticatedChanged(bool)"));
    }

    // One error, one signedIn(), one state per event from the manager, whatever its size.
    void managerSpeaksOnce()
    {
        auto good = makeManager(TestServer::url(), u"api"_s, {}, ConnectionOptions{.poolSize = 3});
        QSignalSpy authenticated(good.get(), &DatabaseManager::signedIn);
        QSignalSpy connected(good.get(), &DatabaseManager::connected);
        AWAIT_VOID(good->open());
        QTRY_COMPARE(good->pool()->connectedCount(), 3);
        QTest::qWait(100);
        QCOMPARE(authenticated.count(), 1);
        QCOMPARE(connected.count(), 1);
        QVERIFY(good->isAuthenticated());

        QSignalSpy nsChanged(good.get(), &DatabaseManager::namespaceNameChanged);
        QSignalSpy dbChanged(good.get(), &DatabaseManager::databaseNameChanged);
        AWAIT_VOID(good->connection()->use(m_ns, u"elsewhere"_s));
        QTRY_COMPARE(dbChanged.count(), 1);
        QCOMPARE(nsChanged.count(), 0);
        QCOMPARE(good->databaseName(), u"elsewhere"_s);
        QCOMPARE(good->namespaceName(), m_ns);

        // Refused credentials are one error event, not a warning per socket on stderr.
        QTest::failOnWarning(QRegularExpression(u"."_s));
        auto bad = makeManager(TestServer::url(), u"api"_s, Credentials::root(TestServer::user(), u"wrong"_s),
                               ConnectionOptions{.poolSize = 3});
        QSignalSpy errors(bad.get(), &DatabaseManager::errorOccurred);
        QCOMPARE(failureOf(bad->open()).kind(), Error::Kind::Authentication);
        QTest::qWait(300);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(bad->lastError().kind(), Error::Kind::Authentication);
    }
};

QTEST_MAIN(tst_Api)
#include "tst_api.moc"
