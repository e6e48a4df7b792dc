#include "modelgenerator.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QTextStream>
#include <QtCore/QUuid>

#include <optional>

using namespace Qt::StringLiterals;

namespace SurrealQt::Inspect {

namespace {

// A SurrealQL type as a model field: the C++ type and the options that make Schema write the
// same definition again.
struct FieldType
{
    QString cpp;
    QStringList options;
    QString unmapped; // why the mapping is not exact; empty when it is
};

// Splits "none | record<a | b> | int" at the bars that are not inside <…>.
QStringList topLevelAlternatives(const QString &kind)
{
    QStringList parts;
    int depth = 0;
    QString current;
    for (const QChar c : kind) {
        if (c == u'<')
            ++depth;
        else if (c == u'>')
            --depth;
        if (c == u'|' && depth == 0) {
            parts << current.trimmed();
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current.trimmed();
    return parts;
}

// "array<string, 10>" -> {"array", "string, 10"}
std::pair<QString, QString> splitGeneric(const QString &kind)
{
    const qsizetype open = kind.indexOf(u'<');
    if (open < 0 || !kind.endsWith(u'>'))
        return {kind, {}};
    return {kind.left(open), kind.mid(open + 1, kind.size() - open - 2).trimmed()};
}

bool isIdentifier(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    return re.match(name).hasMatch();
}

bool isCppKeyword(const QString &name)
{
    static const QSet<QString> keywords{
        u"alignas"_s,
        u"alignof"_s,
        u"and"_s,
        u"asm"_s,
        u"auto"_s,
        u"bool"_s,
        u"break"_s,
        u"case"_s,
        u"catch"_s,
        u"char"_s,
        u"class"_s,
        u"const"_s,
        u"constexpr"_s,
        u"continue"_s,
        u"default"_s,
        u"delete"_s,
        u"do"_s,
        u"double"_s,
        u"else"_s,
        u"enum"_s,
        u"explicit"_s,
        u"export"_s,
        u"extern"_s,
        u"false"_s,
        u"float"_s,
        u"for"_s,
        u"friend"_s,
        u"goto"_s,
        u"if"_s,
        u"inline"_s,
        u"int"_s,
        u"long"_s,
        u"mutable"_s,
        u"namespace"_s,
        u"new"_s,
        u"noexcept"_s,
        u"not"_s,
        u"nullptr"_s,
        u"operator"_s,
        u"or"_s,
        u"private"_s,
        u"protected"_s,
        u"public"_s,
        u"register"_s,
        u"return"_s,
        u"short"_s,
        u"signed"_s,
        u"sizeof"_s,
        u"static"_s,
        u"struct"_s,
        u"switch"_s,
        u"template"_s,
        u"this"_s,
        u"throw"_s,
        u"true"_s,
        u"try"_s,
        u"typedef"_s,
        u"typeid"_s,
        u"typename"_s,
        u"union"_s,
        u"unsigned"_s,
        u"using"_s,
        u"virtual"_s,
        u"void"_s,
        u"volatile"_s,
        u"while"_s,
        u"xor"_s,
        u"signals"_s,
        u"slots"_s,
        u"emit"_s,
        u"foreach"_s,
        u"concept"_s,
        u"requires"_s,
        u"co_await"_s,
        u"co_return"_s,
        u"co_yield"_s,
        u"char8_t"_s,
        u"consteval"_s,
        u"constinit"_s,
        u"decltype"_s,
        u"static_assert"_s,
        u"thread_local"_s,
        u"wchar_t"_s,
        // Model's own members and properties.
        u"id"_s,
        u"isNew"_s,
        u"dirty"_s,
        u"save"_s,
        u"remove"_s,
        u"refresh"_s,
    };
    return keywords.contains(name);
}

// An option value as the option parser reads it: bare when it has no space, else in single quotes.
std::optional<QString> optionValue(const QString &value)
{
    if (value.contains(u'\'') || value.contains(u'"') || value.contains(u'\\'))
        return std::nullopt;
    return value.contains(u' ') ? u"'"_s + value + u"'"_s : value;
}

FieldType mapScalar(const QString &kind)
{
    static const QHash<QString, QString> simple{
        {u"string"_s, u"QString"_s},
        {u"int"_s, u"qint64"_s},
        {u"float"_s, u"double"_s},
        {u"bool"_s, u"bool"_s},
        {u"datetime"_s, u"SurrealQt::DateTime"_s},
        {u"duration"_s, u"SurrealQt::Duration"_s},
        {u"decimal"_s, u"SurrealQt::Decimal"_s},
        {u"uuid"_s, u"QUuid"_s},
        {u"bytes"_s, u"QByteArray"_s},
        {u"geometry"_s, u"SurrealQt::Geometry"_s},
        {u"record"_s, u"SurrealQt::RecordId"_s},
        {u"object"_s, u"QVariantMap"_s},
        {u"any"_s, u"QVariant"_s},
        {u"array"_s, u"QVariantList"_s},
    };
    if (simple.contains(kind))
        return {simple.value(kind), {}, {}};

    const auto [base, inner] = splitGeneric(kind);
    if (base == u"record") {
        if (topLevelAlternatives(inner).size() > 1)
            return {u"SurrealQt::RecordId"_s, {}, u"a link to one of several tables (%1)"_s.arg(kind)};
        return {u"SurrealQt::RecordId"_s, {u"link="_s + inner}, {}};
    }
    if (base == u"geometry")
        return {u"SurrealQt::Geometry"_s, {}, u"a geometry of one kind (%1)"_s.arg(kind)};
    if (base == u"array") {
        // "array<T, N>": the maximum length N has no model option.
        const QStringList parts = inner.split(u',');
        const QString item = parts.first().trimmed();
        const QString limit = parts.size() > 1 ? u"at most %1 items"_s.arg(parts.at(1).trimmed()) : QString();
        FieldType t;
        if (item == u"string")
            t = {u"QStringList"_s, {}, {}};
        else if (item == u"int")
            t = {u"QList<qint64>"_s, {}, {}};
        else if (item == u"float")
            t = {u"QList<double>"_s, {}, {}};
        else if (splitGeneric(item).first == u"record" &&
                 topLevelAlternatives(splitGeneric(item).second).size() == 1)
            t = {u"QList<SurrealQt::RecordId>"_s, {u"link="_s + splitGeneric(item).second}, {}};
        else if (item == u"record")
            t = {u"QList<SurrealQt::RecordId>"_s, {}, {}};
        else if (item == u"any")
            t = {u"QVariantList"_s, {}, {}};
        else if (QStringList{u"bool"_s, u"datetime"_s, u"duration"_s, u"decimal"_s, u"uuid"_s, u"object"_s}
                     .contains(item))
            t = {u"QVariantList"_s, {u"of="_s + item}, {}};
        else
            t = {u"QVariantList"_s, {}, u"items of type %1"_s.arg(item)};
        if (!limit.isEmpty())
            t.unmapped = t.unmapped.isEmpty() ? limit : t.unmapped + u", "_s + limit;
        return t;
    }
    if (base == u"set")
        return {u"QVariantList"_s, {}, u"a set (%1), loaded as a list"_s.arg(kind)};
    return {u"QVariant"_s, {}, u"the type %1 has no C++ counterpart here"_s.arg(kind)};
}

// The assertion Schema writes for required / maxLength, read back; nullopt for anything else.
struct Assertion
{
    bool optionalWrapper = false;
    bool required = false;
    int maxLength = -1;
};

std::optional<Assertion> readAssertion(QString text)
{
    Assertion a;
    static const QRegularExpression wrapper(u"^\\$value\\s*==\\s*NONE\\s+OR\\s+(.*)$"_s);
    if (const auto m = wrapper.match(text); m.hasMatch()) {
        a.optionalWrapper = true;
        text = m.captured(1).trimmed();
        if (text.startsWith(u'(') && text.endsWith(u')'))
            text = text.mid(1, text.size() - 2).trimmed();
    }
    static const QRegularExpression nonEmpty(u"^string::len\\(\\$value\\)\\s*>\\s*0$"_s);
    static const QRegularExpression atMost(u"^string::len\\(\\$value\\)\\s*<=\\s*(\\d+)$"_s);
    for (QString part : text.split(u" AND "_s)) {
        part = part.trimmed();
        if (part.startsWith(u'(') && part.endsWith(u')'))
            part = part.mid(1, part.size() - 2).trimmed();
        if (nonEmpty.match(part).hasMatch())
            a.required = true;
        else if (const auto m = atMost.match(part); m.hasMatch())
            a.maxLength = m.captured(1).toInt();
        else
            return std::nullopt;
    }
    return a;
}

QString inferKind(const QVariant &value)
{
    const QMetaType t = value.metaType();
    switch (t.id()) {
    case QMetaType::QString:
        return u"string"_s;
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return u"int"_s;
    case QMetaType::Double:
    case QMetaType::Float:
        return u"float"_s;
    case QMetaType::Bool:
        return u"bool"_s;
    case QMetaType::QUuid:
        return u"uuid"_s;
    case QMetaType::QByteArray:
        return u"bytes"_s;
    case QMetaType::QVariantMap:
        return u"object"_s;
    case QMetaType::QVariantList: {
        QSet<QString> items;
        for (const QVariant &item : value.toList())
            items.insert(inferKind(item));
        return items.size() == 1 ? u"array<%1>"_s.arg(*items.begin()) : u"array"_s;
    }
    default:
        break;
    }
    if (t == QMetaType::fromType<DateTime>())
        return u"datetime"_s;
    if (t == QMetaType::fromType<Duration>())
        return u"duration"_s;
    if (t == QMetaType::fromType<Decimal>())
        return u"decimal"_s;
    if (t == QMetaType::fromType<Geometry>())
        return u"geometry"_s;
    if (t == QMetaType::fromType<RecordId>())
        return u"record<%1>"_s.arg(value.value<RecordId>().table());
    return u"any"_s;
}

QString setterFor(const QString &field)
{
    return u"set"_s + field.at(0).toUpper() + field.mid(1);
}

QString cString(const QString &text)
{
    QString out = text;
    out.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s).replace(u"\n"_s, u"\\n"_s);
    return u"\""_s + out + u"\""_s;
}

QString oneLine(const QString &text)
{
    return text.simplified();
}

} // namespace

QString ModelGenerator::classNameFor(const QString &table)
{
    QString name;
    bool upper = true;
    for (const QChar c : table) {
        if (!c.isLetterOrNumber() || c.unicode() > 127) {
            upper = true;
            continue;
        }
        name += upper ? c.toUpper() : c;
        upper = false;
    }
    if (name.isEmpty() || name.at(0).isDigit())
        name.prepend(u"Table"_s);
    return name;
}

GeneratedModel ModelGenerator::generate(const TableDescription &table, const QString &source)
{
    GeneratedModel out;
    out.className = classNameFor(table.name);
    out.fileName = table.name + u".h"_s;
    if (!isIdentifier(table.name))
        out.fileName = out.className.toLower() + u".h"_s;

    QStringList classInfo{u"Q_CLASSINFO(\"table\", %1)"_s.arg(cString(table.name))};
    QStringList fields;
    QStringList comments;
    auto unmapped = [&](const QString &what) {
        out.unmapped << what;
        comments << u"    // Not mapped: "_s + what;
    };

    const QVariantMap kind = table.definition.value(u"kind"_s).toMap();
    const bool relation = kind.value(u"kind"_s).toString() == u"RELATION";
    QString header = u"// Table `%1`: %2, %3"_s.arg(
        table.name,
        relation ? u"an edge table (RELATE … -> %1 -> …; see Relations)"_s.arg(table.name)
                 : u"a normal table"_s,
        table.definition.value(u"schemafull"_s).toBool()
            ? u"SCHEMAFULL (plan with SchemaOptions{.schemafull = true})"_s
            : u"SCHEMALESS"_s);

    // Single-field indexes become unique / index options; the rest are listed.
    QHash<QString, QString> indexOption;
    for (const QVariant &v : table.structure.value(u"indexes"_s).toList()) {
        const QVariantMap index = v.toMap();
        const QStringList cols = index.value(u"cols"_s).toStringList();
        const QString name = index.value(u"name"_s).toString();
        const bool unique = index.value(u"index"_s).toString() == u"UNIQUE";
        const bool plain =
            index.value(u"index"_s).toString() == u"IDX" || index.value(u"index"_s).toString().isEmpty();
        if (cols.size() == 1 && (unique || plain)) {
            indexOption.insert(cols.first(), unique ? u"unique"_s : u"index"_s);
            if (name != table.name + u'_' + cols.first())
                unmapped(u"index %1 on %2 is named %1; Schema names it %3_%2"_s.arg(name, cols.first(),
                                                                                    table.name));
        } else {
            unmapped(
                u"index %1 (%2 on %3)"_s.arg(name, index.value(u"index"_s).toString(), cols.join(u", "_s)));
        }
    }

    QVariantList definedFields = table.structure.value(u"fields"_s).toList();
    QSet<QString> arrays;
    for (const QVariant &v : definedFields) {
        const QVariantMap f = v.toMap();
        if (splitGeneric(topLevelAlternatives(f.value(u"kind"_s).toString()).last()).first == u"array")
            arrays.insert(f.value(u"name"_s).toString());
    }

    for (const QVariant &v : definedFields) {
        const QVariantMap f = v.toMap();
        const QString name = f.value(u"name"_s).toString();
        const QString kindText = f.value(u"kind"_s).toString();
        if (name.endsWith(u".*"_s) && arrays.contains(name.chopped(2)))
            continue; // the item type of an array field, already in the array's type
        if (!isIdentifier(name) || isCppKeyword(name)) {
            unmapped(u"field `%1` (%2): not usable as a C++ property name"_s.arg(name, kindText));
            continue;
        }

        QStringList alternatives = topLevelAlternatives(kindText);
        const bool noneable = alternatives.removeAll(u"none"_s) > 0;
        QStringList notes;
        if (alternatives.removeAll(u"null"_s) > 0)
            notes << u"may be NULL"_s;
        FieldType type = alternatives.size() == 1
                             ? mapScalar(alternatives.first())
                             : FieldType{u"QVariant"_s, {}, u"a union type (%1)"_s.arg(kindText)};
        if (kindText.isEmpty())
            type = {u"QVariant"_s, {}, {}};
        if (!type.unmapped.isEmpty())
            notes << type.unmapped;
        QStringList options = type.options;

        const QString defaultText = f.value(u"default"_s).toString();
        bool hasDefault = !defaultText.isEmpty();
        if (hasDefault) {
            if (defaultText == u"time::now()" && type.cpp == u"SurrealQt::DateTime")
                options << u"autoNowAdd"_s;
            else if (const auto value =
                         optionValue(defaultText.startsWith(u'\'') && defaultText.endsWith(u'\'')
                                         ? defaultText.mid(1, defaultText.size() - 2)
                                         : defaultText))
                options << u"default="_s + *value;
            else {
                notes << u"DEFAULT %1"_s.arg(defaultText);
                hasDefault = false;
            }
            if (f.value(u"default_always"_s).toBool())
                notes << u"DEFAULT ALWAYS"_s;
        }

        bool required = false;
        bool optional = false;
        if (const QString assertText = f.value(u"assert"_s).toString(); !assertText.isEmpty()) {
            if (const auto a = readAssertion(assertText)) {
                required = a->required;
                optional = a->optionalWrapper;
                if (a->maxLength >= 0)
                    options << u"maxLength=%1"_s.arg(a->maxLength);
            } else {
                notes << u"ASSERT "_s + oneLine(assertText);
            }
        }
        // Schema writes option<T> for a field that may be absent: neither required nor defaulted
        // (plain), or declared optional. A field that must be present is required.
        if (type.cpp != u"QVariant") {
            if (noneable && hasDefault)
                optional = true;
            if (!noneable && !hasDefault && !required) {
                required = true;
                if (type.cpp == u"QString")
                    notes << u"a string the server lets be empty; `required` also refuses \"\""_s;
            }
        }
        if (required)
            options.prepend(u"required"_s);
        if (optional)
            options.prepend(u"optional"_s);
        if (f.value(u"readonly"_s).toBool())
            options << u"readOnly"_s;
        if (indexOption.contains(name))
            options << indexOption.value(name);
        if (const QString comment = f.value(u"comment"_s).toString(); !comment.isEmpty()) {
            if (const auto value = optionValue(comment))
                options << u"description='%1'"_s.arg(comment);
            else
                notes << u"COMMENT %1"_s.arg(comment);
        }
        if (const QString value = f.value(u"value"_s).toString(); !value.isEmpty())
            notes << u"VALUE %1 (computed by the server)"_s.arg(oneLine(value));

        if (!options.isEmpty())
            classInfo << u"Q_CLASSINFO(%1, %2)"_s.arg(cString(name), cString(options.join(u' ')));
        for (const QString &note : std::as_const(notes))
            fields << u"    // %1: %2 (not expressed by the model; the server still enforces it)"_s.arg(name,
                                                                                                        note);
        if (!notes.isEmpty())
            out.unmapped << u"%1: %2"_s.arg(name, notes.join(u"; "_s));
        fields << u"    SURREALQT_FIELD(%1, %2, %3)"_s.arg(type.cpp, name, setterFor(name));
    }

    // A table that defines no fields: its fields and types as a sample of its records shows them.
    if (definedFields.isEmpty() && !table.sample.isEmpty()) {
        QMap<QString, QSet<QString>> seen;
        for (const QVariant &record : table.sample) {
            const QVariantMap map = record.toMap();
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                if (it.key() != u"id")
                    seen[it.key()].insert(inferKind(it.value()));
            }
        }
        for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
            const QString &name = it.key();
            if (!isIdentifier(name) || isCppKeyword(name)) {
                unmapped(u"field `%1`: not usable as a C++ property name"_s.arg(name));
                continue;
            }
            const FieldType type =
                it.value().size() == 1 ? mapScalar(*it.value().begin()) : FieldType{u"QVariant"_s, {}, {}};
            if (!type.options.isEmpty())
                classInfo << u"Q_CLASSINFO(%1, %2)"_s.arg(cString(name), cString(type.options.join(u' ')));
            QStringList kinds = it.value().values();
            kinds.sort();
            fields << u"    // %1: inferred from %2 sample records (%3)"_s.arg(name)
                          .arg(table.sample.size())
                          .arg(kinds.join(u" | "_s));
            fields << u"    SURREALQT_FIELD(%1, %2, %3)"_s.arg(type.cpp, name, setterFor(name));
            out.inferred << name;
        }
    }

    for (const QVariant &v : table.structure.value(u"events"_s).toList()) {
        const QVariantMap e = v.toMap();
        unmapped(u"event %1 (WHEN %2): events run on the server"_s.arg(
            e.value(u"name"_s).toString(), oneLine(e.value(u"when"_s).toString())));
    }
    for (const QVariant &v : table.structure.value(u"tables"_s).toList())
        unmapped(u"view %1 fed by this table"_s.arg(v.toMap().value(u"name"_s).toString()));

    QString text;
    QTextStream s(&text);
    s << "// Generated by surrealqt-inspect from " << source << ". Edit freely: it is not regenerated.\n"
      << header << ".\n"
      << "#pragma once\n\n"
      << "#include <SurrealQt/SurrealQt>\n\n"
      << "class " << out.className << " : public SurrealQt::Model\n"
      << "{\n"
      << "    Q_OBJECT\n"
      << "    SURREALQT_MODEL(" << out.className << ")\n";
    for (const QString &line : std::as_const(classInfo))
        s << "    " << line << '\n';
    for (const QString &line : std::as_const(fields))
        s << line << '\n';
    for (const QString &line : std::as_const(comments))
        s << line << '\n';
    s << "};\n";
    s.flush();
    out.text = text;
    return out;
}

} // namespace SurrealQt::Inspect
