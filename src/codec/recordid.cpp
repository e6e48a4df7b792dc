#include <SurrealQt/recordid.h>

#include <SurrealQt/range.h>

#include "valueformatter_p.h"
#include "variantcompare_p.h"

#include <QtCore/QDebug>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

QVariant normalisedKey(const QVariant &id)
{
    // All integer widths become qint64 so that person:1 built from an int equals the decoded one.
    switch (id.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return QVariant(id.toLongLong());
    case QMetaType::QStringList:
        return QVariant(id.toList());
    default:
        return id;
    }
}

class Parser
{
public:
    explicit Parser(QStringView text)
        : m_text(text)
    {}

    RecordId run(QString *error)
    {
        QString table;
        if (!part(&table, u"table name"_s))
            return failed(error);
        if (table.isEmpty())
            return fail(0, u"the table name is empty"_s, error);
        if (atEnd() || m_text.at(m_pos) != u':')
            return fail(m_pos, u"expected ':' after the table name"_s, error);
        ++m_pos;
        if (atEnd())
            return fail(m_pos, u"expected a key after ':'"_s, error);
        // Ranges: "..", "..=2", "a>..b" (an excluded lower bound).
        if (m_text.sliced(m_pos).startsWith(u".."))
            return fail(m_pos, u"range keys are not supported by RecordId::fromString"_s, error);
        QVariant key;
        if (!recordKey(&key))
            return failed(error);
        if (!atEnd()) {
            if (m_text.sliced(m_pos).startsWith(u"..") || m_text.sliced(m_pos).startsWith(u">.."))
                return fail(m_pos, u"range keys are not supported by RecordId::fromString"_s, error);
            return fail(m_pos, u"unexpected '%1' after the key"_s.arg(m_text.at(m_pos)), error);
        }
        return RecordId(table, key);
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }

    RecordId fail(qsizetype pos, const QString &what, QString *error)
    {
        m_pos = pos;
        m_what = what;
        return failed(error);
    }

    RecordId failed(QString *error) const
    {
        if (error)
            *error =
                u"Invalid record id \"%1\": %2 at position %3"_s.arg(m_text.toString(), m_what).arg(m_pos);
        return {};
    }

    bool setError(qsizetype pos, const QString &what)
    {
        m_pos = pos;
        m_what = what;
        return false;
    }

    // A table name or text key: plain identifier characters, ⟨…⟩ or `…`.
    bool part(QString *out, const QString &what)
    {
        if (atEnd())
            return setError(m_pos, u"expected a %1"_s.arg(what));
        const QChar c = m_text.at(m_pos);
        if (c == u'⟨')
            return quoted(u'⟩', out);
        if (c == u'`')
            return quoted(u'`', out);
        const qsizetype start = m_pos;
        while (!atEnd() && ValueFormatter::isPlainIdentChar(m_text.at(m_pos)))
            ++m_pos;
        if (m_pos == start)
            return setError(m_pos, u"unexpected '%1', expected a %2"_s.arg(c).arg(what));
        *out = m_text.sliced(start, m_pos - start).toString();
        return true;
    }

    bool quoted(QChar close, QString *out)
    {
        const qsizetype start = m_pos;
        ++m_pos;
        QString text;
        while (!atEnd()) {
            const QChar c = m_text.at(m_pos);
            if (c == close) {
                ++m_pos;
                *out = text;
                return true;
            }
            if (c != u'\\') {
                text += c;
                ++m_pos;
                continue;
            }
            const qsizetype escapePos = m_pos;
            ++m_pos;
            if (atEnd())
                break;
            const QChar e = m_text.at(m_pos++);
            switch (e.unicode()) {
            case u'\\':
            case u'`':
            case u'⟩':
            case u'\'':
            case u'"':
                text += e;
                break;
            case u'0':
                text += QChar(0);
                break;
            case u'r':
                text += u'\r';
                break;
            case u'n':
                text += u'\n';
                break;
            case u't':
                text += u'\t';
                break;
            case u'f':
                text += u'\f';
                break;
            case u'b':
                text += u'\b';
                break;
            case u'u': {
                // \u{hex}
                if (atEnd() || m_text.at(m_pos) != u'{')
                    return setError(escapePos, u"invalid escape sequence"_s);
                const qsizetype close = m_text.indexOf(u'}', m_pos);
                if (close < 0 || close - m_pos > 7)
                    return setError(escapePos, u"invalid escape sequence"_s);
                bool ok = false;
                const uint code = m_text.sliced(m_pos + 1, close - m_pos - 1).toUInt(&ok, 16);
                if (!ok || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                    return setError(escapePos, u"invalid escape sequence"_s);
                const char32_t ucs4 = code;
                text += QString::fromUcs4(&ucs4, 1);
                m_pos = close + 1;
                break;
            }
            default:
                return setError(escapePos, u"invalid escape sequence '\\%1'"_s.arg(e));
            }
        }
        return setError(start, u"unterminated '%1'"_s.arg(m_text.at(start)));
    }

    bool recordKey(QVariant *out)
    {
        const QChar c = m_text.at(m_pos);
        if (c == u'⟨' || c == u'`') {
            QString text;
            if (!part(&text, u"key"_s))
                return false;
            *out = text;
            return true;
        }
        if (c == u'u' && m_pos + 1 < m_text.size() &&
            (m_text.at(m_pos + 1) == u'\'' || m_text.at(m_pos + 1) == u'"'))
            return uuidKey(out);
        if (c == u'[' || c == u'{')
            return setError(m_pos, u"array and object keys are not supported by RecordId::fromString"_s);
        const qsizetype start = m_pos;
        if (c == u'-' || c == u'+')
            ++m_pos;
        const qsizetype runStart = m_pos;
        bool allDigits = true;
        while (!atEnd() && ValueFormatter::isPlainIdentChar(m_text.at(m_pos))) {
            if (!m_text.at(m_pos).isDigit() || m_text.at(m_pos).unicode() > 0x7f)
                allDigits = false;
            ++m_pos;
        }
        if (m_pos == runStart)
            return setError(runStart, atEnd()
                                          ? u"expected a key"_s
                                          : u"unexpected '%1', expected a key"_s.arg(m_text.at(runStart)));
        const QStringView run = m_text.sliced(start, m_pos - start);
        if (allDigits) {
            bool ok = false;
            const qint64 n = run.toLongLong(&ok);
            if (!ok)
                return setError(start, u"integer key out of the 64-bit range"_s);
            *out = n;
            return true;
        }
        if (runStart != start)
            return setError(start, u"a sign is only allowed before an integer key"_s);
        *out = run.toString();
        return true;
    }

    bool uuidKey(QVariant *out)
    {
        const qsizetype start = m_pos;
        const QChar quote = m_text.at(m_pos + 1);
        const qsizetype close = m_text.indexOf(quote, m_pos + 2);
        if (close < 0)
            return setError(start, u"unterminated UUID"_s);
        const QStringView body = m_text.sliced(m_pos + 2, close - m_pos - 2);
        const QUuid uuid = QUuid::fromString(body);
        if (body.size() != 36 || (uuid.isNull() && body != u"00000000-0000-0000-0000-000000000000"))
            return setError(start + 2, u"invalid UUID"_s);
        *out = uuid;
        m_pos = close + 1;
        return true;
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    QString m_what;
};

} // namespace

RecordId::RecordId(const QString &table, const QVariant &id)
    : m_table(table)
    , m_id(normalisedKey(id))
{}

RecordId::RecordId(const QString &table, qint64 id)
    : m_table(table)
    , m_id(id)
{}

RecordId::RecordId(const QString &table, const QString &id)
    : m_table(table)
    , m_id(id)
{}

RecordId RecordId::fromString(QStringView text, QString *error)
{
    return Parser(text).run(error);
}

RecordId RecordId::inTable(const QString &table, const QVariant &idOrKey, QString *error)
{
    auto refuse = [&](const QString &why) {
        if (error)
            *error = why;
        return RecordId();
    };
    // Only the refusals name the table: escaping it costs more than the rest of a load.
    const auto expected = [&] { return ValueFormatter::escapeIdent(table); };
    if (idOrKey.metaType() == QMetaType::fromType<RecordId>()) {
        const RecordId id = idOrKey.value<RecordId>();
        if (id.table() != table)
            return refuse(u"%1 is not a record id of table %2"_s.arg(id.toString(), expected()));
        return id;
    }
    if (idOrKey.typeId() == QMetaType::QString) {
        const QString text = idOrKey.toString();
        // A key may contain ':' only when given as RecordId(table, key): text with one is read as
        // a record id, the form the server prints, so that "user:42" never becomes user:⟨user:42⟩.
        if (text.contains(u':')) {
            QString parseError;
            const RecordId id = fromString(text, &parseError);
            if (!id.isValid())
                return refuse(
                    u"'%1' is not a record id of table %2 (%3); for a key that contains ':', "
                    "pass SurrealQt::RecordId(u\"%4\"_s, key)"_s.arg(text, expected(), parseError, table));
            if (id.table() != table)
                return refuse(u"'%1' is a record id of table %2, not of table %3"_s.arg(
                    text, ValueFormatter::escapeIdent(id.table()), expected()));
            return id;
        }
    }
    RecordId id(table, idOrKey);
    if (!id.isValid())
        return refuse(u"%1 (%2) is not a key of a record of table %3"_s.arg(
            idOrKey.toString(), QString::fromLatin1(idOrKey.typeName()), expected()));
    return id;
}

bool RecordId::isValid() const
{
    if (m_table.isEmpty())
        return false;
    switch (m_id.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::QString:
    case QMetaType::QVariantList:
    case QMetaType::QVariantMap:
    case QMetaType::QUuid:
        return true;
    default:
        return m_id.metaType() == QMetaType::fromType<Range>();
    }
}

QString RecordId::toString() const
{
    return ValueFormatter::escapeIdent(m_table) + u':' + ValueFormatter::recordKey(m_id);
}

bool operator==(const RecordId &a, const RecordId &b)
{
    return a.m_table == b.m_table && VariantCompare::equals(a.m_id, b.m_id);
}

size_t qHash(const RecordId &id, size_t seed)
{
    return qHash(id.toString(), seed);
}

QDebug operator<<(QDebug debug, const RecordId &id)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::RecordId(" << id.toString() << ')';
    return debug;
}

} // namespace SurrealQt
