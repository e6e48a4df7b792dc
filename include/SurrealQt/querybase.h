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
class Error;
class Model;
class ModelInfo;
class QueryCache;
class QueryData;

/*! The untyped part of Query<T>: an immutable, implicitly shared description of a query on one
    model (filter tree, order, limit, offset, connection) and the operations that run it.
    Use it through Query<T>; see there. */
class SURREALQT_EXPORT QueryBase
{
public:
    /*! Creates one model object of the query's class (Query<T> passes T's). */
    using Factory = Model *(*)();

    /*! Copies share the description (implicitly shared, immutable). */
    QueryBase(const QueryBase &other);
    /*! Moves the description. */
    QueryBase(QueryBase &&other) noexcept;
    /*! Shares other's description. */
    QueryBase &operator=(const QueryBase &other);
    /*! Takes other's description. */
    QueryBase &operator=(QueryBase &&other) noexcept;
    ~QueryBase();

    /*! The description of the query's model class. */
    [[nodiscard]] const ModelInfo &modelInfo() const;
    /*! The connection given to objects(), else the model's default; may be null. */
    [[nodiscard]] Connection *connection() const;
    /*! The filter: every filter() and exclude() ANDed together; empty for none. */
    [[nodiscard]] Condition condition() const;
    /*! The order_by() fields, a leading '-' for descending. */
    [[nodiscard]] QStringList ordering() const;
    /*! -1 when not set. */
    [[nodiscard]] qint64 limitValue() const;
    /*! -1 when not set. */
    [[nodiscard]] qint64 offsetValue() const;

    /*! The SurrealQL text and variables all() would send; a Validation error instead when the
        query names an unknown field or lookup. For logging and tests. */
    [[nodiscard]] QString toSurrealQL(QVariantMap *vars = nullptr, Error *error = nullptr) const;

protected:
    /*! An unfiltered query on info's table through connection (null: the model's default). */
    QueryBase(const ModelInfo &info, Connection *connection);
    /*! An unfiltered query through manager's connection. */
    QueryBase(const ModelInfo &info, DatabaseManager *manager);

    /*! ANDs condition (negated when negate) into the filter. */
    void addCondition(const Condition &condition, bool negate);
    /*! Replaces the order. */
    void setOrdering(const QStringList &fields);
    /*! Sets the LIMIT (-1: none). */
    void setLimit(qint64 limit);
    /*! Sets the START (-1: none). */
    void setOffset(qint64 offset);

    /*! Runs the query; the objects are made by factory, unparented, in the calling thread. */
    QFuture<QList<Model *>> fetchObjects(Factory factory) const;
    /*! Blocking fetchObjects(); throws SurrealQt::Exception. */
    QList<Model *> fetchObjectsSync(Factory factory) const;
    /*! Loads one page; the next token is written into the returned pair's second member. */
    QFuture<std::pair<QList<Model *>, PageToken>> fetchPage(Factory factory, const PageToken &after) const;
    /*! Blocking fetchPage(); throws SurrealQt::Exception. */
    std::pair<QList<Model *>, PageToken> fetchPageSync(Factory factory, const PageToken &after) const;
    /*! The record id of the query's table as an object, or null when there is none. */
    QFuture<Model *> fetchOne(Factory factory, const RecordId &id) const;
    /*! Blocking fetchOne(); throws SurrealQt::Exception. */
    Model *fetchOneSync(Factory factory, const RecordId &id) const;
    /*! idOrKey read by RecordId::inTable; a refusal fails with its Validation error. */
    QFuture<Model *> fetchOne(Factory factory, const QVariant &idOrKey) const;
    /*! Blocking fetchOne() by id or key; throws SurrealQt::Exception. */
    Model *fetchOneSync(Factory factory, const QVariant &idOrKey) const;
    /*! Creates a record from fields (validated first) and returns it as an object. */
    QFuture<Model *> createObject(Factory factory, const QVariantMap &fields) const;
    /*! Blocking createObject(); throws SurrealQt::Exception. */
    Model *createObjectSync(Factory factory, const QVariantMap &fields) const;
    /*! Objects made by factory from rows of the query's table, as fetchObjects() makes them
        (bound to the query's connection when one was given); throws SurrealQt::Exception. */
    QList<Model *> objectsFromRows(Factory factory, const QVariantList &rows) const;

public:
    /*! The number of matching records. */
    QFuture<qint64> count() const;
    /*! Blocking count(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    qint64 countSync() const;
    /*! True when at least one record matches. */
    QFuture<bool> exists() const;
    /*! Blocking exists(); throws SurrealQt::Exception. */
    bool existsSync() const;
    /*! Merges data into every matching record; returns how many changed. Fields are validated. */
    QFuture<qint64> updateMany(const QVariantMap &data) const;
    /*! Blocking updateMany(); throws SurrealQt::Exception. */
    qint64 updateManySync(const QVariantMap &data) const;
    /*! Deletes every matching record; returns how many were deleted. */
    QFuture<qint64> deleteMany() const;
    /*! Blocking deleteMany(); throws SurrealQt::Exception. */
    qint64 deleteManySync() const;
    /*! Plain maps with only the given fields (and id), for read-only lists and exports. */
    QFuture<QList<QVariantMap>> values(const QStringList &fields) const;
    /*! Blocking values(); throws SurrealQt::Exception. */
    QList<QVariantMap> valuesSync(const QStringList &fields) const;

    /*! The record of this model's table that idOrKey names, read by RecordId::inTable:
        "user:42" is user:42, "ann" and 42 are keys, another table's id or ambiguous text
        ("user:1:2", "12:30") gives an invalid RecordId and the reason in *error. */
    [[nodiscard]] RecordId recordId(const QVariant &idOrKey, QString *error = nullptr) const;

protected:
    friend class QueryCache;
    /*! The shared query description. */
    QSharedDataPointer<QueryData> d;
};

} // namespace SurrealQt
