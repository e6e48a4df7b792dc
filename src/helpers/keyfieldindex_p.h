#pragma once

// Not public API. Shared by the CRUD helpers (upsertOne/upsertMany) and the bulk layer
// (bulkUpsert): an upsert that finds its record by a key field costs a table scan per record
// unless a UNIQUE index covers that field (≈ 300x slower on 3.0.2, see surrealdb-rpc.md §12),
// so the helpers refuse to run it silently slow.

#include <SurrealQt/connection.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QString>

namespace SurrealQt::Internal {

// The statement that defines the index the key field needs, e.g.
// `DEFINE INDEX IF NOT EXISTS person_email_unique ON TABLE person FIELDS email UNIQUE`.
// table and keyField must have passed checkTable/checkFieldPath.
SURREALQT_EXPORT QString uniqueIndexStatement(const Table &table, const QString &keyField);

// Resolves when keyField can serve as an upsert key at index speed: keyField is `id`, or a
// UNIQUE index on exactly that one field exists (INFO FOR TABLE ... STRUCTURE). A composite
// UNIQUE index does not count: it does not make the field alone unique.
// Otherwise, with createIfMissing the index is defined (this fails, with the server's error,
// when existing records already share a key value); without it the future fails with a
// Validation error that names the table and field and quotes the DEFINE INDEX statement.
// Bad table or field names fail with Validation before any request. Safe from any thread.
SURREALQT_EXPORT QFuture<void> ensureKeyFieldIndexed(Connection *connection, const Table &table,
                                                     const QString &keyField, bool createIfMissing);
// Blocking twin; throws SurrealQt::Exception. Not on the connection's I/O thread.
SURREALQT_EXPORT void ensureKeyFieldIndexedSync(Connection *connection, const Table &table,
                                                const QString &keyField, bool createIfMissing);

} // namespace SurrealQt::Internal
