#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QVariant>

namespace SurrealQt {

// Writes values as SurrealQL text, with the server's escaping rules (core/src/fmt/escape.rs).
// Used by the toString() of the value types and by QDebug output.
class SURREALQT_EXPORT ValueFormatter
{
public:
    [[nodiscard]] static QString toSurrealQL(const QVariant &value);
    // A record-id key: plain when it is a "normal" identifier that is not all digits,
    // otherwise ⟨…⟩, or backticks when ⟨…⟩ would need escapes the parser rejects.
    [[nodiscard]] static QString recordKey(const QVariant &key);
    [[nodiscard]] static QString escapeRecordKey(QStringView key);
    // A table or field name: plain identifier or backticks.
    [[nodiscard]] static QString escapeIdent(QStringView ident);
    // An object key: plain identifier or "double quotes".
    [[nodiscard]] static QString escapeObjectKey(QStringView key);
    // A string literal in single quotes.
    [[nodiscard]] static QString quoteString(QStringView text);
    [[nodiscard]] static QString formatDouble(double value);

    [[nodiscard]] static bool isPlainIdentChar(QChar c)
    {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
    }

private:
    static void append(QString &out, const QVariant &value, int depth);
    static QString escaped(QStringView text, QChar open, QChar close);
};

} // namespace SurrealQt
