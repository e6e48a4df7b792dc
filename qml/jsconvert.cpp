#include "jsconvert_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/geometry.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaEnum>
#include <QtCore/QUuid>
#include <QtQml/QJSEngine>

#include <cmath>

Q_LOGGING_CATEGORY(lcSurrealQml, "surrealqt.qml")

namespace SurrealQt::JsConvert {

namespace {
void warnUncaught(const QJSValue &result)
{
    if (result.isError())
        qCWarning(lcSurrealQml).noquote()
            << "uncaught exception in a callback:" << result.toString()
            << result.property(QStringLiteral("fileName")).toString() + QLatin1Char(':') +
                   result.property(QStringLiteral("lineNumber")).toString();
}
} // namespace

QVariant toJs(const QVariant &value)
{
    const int type = value.metaType().id();
    switch (type) {
    case QMetaType::QVariantMap: {
        QVariantMap out = value.toMap();
        for (auto it = out.begin(); it != out.end(); ++it)
            it.value() = toJs(it.value());
        return out;
    }
    case QMetaType::QVariantList: {
        QVariantList out = value.toList();
        for (QVariant &v : out)
            v = toJs(v);
        return out;
    }
    case QMetaType::QUuid:
        return value.toUuid().toString(QUuid::WithoutBraces);
    default:
        break;
    }
    if (type == qMetaTypeId<RecordId>())
        return value.value<RecordId>().toString();
    if (type == qMetaTypeId<Table>())
        return value.value<Table>().name();
    if (type == qMetaTypeId<DateTime>())
        return value.value<DateTime>().toQDateTime();
    if (type == qMetaTypeId<Decimal>())
        return value.value<Decimal>().toDouble();
    if (type == qMetaTypeId<Duration>())
        return value.value<Duration>().toString();
    if (type == qMetaTypeId<None>())
        return QVariant::fromValue(nullptr);
    if (type == qMetaTypeId<Geometry>())
        return value.value<Geometry>().toString();
    return value;
}

QVariant fromJs(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::QVariantMap: {
        QVariantMap out = value.toMap();
        for (auto it = out.begin(); it != out.end(); ++it)
            it.value() = fromJs(it.value());
        return out;
    }
    case QMetaType::QVariantList: {
        QVariantList out = value.toList();
        for (QVariant &v : out)
            v = fromJs(v);
        return out;
    }
    case QMetaType::Double: {
        const double d = value.toDouble();
        // 2^53: beyond it a double no longer names one integer.
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0)
            return QVariant::fromValue(qint64(d));
        return value;
    }
    case QMetaType::QDateTime:
        return QVariant::fromValue(DateTime(value.toDateTime()));
    case QMetaType::QJsonValue:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonArray:
        return fromJs(value.toJsonValue().toVariant());
    default:
        break;
    }
    if (value.metaType() == QMetaType::fromType<QJSValue>())
        return fromJs(value.value<QJSValue>().toVariant());
    return value;
}

QString kindName(Error::Kind kind)
{
    return QString::fromLatin1(QMetaEnum::fromType<Error::Kind>().valueToKey(int(kind)));
}

QJSValue errorObject(QJSEngine *engine, const Error &error)
{
    QJSValue object = engine->newErrorObject(QJSValue::GenericError, error.message());
    object.setProperty(QStringLiteral("kind"), kindName(error.kind()));
    object.setProperty(QStringLiteral("serverCode"), error.serverCode());
    object.setProperty(QStringLiteral("serverKind"), error.serverKind());
    object.setProperty(QStringLiteral("context"), error.context());
    object.setProperty(QStringLiteral("retryable"), error.isRetryable());
    return object;
}

Reply::Reply(QJSEngine *engine, const QJSValue &callback)
    : m_engine(engine)
    , m_callback(callback.isCallable() ? callback : QJSValue())
{
    if (!m_engine || m_callback.isCallable())
        return;
    // QJSEngine has no C++ Promise API in Qt 6.4; capture the executor's functions instead.
    QJSValue executor = m_engine->evaluate(
        QStringLiteral("(function() { var r = {}; r.promise = new Promise(function(resolve, reject) {"
                       " r.resolve = resolve; r.reject = reject; }); return r; })"));
    QJSValue parts = executor.call();
    m_promise = parts.property(QStringLiteral("promise"));
    m_resolve = parts.property(QStringLiteral("resolve"));
    m_reject = parts.property(QStringLiteral("reject"));
}

void Reply::resolve(const QVariant &result) const
{
    if (!m_engine)
        return;
    const QJSValue value = m_engine->toScriptValue(toJs(result));
    QJSValue target = m_callback.isCallable() ? m_callback : m_resolve;
    warnUncaught(target.call({value}));
}

void Reply::reject(const Error &error) const
{
    if (!m_engine)
        return;
    const QJSValue jsError = errorObject(m_engine, error);
    const QJSValue r = m_callback.isCallable() ? QJSValue(m_callback).call({QJSValue(), jsError})
                                               : QJSValue(m_reject).call({jsError});
    warnUncaught(r);
}

QString recordIdText(const QVariant &id)
{
    return id.canConvert<RecordId>() ? id.value<RecordId>().toString() : QString();
}

} // namespace SurrealQt::JsConvert
