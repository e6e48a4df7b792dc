#pragma once

// Not public API: small helpers the parts of the list models share (record ids in rows, field
// paths, and how an answer comes back to the model's thread).

#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include "core/postbox_p.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QVariantMap>

namespace SurrealQt {

Q_DECLARE_LOGGING_CATEGORY(lcViews)

namespace ListModelSupport {

[[nodiscard]] inline bool isRecordId(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<RecordId>();
}

[[nodiscard]] inline RecordId idOf(const QVariantMap &record)
{
    const QVariant id = record.value(QStringLiteral("id"));
    return isRecordId(id) ? id.value<RecordId>() : RecordId();
}

// Each dotted part a name; written with backticks when it is not a plain identifier.
bool quotePath(const QString &path, QString *out);
[[nodiscard]] QVariant valueAtPath(const QVariantMap &record, const QString &path);
// What Qt::DisplayRole shows for a stored value.
[[nodiscard]] QVariant displayValue(const QVariant &v);

// A continuation attached with a context runs at once, inside the call that attached it, when the
// answer came back before then() was reached (a descheduled thread on a busy machine). Edits
// promise "shown at once, corrected later", so their outcome is always applied from the event loop.
//
// None of these attach with then(context, ...): in Qt 6.4 that continuation reads the context's
// QPointer on the I/O thread (racing the model's deletion in its own thread) and asserts, in a
// debug build, when the model was destroyed before the answer came (a page in flight when the
// view closes). They run where the future finishes and post to the model through a PostBox,
// which drops the call once the model is gone.
template<typename T = QueryResult, typename F>
auto later(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const T &r) {
        box->post([f, r]() mutable { f(r); });
    };
}

template<typename F>
auto laterOnError(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const Exception &e) {
        box->post([f, error = e.error()]() mutable { f(error); });
    };
}

// As then(context, ...) meant: at once when already in the model's thread, queued otherwise.
template<typename T, typename F>
auto inThread(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const T &value) {
        box->post([f, value]() mutable { f(value); }, Qt::AutoConnection);
    };
}

template<typename F>
auto inThreadOnError(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const Exception &e) {
        box->post([f, error = e.error()]() mutable { f(error); }, Qt::AutoConnection);
    };
}

} // namespace ListModelSupport

} // namespace SurrealQt
