#pragma once

// What every benchmark needs: waiting for a library future without spinning (the benchmarks
// share two cores with the server, and a busy-waiting main thread would take one of them away
// from it), reading --name N arguments, medians, and giving up with a message.

#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QTimer>

#include <QtCore/QStringList>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

// --name N from the command line, or fallback.
inline int argValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

// The median of the samples (the mean of the middle two for an even count); 0 for none.
inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
}

// Prints "<program>: message" to stderr and exits 1: a benchmark that cannot measure what it
// claims must not print a figure.
[[noreturn]] inline void die(const QString &message)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()), qPrintable(message));
    std::exit(1);
}

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

// The future's result; die()s naming `what` when it fails or does not finish within ms: a
// benchmark goes on only with what it asked for.
template<typename T>
T awaitOrDie(QFuture<T> future, const QString &what, int ms = 600000)
{
    if (!waitInEventLoop(future, ms))
        die(what + QStringLiteral(": no answer in %1 s").arg(ms / 1000));
    try {
        if constexpr (std::is_void_v<T>)
            future.waitForFinished();
        else
            return future.result();
    } catch (const SurrealQt::Exception &e) {
        die(what + QStringLiteral(": ") + QString::fromUtf8(e.what()));
    }
}

// Runs a query that must succeed, statement by statement.
inline SurrealQt::QueryResult run(SurrealQt::Connection *c, const QString &text, const QVariantMap &vars = {})
{
    const SurrealQt::QueryResult r = awaitOrDie(c->query(text, vars), text, 120000);
    if (!r.isOk())
        die(text + QStringLiteral(": ") + r.firstError().toString());
    return r;
}
