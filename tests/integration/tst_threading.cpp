// The threading contract of docs/threading.md, "Where results arrive", held against the real
// engine: every future finishes on the manager's I/O thread (a context-less then() runs there,
// then(context, ...) in the context's thread), and the GUI thread never waits for the I/O
// thread: open() and close() return at once even while the I/O thread is busy.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/singleconnection.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// Keeps the manager's I/O thread busy for ms, as a slow user continuation there would.
void occupy(QThread *thread, int ms)
{
    auto *blocker = new QObject;
    blocker->moveToThread(thread);
    QMetaObject::invokeMethod(blocker, [blocker, ms] {
        QThread::msleep(ms);
        delete blocker;
    });
}

// Counts the GUI thread's timer ticks while it lives: a stalled event loop shows as missing ticks.
struct Ticker
{
    QTimer timer;
    int ticks = 0;
    Ticker()
    {
        QObject::connect(&timer, &QTimer::timeout, &timer, [this] { ++ticks; });
        timer.start(10);
    }
};

constexpr int BusyMs = 1200;
// A call that waited for the busy I/O thread would take BusyMs; one that posts returns in far less.
constexpr int ReturnsWithinMs = 300;

} // namespace

class tst_Threading : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager>
    manager(ConnectionOptions::Sockets sockets = ConnectionOptions::Sockets::Pool)
    {
        return std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("thr_"), u"t"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()),
                                                 ConnectionOptions{.sockets = sockets});
    }

private Q_SLOTS:
    void openDoesNotWaitForTheIoThread()
    {
        auto m = manager();
        QVERIFY(m->connection());
        occupy(m->ioThread(), BusyMs);
        QTest::qWait(50); // the blocker is running
        Ticker ticker;
        QElapsedTimer t;
        t.start();
        QFuture<void> opened = m->open();
        const qint64 openReturnedAfter = t.elapsed();
        QVERIFY2(openReturnedAfter < ReturnsWithinMs,
                 qPrintable(u"open() blocked the calling thread for %1 ms"_s.arg(openReturnedAfter)));
        QVERIFY(!opened.isFinished());
        // The GUI thread's event loop keeps turning while the I/O thread is busy, then the open ends.
        QVERIFY(settle(opened, 20000));
        QVERIFY2(ticker.ticks >= 20,
                 qPrintable(u"only %1 ticks of the GUI thread's timer"_s.arg(ticker.ticks)));
        QVERIFY(!failureOf(opened).isValid());
        QCOMPARE(m->state(), DatabaseManager::State::Connected);
    }

    void closeDoesNotWaitForTheIoThread_data()
    {
        QTest::addColumn<bool>("single");
        QTest::newRow("manager (pool)") << false;
        QTest::newRow("single connection") << true;
    }

    void closeDoesNotWaitForTheIoThread()
    {
        QFETCH(bool, single);
        auto m = manager(single ? ConnectionOptions::Sockets::Single : ConnectionOptions::Sockets::Pool);
        AWAIT_VOID(m->open());
        Connection *c = m->connection();
        // In flight when close() is called: it must end, not hang.
        QFuture<QueryResult> slow = c->query(u"SLEEP 300ms; RETURN 1"_s);
        occupy(m->ioThread(), BusyMs);
        QTest::qWait(50);
        QElapsedTimer t;
        t.start();
        if (single)
            m->singleConnection()->close();
        else
            m->close();
        const qint64 closeReturnedAfter = t.elapsed();
        QVERIFY2(closeReturnedAfter < ReturnsWithinMs,
                 qPrintable(u"close() blocked the calling thread for %1 ms"_s.arg(closeReturnedAfter)));
        // A request made after close() is posted behind it and finds the connection closed.
        QFuture<QueryResult> after = c->query(u"RETURN 2"_s);
        const Error e = failureOf(after, 20000);
        QCOMPARE(e.kind(), Error::Kind::Cancelled);
        // Answered or cancelled, depending on which the I/O thread saw first; it never hangs.
        QVERIFY(settle(slow, 20000));
        if (!single)
            QCOMPARE(m->state(), DatabaseManager::State::Closed);
    }

    // The documented default: continuations without a context run on the I/O thread, for query(),
    // typed calls, onFailed and open() — or, when the reply beat the .then() call, at once in the
    // attaching thread (Qt runs a continuation attached to a finished future immediately); never
    // on a third thread. With a context, in the context's thread.
    void futuresFinishOnTheIoThread()
    {
        auto m = manager();
        std::atomic<QThread *> openedOn{nullptr};
        QFuture<void> opened = m->open().then([&] { openedOn = QThread::currentThread(); });
        QVERIFY(settle(opened));
        QCOMPARE(openedOn.load(), m->ioThread());
        Connection *c = m->connection();
        QVERIFY(AWAIT(c->query(u"UPSERT thr:1 SET n = 1"_s)).isOk());

        std::atomic<QThread *> queryOn{nullptr}, typedOn{nullptr}, failedOn{nullptr}, contextOn{nullptr};
        // The server sleeps, so this future is certainly unfinished when .then() attaches to it.
        QFuture<void> q = c->query(u"SLEEP 100ms; RETURN 1"_s).then([&](const QueryResult &) {
            queryOn = QThread::currentThread();
        });
        QFuture<void> typed = c->select(RecordId(u"thr"_s, 1)).then([&](const QVariantMap &) {
            typedOn = QThread::currentThread();
        });
        QFuture<QVariant> failed = c->call(u"no_such_method"_s).onFailed([&](const Exception &) {
            failedOn = QThread::currentThread();
            return QVariant();
        });
        QObject context;
        QFuture<void> withContext = c->query(u"RETURN 1"_s).then(&context, [&](const QueryResult &) {
            contextOn = QThread::currentThread();
        });
        QVERIFY(settle(q));
        QVERIFY(settle(typed));
        QVERIFY(settle(failed));
        QVERIFY(settle(withContext));
        const auto ioOrAttaching = [&](QThread *t) {
            return t == m->ioThread() || t == QThread::currentThread();
        };
        QCOMPARE(queryOn.load(), m->ioThread());
        QVERIFY2(ioOrAttaching(typedOn.load()),
                 "select(): a context-less continuation ran on a third thread");
        QVERIFY2(ioOrAttaching(failedOn.load()), "onFailed: a context-less handler ran on a third thread");
        QCOMPARE(contextOn.load(), QThread::currentThread());
    }
};

QTEST_GUILESS_MAIN(tst_Threading)
#include "tst_threading.moc"
