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

// JavaScript value -> database value: whole numbers become integers (JavaScript has only
// doubles, SurrealDB keeps int and float apart), Dates become datetimes.
QVariant fromJs(const QVariant &value);

// A JavaScript Error carrying the SurrealQt::Error's kind, code and context as properties.
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
