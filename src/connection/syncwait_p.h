#pragma once

// Not public API. The blocking half of the ...Sync calls.

#include "iothread_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QFuture>

namespace SurrealQt {

inline void refuseOnIoThread(const char *call)
{
    if (IoThread::isCurrent())
        throw Exception(
            Error(Error::Kind::Validation,
                  QStringLiteral("%1 blocks, and cannot run on the connection's I/O thread: it would "
                                 "wait for itself. Use the asynchronous call.")
                      .arg(QLatin1String(call))));
}

template<typename T>
T waitFor(QFuture<T> future, const char *call)
{
    refuseOnIoThread(call);
    future.waitForFinished();
    // result() on a cancelled future without a result would block for ever in Qt 6.4.
    if (future.isCanceled() && future.resultCount() == 0)
        throw Exception(Error(Error::Kind::Cancelled, QStringLiteral("The operation was cancelled"),
                              QLatin1String(call)));
    if constexpr (!std::is_void_v<T>)
        return future.result();
}

// Refuses before the request is even sent: on the I/O thread nobody could wait for it.
template<typename MakeFuture>
auto blockOn(const char *call, MakeFuture makeFuture)
{
    refuseOnIoThread(call);
    return waitFor(makeFuture(), call);
}

// The error forms of the Sync adaptors (SyncConnection::ErrorMode): lastError is cleared, then
// set from a SurrealQt::Exception that run() throws, which is rethrown in Throw mode and becomes
// an empty value in Report mode.
template<typename F>
auto reporting(SyncConnection::ErrorMode mode, Error &lastError, F run) -> decltype(run())
{
    using R = decltype(run());
    lastError = {};
    try {
        return run();
    } catch (const Exception &e) {
        lastError = e.error();
        if (mode == SyncConnection::ErrorMode::Throw)
            throw;
    }
    if constexpr (!std::is_void_v<R>)
        return R();
}

} // namespace SurrealQt
