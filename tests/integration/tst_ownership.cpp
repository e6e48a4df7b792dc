// Who owns what, and who gets an answer, as a user meets it against a real SurrealDB: a pool handle
// is exclusive and is freed where it is released (even on a thread without an event loop); a future
// whose receiver is destroyed still settles (Cancelled) instead of being dropped; connections made
// elsewhere can be wrapped; the blocking forms live in the Sync adaptors. docs/threading.md,
// "Ownership and settings".

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QThread>
#include <QtTest/QTest>

#include <atomic>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class Note : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Note)
    SURREALQT_FIELD(QString, text, setText)
};

namespace {

// "ok", the error kind's name, or "cancelled without an error" (a future a caller would wait on with
// onFailed and never hear from).
template<typename T>
QString outcomeOf(QFuture<T> f)
{
    if (!settle(f))
        return u"unsettled"_s;
    try {
        f.waitForFinished();
    } catch (const Exception &e) {
        return QVariant::fromValue(e.error().kind()).toString();
    }
    return f.isCanceled() ? u"cancelled without an error"_s : u"ok"_s;
}

// Runs fn on a QThread that has no event loop, and waits for it.
template<typename F>
bool onThreadWithoutEventLoop(F fn)
{
    std::unique_ptr<QThread> t(QThread::create(std::move(fn)));
    t->start();
    return t->wait(60000);
}

} // namespace

class tst_Ownership : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> makeManager(const ConnectionOptions &options = {},
                                                 const QString &db = u"own"_s)
    {
        auto m = std::make_unique<DatabaseManager>(
            TestServer::url(), m_ns, db, Credentials::root(TestServer::user(), TestServer::pass()), options);
        m->setRequestTimeout(std::chrono::seconds(15));
        return m;
    }

    static QString sessionIdOf(Connection *c)
    {
        return AWAIT(c->query(u"RETURN session::id()"_s)).value(0).toString();
    }

    QString m_ns;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("own_");
    }

    // --- ConnectionPool::Handle
    // ------------------------------------------------------------

    // The third acquire() on the default pool of 2 silently shared a socket with a handle that had
    // been promised exclusive use. Now it waits for the first release and gets that socket.
    void thirdAcquireWaitsForAFreeSocket()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        QCOMPARE(pool->size(), 2);
        ConnectionPool::Handle h1 = AWAIT(pool->acquire());
        ConnectionPool::Handle h2 = AWAIT(pool->acquire());
        const QString s1 = sessionIdOf(h1.get());
        const QString s2 = sessionIdOf(h2.get());
        QVERIFY(s1 != s2);
        QFuture<ConnectionPool::Handle> third = pool->acquire();
        QVERIFY2(!third.isFinished(), "the third handle was given a socket another handle holds");
        QCOMPARE(pool->waitingCount(), 1);
        QVERIFY(!pool->tryAcquire().isValid());
        h1.release();
        // Handed over by the release itself, in the releasing thread.
        QVERIFY(third.isFinished());
        ConnectionPool::Handle h3 = third.result();
        QCOMPARE(sessionIdOf(h3.get()), s1);
        QCOMPARE(pool->waitingCount(), 0);
        // The pool's own requests still run while every socket is held.
        QCOMPARE(AWAIT(m->connection()->query(u"RETURN 5"_s)).last().toInt(), 5);
    }

    // First come, first served; a caller that cancels its acquire() gives up its place.
    void acquireQueueOrder()
    {
        auto m = makeManager(ConnectionOptions{.poolSize = 1});
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        ConnectionPool::Handle held = AWAIT(pool->acquire());
        QFuture<ConnectionPool::Handle> first = pool->acquire();
        QFuture<ConnectionPool::Handle> second = pool->acquire();
        QFuture<ConnectionPool::Handle> third = pool->acquire();
        first.cancel();
        QCOMPARE(pool->waitingCount(), 2);
        held.release();
        QVERIFY(second.isFinished());
        QVERIFY(!third.isFinished());
        second = {}; // the last copy of that handle: the socket moves on
        QVERIFY(third.isFinished());
        QCOMPARE(AWAIT(third.result()->query(u"RETURN 3"_s)).last().toInt(), 3);
    }

    // More executeWithConnection() calls than sockets: each waits for its own socket.
    void executeWithConnectionBeyondThePoolSize()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        auto running = std::make_shared<std::atomic<int>>(0);
        auto most = std::make_shared<std::atomic<int>>(0);
        QList<QFuture<QVariant>> calls;
        for (int i = 0; i < 5; ++i) {
            calls << pool->executeWithConnection<QVariant>([running, most](Connection *c) {
                const int now = ++*running;
                int seen = most->load();
                while (now > seen && !most->compare_exchange_weak(seen, now)) {
                }
                return c->call(u"query"_s, {u"SLEEP 100ms; RETURN session::id()"_s})
                    .then(QtFuture::Launch::Sync, [running](const QVariant &v) {
                        --*running;
                        return v;
                    });
            });
        }
        for (const QFuture<QVariant> &f : std::as_const(calls))
            QCOMPARE(outcomeOf(f), u"ok"_s);
        QVERIFY2(most->load() <= 2, qPrintable(QString::number(most->load())));
    }

    // A handle acquired on a worker thread was freed with deleteLater() there: on a thread without
    // an event loop its Connection was never deleted.
    void handleFreedOnThreadWithoutEventLoop()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        bool destroyedAtRelease = false;
        int answer = 0;
        QVERIFY(onThreadWithoutEventLoop([pool, &destroyedAtRelease, &answer] {
            SyncConnectionPool sync(pool);
            ConnectionPool::Handle h = sync.acquire();
            answer = int(SyncConnection(h.get()).query(u"RETURN 11"_s).last().toLongLong());
            bool gone = false;
            QObject::connect(h.get(), &QObject::destroyed, [&gone] { gone = true; });
            h.release();
            destroyedAtRelease = gone;
        }));
        QCOMPARE(answer, 11);
        QVERIFY2(destroyedAtRelease, "the handle's connection outlived its release");
        // And the socket is free again.
        QVERIFY(pool->tryAcquire().isValid());
    }

    // A handle's Connection has no thread; wrapped in a SingleConnection of one's own, its socket
    // still serves executeWithRetry() (whose attempts are judged in the wrapper's thread).
    void handleWrappedForRetry()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool::Handle h = AWAIT(m->pool()->acquire());
        SingleConnection wrapped(h.get());
        QCOMPARE(sessionIdOf(&wrapped), sessionIdOf(h.get()));
        const QVariant v = AWAIT(wrapped.executeWithRetry(
            [](Connection *c) { return c->call(u"query"_s, {u"RETURN 'retried'"_s}); }));
        QCOMPARE(v.toList().last().toMap().value(u"result"_s).toString(), u"retried"_s);
    }

    // closeAll(): waiting acquire() calls and requests fail with Cancelled; nothing hangs.
    void closeAllCancelsWaitersAndRequests()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        ConnectionPool::Handle h1 = AWAIT(pool->acquire());
        ConnectionPool::Handle h2 = AWAIT(pool->acquire());
        QFuture<ConnectionPool::Handle> waiting = pool->acquire();
        QFuture<QueryResult> slow = h1->query(u"SLEEP 2s; RETURN 1"_s);
        AWAIT_VOID(pool->closeAll());
        QCOMPARE(outcomeOf(waiting), u"Cancelled"_s);
        QCOMPARE(outcomeOf(slow), u"Cancelled"_s);
        QCOMPARE(outcomeOf(m->connection()->query(u"RETURN 1"_s)), u"Cancelled"_s);
        QCOMPARE(outcomeOf(pool->acquire()), u"Cancelled"_s);
        QCOMPARE(pool->connectedCount(), 0);
    }

    // --- Futures whose receiver is destroyed
    // ---------------------------------------------------

    // Model::save() was continued with then(model, ...): destroying the model with the request in
    // flight left the caller's future cancelled without an error (and asserted in a debug Qt).
    void saveOfDestroyedModelSettles()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        auto *note = new Note;
        note->setConnection(m->connection());
        note->setText(u"x"_s);
        QFuture<void> f = note->save();
        delete note;
        QCOMPARE(outcomeOf(f), u"Cancelled"_s);
    }

    void cacheGetOfDestroyedCacheSettles()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        auto *cache = new RecordCache(m->connection());
        QFuture<QVariantMap> f = cache->get(RecordId(u"note"_s, u"a"_s));
        delete cache;
        QCOMPARE(outcomeOf(f), u"Cancelled"_s);
    }

    void retryOfDestroyedConnectionSettles()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        auto *single = new SingleConnection(m->connection());
        QFuture<QVariant> f = single->executeWithRetry(
            [](Connection *c) { return c->call(u"query"_s, {u"SLEEP 200ms; RETURN 1"_s}); });
        delete single;
        QCOMPARE(outcomeOf(f), u"Cancelled"_s);
    }

    // While the receiver lives, the answer is delivered in its thread.
    void answersArriveInTheReceiversThread()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        RecordCache cache(m->connection());
        QThread *where = nullptr;
        QFuture<void> f = cache.get(RecordId(u"note"_s, u"b"_s))
                              .then(QtFuture::Launch::Sync,
                                    [&where](const QVariantMap &) { where = QThread::currentThread(); });
        QCOMPARE(outcomeOf(f), u"ok"_s);
        QCOMPARE(where, QThread::currentThread());
    }

    // --- Wrapping connections you already have (the seed's single-connection
    // example) ---------

    void singleConnectionWrapsASignedInConnection()
    {
        auto m = makeManager(ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m->open());
        Connection *mine = m->connection();
        // Made and signed in by the user, then moved to a namespace/database of its own.
        AWAIT(mine->signin(Credentials::root(TestServer::user(), TestServer::pass())));
        AWAIT_VOID(mine->use(m_ns, u"wrapped"_s));
        SingleConnection wrapped(mine);
        QVERIFY(wrapped.isWebSocket());
        const QVariantList where =
            AWAIT(wrapped.query(u"RETURN [session::ns(), session::db()]"_s)).last().toList();
        QCOMPARE(where.value(0).toString(), m_ns);
        QCOMPARE(where.value(1).toString(), u"wrapped"_s);
        QCOMPARE(sessionIdOf(&wrapped), sessionIdOf(mine));
        CrudHelpers helpers(&wrapped);
        AWAIT(helpers.insertOne(Table(u"pet"_s), {{u"name"_s, u"rex"_s}}));
        const QVariantList pets = AWAIT(helpers.selectMany(Table(u"pet"_s)));
        QCOMPARE(pets.size(), 1);
        const QVariant v = AWAIT(wrapped.executeWithRetry([](Connection *c) { return c->call(u"ping"_s); }));
        Q_UNUSED(v);
        AWAIT_VOID(wrapped.ensureConnected());
        // The wrapped connection keeps working.
        QCOMPARE(AWAIT(mine->query(u"RETURN 2"_s)).last().toInt(), 2);
    }

    void poolWrapsExistingConnections()
    {
        const ConnectionOptions one{.sockets = ConnectionOptions::Sockets::Single};
        auto a = makeManager(one);
        auto b = makeManager(one);
        AWAIT_VOID(a->open());
        AWAIT_VOID(b->open());
        ConnectionPool pool({a->connection(), b->connection()});
        QCOMPARE(pool.size(), 2);
        QTRY_COMPARE(pool.connectedCount(), 2);
        ConnectionPool::Handle h1 = AWAIT(pool.acquire());
        ConnectionPool::Handle h2 = AWAIT(pool.acquire());
        QVERIFY(sessionIdOf(h1.get()) != sessionIdOf(h2.get()));
        const QSet<QString> expected{sessionIdOf(a->connection()), sessionIdOf(b->connection())};
        QVERIFY(expected.contains(sessionIdOf(h1.get())));
        QVERIFY(expected.contains(sessionIdOf(h2.get())));
        QCOMPARE(AWAIT(pool.query(u"RETURN 9"_s)).last().toInt(), 9);
    }

    // --- The blocking forms, in the Sync adaptors
    // -----------------------------------------------

    void syncAdaptorsOnAWorkerThread()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        auto s = makeManager(ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(s->open());
        ConnectionPool *pool = m->pool();
        SingleConnection *single = s->singleConnection();
        QStringList sessions;
        int calls = 0;
        QVariant retried;
        QString afterClose;
        QVERIFY(onThreadWithoutEventLoop([&] {
            SyncConnectionPool sync(pool);
            for (int i = 0; i < 3; ++i) {
                sessions << sync.executeWithConnection([](Connection *c) {
                    return SyncConnection(c).query(u"RETURN session::id()"_s).last().toString();
                });
            }
            SyncSingleConnection syncSingle(single);
            syncSingle.ensureConnected();
            retried = syncSingle.executeWithRetry([&calls](Connection *c) {
                ++calls;
                RequestOptions o;
                // The first attempt times out (retryable), the second succeeds.
                o.timeout = std::chrono::milliseconds(calls == 1 ? 100 : 5000);
                return SyncConnection(c).call(u"query"_s, {u"SLEEP 300ms; RETURN 'done'"_s}, o);
            });
            sync.closeAll();
            try {
                SyncConnection(pool).query(u"RETURN 1"_s);
            } catch (const Exception &e) {
                afterClose = QVariant::fromValue(e.error().kind()).toString();
            }
        }));
        QCOMPARE(sessions.size(), 3);
        QCOMPARE(calls, 2);
        QCOMPARE(retried.toList().last().toMap().value(u"result"_s).toString(), u"done"_s);
        QCOMPARE(afterClose, u"Cancelled"_s);
    }

    // On the I/O thread the blocking forms refuse at once instead of waiting for themselves.
    void syncAdaptorsRefuseTheIoThread()
    {
        auto m = makeManager();
        AWAIT_VOID(m->open());
        ConnectionPool *pool = m->pool();
        QFuture<QString> attempt = m->connection()->query(u"RETURN 1"_s).then([pool](const QueryResult &) {
            try {
                (void)SyncConnectionPool(pool).acquire();
                return u"not refused"_s;
            } catch (const Exception &e) {
                return QVariant::fromValue(e.error().kind()).toString();
            }
        });
        QCOMPARE(AWAIT(attempt), u"Validation"_s);
    }
};

QTEST_GUILESS_MAIN(tst_Ownership)
#include "tst_ownership.moc"
