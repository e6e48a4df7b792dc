// docs/coroutines.md's example, run by tst_coroutines (the only file that includes this header).
#pragma once

#include <QtCore/QString>

using namespace Qt::StringLiterals;

// [coroutines]
#include <SurrealQt/SurrealQt>

#include <QCoroFuture>
#include <QCoroTask>

QCoro::Task<QVariantMap> saveAndReload(SurrealQt::Connection *c, SurrealQt::RecordId id)
{
    // GCC 12 cannot build braced QVariantMaps inside a co_await expression: name them first.
    const QVariantMap book{{u"title"_s, u"Dune"_s}, {u"pages"_s, 412}};
    const QVariantMap read{{u"read"_s, true}};
    co_await c->create(id, book);
    co_await c->merge(id, read);
    const QVariantMap record = co_await c->select(id);
    co_return record;
}

QCoro::Task<SurrealQt::Error> failureInCoroutine(SurrealQt::Connection *c)
{
    try {
        co_await c->query(u"SELEC * FROM nothing"_s);
    } catch (const SurrealQt::Exception &e) {
        co_return e.error(); // Error::Kind::Parse
    }
    co_return SurrealQt::Error();
}
// [coroutines]
