#include "valueformatter_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QLocale>
#include <QtCore/QSet>
#include <QtCore/QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// Values nested deeper than this are printed as "…" rather than risking the stack; the codec
// never produces deeper values, but user code can build them.
constexpr int MaxFormatDepth = 512;

bool isPlainIdent(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (!ValueFormatter::isPlainIdentChar(c))
            return false;
    }
    return true;
}

// Words the server's parser may read as something else than a name where a table or field name
// stands, compared without case as its lexer does: values (`FROM true` is the value true,
// `FROM NONE` nothing), statement and clause keywords, word operators, and the words the
// server itself quotes when it prints an identifier. Quoting a name that did not need it costs
// nothing; leaving one bare that did gives silent wrong answers. tests/helpers/tst_hostilenames
// checks every word the 3.0 lexer knows against the engine.
bool isReservedWord(QStringView s)
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        for (const char *w :
             {// values
              "true", "false", "none", "null", "nan", "infinity",
              // the server's own list of words it quotes in identifiers
              "alter", "analyze", "begin", "break", "cancel", "commit", "continue", "create", "define",
              "expire", "for", "if", "info", "insert", "kill", "live", "option", "rebuild", "return",
              "relate", "remove", "select", "let", "show", "sleep", "throw", "update", "upsert", "use",
              "diff", "rand", "after", "before", "value", "by", "all", "where", "table", "sequence",
              // statements, clauses and word operators
              "delete", "from", "only", "fetch", "group", "order", "limit", "start", "split", "omit",
              "timeout", "parallel", "explain", "with", "content", "merge", "patch", "set", "unset",
              "replace", "into", "on", "duplicate", "else", "then", "end", "as", "fn", "function", "collate",
              "numeric", "and", "or", "not", "is", "in", "out", "contains", "containsall", "containsany",
              "containsnone", "containsnot", "inside", "notinside", "allinside", "anyinside", "noneinside",
              "outside", "intersects", "andkw"})
            set.insert(QString::fromLatin1(w));
        return set;
    }();
    return s.size() <= 12 && words.contains(s.toString().toLower());
}

bool isIntegerType(int typeId)
{
    switch (typeId) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return true;
    default:
        return false;
    }
}

} // namespace

QString ValueFormatter::escaped(QStringView text, QChar open, QChar close)
{
    QString out;
    out.reserve(text.size() + 2);
    out += open;
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'\\':
            out += u"\\\\";
            break;
        case 0:
            out += u"\\0";
            break;
        case u'\r':
            out += u"\\r";
            break;
        case u'\n':
            out += u"\\n";
            break;
        case u'\t':
            out += u"\\t";
            break;
        case u'\f':
            out += u"\\f";
            break;
        case u'\b':
            out += u"\\u{8}";
            break;
        default:
            if (c == close)
                out += u'\\';
            out += c;
        }
    }
    out += close;
    return out;
}

QString ValueFormatter::escapeIdent(QStringView ident)
{
    if (isPlainIdent(ident) && !ident.front().isDigit() && !isReservedWord(ident))
        return ident.toString();
    return escaped(ident, u'`', u'`');
}

QString ValueFormatter::escapeObjectKey(QStringView key)
{
    if (isPlainIdent(key) && !key.front().isDigit())
        return key.toString();
    return escaped(key, u'"', u'"');
}

QString ValueFormatter::escapeRecordKey(QStringView key)
{
    bool allDigits = true;
    for (QChar c : key) {
        if (c != u'_' && !(c >= u'0' && c <= u'9'))
            allDigits = false;
    }
    if (isPlainIdent(key) && !allDigits && key != u"NaN" && key != u"Infinity")
        return key.toString();
    // The server writes ⟨a\⟩b⟩, but its own parser rejects that escape (see the RPC notes, §9),
    // so anything needing an escape goes into backticks, which parse back reliably.
    bool needsEscape = false;
    for (QChar c : key) {
        if (c == u'⟩' || c == u'\\' || c.unicode() < 0x20)
            needsEscape = true;
    }
    if (!needsEscape)
        return QString(u"⟨"_s).append(key).append(u'⟩');
    return escaped(key, u'`', u'`');
}

QString ValueFormatter::quoteString(QStringView text)
{
    return escaped(text, u'\'', u'\'');
}

QString ValueFormatter::formatDouble(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"Infinity"_s : u"-Infinity"_s;
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    // SurrealQL marks floats with `f` so that 1f stays a float when read back.
    return text + u'f';
}

QString ValueFormatter::recordKey(const QVariant &key)
{
    const int type = key.typeId();
    if (type == QMetaType::QString)
        return escapeRecordKey(key.toString());
    if (isIntegerType(type))
        return QString::number(key.toLongLong());
    if (key.metaType() == QMetaType::fromType<Range>()) {
        const Range r = key.value<Range>();
        QString out;
        if (!r.lower().isUnbounded()) {
            out += recordKey(r.lower().value());
            if (r.lower().isExcluded())
                out += u'>';
        }
        out += u"..";
        if (!r.upper().isUnbounded()) {
            if (r.upper().isIncluded())
                out += u'=';
            out += recordKey(r.upper().value());
        }
        return out;
    }
    return toSurrealQL(key);
}

QString ValueFormatter::toSurrealQL(const QVariant &value)
{
    QString out;
    append(out, value, 0);
    return out;
}

void ValueFormatter::append(QString &out, const QVariant &value, int depth)
{
    if (depth > MaxFormatDepth) {
        out += u"…";
        return;
    }
    if (!value.isValid()) {
        out += u"NONE";
        return;
    }
    const QMetaType mt = value.metaType();
    const int type = mt.id();
    if (isIntegerType(type)) {
        if (type == QMetaType::ULongLong || type == QMetaType::ULong)
            out += QString::number(value.toULongLong());
        else
            out += QString::number(value.toLongLong());
        return;
    }
    switch (type) {
    case QMetaType::Nullptr:
        out += u"NULL";
        return;
    case QMetaType::Bool:
        out += value.toBool() ? u"true" : u"false";
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        out += formatDouble(value.toDouble());
        return;
    case QMetaType::QString:
        out += quoteString(value.toString());
        return;
    case QMetaType::QByteArray:
        out += u"b\""_s + QString::fromLatin1(value.toByteArray().toHex().toUpper()) + u'"';
        return;
    case QMetaType::QUuid:
        out += u"u'"_s + value.toUuid().toString(QUuid::WithoutBraces) + u'\'';
        return;
    case QMetaType::QDateTime:
        out += u"d'"_s + DateTime(value.toDateTime()).toString() + u'\'';
        return;
    case QMetaType::QStringList:
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        out += u'[';
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out += u", ";
            append(out, list.at(i), depth + 1);
        }
        out += u']';
        return;
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        const QVariantMap map = value.toMap();
        if (map.isEmpty()) {
            out += u"{}";
            return;
        }
        out += u"{ ";
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                out += u", ";
            first = false;
            out += escapeObjectKey(it.key()) + u": "_s;
            append(out, it.value(), depth + 1);
        }
        out += u" }";
        return;
    }
    default:
        break;
    }
    if (mt == QMetaType::fromType<None>()) {
        out += u"NONE";
    } else if (mt == QMetaType::fromType<RecordId>()) {
        out += value.value<RecordId>().toString();
    } else if (mt == QMetaType::fromType<Table>()) {
        out += value.value<Table>().toSurrealQL();
    } else if (mt == QMetaType::fromType<DateTime>()) {
        out += u"d'"_s + value.value<DateTime>().toString() + u'\'';
    } else if (mt == QMetaType::fromType<Duration>()) {
        out += value.value<Duration>().toString();
    } else if (mt == QMetaType::fromType<Decimal>()) {
        out += value.value<Decimal>().toString() + u"dec"_s;
    } else if (mt == QMetaType::fromType<Range>()) {
        const Range r = value.value<Range>();
        if (!r.lower().isUnbounded()) {
            append(out, r.lower().value(), depth + 1);
            if (r.lower().isExcluded())
                out += u'>';
        }
        out += u"..";
        if (!r.upper().isUnbounded()) {
            if (r.upper().isIncluded())
                out += u'=';
            append(out, r.upper().value(), depth + 1);
        }
    } else if (mt == QMetaType::fromType<Bound>()) {
        out += value.value<Bound>().toString();
    } else if (mt == QMetaType::fromType<Geometry>()) {
        out += value.value<Geometry>().toString();
    } else if (mt == QMetaType::fromType<FileRef>()) {
        out += value.value<FileRef>().toString();
    } else if (mt == QMetaType::fromType<SurrealSet>()) {
        const QVariantList list = value.value<SurrealSet>().values();
        out += u'{';
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out += u", ";
            append(out, list.at(i), depth + 1);
        }
        // `{,}` is the empty set; `{}` would read back as an empty object.
        out += list.isEmpty() ? u",}" : u"}";
    } else if (mt == QMetaType::fromType<Future>()) {
        out += u"<future> { ";
        append(out, value.value<Future>().value(), depth + 1);
        out += u" }";
    } else if (value.canConvert<QString>()) {
        out += quoteString(value.toString());
    } else {
        out += u'<' + QString::fromLatin1(mt.name()) + u'>';
    }
}

} // namespace SurrealQt
