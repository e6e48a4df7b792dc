#pragma once

#include <SurrealQt/fetchresult.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/query.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QFuture>
#include <QtCore/QPointer>
#include <QtCore/QSharedPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class Connection;
class DatabaseManager;
class RecordCache;

/*! Record links and graph edges between models (see docs/models/relations.md):
     - relate(from, "wrote", to, data): a graph edge record, RELATE $from->wrote->$to;
     - traverse<Post>(from, "->wrote->post"): the models at the end of a graph path, one query;
     - load<User>(post, "author"): the record a link field points to, fetched when asked for
       (through a RecordCache when one is set);
     - loadAll<Tag>(post, "tags"): the records a list-of-links field points to, one request;
     - fetch(query, {"author", "tags"}): a query's objects plus their linked records (single links
       and lists of links) in the same reply (SurrealQL FETCH), so showing a list with its
       authors costs one round trip.

    Values reach the server only as bind variables; edge and table names are checked (letters,
    digits, '_') and link fields must be fields of the model, else the call fails with a
    Validation error before anything is sent. Async calls return QFutures that fail with
    SurrealQt::Exception; the ...Sync twins throw it. Objects come back as QSharedPointer, in the
    calling thread, without a parent; they are persisted (isNew() is false).

    A cheap value: copy it freely. Not bound to a thread, but use a RecordCache only on its own. */
class SURREALQT_EXPORT Relations
{
public:
    /*! connection null: Model::defaultConnection() at the time of each call. */
    explicit Relations(Connection *connection = nullptr);
    /*! Uses manager's connection(). */
    explicit Relations(DatabaseManager *manager);

    /*! The connection given, or null for Model::defaultConnection(). */
    [[nodiscard]] Connection *connection() const;
    /*! load() reads through cache when set (and the cache's table is watched). Not owned. */
    void setCache(RecordCache *cache);
    /*! The cache set with setCache(), or null. */
    [[nodiscard]] RecordCache *cache() const;

    /*! Creates the edge record from -> edge -> to, with data as its fields; returns it (with id,
        in and out). Both ends must be stored records. */
    QFuture<QVariantMap> relate(const RecordId &from, const QString &edge, const RecordId &to,
                                const QVariantMap &data = {}) const;
    /*! relate() between two stored models. */
    QFuture<QVariantMap> relate(const Model &from, const QString &edge, const Model &to,
                                const QVariantMap &data = {}) const;
    /*! Blocking relate(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    QVariantMap relateSync(const RecordId &from, const QString &edge, const RecordId &to,
                           const QVariantMap &data = {}) const;
    /*! Blocking relate() between two stored models. */
    QVariantMap relateSync(const Model &from, const QString &edge, const Model &to,
                           const QVariantMap &data = {}) const;

    /*! Removes every edge of that name from -> to; returns how many there were. */
    QFuture<qint64> unrelate(const RecordId &from, const QString &edge, const RecordId &to) const;
    /*! Blocking unrelate(); throws SurrealQt::Exception. */
    qint64 unrelateSync(const RecordId &from, const QString &edge, const RecordId &to) const;

    /*! The records at the end of path, starting at from, as T objects. path is a sequence of
        steps "->edge" or "<-edge" (or "<->edge") whose last step names T's table:
        "->wrote->post" (posts a user wrote), "<-wrote<-user" (authors of a post). */
    template<typename T>
    QFuture<QList<QSharedPointer<T>>> traverse(const RecordId &from, const QString &path) const
    {
        return traverseObjects(ModelInfo::of<T>(), from, path).then(&wrapList<T>);
    }
    /*! Blocking traverse(); throws SurrealQt::Exception. */
    template<typename T>
    QList<QSharedPointer<T>> traverseSync(const RecordId &from, const QString &path) const
    {
        return wrapList<T>(traverseObjectsSync(ModelInfo::of<T>(), from, path));
    }

    /*! The record model's link field points to, as a T; null when the link is empty or its
        target does not exist (or may not be read). */
    template<typename T>
    QFuture<QSharedPointer<T>> load(const Model &model, const QString &linkField) const
    {
        return loadObject(ModelInfo::of<T>(), model, linkField).then(&wrap<T>);
    }
    /*! Blocking load(); throws SurrealQt::Exception. */
    template<typename T>
    QSharedPointer<T> loadSync(const Model &model, const QString &linkField) const
    {
        return wrap<T>(loadObjectSync(ModelInfo::of<T>(), model, linkField));
    }

    /*! The records a list-of-links field (QList<RecordId>, link=T) points to, as T objects, in
        the list's order, in one request; links whose target is gone (or may not be read) are
        left out. Always read from the server: the RecordCache is not consulted. */
    template<typename T>
    QFuture<QList<QSharedPointer<T>>> loadAll(const Model &model, const QString &linkListField) const
    {
        return loadAllObjects(ModelInfo::of<T>(), model, linkListField).then(&wrapList<T>);
    }
    /*! Blocking loadAll(); throws SurrealQt::Exception. */
    template<typename T>
    QList<QSharedPointer<T>> loadAllSync(const Model &model, const QString &linkListField) const
    {
        return wrapList<T>(loadAllObjectsSync(ModelInfo::of<T>(), model, linkListField));
    }

    /*! query's objects and, in the same reply, the records their linkFields point to: record
        links and lists of links (FETCH replaces each link of a list, too). */
    template<typename T>
    QFuture<FetchResult<T>> fetch(const Query<T> &query, const QStringList &linkFields) const
    {
        return fetchObjects(query, linkFields).then([](const RawFetch &raw) { return typed<T>(raw); });
    }
    /*! Blocking fetch(); throws SurrealQt::Exception. */
    template<typename T>
    FetchResult<T> fetchSync(const Query<T> &query, const QStringList &linkFields) const
    {
        return typed<T>(fetchObjectsSync(query, linkFields));
    }

    /*! A linked record (e.g. from FetchResult::linked) as a persisted T; null for an empty map. */
    template<typename T>
    static QSharedPointer<T> object(const QVariantMap &record)
    {
        return wrap<T>(objectFromRecord(ModelInfo::of<T>(), record));
    }

    /*! Checks a graph path as traverse() does; an invalid Error when it is fine. */
    [[nodiscard]] static Error validatePath(const QString &path);
    /*! Checks an edge (table) name as relate() does; an invalid Error when it is fine. */
    [[nodiscard]] static Error validateEdge(const QString &edge);

private:
    struct RawFetch
    {
        QList<Model *> items;
        QHash<RecordId, QVariantMap> linked;
    };

    QFuture<QList<Model *>> traverseObjects(const ModelInfo &info, const RecordId &from,
                                            const QString &path) const;
    QList<Model *> traverseObjectsSync(const ModelInfo &info, const RecordId &from,
                                       const QString &path) const;
    QFuture<Model *> loadObject(const ModelInfo &info, const Model &model, const QString &linkField) const;
    Model *loadObjectSync(const ModelInfo &info, const Model &model, const QString &linkField) const;
    QFuture<QList<Model *>> loadAllObjects(const ModelInfo &info, const Model &model,
                                           const QString &linkListField) const;
    QList<Model *> loadAllObjectsSync(const ModelInfo &info, const Model &model,
                                      const QString &linkListField) const;
    QFuture<RawFetch> fetchObjects(const QueryBase &query, const QStringList &linkFields) const;
    RawFetch fetchObjectsSync(const QueryBase &query, const QStringList &linkFields) const;
    static Model *objectFromRecord(const ModelInfo &info, const QVariantMap &record);

    template<typename T>
    static QSharedPointer<T> wrap(Model *object)
    {
        return QSharedPointer<T>(static_cast<T *>(object));
    }
    template<typename T>
    static QList<QSharedPointer<T>> wrapList(const QList<Model *> &objects)
    {
        QList<QSharedPointer<T>> out;
        out.reserve(objects.size());
        for (Model *o : objects)
            out.append(QSharedPointer<T>(static_cast<T *>(o)));
        return out;
    }
    template<typename T>
    static FetchResult<T> typed(const RawFetch &raw)
    {
        return FetchResult<T>{wrapList<T>(raw.items), raw.linked};
    }

    QPointer<Connection> m_connection;
    QPointer<RecordCache> m_cache;
};

} // namespace SurrealQt
