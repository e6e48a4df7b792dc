#include "views/storedtype_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>

#include "codec/numbertypes_p.h"
#include "codec/valueformatter_p.h"

#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

template<typename T>
bool holds(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<T>();
}

bool isInteger(const QVariant &v)
{
    return NumberTypes::isInteger(v.typeId());
}

bool isFloat(const QVariant &v)
{
    return NumberTypes::isFloat(v.typeId());
}

// A number typed by a user: C locale first ("4.75"), then the user's ("4,75").
bool parseDouble(const QString &text, double *out)
{
    bool ok = false;
    *out = QLocale::c().toDouble(text.trimmed(), &ok);
    if (!ok)
        *out = QLocale().toDouble(text.trimmed(), &ok);
    return ok && std::isfinite(*out);
}

bool parseInteger(const QString &text, qint64 *out)
{
    bool ok = false;
    *out = QLocale::c().toLongLong(text.trimmed(), &ok);
    if (!ok)
        *out = QLocale().toLongLong(text.trimmed(), &ok);
    return ok;
}

// A whole double within qint64's range (2^63 itself is not).
bool wholeDouble(double d, qint64 *out)
{
    if (!std::isfinite(d) || d != std::trunc(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18)
        return false;
    *out = qint64(d);
    return true;
}

// `d'…'`, `"…"`, `'…'`: the SurrealQL text earlier versions gave editors.
QString unquoted(QString text)
{
    text = text.trimmed();
    if (text.size() >= 3 && (text.startsWith(u"d'") || text.startsWith(u"d\"")) && text.back() == text.at(1))
        return text.mid(2, text.size() - 3);
    if (text.size() >= 2 && (text.front() == u'\'' || text.front() == u'"') && text.back() == text.front())
        return text.mid(1, text.size() - 2);
    return text;
}

} // namespace

StoredType::TableSchema StoredType::parseTableInfo(const QVariantMap &info)
{
    TableSchema schema;
    schema.known = true;
    static const QRegularExpression typeRe(
        u"\\bTYPE\\s+(.+?)(?=\\s+(?:DEFAULT|READONLY|VALUE|ASSERT|PERMISSIONS|COMMENT|COMPUTED|REFERENCE|"
        "FLEXIBLE)\\b|\\s*$)"_s);
    static const QRegularExpression readOnlyRe(u"\\b(?:READONLY|COMPUTED)\\b"_s);
    const QVariantMap fields = info.value(u"fields"_s).toMap();
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        QString name = it.key();
        name.remove(u'`');
        if (name.contains(u'.') || name.contains(u'['))
            continue; // nested parts are not columns of a row
        const QString def = it.value().toString();
        const auto m = typeRe.match(def);
        if (m.hasMatch())
            schema.kinds.insert(name, kindOfDeclaredType(m.captured(1)));
        if (readOnlyRe.match(def).hasMatch())
            schema.readOnly.insert(name);
    }
    static const QRegularExpression fieldsRe(u"\\b(?:FIELDS|COLUMNS)\\s+([^\\s,]+)"_s);
    const QVariantMap indexes = info.value(u"indexes"_s).toMap();
    for (const QVariant &def : indexes) {
        const auto m = fieldsRe.match(def.toString());
        if (!m.hasMatch())
            continue;
        QString first = m.captured(1);
        first.remove(u'`');
        schema.indexed.insert(first);
    }
    return schema;
}

StoredType::Kind StoredType::kindOfValue(const QVariant &v)
{
    if (isNone(v) || isNull(v))
        return Kind::Unknown;
    if (isInteger(v))
        return Kind::Int;
    if (isFloat(v))
        return Kind::Float;
    switch (v.metaType().id()) {
    case QMetaType::Bool:
        return Kind::Bool;
    case QMetaType::QString:
        return Kind::String;
    case QMetaType::QDateTime:
        return Kind::DateTime;
    default:
        break;
    }
    if (holds<DateTime>(v))
        return Kind::DateTime;
    if (holds<Decimal>(v))
        return Kind::Decimal;
    if (holds<Duration>(v))
        return Kind::Duration;
    if (holds<RecordId>(v))
        return Kind::RecordLink;
    return Kind::Other;
}

StoredType::Kind StoredType::kindOfDeclaredType(QString type)
{
    type = type.trimmed().toLower();
    static const QRegularExpression option(u"^option\\s*<(.*)>$"_s);
    for (auto m = option.match(type); m.hasMatch(); m = option.match(type))
        type = m.captured(1).trimmed();
    if (type.contains(u'|')) {
        // 3.x prints option<int> as `none | int`: NONE and NULL are always accepted here.
        QStringList parts;
        for (const QString &part : type.split(u'|')) {
            const QString t = part.trimmed();
            if (t != u"none" && t != u"null")
                parts.append(t);
        }
        return parts.size() == 1 ? kindOfDeclaredType(parts.first()) : Kind::Unknown;
    }
    if (type == u"int")
        return Kind::Int;
    if (type == u"float")
        return Kind::Float;
    if (type == u"number")
        return Kind::Number;
    if (type == u"decimal")
        return Kind::Decimal;
    if (type == u"bool")
        return Kind::Bool;
    if (type == u"string")
        return Kind::String;
    if (type == u"datetime")
        return Kind::DateTime;
    if (type == u"duration")
        return Kind::Duration;
    if (type == u"record" || type.startsWith(u"record<") || type.startsWith(u"record "))
        return Kind::RecordLink;
    if (type.isEmpty() || type == u"any")
        return Kind::Unknown;
    return Kind::Other;
}

QString StoredType::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Unknown:
        return u"any"_s;
    case Kind::Int:
        return u"int"_s;
    case Kind::Float:
        return u"float"_s;
    case Kind::Number:
        return u"number"_s;
    case Kind::Decimal:
        return u"decimal"_s;
    case Kind::Bool:
        return u"bool"_s;
    case Kind::String:
        return u"string"_s;
    case Kind::DateTime:
        return u"datetime"_s;
    case Kind::Duration:
        return u"duration"_s;
    case Kind::RecordLink:
        return u"record"_s;
    case Kind::Other:
        break;
    }
    return u"structured value"_s;
}

QVariant StoredType::editValue(const QVariant &v)
{
    switch (kindOfValue(v)) {
    case Kind::Unknown:
        return {};
    case Kind::Int: {
        // Qt's default editor factory has a spin box for int, but none for qlonglong (a line
        // edit would hand back text).
        const qint64 i = v.toLongLong();
        if (i >= std::numeric_limits<int>::min() && i <= std::numeric_limits<int>::max())
            return int(i);
        return QString::number(i);
    }
    case Kind::Float:
        return v.toDouble();
    case Kind::Bool:
    case Kind::String:
        return v;
    case Kind::DateTime: {
        // A QDateTimeEdit; milliseconds are all QDateTime holds, convert() keeps the stored
        // nanoseconds when the edit did not change the millisecond.
        const QDateTime dt = holds<DateTime>(v) ? v.value<DateTime>().toQDateTime() : v.toDateTime();
        if (dt.isValid())
            return dt;
        return v.value<DateTime>().toString();
    }
    case Kind::Decimal:
        return v.value<Decimal>().toString();
    case Kind::Duration:
        return v.value<Duration>().toString();
    case Kind::RecordLink:
        return v.value<RecordId>().toString();
    case Kind::Number:
    case Kind::Other:
        break;
    }
    return ValueFormatter::toSurrealQL(v);
}

bool StoredType::convert(const QVariant &edited, Kind kind, QVariant *out, QString *why)
{
    auto refuse = [&] {
        *why = u"%1 is not a %2"_s.arg(edited.metaType().id() == QMetaType::QString
                                           ? u'"' + edited.toString() + u'"'
                                           : QString::fromLatin1(edited.typeName()),
                                       kindName(kind));
        return false;
    };
    // Clearing a field is always possible; a declared type that forbids it is the server's to say.
    if (isNone(edited) || isNull(edited)) {
        *out = edited.isValid() ? edited : noneValue();
        return true;
    }
    const bool text = edited.metaType().id() == QMetaType::QString;
    const QString s = text ? edited.toString() : QString();
    switch (kind) {
    case Kind::Unknown:
        *out = holds<QDateTime>(edited) ? QVariant::fromValue(DateTime(edited.toDateTime())) : edited;
        return true;
    case Kind::Int: {
        qint64 i = 0;
        if (isInteger(edited))
            i = edited.toLongLong();
        else if (isFloat(edited) && wholeDouble(edited.toDouble(), &i))
            ;
        else if (holds<Decimal>(edited) && parseInteger(edited.value<Decimal>().toString(), &i))
            ;
        else if (!text || !parseInteger(s, &i))
            return refuse();
        *out = QVariant::fromValue(i);
        return true;
    }
    case Kind::Float: {
        double d = 0;
        if (isInteger(edited) || isFloat(edited))
            d = edited.toDouble();
        else if (holds<Decimal>(edited))
            d = edited.value<Decimal>().toDouble();
        else if (!text || !parseDouble(s, &d))
            return refuse();
        *out = d;
        return true;
    }
    case Kind::Number: {
        if (isInteger(edited)) {
            *out = QVariant::fromValue(edited.toLongLong());
            return true;
        }
        if (isFloat(edited)) {
            *out = edited.toDouble();
            return true;
        }
        qint64 i = 0;
        double d = 0;
        if (text && parseInteger(s, &i))
            *out = QVariant::fromValue(i);
        else if (text && parseDouble(s, &d))
            *out = d;
        else
            return refuse();
        return true;
    }
    case Kind::Decimal: {
        if (holds<Decimal>(edited)) {
            *out = edited;
            return true;
        }
        QString digits;
        if (isInteger(edited))
            digits = QString::number(edited.toLongLong());
        else if (isFloat(edited))
            digits = QString::number(edited.toDouble(), 'f', QLocale::FloatingPointShortest);
        else if (text)
            digits = s.trimmed().endsWith(u"dec") ? s.trimmed().chopped(3) : s.trimmed();
        else
            return refuse();
        const Decimal dec = Decimal::fromString(digits);
        if (!dec.isValid())
            return refuse();
        *out = QVariant::fromValue(dec);
        return true;
    }
    case Kind::Bool:
        if (edited.metaType().id() == QMetaType::Bool) {
            *out = edited;
            return true;
        }
        if (text) {
            const QString t = s.trimmed().toLower();
            if (t == u"true" || t == u"false") {
                *out = t == u"true";
                return true;
            }
        }
        if (isInteger(edited) && (edited.toLongLong() == 0 || edited.toLongLong() == 1)) {
            *out = edited.toLongLong() == 1;
            return true;
        }
        return refuse();
    case Kind::String:
        if (text) {
            *out = edited;
            return true;
        }
        if (isInteger(edited) || isFloat(edited) || edited.metaType().id() == QMetaType::Bool) {
            *out = edited.toString();
            return true;
        }
        return refuse();
    case Kind::DateTime: {
        DateTime dt;
        if (holds<DateTime>(edited))
            dt = edited.value<DateTime>();
        else if (holds<QDateTime>(edited))
            dt = DateTime(edited.toDateTime());
        else if (holds<QDate>(edited))
            dt = DateTime(QDateTime(edited.toDate(), QTime(0, 0), Qt::UTC));
        else if (text)
            dt = DateTime::fromString(unquoted(s));
        if (!dt.isValid())
            return refuse();
        *out = QVariant::fromValue(dt);
        return true;
    }
    case Kind::Duration: {
        if (holds<Duration>(edited)) {
            *out = edited;
            return true;
        }
        const Duration d = text ? Duration::fromString(s.trimmed()) : Duration();
        if (!text || !d.isValid())
            return refuse();
        *out = QVariant::fromValue(d);
        return true;
    }
    case Kind::RecordLink: {
        if (holds<RecordId>(edited)) {
            *out = edited;
            return true;
        }
        const RecordId id = text ? RecordId::parse(unquoted(s)) : RecordId();
        if (!id.isValid())
            return refuse();
        *out = QVariant::fromValue(id);
        return true;
    }
    case Kind::Other:
        // Arrays, objects...: a whole value of that shape is taken, text is not parsed.
        if (text)
            return refuse();
        *out = edited;
        return true;
    }
    return refuse();
}

} // namespace SurrealQt
