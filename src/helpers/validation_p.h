#pragma once

// Not public API. Input checks shared by the helpers and the bulk layer: every one runs
// before a request is sent, so a bad name never reaches the server.

#include <SurrealQt/error.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QLoggingCategory>

namespace SurrealQt::Internal {

Q_DECLARE_LOGGING_CATEGORY(lcHelpers)

// A table named by a string must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*): anything else
// is far more often a record id or a typo ("person:1", "per son") than a table. Names that
// need backticks can still be used through SurrealQt::Table.
SURREALQT_EXPORT Error checkTableName(const QString &name, const QString &context);
// A Table value: not empty and without control characters.
SURREALQT_EXPORT Error checkTable(const Table &table, const QString &context);
// A field path: plain identifiers joined by dots ("email", "address.city").
SURREALQT_EXPORT Error checkFieldPath(const QString &field, const QString &context);
// A field path as written into query text: every part escaped like a table name, so that a field
// named like a keyword or a value (`true`, `value`) is read as a field.
SURREALQT_EXPORT QString escapedFieldPath(const QString &path);
// A record id: a valid table and key, with no range key (a range names many records).
SURREALQT_EXPORT Error checkRecordId(const RecordId &id, const QString &context);
// Parses "table:key" text (RecordId::fromString) and checks it; *error is set on failure.
SURREALQT_EXPORT RecordId parseRecordId(const QString &text, const QString &context, Error *error);
// A filter for WHERE: not empty, and without ';', which in a filter is always a mistake. This is
// a check for typos, not a safety barrier: a filter is SurrealQL code, and one expression can
// hold a sub-query that writes ("(DELETE person)"). Filters come from the program, never from
// a user; user input goes into bind variables.
SURREALQT_EXPORT Error checkFilterSyntax(const QString &filter, const QString &context);
// Names of bind variables: plain identifiers, and not the ones the helper binds itself.
SURREALQT_EXPORT Error checkVariables(const QVariantMap &vars, const QStringList &reserved,
                                      const QString &context);

template<typename T>
QFuture<T> failedFuture(const Error &error)
{
    return QtFuture::makeExceptionalFuture<T>(Exception(error));
}

} // namespace SurrealQt::Internal
