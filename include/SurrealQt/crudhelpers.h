#pragma once

#include <SurrealQt/connection.h>
#include <SurrealQt/error.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariant>

#include <optional>

namespace SurrealQt {

/*! Create, read, update and delete with plain values (QVariantMap records), for code that does
    not use models. Works over any Connection: DatabaseManager::connection(), a ConnectionPool,
    a SingleConnection, a Transaction or a Channel.

    Every call returns a QFuture finished on the connection's I/O thread (continue with a
    context object), and once it completes the object emits one signal on its own thread:
    inserted / updated / upserted / removed / selected / counted / existsChecked, or
    errorOccurred. SyncCrudHelpers offers the same calls blocking.

    Input rules, checked before any request (a violation is a Validation error):
    - A table given as a string is a plain identifier ("person"); "person:1" or "per son" are
      refused. Use Table for names that need quoting. A record id given as a string is parsed
      ("person:tobie", "person:42", "person:⟨a b⟩") and must name one record (no range).
    - Filters are SurrealQL code, written by the program and never taken from a user: a filter
      can do anything a query can (an expression may hold a sub-query that writes). Values,
      including everything a user typed, come only as bind variables:
      deleteMany(u"person"_s, u"age < $max"_s, {{u"max"_s, 18}}). For filters a user composes,
      keep the text fixed and bind the values, or use the ORM's typed lookups
      (Model::objects().filter(Condition(...))), which never put text into the query.
      A ';' is refused as a likely typo; that check is not a protection.
      Variable names starting with "h_" are the helpers' own. updateMany and deleteMany require
      a filter: pass "true" to mean every record.

    What comes back (one shape per call, whatever the server's raw reply):
    - insertOne, updateOne, upsertOne: the record as stored. deleteOne: the record as it was.
      A single-record write the server did not perform fails instead of "succeeding" with
      nothing: NotAllowed when a permission rule refused the write (for updateOne/deleteOne:
      the record is still there to read), NotFound when the record does not exist or a
      permission rule hides it (docs/errors.md, "Writes that did not happen").
    - insertMany, upsertMany: the records as stored, in input order; fewer than given fails
      with NotAllowed. updateMany: the records after the update, deleteMany: the records as they
      were; records the filter matched but a permission rule hid are simply not in the list.
    - selectOne: the record, or std::nullopt when it does not exist (or is not visible).
    - selectMany: the records (possibly none). count: a number. exists: a bool.
    - A table that does not exist is an error (NotFound) for selectMany and count. */
class SURREALQT_EXPORT CrudHelpers : public QObject
{
    Q_OBJECT

public:
    /*! How updateOne and updateMany write data. */
    enum class UpdateMode {
        Replace, //!< the data becomes the whole record (fields not in it are removed)
        Merge,   //!< the data is merged into the record (other fields stay)
    };
    Q_ENUM(UpdateMode)

    /*! Helpers sending through connection (not owned; calls fail with a Connection error once it is gone). */
    explicit CrudHelpers(Connection *connection, QObject *parent = nullptr);
    ~CrudHelpers() override;

    /*! The connection given; null once it was deleted. */
    [[nodiscard]] Connection *connection() const;

    /*! Creates one record in table from data (an "id" in data chooses the key); the record as stored. */
    QFuture<QVariantMap> insertOne(const Table &table, const QVariantMap &data);
    /*! insertOne() into a table name (a plain identifier). */
    QFuture<QVariantMap> insertOne(const QString &table, const QVariantMap &data);
    /*! Creates records (QVariantMap each) in one request; the records as stored, in input order. */
    QFuture<QVariantList> insertMany(const Table &table, const QVariantList &records);
    /*! insertMany() into a table name (a plain identifier). */
    QFuture<QVariantList> insertMany(const QString &table, const QVariantList &records);

    /*! Replaces or merges one record (see UpdateMode); the record as stored, NotFound when it is
        not there, NotAllowed when a permission rule refused the write. */
    QFuture<QVariantMap> updateOne(const RecordId &id, const QVariantMap &data,
                                   UpdateMode mode = UpdateMode::Replace);
    /*! updateOne() of record-id text. */
    QFuture<QVariantMap> updateOne(const QString &recordId, const QVariantMap &data,
                                   UpdateMode mode = UpdateMode::Replace);
    /*! The mode has no default: the seed's update_many replaces, an earlier version of this
        class merged, and a silent choice between the two loses fields. */
    QFuture<QVariantList> updateMany(const Table &table, const QString &filter, const QVariantMap &vars,
                                     const QVariantMap &data, UpdateMode mode);
    /*! updateMany() of a table name (a plain identifier). */
    QFuture<QVariantList> updateMany(const QString &table, const QString &filter, const QVariantMap &vars,
                                     const QVariantMap &data, UpdateMode mode);

    /*! Finds the record whose keyField equals data's value for it, merges data into it, or
        creates it. keyField must be "id" or covered by a UNIQUE index (without one every record
        costs a table scan): otherwise it fails with a Validation error quoting the DEFINE INDEX
        statement, or, with createIndex, defines that index first. The index check is one
        INFO FOR TABLE request per call. */
    QFuture<QVariantMap> upsertOne(const Table &table, const QString &keyField, const QVariantMap &data,
                                   bool createIndex = false);
    /*! upsertOne() into a table name (a plain identifier). */
    QFuture<QVariantMap> upsertOne(const QString &table, const QString &keyField, const QVariantMap &data,
                                   bool createIndex = false);
    /*! Merges data into the record with this id, creating it if missing. */
    QFuture<QVariantMap> upsertOne(const RecordId &id, const QVariantMap &data);
    /*! Like upsertOne for each record, all in one transaction (all stored or none). */
    QFuture<QVariantList> upsertMany(const Table &table, const QVariantList &records, const QString &keyField,
                                     bool createIndex = false);
    /*! upsertMany() into a table name (a plain identifier). */
    QFuture<QVariantList> upsertMany(const QString &table, const QVariantList &records,
                                     const QString &keyField, bool createIndex = false);

    /*! Deletes one record; the future carries it as it was (NotFound when it is not there, NotAllowed when a
     * permission rule refused). */
    QFuture<QVariantMap> deleteOne(const RecordId &id);
    /*! deleteOne() of record-id text ("person:tobie"). */
    QFuture<QVariantMap> deleteOne(const QString &recordId);
    /*! Deletes every record of table matching filter (required: "true" for all); the records as they were. */
    QFuture<QVariantList> deleteMany(const Table &table, const QString &filter, const QVariantMap &vars = {});
    /*! deleteMany() of a table name (a plain identifier). */
    QFuture<QVariantList> deleteMany(const QString &table, const QString &filter,
                                     const QVariantMap &vars = {});

    /*! The record, or std::nullopt when it does not exist or is not visible. */
    QFuture<std::optional<QVariantMap>> selectOne(const RecordId &id);
    /*! selectOne() of record-id text. */
    QFuture<std::optional<QVariantMap>> selectOne(const QString &recordId);
    /*! limit < 0: no limit. offset skips rows (START): fine for small offsets; to walk a whole
        table use PageCursor, whose pages cost the same at any position. */
    QFuture<QVariantList> selectMany(const Table &table, const QString &filter = {},
                                     const QVariantMap &vars = {}, int limit = -1, int offset = 0,
                                     const QString &orderBy = {}, Qt::SortOrder order = Qt::AscendingOrder);
    /*! selectMany() of a table name (a plain identifier). */
    QFuture<QVariantList> selectMany(const QString &table, const QString &filter = {},
                                     const QVariantMap &vars = {}, int limit = -1, int offset = 0,
                                     const QString &orderBy = {}, Qt::SortOrder order = Qt::AscendingOrder);

    /*! The number of records of table matching filter (all of them for an empty filter). */
    QFuture<qint64> count(const Table &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! count() of a table name (a plain identifier). */
    QFuture<qint64> count(const QString &table, const QString &filter = {}, const QVariantMap &vars = {});
    /*! True when the record exists and is visible. */
    QFuture<bool> exists(const RecordId &id);
    /*! exists() of record-id text. */
    QFuture<bool> exists(const QString &recordId);

Q_SIGNALS:
    /*! An insert finished: the records as stored. */
    void inserted(const QVariantList &records);
    /*! An update finished: the records after it. */
    void updated(const QVariantList &records);
    /*! An upsert finished: the records as stored. */
    void upserted(const QVariantList &records);
    /*! A delete finished: the records as they were. */
    void removed(const QVariantList &records);
    /*! selectOne emits an empty list when the record does not exist. */
    void selected(const QVariantList &records);
    /*! count() finished. */
    void counted(qint64 count);
    /*! exists() finished. */
    void existsChecked(const SurrealQt::RecordId &id, bool exists);
    /*! A call failed; its future fails with the same error. */
    void errorOccurred(const SurrealQt::Error &error);

private:
    template<typename T, typename Emit>
    QFuture<T> track(QFuture<T> future, Emit emitResult);

    QPointer<Connection> m_connection;
};

} // namespace SurrealQt
