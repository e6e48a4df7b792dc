#pragma once

// Not public API: turning query replies into rows and rows into objects.

#include "core/failedfuture_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QVariantList>

#include <functional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace SurrealQt {
class Connection;
class Model;
} // namespace SurrealQt

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

// Objects of one model class made by `make` and loaded from rows (through ModelRowLoader, as
// Model::fromMap would load them); each uses `connection` when one is given, and is moved to
// `target` when that is another thread (replies are read off the caller's thread). Throws the
// first row's error, keeping no object.
QList<Model *> objectsOf(const QVariantList &rows, const std::function<Model *()> &make,
                         Connection *connection, QThread *target);

} // namespace SurrealQt::Orm
