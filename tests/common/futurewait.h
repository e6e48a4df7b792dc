#pragma once

// Waiting for library futures in tests: they finish on the I/O thread, so the test thread
// may block, but it keeps its own event loop turning for queued signals meanwhile.

#include <SurrealQt/exception.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QTimer>
#include <QtTest/QTest>

// Sleeps in an event loop rather than spinning: the server runs on the same two cores.
template<typename T>
bool settle(const QFuture<T> &future, int ms = 20000)
{
    if (future.isFinished())
        return true;
    QEventLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished())
        loop.exec();
    return future.isFinished();
}

// The error a future failed with; an invalid Error if it succeeded.
template<typename T>
SurrealQt::Error failureOf(QFuture<T> future, int ms = 20000)
{
    if (!settle(future, ms))
        return SurrealQt::Error(SurrealQt::Error::Kind::Timeout, QStringLiteral("test gave up waiting"));
    try {
        future.waitForFinished();
        if constexpr (!std::is_void_v<T>)
            (void)future.result();
    } catch (const SurrealQt::Exception &e) {
        return e.error();
    }
    return {};
}

#define AWAIT(future)                                                                                        \
    [&]() {                                                                                                  \
        auto f_ = (future);                                                                                  \
        if (!settle(f_))                                                                                     \
            qFatal("future did not finish in time at %s:%d", __FILE__, __LINE__);                            \
        try {                                                                                                \
            return f_.result();                                                                              \
        } catch (const SurrealQt::Exception &e) {                                                            \
            qFatal("unexpected failure at %s:%d: %s", __FILE__, __LINE__, e.what());                         \
        }                                                                                                    \
        return f_.result();                                                                                  \
    }()

#define AWAIT_VOID(future)                                                                                   \
    do {                                                                                                     \
        auto f_ = (future);                                                                                  \
        const SurrealQt::Error e_ = failureOf(f_);                                                           \
        QVERIFY2(!e_.isValid(), qPrintable(e_.toString()));                                                  \
    } while (false)
