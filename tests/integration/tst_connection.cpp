// The RPC surface against a real SurrealDB, over both transports.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/singleconnection.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/table.h>
#include <SurrealQt/transaction.h>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_Connection : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> makeManager(const QString &transport, int poolSize = 2,
                                                 const QString &ns = {}, const QString &db = u"test"_s)
    {
        const QUrl url = transport == u"http" ? TestServer::httpUrl() : TestServer::url();
        auto m = std::make_unique<DatabaseManager>(
            url, ns.isEmpty() ? m_ns : ns, db, Credentials::root(TestServer::user(), TestServer::pass()),
            ConnectionOptions{.sockets = transport == u"single" ? ConnectionOptions::Sockets::Single
                                                                : ConnectionOptions::Sockets::Pool,
                              .poolSize = poolSize});
        m->setRequestTimeout(std::chrono::seconds(15));
        return m;
    }

    static void transports()
    {
        QTest::addColumn<QString>("transport");
        QTest::newRow("ws-pool") << u"ws"_s;
        QTest::newRow("ws-single") << u"single"_s;
        QTest::newRow("http") << u"http"_s;
    }

    // Tables come into being with their first record; user values never go into query text.
    static void makeTable(Connection *c, const QString &tb)
    {
        const QueryResult r =
            AWAIT(c->query(u"CREATE type::table($tb); DELETE type::table($tb);"_s, {{u"tb"_s, tb}}));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
    }

    QString m_ns;

    // The /proc/self/task entries of the library's I/O threads (Linux; empty elsewhere).
    static QSet<QString> ioThreads()
    {
        QSet<QString> tasks;
        const QDir dir(u"/proc/self/task"_s);
        for (const QString &tid : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(dir.filePath(tid + u"/comm"_s));
            if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "SurrealQt I/O")
                tasks.insert(tid);
        }
        return tasks;
    }

    // How often the thread went to sleep and was woken again; -1 when unknown.
    static qint64 voluntarySwitches(const QString &tid)
    {
        QFile status(u"/proc/self/task/%1/status"_s.arg(tid));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("voluntary_ctxt_switches:"))
                return line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("conn_");
    }

    void openAndVersion_data() { transports(); }
    void openAndVersion()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        QSignalSpy connectedSpy(m.get(), &DatabaseManager::connected);
        AWAIT_VOID(m->open());
        QTRY_VERIFY(connectedSpy.count() >= 1);
        QTRY_COMPARE(m->state(), DatabaseManager::State::Connected);
        const QString version = AWAIT(m->connection()->version());
        QVERIFY2(version.startsWith(u"surrealdb-"_s), qPrintable(version));
        QCOMPARE(m->isWebSocket(), transport != u"http");
    }

    // A blocking open returns with no event loop turning in between: state() must already
    // say Connected, as QAbstractSocket::state() does after waitForConnected().
    void stateAgreesWithFinishedOpen_data() { transports(); }
    void stateAgreesWithFinishedOpen()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        QCOMPARE(m->state(), DatabaseManager::State::Disconnected);
        m->openSync();
        QCOMPARE(m->state(), DatabaseManager::State::Connected);
        QSignalSpy stateSpy(m.get(), &DatabaseManager::stateChanged);
        // The queued notifications still arrive, and end on the same state.
        QTRY_VERIFY(!stateSpy.isEmpty() && stateSpy.last().first().value<DatabaseManager::State>() ==
                                               DatabaseManager::State::Connected);
        m->close();
        QCOMPARE(m->state(), DatabaseManager::State::Closed);
    }

    void queryWithBindVariables_data() { transports(); }
    void queryWithBindVariables()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QString table = TestServer::uniqueName("q_");
        // A hostile string stays a value: it neither ends the statement nor names a table.
        const QString hostile = u"x'; REMOVE TABLE %1; --"_s.arg(table);
        const QueryResult r =
            AWAIT(c->query(u"CREATE type::table($tb) SET name = $name, n = $n; "
                           "SELECT name, n FROM type::table($tb); THROW 'boom'; RETURN 7;"_s,
                           {{u"tb"_s, table}, {u"name"_s, hostile}, {u"n"_s, 42}}));
        QCOMPARE(r.size(), 4);
        QVERIFY(r.at(0).isOk());
        const QVariantList rows = r.value(1).toList();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toMap().value(u"name"_s).toString(), hostile);
        QCOMPARE(rows.first().toMap().value(u"n"_s).toLongLong(), 42);
        // One statement failed, the others did not: each keeps its own status.
        QVERIFY(!r.at(2).isOk());
        QVERIFY(r.at(2).error().message().contains(u"boom"_s));
        QCOMPARE(r.at(2).error().serverKind(), u"Thrown"_s);
        QVERIFY(r.at(3).isOk());
        QCOMPARE(r.last().toLongLong(), 7);
        QVERIFY(!r.isOk());
        QVERIFY(r.at(0).timeNanoseconds() >= 0);
    }

    void parseErrorFailsWholeQuery_data() { transports(); }
    void parseErrorFailsWholeQuery()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        AWAIT_VOID(m->open());
        const Error e = failureOf(m->connection()->query(u"SELEC * FROM nothing"_s));
        QCOMPARE(e.kind(), Error::Kind::Parse);
        QVERIFY(e.message().contains(u"Parse error"_s));
        QVERIFY(!e.isRetryable());
    }

    void crudMethods_data() { transports(); }
    void crudMethods()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        const QString tb = TestServer::uniqueName("crud_");
        const RecordId ann(tb, u"ann"_s);

        const QVariantMap created =
            AWAIT(c->create(QVariant::fromValue(ann), QVariantMap{{u"age"_s, 30}})).toMap();
        QCOMPARE(created.value(u"id"_s).value<RecordId>(), ann);
        QCOMPARE(AWAIT(c->select(QVariant::fromValue(ann))).toMap().value(u"age"_s).toLongLong(), 30);

        const QVariantMap merged =
            AWAIT(c->merge(QVariant::fromValue(ann), QVariantMap{{u"city"_s, u"Oslo"_s}})).toMap();
        QCOMPARE(merged.value(u"age"_s).toLongLong(), 30);
        QCOMPARE(merged.value(u"city"_s).toString(), u"Oslo"_s);

        const QVariantMap replaced =
            AWAIT(c->update(QVariant::fromValue(ann), QVariantMap{{u"age"_s, 31}})).toMap();
        QVERIFY(!replaced.contains(u"city"_s)); // update replaces the content
        QCOMPARE(replaced.value(u"age"_s).toLongLong(), 31);

        const RecordId bob(tb, 7);
        AWAIT(c->upsert(QVariant::fromValue(bob), QVariantMap{{u"age"_s, 40}}));
        const QVariantList inserted =
            AWAIT(c->insert(QVariant::fromValue(Table(tb)),
                            QVariantList{QVariantMap{{u"age"_s, 1}}, QVariantMap{{u"age"_s, 2}}}))
                .toList();
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(AWAIT(c->select(QVariant::fromValue(Table(tb)))).toList().size(), 4);

        const QVariantMap patched =
            AWAIT(c->patch(QVariant::fromValue(bob),
                           {QVariantMap{{u"op"_s, u"replace"_s}, {u"path"_s, u"/age"_s}, {u"value"_s, 41}}}))
                .toMap();
        QCOMPARE(patched.value(u"age"_s).toLongLong(), 41);

        const QVariantMap edge =
            AWAIT(c->relate(QVariant::fromValue(ann), QVariant::fromValue(Table(tb + u"_knows"_s)),
                            QVariant::fromValue(bob), QVariantMap{{u"since"_s, 2020}}))
                .toMap();
        QCOMPARE(edge.value(u"in"_s).value<RecordId>(), ann);
        QCOMPARE(edge.value(u"out"_s).value<RecordId>(), bob);

        QCOMPARE(AWAIT(c->run(u"string::uppercase"_s, {u"abc"_s})).toString(), u"ABC"_s);

        const QVariantMap removed = AWAIT(c->remove(QVariant::fromValue(ann))).toMap();
        QCOMPARE(removed.value(u"age"_s).toLongLong(), 31);
        QVERIFY(AWAIT(c->select(QVariant::fromValue(ann))).value<None>() == None());

        // A missing table is an error, with the server's kind kept.
        const Error e = failureOf(c->select(QVariant::fromValue(Table(TestServer::uniqueName("none_")))));
        QCOMPARE(e.kind(), Error::Kind::NotFound);
        QCOMPARE(e.serverKind(), u"NotFound"_s);
    }

    void letIsKeptPerConnection_data() { transports(); }
    void letIsKeptPerConnection()
    {
        QFETCH(QString, transport);
        auto m = makeManager(transport);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        AWAIT_VOID(c->let(u"greeting"_s, u"hello"_s));
        // On a pool every socket must see it, whichever one a query lands on.
        for (int i = 0; i < 6; ++i)
            QCOMPARE(AWAIT(c->query(u"RETURN $greeting"_s)).last().toString(), u"hello"_s);
        AWAIT_VOID(c->unset(u"greeting"_s));
        QVERIFY(AWAIT(c->query(u"RETURN $greeting"_s)).last().value<None>() == None());
    }

    void wrongCredentialsFailOpen_data() { transports(); }
    void wrongCredentialsFailOpen()
    {
        QFETCH(QString, transport);
        const QUrl url = transport == u"http" ? TestServer::httpUrl() : TestServer::url();
        DatabaseManager m(url, m_ns, u"test"_s, Credentials::root(TestServer::user(), u"wrong-password"_s),
                          ConnectionOptions{.sockets = transport == u"single"
                                                           ? ConnectionOptions::Sockets::Single
                                                           : ConnectionOptions::Sockets::Pool,
                                            .poolSize = 2});
        QSignalSpy errors(&m, &DatabaseManager::errorOccurred);
        const Error e = failureOf(m.open());
        QCOMPARE(e.kind(), Error::Kind::Authentication);
        QVERIFY(!e.isRetryable());
        // Requests made afterwards fail too, instead of hanging.
        const Error later = failureOf(m.connection()->query(u"RETURN 1"_s));
        QVERIFY(later.isValid());
    }

    void recordAccessSignupSigninAndToken()
    {
        const QString db = TestServer::uniqueName("acc_");
        auto admin = makeManager(u"ws"_s, 1, m_ns, db);
        AWAIT_VOID(admin->open());
        const QueryResult setup = AWAIT(admin->connection()->query(
            u"DEFINE TABLE user SCHEMALESS PERMISSIONS FOR select, update WHERE id = $auth.id, FOR create "
            u"NONE;"
            "DEFINE ACCESS account ON DATABASE TYPE RECORD "
            "SIGNUP (CREATE user SET email = $email, pass = crypto::argon2::generate($pass)) "
            "SIGNIN (SELECT * FROM user WHERE email = $email AND crypto::argon2::compare(pass, $pass)) "
            "DURATION FOR TOKEN 1h, FOR SESSION 1h;"_s));
        QVERIFY2(setup.isOk(), qPrintable(setup.firstError().toString()));

        const QVariantMap who{{u"email"_s, u"ada@example.com"_s}, {u"pass"_s, u"s3cret"_s}};
        // Sign up on a connection that starts anonymous.
        DatabaseManager anonymous(TestServer::url(), m_ns, db, {},
                                  ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(anonymous.open());
        const QString signupToken =
            AWAIT(anonymous.connection()->signup(Credentials::recordAccess(m_ns, db, u"account"_s, who)));
        QVERIFY(signupToken.count(u'.') == 2);

        for (const QString &transport : {u"ws"_s, u"http"_s}) {
            const QUrl url = transport == u"http" ? TestServer::httpUrl() : TestServer::url();
            DatabaseManager user(url, m_ns, db, Credentials::recordAccess(m_ns, db, u"account"_s, who),
                                 ConnectionOptions{.poolSize = 2});
            QSignalSpy authenticated(&user, &DatabaseManager::signedIn);
            AWAIT_VOID(user.open());
            QTRY_VERIFY(authenticated.count() >= 1);
            const QVariantMap me = AWAIT(user.connection()->info()).toMap();
            QCOMPARE(me.value(u"email"_s).toString(), u"ada@example.com"_s);
            // The engine enforces the table's permissions for record users.
            const QueryResult denied = AWAIT(user.connection()->query(u"CREATE user SET email = 'x'"_s));
            QVERIFY(!denied.isOk() || denied.last().toList().isEmpty());

            // A token from a sign-in opens a connection by itself.
            DatabaseManager byToken(url, m_ns, db, Credentials::token(signupToken),
                                    ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
            AWAIT_VOID(byToken.open());
            QCOMPARE(AWAIT(byToken.connection()->info()).toMap().value(u"email"_s).toString(),
                     u"ada@example.com"_s);
        }

        QVariantMap wrong = who;
        wrong.insert(u"pass"_s, u"nope"_s);
        DatabaseManager intruder(TestServer::url(), m_ns, db,
                                 Credentials::recordAccess(m_ns, db, u"account"_s, wrong),
                                 ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        const Error e = failureOf(intruder.open());
        QCOMPARE(e.kind(), Error::Kind::Authentication);
    }

    void databaseUserTokenIsRenewedBeforeExpiry()
    {
        const QString db = TestServer::uniqueName("tok_");
        auto admin = makeManager(u"ws"_s, 1, m_ns, db);
        AWAIT_VOID(admin->open());
        const QueryResult setup = AWAIT(admin->connection()->query(
            u"DEFINE USER shorty ON DATABASE PASSWORD 'pw' ROLES OWNER DURATION FOR TOKEN 3s, FOR SESSION 1h"_s));
        QVERIFY2(setup.isOk(), qPrintable(setup.firstError().toString()));
        DatabaseManager m(TestServer::url(), m_ns, db,
                          Credentials::databaseUser(m_ns, db, u"shorty"_s, u"pw"_s),
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        QSignalSpy authenticated(&m, &DatabaseManager::signedIn);
        AWAIT_VOID(m.open());
        // The signal is queued to this thread; open() may settle first.
        QTRY_COMPARE(authenticated.count(), 1);
        // Renewal is due at 80% of the token's 3 s lifetime.
        QTRY_VERIFY_WITH_TIMEOUT(authenticated.count() >= 2, 6000);
        QCOMPARE(AWAIT(m.connection()->query(u"RETURN $session.db"_s)).last().toString(), db);
    }

    void expiredTokenIsAClearAuthenticationError()
    {
        const QString db = TestServer::uniqueName("exp_");
        auto admin = makeManager(u"ws"_s, 1, m_ns, db);
        AWAIT_VOID(admin->open());
        QVERIFY(
            AWAIT(admin->connection()->query(
                      u"DEFINE USER brief ON DATABASE PASSWORD 'pw' ROLES VIEWER DURATION FOR TOKEN 1s"_s))
                .isOk());
        DatabaseManager signer(TestServer::url(), m_ns, db, {},
                               ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(signer.open());
        const QString token =
            AWAIT(signer.connection()->signin(Credentials::databaseUser(m_ns, db, u"brief"_s, u"pw"_s)));
        QTest::qWait(2100);
        for (const QString &transport : {u"ws"_s, u"http"_s}) {
            const QUrl url = transport == u"http" ? TestServer::httpUrl() : TestServer::url();
            DatabaseManager late(url, m_ns, db, Credentials::token(token),
                                 ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
            const Error e = failureOf(late.open());
            QCOMPARE(e.kind(), Error::Kind::Authentication);
            QVERIFY2(e.message().contains(u"expired"_s, Qt::CaseInsensitive), qPrintable(e.toString()));
        }
    }

    void attachedSessionsAreSeparate()
    {
        auto m = makeManager(u"single"_s);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        RequestOptions inSession;
        inSession.session = QUuid::createUuid();
        AWAIT(c->call(u"attach"_s, {}, inSession));
        const QList<QUuid> ids = AWAIT(c->sessions());
        QVERIFY(ids.contains(inSession.session));
        AWAIT(c->call(u"signin"_s,
                      {Credentials::root(TestServer::user(), TestServer::pass()).toSigninParams()},
                      inSession));
        AWAIT(c->call(u"use"_s, {m_ns, u"other"_s}, inSession));
        const QVariantList inside = AWAIT(c->call(u"query"_s, {u"RETURN $session.db"_s}, inSession)).toList();
        QCOMPARE(inside.first().toMap().value(u"result"_s).toString(), u"other"_s);
        // The default session kept its database.
        QCOMPARE(AWAIT(c->query(u"RETURN $session.db"_s)).last().toString(), u"test"_s);
        AWAIT(c->call(u"detach"_s, {}, inSession));
        QVERIFY(!AWAIT(c->sessions()).contains(inSession.session));
    }

    void namespacesAreIsolated()
    {
        auto a = makeManager(u"ws"_s, 1, m_ns + u"_a"_s);
        auto b = makeManager(u"ws"_s, 1, m_ns + u"_b"_s);
        AWAIT_VOID(a->open());
        AWAIT_VOID(b->open());
        AWAIT(a->connection()->create(QVariant::fromValue(RecordId(u"iso"_s, 1)), QVariantMap{{u"v"_s, 1}}));
        QCOMPARE(AWAIT(a->connection()->query(u"RETURN $session.ns"_s)).last().toString(), m_ns + u"_a"_s);
        QCOMPARE(AWAIT(b->connection()->query(u"RETURN $session.ns"_s)).last().toString(), m_ns + u"_b"_s);
        const Error e = failureOf(b->connection()->select(QVariant::fromValue(Table(u"iso"_s))));
        QCOMPARE(e.kind(), Error::Kind::NotFound);
    }

    void liveQueryReceivesChanges()
    {
        auto listener = makeManager(u"ws"_s, 1);
        auto writer = makeManager(u"http"_s);
        AWAIT_VOID(listener->open());
        AWAIT_VOID(writer->open());
        const QString tb = TestServer::uniqueName("live_");
        makeTable(writer->connection(), tb);

        std::unique_ptr<LiveQuery> live(listener->connection()->live(Table(tb)));
        QSignalSpy notes(live.get(), &LiveQuery::notification);
        const QUuid id = AWAIT(live->started());
        QVERIFY(!id.isNull());
        QCOMPARE(live->state(), LiveQuery::State::Active);

        const RecordId rec(tb, 1);
        AWAIT(writer->connection()->create(QVariant::fromValue(rec), QVariantMap{{u"v"_s, 1}}));
        AWAIT(writer->connection()->merge(QVariant::fromValue(rec), QVariantMap{{u"v"_s, 2}}));
        AWAIT(writer->connection()->remove(QVariant::fromValue(rec)));
        QTRY_COMPARE_WITH_TIMEOUT(notes.count(), 3, 10000);
        // One of each, each with its own content. Not necessarily in this order: the engine
        // may announce changes of one record out of order (docs/protocol-notes.md; seen here
        // about 1 run in 20 under load), and LiveQuery delivers them as they arrive.
        QHash<LiveNotification::Action, LiveNotification> byAction;
        for (const QList<QVariant> &args : std::as_const(notes)) {
            const auto n = args.at(0).value<LiveNotification>();
            byAction.insert(n.action(), n);
        }
        QCOMPARE(byAction.size(), 3);
        QCOMPARE(byAction.value(LiveNotification::Action::Create).result().toMap().value(u"v"_s).toLongLong(),
                 1);
        QCOMPARE(byAction.value(LiveNotification::Action::Update).result().toMap().value(u"v"_s).toLongLong(),
                 2);
        QCOMPARE(byAction.value(LiveNotification::Action::Delete).record().value<RecordId>(), rec);

        // After kill() nothing more arrives.
        live->kill();
        AWAIT(writer->connection()->create(QVariant::fromValue(RecordId(tb, 2))));
        QTest::qWait(300);
        QCOMPARE(notes.count(), 3);
    }

    void liveSelectWithFilter()
    {
        auto m = makeManager(u"ws"_s, 1);
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("livesel_");
        makeTable(m->connection(), tb);
        std::unique_ptr<LiveQuery> live(m->connection()->liveQuery(
            u"LIVE SELECT * FROM type::table($tb) WHERE v > $min"_s, {{u"tb"_s, tb}, {u"min"_s, 10}}));
        QSignalSpy created(live.get(), &LiveQuery::created);
        AWAIT(live->started());
        AWAIT(m->connection()->insert(QVariant::fromValue(Table(tb)),
                                      QVariantList{QVariantMap{{u"v"_s, 5}}, QVariantMap{{u"v"_s, 50}}}));
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000);
        QCOMPARE(created.first().first().toMap().value(u"v"_s).toLongLong(), 50);
    }

    // A burst of changes reaches the LiveQuery's thread in far fewer wake-ups than
    // notifications (they are announced at most once per coalescing window), and none is held
    // back: the last ones of the burst arrive with nothing after them to carry them.
    void liveBurstWakesTheReceiverOncePerWindow()
    {
        const QSet<QString> ioThreadsBefore = ioThreads();
        auto m = makeManager(u"single"_s, 1);
        AWAIT_VOID(m->open());
        // The listener's I/O thread: the one that came with it (none known outside Linux).
        const QSet<QString> listenerThreads = ioThreads() - ioThreadsBefore;
        const QString listenerIo = listenerThreads.size() == 1 ? *listenerThreads.begin() : QString();
        const QString tb = TestServer::uniqueName("liveburst_");
        makeTable(m->connection(), tb);
        std::unique_ptr<LiveQuery> live(m->connection()->live(Table(tb)));
        AWAIT(live->started());

        struct MetaCallCounter : QObject
        {
            int count = 0;
            bool eventFilter(QObject *, QEvent *e) override
            {
                count += e->type() == QEvent::MetaCall;
                return false;
            }
        } wakeUps;
        live->installEventFilter(&wakeUps);
        QSet<qint64> seen;
        // From the first notification to the last of the burst.
        QElapsedTimer stream;
        qint64 streamMs = 0;
        connect(live.get(), &LiveQuery::created, this, [&](const QVariant &row) {
            if (!stream.isValid())
                stream.start();
            seen.insert(row.toMap().value(u"n"_s).toLongLong());
            streamMs = stream.elapsed();
        });

        // Separate writes from another client, all at once: the server commits them one by one,
        // so the notifications trickle in a few hundred µs apart instead of in one flush (a
        // single FOR loop's are sent in a few bunches). This thread keeps turning its event loop
        // meanwhile, as an application's would.
        auto writer = makeManager(u"ws"_s, 4);
        AWAIT_VOID(writer->open());
        constexpr int Burst = 300;
        QList<QFuture<QVariantMap>> writes;
        for (int i = 1; i <= Burst; ++i)
            writes.append(writer->connection()->create(RecordId(tb, i), QVariantMap{{u"n"_s, i}}));
        // A real event loop (QTRY_COMPARE sleeps between its turns, so everything would pile up).
        QEventLoop loop;
        const QMetaObject::Connection quitWhenAllSeen = connect(live.get(), &LiveQuery::created, &loop, [&] {
            if (seen.size() == Burst)
                loop.quit();
        });
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        const qint64 ioWakeUpsBefore = voluntarySwitches(listenerIo);
        if (seen.size() < Burst)
            loop.exec();
        const qint64 ioWakeUps = voluntarySwitches(listenerIo) - ioWakeUpsBefore;
        disconnect(quitWhenAllSeen);
        QCOMPARE(seen.size(), Burst);
        for (const QFuture<QVariantMap> &w : std::as_const(writes))
            QVERIFY(!AWAIT(w).isEmpty());
        // Without coalescing this is about one per notification. It is checked while the
        // notifications come faster than one per 0.8 of a window on average (here they are
        // 0.3-0.6 ms apart): a server slowed down so much that they come a window apart would
        // make them one per window with or without it.
        const auto streamIsFast = [&](int windowMs) { return streamMs * 10 < qint64(Burst) * windowMs * 8; };
        if (streamIsFast(2))
            QVERIFY2(wakeUps.count <= Burst * 6 / 10,
                     qPrintable(u"%1 wake-ups for %2 notifications in %3 ms"_s.arg(wakeUps.count)
                                    .arg(Burst)
                                    .arg(streamMs)));
        else
            qInfo("the notifications took %lld ms: too slow a stream to check the coalescing", streamMs);
        live->removeEventFilter(&wakeUps);
        // The listener's socket delivers nothing but notifications meanwhile, so its reads are
        // held for 1 ms after each one and the I/O thread reads several per wake-up (about one
        // wake-up per notification without; Linux, with the library's own I/O event loop).
        if (ioWakeUpsBefore >= 0 && qEnvironmentVariable("SURREALQT_IO_DISPATCHER") != u"qt") {
            if (streamIsFast(1))
                QVERIFY2(ioWakeUps <= Burst * 6 / 10,
                         qPrintable(u"%1 I/O thread wake-ups for %2 notifications in %3 ms"_s.arg(ioWakeUps)
                                        .arg(Burst)
                                        .arg(streamMs)));
            else
                qInfo("the notifications took %lld ms: too slow a stream to check the read hold", streamMs);
        }

        // A lone change after a quiet spell is delivered too.
        QTest::qWait(20);
        AWAIT(m->connection()->create(RecordId(tb, u"lone"_s), QVariantMap{{u"n"_s, 0}}));
        QTRY_COMPARE_WITH_TIMEOUT(seen.size(), Burst + 1, 10000);
    }

    void liveQueryKilledBeforeItStarted()
    {
        auto m = makeManager(u"ws"_s, 1);
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("livekill_");
        makeTable(m->connection(), tb);
        // Killed and destroyed while its registration is still on the way: no crash (the
        // registration's reply arrives after the subscription is gone), started() settles as
        // Cancelled.
        for (int i = 0; i < 20; ++i) {
            std::unique_ptr<LiveQuery> live(m->connection()->live(Table(tb)));
            QFuture<QUuid> started = live->started();
            live->kill();
            QCOMPARE(failureOf(started).kind(), Error::Kind::Cancelled);
        }
        // The socket is fine afterwards and live queries still work on it.
        std::unique_ptr<LiveQuery> witness(m->connection()->live(Table(tb)));
        QSignalSpy witnessed(witness.get(), &LiveQuery::created);
        AWAIT(witness->started());
        AWAIT(m->connection()->create(QVariant::fromValue(RecordId(tb, 1))));
        QTRY_COMPARE(witnessed.count(), 1);
    }

    void liveQueryOverHttpIsRefused()
    {
        auto m = makeManager(u"http"_s);
        AWAIT_VOID(m->open());
        std::unique_ptr<LiveQuery> live(m->connection()->live(Table(u"x"_s)));
        const Error e = failureOf(live->started());
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"HTTP"_s), qPrintable(e.message()));
        std::unique_ptr<Transaction> transaction(m->connection()->transaction());
        const Error tx = failureOf(transaction->id());
        QVERIFY2(tx.message().contains(u"HTTP"_s), qPrintable(tx.message()));
    }

    void interactiveTransaction()
    {
        auto m = makeManager(u"ws"_s, 2);
        AWAIT_VOID(m->open());
        const QString tb = TestServer::uniqueName("txn_");
        makeTable(m->connection(), tb);

        std::unique_ptr<Transaction> tx(m->connection()->transaction());
        AWAIT(tx->create(QVariant::fromValue(RecordId(tb, 1)), QVariantMap{{u"v"_s, 1}}));
        // Not visible outside before commit.
        QCOMPARE(AWAIT(m->connection()->select(QVariant::fromValue(Table(tb)))).toList().size(), 0);
        AWAIT_VOID(tx->commit());
        QCOMPARE(AWAIT(m->connection()->select(QVariant::fromValue(Table(tb)))).toList().size(), 1);

        std::unique_ptr<Transaction> rolledBack(m->connection()->transaction());
        AWAIT(rolledBack->create(QVariant::fromValue(RecordId(tb, 2))));
        AWAIT_VOID(rolledBack->cancel());
        QCOMPARE(AWAIT(m->connection()->select(QVariant::fromValue(Table(tb)))).toList().size(), 1);

        // Pipelined without waiting: every call reaches the server, and commit waits for them.
        std::unique_ptr<Transaction> pipelined(m->connection()->transaction());
        QList<QFuture<QVariant>> creates;
        for (int i = 10; i < 15; ++i)
            creates.append(pipelined->create(QVariant::fromValue(RecordId(tb, i)), QVariantMap{{u"v"_s, i}}));
        QFuture<QUuid> txnId = pipelined->id();
        QFuture<QUuid> txnIdAgain = pipelined->id();
        QFuture<void> committed = pipelined->commit();
        AWAIT_VOID(committed);
        for (const auto &f : creates)
            QCOMPARE(failureOf(f).kind(), Error::Kind::NoError);
        QCOMPARE(AWAIT(txnId), AWAIT(txnIdAgain));
        QCOMPARE(AWAIT(m->connection()->select(QVariant::fromValue(Table(tb)))).toList().size(), 6);
        QCOMPARE(failureOf(pipelined->create(QVariant::fromValue(RecordId(tb, 99)))).kind(),
                 Error::Kind::Validation);

        // Methods the 3.0 engine runs outside the transaction are refused, not silently committed.
        std::unique_ptr<Transaction> third(m->connection()->transaction());
        // (Transaction has no update() at all; by name it is refused.)
        const Error e =
            failureOf(third->call(u"update"_s, {QVariant::fromValue(RecordId(tb, 1)), QVariantMap{}}));
        QCOMPARE(e.kind(), Error::Kind::Validation);
        AWAIT_VOID(third->cancel());
    }

    void exportAndImport()
    {
        auto source = makeManager(u"ws"_s, 1, m_ns, u"exp_src"_s);
        auto target = makeManager(u"http"_s, 1, m_ns, u"exp_dst"_s);
        AWAIT_VOID(source->open());
        AWAIT_VOID(target->open());
        AWAIT(source->connection()->create(QVariant::fromValue(RecordId(u"book"_s, u"dune"_s)),
                                           QVariantMap{{u"pages"_s, 412}}));
        const QString dump = AWAIT(source->connection()->exportDatabase());
        QVERIFY2(dump.contains(u"book"_s), qPrintable(dump.left(300)));
        AWAIT_VOID(target->connection()->importDatabase(dump));
        const QVariantMap row =
            AWAIT(target->connection()->select(QVariant::fromValue(RecordId(u"book"_s, u"dune"_s)))).toMap();
        QCOMPARE(row.value(u"pages"_s).toLongLong(), 412);
    }

    void requestTimeoutFailsOnlyThatRequest()
    {
        auto m = makeManager(u"single"_s);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        RequestOptions quick;
        quick.timeout = std::chrono::milliseconds(200);
        auto slow = c->call(u"query"_s, {u"SLEEP 2s; RETURN 1"_s}, quick);
        auto normal = c->query(u"RETURN 5"_s);
        const Error e = failureOf(slow);
        QCOMPARE(e.kind(), Error::Kind::Timeout);
        QVERIFY(e.isRetryable());
        QCOMPARE(AWAIT(normal).last().toLongLong(), 5);
        QCOMPARE(AWAIT(c->query(u"RETURN 6"_s)).last().toLongLong(), 6);
    }

    void closeCancelsOutstandingRequests()
    {
        auto m = makeManager(u"ws"_s, 2);
        AWAIT_VOID(m->open());
        QList<QFuture<QueryResult>> pending;
        for (int i = 0; i < 20; ++i)
            pending.append(m->connection()->query(u"SLEEP 500ms; RETURN 1"_s));
        m->close();
        for (const auto &f : pending) {
            const Error e = failureOf(f);
            QCOMPARE(e.kind(), Error::Kind::Cancelled);
        }
        QCOMPARE(m->state(), DatabaseManager::State::Closed);
        QCOMPARE(failureOf(m->connection()->query(u"RETURN 1"_s)).kind(), Error::Kind::Cancelled);
    }

    void thousandConcurrentRequestsOnPoolOfFour()
    {
        auto m = makeManager(u"ws"_s, 4);
        AWAIT_VOID(m->open());
        QList<QFuture<QueryResult>> futures;
        for (int i = 0; i < 1000; ++i)
            futures.append(m->connection()->query(u"RETURN $i * 2"_s, {{u"i"_s, i}}));
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(AWAIT(futures.at(i)).last().toLongLong(), qint64(i) * 2);
        const QList<int> loads = m->pool()->loads();
        QCOMPARE(loads.size(), 4);
        for (int load : loads)
            QCOMPARE(load, 0);
    }

    void syncCallsFromWorkerThreads()
    {
        auto m = makeManager(u"ws"_s, 2);
        m->openSync();
        Connection *c = m->connection();
        QFuture<qint64> sum = QtConcurrent::mappedReduced(
            QList<int>{1, 2, 3, 4, 5, 6, 7, 8},
            [c](int i) {
                return SyncConnection(c).query(u"RETURN $i"_s, {{u"i"_s, i}}).last().toLongLong();
            },
            [](qint64 &acc, qint64 v) { acc += v; });
        QCOMPARE(AWAIT(sum), qint64(36));
    }

    void firstUseFromAWorkerThread()
    {
        // No open() on the owner thread: the first connection() and request come from workers,
        // and the request connects by itself.
        auto m = makeManager(u"ws"_s, 2);
        DatabaseManager *raw = m.get();
        QFuture<qint64> sum = QtConcurrent::mappedReduced(
            QList<int>{1, 2, 3, 4},
            [raw](int i) {
                return SyncConnection(raw->connection())
                    .query(u"RETURN $i"_s, {{u"i"_s, i}})
                    .last()
                    .toLongLong();
            },
            [](qint64 &acc, qint64 v) { acc += v; });
        QCOMPARE(AWAIT(sum), qint64(10));
        QCOMPARE(m->pool()->thread(), m->thread());
        QCOMPARE(m->pool()->size(), 2);
    }

    void syncCallOnIoThreadIsRefused()
    {
        auto m = makeManager(u"ws"_s, 1);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        // A continuation without a context runs on the I/O thread: blocking there must be refused.
        // The sleep makes sure the continuation is attached before the reply arrives.
        QFuture<QString> attempt = c->query(u"SLEEP 200ms"_s).then([c](const QueryResult &) {
            try {
                SyncConnection(c).query(u"RETURN 1"_s);
                return u"not refused"_s;
            } catch (const Exception &e) {
                return e.error().message();
            }
        });
        const QString outcome = AWAIT(attempt);
        QVERIFY2(outcome.contains(u"I/O thread"_s), qPrintable(outcome));
    }

    void acquireAndExecuteWithConnection()
    {
        auto m = makeManager(u"ws"_s, 3);
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        QVERIFY(pool);
        {
            ConnectionPool::Handle h = AWAIT(pool->acquire());
            QVERIFY(h.isValid());
            QCOMPARE(AWAIT(h->query(u"RETURN 1"_s)).last().toLongLong(), 1);
        }
        const QVariant v = AWAIT(pool->executeWithConnection<QVariant>([](Connection *c) {
            return c->run(u"math::max"_s, {QVariant(QVariantList{1, 9, 3})});
        }));
        QCOMPARE(v.toLongLong(), 9);
        AWAIT_VOID(pool->executeWithConnection<void>([](Connection *c) { return c->ping(); }));
    }

    void singleConnectionRetries()
    {
        auto m = makeManager(u"single"_s);
        AWAIT_VOID(m->open());
        SingleConnection *single = m->singleConnection();
        QVERIFY(single);
        AWAIT_VOID(single->ensureConnected());
        int calls = 0;
        const QVariant v = AWAIT(single->executeWithRetry([&calls](Connection *c) {
            ++calls;
            RequestOptions o;
            // The first attempt times out (retryable), the second succeeds.
            o.timeout = std::chrono::milliseconds(calls == 1 ? 100 : 5000);
            return c->call(u"query"_s, {u"SLEEP 300ms; RETURN 'done'"_s}, o);
        }));
        QCOMPARE(calls, 2);
        QCOMPARE(v.toList().last().toMap().value(u"result"_s).toString(), u"done"_s);
    }
};

QTEST_GUILESS_MAIN(tst_Connection)
#include "tst_connection.moc"
