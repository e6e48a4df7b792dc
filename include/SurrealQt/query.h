#pragma once

#include <SurrealQt/modelinfo.h>
#include <SurrealQt/querybase.h>

#include <QtCore/QList>
#include <QtCore/QSharedPointer>

#include <initializer_list>
#include <utility>

namespace SurrealQt {

/*! One page of Query<T>::page(): the rows and the token for the next page. */
template<typename T>
struct Page
{
    /*! The page's objects, in the query's order (owned by the pointers, no parent). */
    QList<QSharedPointer<T>> items;
    /*! Pass it to Query::page() for the next page. */
    PageToken next;
    /*! True when no page follows this one. */
    [[nodiscard]] bool isLast() const { return next.isEnd(); }
};

/*! A typed query on model T, Django's QuerySet in Qt terms: a cheap immutable value; every
    builder call returns a new query, so partial queries can be kept and reused.

    \code
    auto adults = User::objects().filter(u"age__gte"_s, 18).orderBy({u"-age"_s});
    adults.all().then(context, [](const QList<QSharedPointer<User>> &users) { qInfo() << users.size(); });
    qint64 n = adults.countSync();
    \endcode

    Values only ever reach SurrealQL as bind variables; field names in lookups and orderings are
    checked against T's fields, and an unknown one fails the operation with a Validation error
    before anything is sent.

    Ownership: objects come back as QSharedPointer<T>, created in the caller's thread's
    affinity and without a parent; the last pointer deletes them. Give one a parent or keep the
    pointer; do not delete it yourself. */
template<typename T>
class Query : public QueryBase
{
public:
    /*! All records of T's table, through connection (null: T's default, else Model::defaultConnection()). */
    explicit Query(Connection *connection = nullptr)
        : QueryBase(ModelInfo::of<T>(), connection)
    {}
    /*! All records of T's table, through manager's connection(). */
    explicit Query(DatabaseManager *manager)
        : QueryBase(ModelInfo::of<T>(), manager)
    {}

    /*! Rows matching every lookup given so far (AND). */
    [[nodiscard]] Query filter(const Condition &condition) const { return with(condition, false); }
    /*! Rows matching one lookup, e.g. filter(u"age__gte"_s, 18). */
    [[nodiscard]] Query filter(const QString &lookup, const QVariant &value) const
    {
        return with(Condition(lookup, value), false);
    }
    /*! Rows matching every lookup of the list. */
    [[nodiscard]] Query filter(std::initializer_list<std::pair<QString, QVariant>> lookups) const
    {
        return with(Condition(lookups), false);
    }
    /*! Rows not matching the condition. */
    [[nodiscard]] Query exclude(const Condition &condition) const { return with(condition, true); }
    /*! Rows not matching the lookup. */
    [[nodiscard]] Query exclude(const QString &lookup, const QVariant &value) const
    {
        return with(Condition(lookup, value), true);
    }
    /*! Rows not matching all lookups of the list together. */
    [[nodiscard]] Query exclude(std::initializer_list<std::pair<QString, QVariant>> lookups) const
    {
        return with(Condition(lookups), true);
    }
    /*! Field names, "-name" for descending, nested paths as address__city. Replaces earlier orders. */
    [[nodiscard]] Query orderBy(const QStringList &fields) const
    {
        Query q = *this;
        q.setOrdering(fields);
        return q;
    }
    /*! Orders by one field ("-name" for descending). */
    [[nodiscard]] Query orderBy(const QString &field) const { return orderBy(QStringList{field}); }
    /*! At most count rows (LIMIT); also the page size of page(). */
    [[nodiscard]] Query limit(qint64 count) const
    {
        Query q = *this;
        q.setLimit(count);
        return q;
    }
    /*! START n: its cost grows with n; use page() to walk big tables. */
    [[nodiscard]] Query offset(qint64 count) const
    {
        Query q = *this;
        q.setOffset(count);
        return q;
    }

    /*! Every matching object. The objects live in the calling thread; the future finishes on the
        connection's I/O thread, so continue with a context object (then(this, ...)). */
    QFuture<QList<QSharedPointer<T>>> all() const { return fetchObjects(&make).then(&wrapList); }
    /*! Blocking all(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QList<QSharedPointer<T>> allSync() const { return wrapList(fetchObjectsSync(&make)); }

    /*! The first row in the query's order; a null pointer when there is none. */
    QFuture<QSharedPointer<T>> first() const { return limit(1).all().then(&front); }
    /*! Blocking first(); throws SurrealQt::Exception. */
    QSharedPointer<T> firstSync() const { return front(limit(1).allSync()); }

    /*! One record by id or key; a null pointer when it does not exist (or may not be read).
        Record-id text names that record ("user:42" is user:42, not the key "user:42"), a bare
        key stays a key ("ann", 42); another table's id, or text with a ':' that is not a record
        id, fails with a Validation error naming the model's table (see RecordId::inTable). */
    QFuture<QSharedPointer<T>> get(const QVariant &idOrKey) const
    {
        return fetchOne(&make, idOrKey).then(&wrap);
    }
    /*! Blocking get(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QSharedPointer<T> getSync(const QVariant &idOrKey) const { return wrap(fetchOneSync(&make, idOrKey)); }
    /*! One record by RecordId (of T's table); a null pointer when it does not exist. */
    QFuture<QSharedPointer<T>> get(const RecordId &id) const { return fetchOne(&make, id).then(&wrap); }
    /*! Blocking get() by RecordId; throws SurrealQt::Exception. */
    QSharedPointer<T> getSync(const RecordId &id) const { return wrap(fetchOneSync(&make, id)); }

    /*! A new object with the given fields (validated first), saved; emits nothing on failure. */
    QFuture<QSharedPointer<T>> create(const QVariantMap &fields) const
    {
        return createObject(&make, fields).then(&wrap);
    }
    /*! Blocking create(); throws SurrealQt::Exception. */
    QSharedPointer<T> createSync(const QVariantMap &fields) const
    {
        return wrap(createObjectSync(&make, fields));
    }

    /*! Page by page through the whole result, limit() rows each (100 when not set). Pass the
        previous page's next token; PageToken says which orders cost the same for every page. */
    QFuture<Page<T>> page(const PageToken &after = {}) const
    {
        return fetchPage(&make, after).then([](const std::pair<QList<Model *>, PageToken> &p) {
            return Page<T>{wrapList(p.first), p.second};
        });
    }
    /*! Blocking page(); throws SurrealQt::Exception. */
    Page<T> pageSync(const PageToken &after = {}) const
    {
        auto p = fetchPageSync(&make, after);
        return Page<T>{wrapList(p.first), p.second};
    }

    using QueryBase::deleteMany;
    using QueryBase::deleteManySync;
    using QueryBase::updateMany;
    using QueryBase::updateManySync;
    /*! The seed's update_many(filter, data) and delete_many(filter). */
    QFuture<qint64> updateMany(const Condition &condition, const QVariantMap &data) const
    {
        return filter(condition).updateMany(data);
    }
    /*! Blocking updateMany(condition, data); throws SurrealQt::Exception. */
    qint64 updateManySync(const Condition &condition, const QVariantMap &data) const
    {
        return filter(condition).updateManySync(data);
    }
    /*! Deletes the records matching condition (and the query's filter); returns how many. */
    QFuture<qint64> deleteMany(const Condition &condition) const { return filter(condition).deleteMany(); }
    /*! Blocking deleteMany(condition); throws SurrealQt::Exception. */
    qint64 deleteManySync(const Condition &condition) const { return filter(condition).deleteManySync(); }

private:
    Query(const QueryBase &base)
        : QueryBase(base)
    {}
    Query with(const Condition &condition, bool negate) const
    {
        Query q = *this;
        q.addCondition(condition, negate);
        return q;
    }
    static Model *make() { return new T; }
    static QSharedPointer<T> wrap(Model *object) { return QSharedPointer<T>(static_cast<T *>(object)); }
    static QList<QSharedPointer<T>> wrapList(const QList<Model *> &objects)
    {
        QList<QSharedPointer<T>> out;
        out.reserve(objects.size());
        for (Model *o : objects)
            out.append(QSharedPointer<T>(static_cast<T *>(o)));
        return out;
    }
    static QSharedPointer<T> front(const QList<QSharedPointer<T>> &list)
    {
        return list.isEmpty() ? QSharedPointer<T>() : list.first();
    }
};

} // namespace SurrealQt
