#pragma once

// Not public API: conversions between SurrealQt values and what QML's JavaScript can hold.

#include <SurrealQt/error.h>

#include <QtCore/QPointer>
#include <QtCore/QVariant>
#include <QtQml/QJSValue>

class QJSEngine;

namespace SurrealQt::JsConvert {

// Database value -> JavaScript-friendly QVariant: record ids and tables become their
// "table:id" / "table" text, datetimes become Date, decimals numbers, NONE null.
QVariant toJs(const QVariant &value);

// What fromJs() accepts at most: a longer array, or a deeper nesting of objects and arrays, is
// refused before anything is converted (a script's `new Array(1e9)` must not take the GUI
// thread's memory and time), and a cycle is always deeper than this.
inline constexpr qint64 maxArrayLength = 1'000'000;
inline constexpr int maxDepth = 100;

// JavaScript value -> database value: whole numbers become integers (JavaScript has only
// doubles, SurrealDB keeps int and float apart), Dates become datetimes, record id values stay
// record ids. A value that cannot be stored is a Validation error naming where it is, from
// `path` on ("data.onDone: a function cannot be stored"): functions, undefined (also an array's
// holes), NaN and ±Infinity, invalid Dates, RegExps, QML objects, cycles, arrays longer than
// maxArrayLength and nestings deeper than maxDepth. Returns an invalid QVariant then.
QVariant fromJs(const QJSValue &value, const QString &path, Error *error);
// The same for a value QML already turned into a QVariant (it may hold a QJSValue).
QVariant fromJs(const QVariant &value, const QString &path, Error *error);

// A JavaScript Error with the fields of SurrealQt::Error as QML sees it (the `surrealError`
// value type): kind (the SurrealError enum's number), kindName, message, details, serverCode,
// serverKind, context, retryable, valid, and itemErrors (an array of the same, for bulk calls).
QJSValue errorObject(QJSEngine *engine, const Error &error);

// The name of an Error::Kind, e.g. "NotAllowed".
QString kindName(Error::Kind kind);

// A row's record id as the "table:id" text the Database calls take; empty when it is none.
QString recordIdText(const QVariant &id);

// Settles a JavaScript call exactly once: calls the callback (result, error) when one was
// given, else resolves or rejects the Promise it returned.
class Reply
{
public:
    Reply(QJSEngine *engine, const QJSValue &callback);
    // What the invokable returns: the Promise, or undefined when a callback was given.
    [[nodiscard]] QJSValue returnValue() const { return m_promise; }
    void resolve(const QVariant &result) const;
    void reject(const Error &error) const;

private:
    QPointer<QJSEngine> m_engine;
    QJSValue m_callback;
    QJSValue m_promise;
    QJSValue m_resolve;
    QJSValue m_reject;
};

} // namespace SurrealQt::JsConvert
