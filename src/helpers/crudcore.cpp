#include "crudcore_p.h"

#include "connection/recordwrite_p.h"
#include "keyfieldindex_p.h"
#include "validation_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/none.h>
#include <SurrealQt/range.h>

using namespace Qt::StringLiterals;

namespace SurrealQt::Internal {

TableTarget TableTarget::of(const Table &table)
{
    return {table, {}};
}

TableTarget TableTarget::of(const QString &name)
{
    return {Table(name), checkTableName(name, {})};
}

RecordTarget RecordTarget::of(const RecordId &id)
{
    return {id, {}};
}

RecordTarget RecordTarget::of(const QString &text)
{
    RecordTarget target;
    target.id = parseRecordId(text, {}, &target.error);
    return target;
}

namespace Crud {

namespace {

// The helpers' own variables, and the write path's (rw_…, filtered writes).
const QStringList reserved{u"h_data"_s,  u"h_rows"_s, u"h_ids"_s,  u"h_limit"_s,
                           u"h_start"_s, u"h_id"_s,   u"rw_data"_s};

Error invalid(const QString &message, const QString &context)
{
    return Error(Error::Kind::Validation, message, context);
}

Error check(Connection *c, const TableTarget &t, const QString &context)
{
    if (!c)
        return invalid(u"No connection"_s, context);
    if (t.error.isValid())
        return Error(t.error).setContext(context);
    return checkTable(t.table, context);
}

Error check(Connection *c, const RecordTarget &r, const QString &context)
{
    if (!c)
        return invalid(u"No connection"_s, context);
    if (r.error.isValid())
        return Error(r.error).setContext(context);
    return checkRecordId(r.id, context);
}

Error checkFilter(const QString &filter, const QVariantMap &vars, bool required, const QString &context)
{
    if (filter.isEmpty() && required)
        return invalid(u"A filter is required: pass \"true\" to mean every record of the table"_s, context);
    if (!filter.isEmpty()) {
        if (Error e = checkFilterSyntax(filter, context); e.isValid())
            return e;
    }
    return checkVariables(vars, reserved, context);
}

QString where(const QString &filter)
{
    return filter.isEmpty() ? QString() : u" WHERE ("_s + filter + u')';
}

bool isNothing(const QVariant &v)
{
    return !v.isValid() || v.isNull() || v.metaType() == QMetaType::fromType<None>();
}

QVariant lastOf(const QueryResult &result, const QString &context)
{
    if (!result.isOk())
        throw Exception(result.firstError().setContext(context));
    return result.last();
}

// Single-record writes resolve with the record as stored or fail with the write path's reading.
QFuture<QVariantMap> written(Connection *c, RecordWrite write, const QString &context)
{
    return write.inContext(context).send(c).then(
        QtFuture::Launch::Sync, [](const RecordWrite::Outcome &o) { return o.recordOrThrow(); });
}

QVariantList listOf(const QVariant &reply)
{
    if (isNothing(reply))
        return {};
    if (reply.metaType() == QMetaType::fromType<QVariantList>())
        return reply.toList();
    return {reply};
}

Error checkRows(const QVariantList &rows, const QString &context)
{
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).metaType() != QMetaType::fromType<QVariantMap>())
            return invalid(u"Row %1 is not an object (QVariantMap)"_s.arg(i), context);
    }
    return {};
}

QVariant keyValue(const QVariantMap &row, const QString &path)
{
    QVariant value = row;
    for (const auto part : QStringView(path).split(u'.')) {
        const QVariantMap map = value.toMap();
        const auto it = map.constFind(part.toString());
        if (it == map.cend())
            return {};
        value = *it;
    }
    return value;
}

// The record id a row names in its "id" field, read by RecordId::inTable (a key, record-id
// text or a RecordId of this table); an invalid one and *error when refused.
RecordId rowRecordId(const Table &table, const QVariantMap &row, Error *error, const QString &context,
                     qsizetype index = -1)
{
    QString why;
    const RecordId id = RecordId::inTable(table.name(), row.value(u"id"_s), &why);
    if (!id.isValid())
        *error = invalid(index < 0 ? why : u"Row %1: %2"_s.arg(index).arg(why), context);
    return id;
}

// A row written into table with the RecordId its "id" names: the engine would store a text
// id "user:77" as the key "user:77" (user:⟨user:77⟩), the third meaning of that text.
Error resolveRowId(const Table &table, QVariantMap *row, const QString &context, qsizetype index = -1)
{
    const auto it = row->constFind(u"id"_s);
    if (it == row->cend() || isNothing(*it))
        return {};
    Error error;
    const RecordId id = rowRecordId(table, *row, &error, context, index);
    if (error.isValid())
        return error;
    row->insert(u"id"_s, QVariant::fromValue(id));
    return {};
}

} // namespace

QFuture<QVariantMap> insertOne(Connection *c, const TableTarget &t, const QVariantMap &data)
{
    const QString ctx = u"insertOne into %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    QVariantMap row = data;
    if (Error e = resolveRowId(t.table, &row, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    return c->insert(QVariant::fromValue(t.table), row)
        .then(QtFuture::Launch::Sync, [ctx](const QVariant &reply) {
            return RecordWrite::ofReply(RecordWrite::Op::Create, reply, u"The record"_s, ctx).recordOrThrow();
        });
}

QFuture<QVariantList> insertMany(Connection *c, const TableTarget &t, const QVariantList &rows)
{
    const QString ctx = u"insertMany into %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkRows(rows, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (rows.isEmpty())
        return QtFuture::makeReadyFuture(QVariantList{});
    QVariantList resolved;
    resolved.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QVariantMap row = rows.at(i).toMap();
        if (Error e = resolveRowId(t.table, &row, ctx, i); e.isValid())
            return failedFuture<QVariantList>(e);
        resolved.append(row);
    }
    const qsizetype expected = rows.size();
    return c->insert(QVariant::fromValue(t.table), resolved)
        .then(QtFuture::Launch::Sync, [ctx, expected](const QVariant &reply) {
            const QVariantList stored = listOf(reply);
            if (stored.size() != expected)
                throw Exception(Error(Error::Kind::NotAllowed,
                                      u"Only %1 of %2 records were stored: a permission rule refused the "
                                      "others"_s.arg(stored.size())
                                          .arg(expected),
                                      ctx));
            return stored;
        });
}

QFuture<QVariantMap> updateOne(Connection *c, const RecordTarget &r, const QVariantMap &data, bool merge)
{
    const QString ctx = u"updateOne %1"_s.arg(r.id.toString());
    if (Error e = check(c, r, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    return written(c, merge ? RecordWrite::merge(r.id, data) : RecordWrite::replace(r.id, data), ctx);
}

QFuture<QVariantList> updateMany(Connection *c, const TableTarget &t, const QString &filter,
                                 const QVariantMap &vars, const QVariantMap &data, bool merge)
{
    const QString ctx = u"updateMany %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkFilter(filter, vars, true, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (data.contains(u"id"_s))
        return failedFuture<QVariantList>(
            invalid(u"The data for updateMany contains 'id': one id cannot be given to many records"_s, ctx));
    // The table goes into the text escaped: the engine reads a bound table in FROM positions
    // differently from a written one (see PageCursor).
    const RecordWrite write = (merge ? RecordWrite::mergeWhere(t.table, filter.trimmed(), vars, data)
                                     : RecordWrite::replaceWhere(t.table, filter.trimmed(), vars, data))
                                  .inContext(ctx);
    return write.request(c).then(QtFuture::Launch::Sync,
                                 [write](const QueryResult &r) { return write.writtenRows(r); });
}

QFuture<QVariantMap> upsertOne(Connection *c, const TableTarget &t, const QString &keyField,
                               const QVariantMap &data, bool createIndex)
{
    const QString ctx = u"upsertOne into %1 by %2"_s.arg(t.table.toSurrealQL(), keyField);
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    if (Error e = checkFieldPath(keyField, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    const QVariant key = keyValue(data, keyField);
    if (!key.isValid())
        return failedFuture<QVariantMap>(
            invalid(u"The data has no value for the key field '%1'"_s.arg(keyField), ctx));
    if (keyField == u"id") {
        Error error;
        const RecordId id = rowRecordId(t.table, data, &error, ctx);
        if (error.isValid())
            return failedFuture<QVariantMap>(error);
        QVariantMap rest = data;
        rest.remove(u"id"_s);
        return upsertOne(c, RecordTarget::of(id), rest);
    }
    const QString keyPath = Internal::escapedFieldPath(keyField);
    const QString sql = u"UPSERT "_s + t.table.toSurrealQL() + u" MERGE $h_data WHERE "_s + keyPath +
                        u" = $h_data."_s + keyPath + u" RETURN AFTER"_s;
    const QVariantMap vars{{u"h_data"_s, data}};
    return ensureKeyFieldIndexed(c, t.table, keyField, createIndex)
        .then(QtFuture::Launch::Sync,
              [c, sql, vars, ctx]() {
                  return c->query(sql, vars).then(QtFuture::Launch::Sync, [ctx](const QueryResult &r) {
                      return RecordWrite::ofReply(RecordWrite::Op::Upsert, lastOf(r, ctx), u"The record"_s,
                                                  ctx)
                          .recordOrThrow();
                  });
              })
        .unwrap();
}

QFuture<QVariantMap> upsertOne(Connection *c, const RecordTarget &r, const QVariantMap &data)
{
    const QString ctx = u"upsertOne %1"_s.arg(r.id.toString());
    if (Error e = check(c, r, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    QVariantMap rest = data;
    rest.remove(u"id"_s);
    return written(c, RecordWrite::upsert(r.id, rest), ctx);
}

QFuture<QVariantList> upsertMany(Connection *c, const TableTarget &t, const QString &keyField,
                                 const QVariantList &rows, bool createIndex)
{
    const QString ctx = u"upsertMany into %1 by %2"_s.arg(t.table.toSurrealQL(), keyField);
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkFieldPath(keyField, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkRows(rows, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    const bool byId = keyField == u"id";
    QVariantList data;
    QVariantList ids;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QVariantMap row = rows.at(i).toMap();
        if (!keyValue(row, keyField).isValid())
            return failedFuture<QVariantList>(
                invalid(u"Row %1 has no value for the key field '%2'"_s.arg(i).arg(keyField), ctx));
        if (byId) {
            Error error;
            const RecordId id = rowRecordId(t.table, row, &error, ctx, i);
            if (!error.isValid())
                error = checkRecordId(id, ctx);
            if (error.isValid())
                return failedFuture<QVariantList>(error);
            ids.append(QVariant::fromValue(id));
            row.remove(u"id"_s);
        }
        data.append(row);
    }
    if (rows.isEmpty())
        return QtFuture::makeReadyFuture(QVariantList{});
    // One statement per row, values by index into the bound list, in one transaction: all rows
    // or none, and the results come back in input order.
    QString sql = u"BEGIN;\n"_s;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString n = QString::number(i);
        if (byId)
            sql += u"UPSERT $h_ids["_s + n + u"] MERGE $h_rows["_s + n + u"] RETURN AFTER;\n"_s;
        else
            sql += u"UPSERT "_s + t.table.toSurrealQL() + u" MERGE $h_rows["_s + n + u"] WHERE "_s +
                   Internal::escapedFieldPath(keyField) + u" = $h_rows["_s + n + u"]."_s +
                   Internal::escapedFieldPath(keyField) + u" RETURN AFTER;\n"_s;
    }
    sql += u"COMMIT;"_s;
    QVariantMap vars{{u"h_rows"_s, data}};
    if (byId)
        vars.insert(u"h_ids"_s, ids);
    const qsizetype expected = rows.size();
    return ensureKeyFieldIndexed(c, t.table, keyField, createIndex)
        .then(QtFuture::Launch::Sync,
              [c, sql, vars, ctx, expected]() {
                  return c->query(sql, vars).then(QtFuture::Launch::Sync, [ctx,
                                                                           expected](const QueryResult &r) {
                      if (!r.isOk())
                          throw Exception(r.firstError().setContext(ctx));
                      QVariantList stored;
                      // Entries 1..n are the UPSERTs; BEGIN and COMMIT have their own.
                      for (int i = 1; i <= expected && i < r.size(); ++i) {
                          const QVariantList one = listOf(r.value(i));
                          if (one.isEmpty()) {
                              Error e =
                                  RecordWrite::refused(RecordWrite::Op::Upsert, u"Row %1"_s.arg(i - 1), ctx);
                              throw Exception(
                                  e.setMessage(e.message() + u" (the other rows were written)"_s));
                          }
                          stored.append(one.first());
                      }
                      if (stored.size() != expected)
                          throw Exception(
                              Error(Error::Kind::Protocol,
                                    u"Expected %1 results, got %2"_s.arg(expected).arg(stored.size()), ctx));
                      return stored;
                  });
              })
        .unwrap();
}

QFuture<QVariantMap> deleteOne(Connection *c, const RecordTarget &r)
{
    const QString ctx = u"deleteOne %1"_s.arg(r.id.toString());
    if (Error e = check(c, r, ctx); e.isValid())
        return failedFuture<QVariantMap>(e);
    return written(c, RecordWrite::remove(r.id), ctx);
}

QFuture<QVariantList> deleteMany(Connection *c, const TableTarget &t, const QString &filter,
                                 const QVariantMap &vars)
{
    const QString ctx = u"deleteMany %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkFilter(filter, vars, true, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    const RecordWrite write = RecordWrite::removeWhere(t.table, filter.trimmed(), vars).inContext(ctx);
    return write.request(c).then(QtFuture::Launch::Sync,
                                 [write](const QueryResult &r) { return write.writtenRows(r); });
}

QFuture<std::optional<QVariantMap>> selectOne(Connection *c, const RecordTarget &r)
{
    const QString ctx = u"selectOne %1"_s.arg(r.id.toString());
    if (Error e = check(c, r, ctx); e.isValid())
        return failedFuture<std::optional<QVariantMap>>(e);
    return c->select(QVariant::fromValue(r.id)).then(QtFuture::Launch::Sync, [](const QVariant &v) {
        const QVariantList list = listOf(v);
        return list.isEmpty() ? std::optional<QVariantMap>()
                              : std::optional<QVariantMap>(list.first().toMap());
    });
}

QFuture<QVariantList> selectMany(Connection *c, const TableTarget &t, const SelectOptions &o)
{
    const QString ctx = u"selectMany %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (Error e = checkFilter(o.filter, o.vars, false, ctx); e.isValid())
        return failedFuture<QVariantList>(e);
    if (!o.orderBy.isEmpty() && o.orderBy != u"id") {
        if (Error e = checkFieldPath(o.orderBy, ctx); e.isValid())
            return failedFuture<QVariantList>(e);
    }
    if (o.offset < 0)
        return failedFuture<QVariantList>(invalid(u"The offset must not be negative"_s, ctx));
    QVariantMap vars = o.vars;
    QString sql = u"SELECT * FROM "_s + t.table.toSurrealQL() + where(o.filter);
    if (!o.orderBy.isEmpty())
        sql += u" ORDER BY "_s + Internal::escapedFieldPath(o.orderBy) +
               (o.order == Qt::DescendingOrder ? u" DESC"_s : QString());
    if (o.limit >= 0) {
        sql += u" LIMIT $h_limit"_s;
        vars.insert(u"h_limit"_s, o.limit);
    }
    if (o.offset > 0) {
        sql += u" START $h_start"_s;
        vars.insert(u"h_start"_s, o.offset);
    }
    return c->query(sql, vars).then(QtFuture::Launch::Sync,
                                    [ctx](const QueryResult &r) { return listOf(lastOf(r, ctx)); });
}

QFuture<qint64> count(Connection *c, const TableTarget &t, const QString &filter, const QVariantMap &vars)
{
    const QString ctx = u"count %1"_s.arg(t.table.toSurrealQL());
    if (Error e = check(c, t, ctx); e.isValid())
        return failedFuture<qint64>(e);
    if (Error e = checkFilter(filter, vars, false, ctx); e.isValid())
        return failedFuture<qint64>(e);
    // count() with GROUP ALL counts without loading the rows (≈ 10x faster than count(SELECT)).
    const QString sql = u"SELECT count() FROM "_s + t.table.toSurrealQL() + where(filter) + u" GROUP ALL"_s;
    return c->query(sql, vars).then(QtFuture::Launch::Sync, [ctx](const QueryResult &r) {
        return listOf(lastOf(r, ctx)).value(0).toMap().value(u"count"_s).toLongLong();
    });
}

QFuture<bool> exists(Connection *c, const RecordTarget &r)
{
    const QString ctx = u"exists %1"_s.arg(r.id.toString());
    if (Error e = check(c, r, ctx); e.isValid())
        return failedFuture<bool>(e);
    return c->query(u"RETURN record::exists($h_id)"_s, {{u"h_id"_s, QVariant::fromValue(r.id)}})
        .then(QtFuture::Launch::Sync, [ctx](const QueryResult &res) { return lastOf(res, ctx).toBool(); });
}

} // namespace Crud
} // namespace SurrealQt::Internal
