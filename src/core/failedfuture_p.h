#pragma once

// Not public API. A future that has already failed with an error: what a call returns when it
// is refused before anything is sent (no connection, a bad argument), so callers see one shape.

#include <SurrealQt/error.h>
#include <SurrealQt/exception.h>

#include <QtCore/QFuture>
#include <QtCore/QPromise>

namespace SurrealQt {

template<typename T>
QFuture<T> failedFuture(const Error &error)
{
    QPromise<T> promise;
    promise.start();
    promise.setException(Exception(error));
    promise.finish();
    return promise.future();
}

} // namespace SurrealQt
