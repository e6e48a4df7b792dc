#pragma once

// Waiting for a library future in a benchmark without spinning: the benchmarks share two cores
// with the server, and a busy-waiting main thread would take one of them away from it.

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QTimer>

#include <functional>

// Turns the event loop (queued signals keep arriving) until the future finished or ms passed;
// returns whether it finished.
template<typename T>
bool waitInEventLoop(const QFuture<T> &future, int ms = 600000)
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

// Turns the event loop until done() holds; false on timeout. Sleeps between events instead of
// spinning.
inline bool spinUntil(const std::function<bool()> &done, int ms = 120000)
{
    QElapsedTimer t;
    t.start();
    // Wakes the wait when done() turns true without an event for this thread (a future finished
    // on the I/O thread).
    QTimer tick;
    tick.start(1);
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}
