#pragma once

#include <SurrealQt/condition.h>
#include <SurrealQt/pagetoken.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QFuture>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QSharedPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class Connection;
class DatabaseManager;
class Model;
class ModelInfo;
class QueryData;

/*! The untyped part of Query<T>: an immutable, implicitly shared description of a query on one
    model (filter tree, order, limit, offset, connection) and the operations that run it.
    Use it through Query<T>; see there. */
class SURREALQT_EXPORT QueryBase
{
public:
    using Factory = Model *(*)();

    QueryBase(const QueryBase &other);
    QueryBase(QueryBase &&other) noexcept;
    QueryBase &operator=(const QueryBase &other);
    QueryBase &operator=(QueryBase &&other) noexcept;
    ~QueryBase();

    [[nodiscard]] const ModelInfo &modelInfo() const;
    /*! The connection given to objects(), else the model's default; may be null. */
    [[nodiscard]] Connection *connection() const;
    [[nodiscard]] Condition condition() const;
    [[nodiscard]] QStringList ordering() const;
    /*! -1 when not set. */
    [[nodiscard]] qint64 limitValue() const;
    [[nodiscard]] qint64 offsetValue() const;

    /*! The SurrealQL text and variables all() would send; a Validation error instead when the
        query names an unknown field or lookup. For logging and tests. */
    [[nodiscard]] QString toSurrealQL(QVariantMap *vars = nullptr, Error *error = nullptr) const;

protected:
    QueryBase(const ModelInfo &info, Connection *connection);
    QueryBase(const ModelInfo &info, DatabaseManager *manager);

    void addCondition(const Condition &condition, bool negate);
    void setOrdering(const QStringList &fields);
    void setLimit(qint64 limit);
    void setOffset(qint64 offset);

    QFuture<QList<Model *>> fetchObjects(Factory factory) const;
    QList<Model *> fetchObjectsSync(Factory factory) const;
    /*! Loads one page; the next token is written into the returned pair's second member. */
    QFuture<std::pair<QList<Model *>, PageToken>> fetchPage(Factory factory, const PageToken &after) const;
    std::pair<QList<Model *>, PageToken> fetchPageSync(Factory factory, const PageToken &after) const;
    QFuture<Model *> fetchOne(Factory factory, const RecordId &id) const;
    Model *fetchOneSync(Factory factory, const RecordId &id) const;
    /*! idOrKey read by RecordId::inTable; a refusal fails with its Validation error. */
    QFuture<Model *> fetchOne(Factory factory, const QVariant &idOrKey) const;
    Model *fetchOneSync(Factory factory, const QVariant &idOrKey) const;
    QFuture<Model *> createObject(Factory factory, const QVariantMap &fields) const;
    Model *createObjectSync(Factory factory, const QVariantMap &fields) const;

public:
    QFuture<qint64> count() const;
    qint64 countSync() const;
    QFuture<bool> exists() const;
    bool existsSync() const;
    /*! Merges data into every matching record; returns how many changed. Fields are validated. */
    QFuture<qint64> updateMany(const QVariantMap &data) const;
    qint64 updateManySync(const QVariantMap &data) const;
    /*! Deletes every matching record; returns how many were deleted. */
    QFuture<qint64> deleteMany() const;
    qint64 deleteManySync() const;
    /*! Plain maps with only the given fields (and id), for read-only lists and exports. */
    QFuture<QList<QVariantMap>> values(const QStringList &fields) const;
    QList<QVariantMap> valuesSync(const QStringList &fields) const;

    /*! The record of this model's table that idOrKey names, read by RecordId::inTable:
        "user:42" is user:42, "ann" and 42 are keys, another table's id or ambiguous text
        ("user:1:2", "12:30") gives an invalid RecordId and the reason in *error. */
    [[nodiscard]] RecordId recordId(const QVariant &idOrKey, QString *error = nullptr) const;

protected:
    QSharedDataPointer<QueryData> d;
};

} // namespace SurrealQt
