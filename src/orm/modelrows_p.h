#pragma once

// Not public API: turning query replies into rows and rows into objects.

#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QVariantList>

namespace SurrealQt::Orm {

// The value of statement index; throws the statement's error.
QVariant statementValue(const QueryResult &result, int index = 0);
// The value of statement index as rows (a single map becomes one row, NONE none).
QVariantList rowsOf(const QueryResult &result, int index = 0);

// A future already finished with value.
template<typename T>
QFuture<T> ready(const T &value)
{
    QPromise<T> promise;
    promise.start();
    promise.addResult(value);
    promise.finish();
    return promise.future();
}

template<typename T>
QFuture<T> failed(const Error &error)
{
    QPromise<T> promise;
    promise.start();
    promise.setException(Exception(error));
    promise.finish();
    return promise.future();
}

} // namespace SurrealQt::Orm
