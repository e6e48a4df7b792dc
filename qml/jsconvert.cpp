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
#include <QtCore/QRegularExpression>
#include <QtCore/QUuid>
#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>

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

namespace {

QString memberPath(const QString &path, const QString &key)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*$"));
    if (identifier.match(key).hasMatch())
        return path + QLatin1Char('.') + key;
    QString quoted = key;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return path + QLatin1String("[\"") + quoted + QLatin1String("\"]");
}

QString elementPath(const QString &path, qint64 index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

// Walks a JavaScript value itself rather than QJSValue::toVariant()'s copy of it: that copy
// keeps a function as a QVariant holding the same QJSValue (so converting it again never ends)
// and says nothing about where a bad value was.
class FromJs
{
public:
    QString problem;

    bool convert(const QJSValue &value, const QString &path, int depth, QVariant *out)
    {
        if (value.isUndefined())
            return fail(path,
                        QStringLiteral("undefined cannot be stored (leave the field out, or use null)"));
        if (value.isNull()) {
            *out = QVariant::fromValue(nullptr);
            return true;
        }
        if (value.isBool()) {
            *out = value.toBool();
            return true;
        }
        if (value.isNumber())
            return number(value.toNumber(), path, out);
        if (value.isString()) {
            *out = value.toString();
            return true;
        }
        if (value.isCallable())
            return fail(path, QStringLiteral("a function cannot be stored"));
        if (value.isDate())
            return dateTime(value.toDateTime(), path, out);
        if (value.isRegExp())
            return fail(path, QStringLiteral("a RegExp cannot be stored"));
        if (value.isQObject())
            return qobject(value.toQObject(), path);
        if (value.isQMetaObject())
            return fail(path, QStringLiteral("a QML type cannot be stored"));
        if (value.isError())
            return fail(path, QStringLiteral("an Error object cannot be stored"));
        if (value.isVariant())
            return convertVariant(value.toVariant(), path, depth, out);
        if (!value.isObject())
            return fail(path, QStringLiteral("this JavaScript value cannot be stored"));
        if (depth >= maxDepth)
            return tooDeep(path);
        for (const QJSValue &ancestor : std::as_const(m_ancestors)) {
            if (ancestor.strictlyEquals(value))
                return fail(path, QStringLiteral("a cyclic structure cannot be stored (it holds itself)"));
        }
        if (value.isArray())
            return array(value, path, depth, out);
        // A plain object's prototype is Object.prototype (or none); anything else is a value
        // QML wrapped (a recordId from Database.recordId(), a point...) or a class instance.
        const QJSValue proto = value.prototype();
        if (!proto.isNull() && !proto.prototype().isNull()) {
            const QVariant wrapped = value.toVariant();
            if (wrapped.metaType().id() != QMetaType::QVariantMap)
                return convertVariant(wrapped, path, depth, out);
        }
        m_ancestors.append(value);
        QVariantMap map;
        QJSValueIterator it(value);
        while (it.hasNext()) {
            it.next();
            QVariant field;
            if (!convert(it.value(), memberPath(path, it.name()), depth + 1, &field))
                return false;
            map.insert(it.name(), field);
        }
        m_ancestors.removeLast();
        *out = map;
        return true;
    }

    bool convertVariant(const QVariant &value, const QString &path, int depth, QVariant *out)
    {
        const QMetaType type = value.metaType();
        switch (type.id()) {
        case QMetaType::UnknownType:
            return fail(path,
                        QStringLiteral("undefined cannot be stored (leave the field out, or use null)"));
        case QMetaType::QVariantMap: {
            if (depth >= maxDepth)
                return tooDeep(path);
            QVariantMap map = value.toMap();
            for (auto it = map.begin(); it != map.end(); ++it) {
                if (!convertVariant(it.value(), memberPath(path, it.key()), depth + 1, &it.value()))
                    return false;
            }
            *out = map;
            return true;
        }
        case QMetaType::QVariantList:
        case QMetaType::QStringList: {
            if (depth >= maxDepth)
                return tooDeep(path);
            QVariantList list = value.toList();
            if (list.size() > maxArrayLength)
                return tooLong(list.size(), path);
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (!convertVariant(list.at(i), elementPath(path, i), depth + 1, &list[i]))
                    return false;
            }
            *out = list;
            return true;
        }
        case QMetaType::Double:
        case QMetaType::Float:
            return number(value.toDouble(), path, out);
        case QMetaType::QDateTime:
            return dateTime(value.toDateTime(), path, out);
        case QMetaType::QJsonValue:
        case QMetaType::QJsonObject:
        case QMetaType::QJsonArray:
            return convertVariant(value.toJsonValue().toVariant(), path, depth, out);
        default:
            break;
        }
        if (type == QMetaType::fromType<QJSValue>())
            return convert(value.value<QJSValue>(), path, depth, out);
        if (type.flags().testFlag(QMetaType::PointerToQObject))
            return qobject(value.value<QObject *>(), path);
        *out = value;
        return true;
    }

private:
    QList<QJSValue> m_ancestors;

    bool fail(const QString &path, const QString &what)
    {
        problem = path + QLatin1String(": ") + what;
        return false;
    }

    bool tooDeep(const QString &path)
    {
        return fail(
            path,
            QStringLiteral("too deeply nested (more than %1 levels of objects and arrays)").arg(maxDepth));
    }

    bool tooLong(qint64 length, const QString &path)
    {
        // BulkJob.start() converts its items here too: it has the same limit.
        return fail(path, QStringLiteral("an array of %1 items cannot be sent in one call (at most %2, "
                                         "BulkJob.start() included: split it over several calls)")
                              .arg(length)
                              .arg(maxArrayLength));
    }

    bool number(double d, const QString &path, QVariant *out)
    {
        if (std::isnan(d))
            return fail(path, QStringLiteral("NaN cannot be stored"));
        if (std::isinf(d))
            return fail(path, d > 0 ? QStringLiteral("Infinity cannot be stored")
                                    : QStringLiteral("-Infinity cannot be stored"));
        // 2^53: beyond it a double no longer names one integer.
        if (d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0)
            *out = QVariant::fromValue(qint64(d));
        else
            *out = d;
        return true;
    }

    bool dateTime(const QDateTime &value, const QString &path, QVariant *out)
    {
        if (!value.isValid())
            return fail(path, QStringLiteral("an invalid Date cannot be stored"));
        *out = QVariant::fromValue(DateTime(value));
        return true;
    }

    bool qobject(const QObject *object, const QString &path)
    {
        return fail(path, QStringLiteral("a QML object (%1) cannot be stored; store its fields")
                              .arg(object ? QString::fromLatin1(object->metaObject()->className())
                                          : QStringLiteral("null")));
    }

    bool array(const QJSValue &value, const QString &path, int depth, QVariant *out)
    {
        const double length = value.property(QStringLiteral("length")).toNumber();
        if (length > double(maxArrayLength))
            return tooLong(qint64(length), path);
        m_ancestors.append(value);
        QVariantList list;
        list.reserve(qsizetype(length));
        for (quint32 i = 0; i < quint32(length); ++i) {
            QVariant item;
            if (!convert(value.property(i), elementPath(path, i), depth + 1, &item))
                return false;
            list.append(item);
        }
        m_ancestors.removeLast();
        *out = list;
        return true;
    }
};

} // namespace

QVariant fromJs(const QJSValue &value, const QString &path, Error *error)
{
    FromJs walk;
    QVariant out;
    if (walk.convert(value, path, 0, &out))
        return out;
    if (error)
        *error = Error(Error::Kind::Validation, walk.problem).setDetails({{QStringLiteral("path"), path}});
    return {};
}

QVariant fromJs(const QVariant &value, const QString &path, Error *error)
{
    FromJs walk;
    QVariant out;
    if (walk.convertVariant(value, path, 0, &out))
        return out;
    if (error)
        *error = Error(Error::Kind::Validation, walk.problem).setDetails({{QStringLiteral("path"), path}});
    return {};
}

QString kindName(Error::Kind kind)
{
    return QString::fromLatin1(QMetaEnum::fromType<Error::Kind>().valueToKey(int(kind)));
}

QJSValue errorObject(QJSEngine *engine, const Error &error)
{
    QJSValue object = engine->newErrorObject(QJSValue::GenericError, error.message());
    object.setProperty(QStringLiteral("kind"), int(error.kind()));
    object.setProperty(QStringLiteral("kindName"), kindName(error.kind()));
    object.setProperty(QStringLiteral("details"), engine->toScriptValue(toJs(QVariant(error.details()))));
    object.setProperty(QStringLiteral("serverCode"), error.serverCode());
    object.setProperty(QStringLiteral("serverKind"), error.serverKind());
    object.setProperty(QStringLiteral("context"), error.context());
    object.setProperty(QStringLiteral("retryable"), error.isRetryable());
    object.setProperty(QStringLiteral("valid"), error.isValid());
    const QList<Error> items = error.itemErrors();
    QJSValue itemErrors = engine->newArray(quint32(items.size()));
    for (qsizetype i = 0; i < items.size(); ++i)
        itemErrors.setProperty(quint32(i), errorObject(engine, items.at(i)));
    object.setProperty(QStringLiteral("itemErrors"), itemErrors);
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
