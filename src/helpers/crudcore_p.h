#pragma once

// Not public API. The requests behind CrudHelpers and SyncCrudHelpers: one function per
// helper, each validating its input before sending anything and giving one result shape.

#include <SurrealQt/connection.h>
#include <SurrealQt/error.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QVariant>

#include <optional>

namespace SurrealQt::Internal {

// A table or record id as the caller named it: typed, or a string still to be checked.
struct TableTarget
{
    Table table;
    Error error;
    static TableTarget of(const Table &table);
    static TableTarget of(const QString &name);
};

struct RecordTarget
{
    RecordId id;
    Error error;
    static RecordTarget of(const RecordId &id);
    static RecordTarget of(const QString &text);
};

struct SelectOptions
{
    QString filter;
    QVariantMap vars;
    int limit = -1;
    int offset = 0;
    QString orderBy;
    Qt::SortOrder order = Qt::AscendingOrder;
};

namespace Crud {
QFuture<QVariantMap> insertOne(Connection *c, const TableTarget &t, const QVariantMap &data);
QFuture<QVariantList> insertMany(Connection *c, const TableTarget &t, const QVariantList &rows);
QFuture<QVariantMap> updateOne(Connection *c, const RecordTarget &r, const QVariantMap &data, bool merge);
QFuture<QVariantList> updateMany(Connection *c, const TableTarget &t, const QString &filter,
                                 const QVariantMap &vars, const QVariantMap &data, bool merge);
QFuture<QVariantMap> upsertOne(Connection *c, const TableTarget &t, const QString &keyField,
                               const QVariantMap &data, bool createIndex);
QFuture<QVariantMap> upsertOne(Connection *c, const RecordTarget &r, const QVariantMap &data);
QFuture<QVariantList> upsertMany(Connection *c, const TableTarget &t, const QString &keyField,
                                 const QVariantList &rows, bool createIndex);
QFuture<QVariantMap> deleteOne(Connection *c, const RecordTarget &r);
QFuture<QVariantList> deleteMany(Connection *c, const TableTarget &t, const QString &filter,
                                 const QVariantMap &vars);
QFuture<std::optional<QVariantMap>> selectOne(Connection *c, const RecordTarget &r);
QFuture<QVariantList> selectMany(Connection *c, const TableTarget &t, const SelectOptions &options);
QFuture<qint64> count(Connection *c, const TableTarget &t, const QString &filter, const QVariantMap &vars);
QFuture<bool> exists(Connection *c, const RecordTarget &r);
} // namespace Crud

} // namespace SurrealQt::Internal
