#include "keyfieldindex_p.h"

#include "codec/valueformatter_p.h"
#include "connection/syncwait_p.h"
#include "validation_p.h"

#include <SurrealQt/exception.h>

using namespace Qt::StringLiterals;

namespace SurrealQt::Internal {

namespace {

QString indexName(const Table &table, const QString &keyField)
{
    QString name = table.name() + u'_' + keyField + u"_unique"_s;
    for (QChar &c : name) {
        if (!ValueFormatter::isPlainIdentChar(c))
            c = u'_';
    }
    return name;
}

bool hasUniqueSingleFieldIndex(const QVariant &info, const QString &keyField)
{
    const QVariantList indexes = info.toMap().value(u"indexes"_s).toList();
    for (const QVariant &entry : indexes) {
        const QVariantMap index = entry.toMap();
        const QVariantList cols = index.value(u"cols"_s).toList();
        if (index.value(u"index"_s).toString().compare(u"UNIQUE"_s, Qt::CaseInsensitive) == 0 &&
            cols.size() == 1 &&
            (cols.first().toString() == keyField ||
             cols.first().toString() == Internal::escapedFieldPath(keyField)))
            return true;
    }
    return false;
}

} // namespace

QString uniqueIndexStatement(const Table &table, const QString &keyField)
{
    return u"DEFINE INDEX IF NOT EXISTS %1 ON TABLE %2 FIELDS %3 UNIQUE"_s.arg(
        ValueFormatter::escapeIdent(indexName(table, keyField)), table.toSurrealQL(),
        Internal::escapedFieldPath(keyField));
}

QFuture<void> ensureKeyFieldIndexed(Connection *connection, const Table &table, const QString &keyField,
                                    bool createIfMissing)
{
    const QString context = u"key field %1 of table %2"_s.arg(keyField, table.toSurrealQL());
    if (!connection)
        return failedFuture<void>(Error(Error::Kind::Validation, u"No connection"_s, context));
    if (Error e = checkTable(table, context); e.isValid())
        return failedFuture<void>(e);
    if (Error e = checkFieldPath(keyField, context); e.isValid())
        return failedFuture<void>(e);
    if (keyField == u"id")
        return QtFuture::makeReadyFuture();

    // INFO FOR TABLE accepts the name as a bound string, so nothing is spliced for the check.
    QFuture<QueryResult> info =
        connection->query(u"INFO FOR TABLE $tb STRUCTURE"_s, {{u"tb"_s, table.name()}});
    return info
        .then(QtFuture::Launch::Sync,
              [connection, table, keyField, createIfMissing, context](const QueryResult &result) {
                  if (!result.isOk())
                      throw Exception(result.firstError().setContext(context));
                  if (hasUniqueSingleFieldIndex(result.last(), keyField))
                      return QtFuture::makeReadyFuture();
                  const QString statement = uniqueIndexStatement(table, keyField);
                  if (!createIfMissing) {
                      throw Exception(Error(
                          Error::Kind::Validation,
                          u"Upserting by key field '%1' needs a UNIQUE index on %2.%1: without one every "
                          "record costs a full table scan (hundreds of times slower). Define it with\n  %3;\n"
                          "or ask the helper to create it (createIndex = true). It fails if existing "
                          "records share a '%1' value."_s.arg(keyField, table.toSurrealQL(), statement),
                          context));
                  }
                  qCInfo(lcHelpers) << "defining" << statement;
                  // Identifiers were validated and escaped above: DEFINE INDEX takes no variables.
                  return connection->query(statement).then(
                      QtFuture::Launch::Sync, [context](const QueryResult &defined) {
                          if (!defined.isOk())
                              throw Exception(defined.firstError().setContext(context));
                      });
              })
        .unwrap();
}

void ensureKeyFieldIndexedSync(Connection *connection, const Table &table, const QString &keyField,
                               bool createIfMissing)
{
    blockOn("ensureKeyFieldIndexedSync",
            [&] { return ensureKeyFieldIndexed(connection, table, keyField, createIfMissing); });
}

} // namespace SurrealQt::Internal
