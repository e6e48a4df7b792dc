#include "validation_p.h"

#include "codec/valueformatter_p.h"

#include <SurrealQt/range.h>

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace SurrealQt::Internal {

Q_LOGGING_CATEGORY(lcHelpers, "surrealqt.helpers", QtWarningMsg)

namespace {

bool isPlainIdentifier(QStringView text)
{
    if (text.isEmpty() || text.front().isDigit())
        return false;
    for (const QChar c : text) {
        const bool ok =
            (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

Error invalid(const QString &message, const QString &context)
{
    return Error(Error::Kind::Validation, message, context);
}

} // namespace

Error checkTableName(const QString &name, const QString &context)
{
    if (name.isEmpty())
        return invalid(u"The table name is empty"_s, context);
    if (name.contains(u':'))
        return invalid(u"'%1' is not a table name: it looks like a record id. Pass a SurrealQt::RecordId "
                       "(or the record-id overload) to name one record"_s.arg(name),
                       context);
    if (!isPlainIdentifier(name))
        return invalid(u"'%1' is not a valid table name: a table named by a string must be a plain "
                       "identifier (letters, digits, '_', not starting with a digit); use SurrealQt::Table "
                       "for other names"_s.arg(name),
                       context);
    return {};
}

Error checkTable(const Table &table, const QString &context)
{
    if (!table.isValid())
        return invalid(u"The table is empty"_s, context);
    for (const QChar c : table.name()) {
        if (c.category() == QChar::Other_Control)
            return invalid(u"The table name %1 contains control characters"_s.arg(table.toSurrealQL()),
                           context);
    }
    return {};
}

Error checkFieldPath(const QString &field, const QString &context)
{
    if (field.isEmpty())
        return invalid(u"The field name is empty"_s, context);
    const auto parts = QStringView(field).split(u'.');
    for (const auto part : parts) {
        if (!isPlainIdentifier(part))
            return invalid(u"'%1' is not a valid field path: use plain identifiers joined by '.' "
                           "(e.g. email or address.city)"_s.arg(field),
                           context);
    }
    return {};
}

QString escapedFieldPath(const QString &path)
{
    QString out;
    for (const QStringView part : QStringView(path).split(u'.')) {
        if (!out.isEmpty())
            out += u'.';
        out += ValueFormatter::escapeIdent(part);
    }
    return out;
}

Error checkRecordId(const RecordId &id, const QString &context)
{
    if (!id.isValid())
        return invalid(u"The record id is not valid (it needs a table and a key)"_s, context);
    if (id.id().metaType() == QMetaType::fromType<Range>())
        return invalid(u"%1 is a key range, not one record id"_s.arg(id.toString()), context);
    return checkTable(Table(id.table()), context);
}

RecordId parseRecordId(const QString &text, const QString &context, Error *error)
{
    QString parseError;
    const RecordId id = RecordId::fromString(text, &parseError);
    if (!id.isValid()) {
        *error = invalid(u"'%1' is not a record id (table:key): %2"_s.arg(text, parseError), context);
        return {};
    }
    *error = checkRecordId(id, context);
    return id;
}

Error checkFilterSyntax(const QString &filter, const QString &context)
{
    if (filter.trimmed().isEmpty())
        return invalid(u"The condition is empty: pass no condition to mean every record"_s, context);
    if (filter.contains(u';'))
        return invalid(u"The condition '%1' contains ';': a condition is one SurrealQL expression "
                       "written by the program, with values as bind variables ($name)"_s.arg(filter.left(80)),
                       context);
    return {};
}

Error checkVariables(const QVariantMap &vars, const QStringList &reserved, const QString &context)
{
    for (auto it = vars.cbegin(); it != vars.cend(); ++it) {
        if (!isPlainIdentifier(it.key()))
            return invalid(u"'%1' is not a valid bind variable name"_s.arg(it.key()), context);
        if (reserved.contains(it.key()))
            return invalid(u"The bind variable name '$%1' is used by the helper itself; pick another "
                           "name"_s.arg(it.key()),
                           context);
    }
    return {};
}

} // namespace SurrealQt::Internal
