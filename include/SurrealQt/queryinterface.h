#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/requestoptions.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QVariant>

namespace SurrealQt {

struct RpcRequest;

/*!
    \class SurrealQt::QueryInterface
    \brief The calls that run inside an interactive transaction: query() and the record calls
    SurrealDB 3 keeps in a transaction (select, create, insert, insertRelation, upsert, merge,
    remove), plus call() by name.

    The common base of Transaction, Channel and Connection: write code once against a
    QueryInterface * and hand it any of the three. What is not here is not valid in a
    transaction: update/patch/relate/run (SurrealDB 3.0 commits them on their own) are on
    RequestInterface; session changes, transactions and channels are on Connection.

    Threading (docs/threading.md, "Where results arrive"): every call may be made from any
    thread; its QFuture finishes on the manager's I/O thread, so attach continuations with a
    context object (future.then(this, ...)). Failures arrive as SurrealQt::Exception in the
    future. The blocking forms are SyncConnection's. Every call takes RequestOptions last.

    Targets are typed: a RecordId names one record, a Table a table. A call on a RecordId gives
    QVariantMap (the record, or an empty map when there is none or permissions refused it); a
    call on a Table gives QVariantList (one map per record), except create(Table), which gives
    the one record it created. The QVariant overloads take targets with no typed form (record
    ranges, lists of ids) and give the server's reply as it came; a string there is a table
    name or, with a ':', record-id text read by RecordId::fromString.
*/
class SURREALQT_EXPORT QueryInterface : public QObject
{
    Q_OBJECT

public:
    ~QueryInterface() override;

    /*! Any RPC method by name, with its parameters as the server expects them; the reply as
        it came. The escape hatch: a Transaction still refuses the methods that would escape
        it, a Channel the ones that change the session. */
    QFuture<QVariant> call(const QString &method, const QVariantList &params = {},
                           const RequestOptions &options = {});

    /*! Runs SurrealQL. Values reach it only through \a vars: reference them as $name. The
        result holds one entry per statement; a failed statement is an entry, not a failure of
        the future (see QueryResult). */
    QFuture<QueryResult> query(const QString &surrealql, const QVariantMap &vars = {},
                               const RequestOptions &options = {});

    /*! The record, or an empty map when there is none. */
    QFuture<QVariantMap> select(const RecordId &id, const RequestOptions &options = {});
    /*! Every record of the table. */
    QFuture<QVariantList> select(const Table &table, const RequestOptions &options = {});
    /*! Creates the record with \a data as its content; gives the record. */
    QFuture<QVariantMap> create(const RecordId &id, const QVariantMap &data = {},
                                const RequestOptions &options = {});
    /*! Creates one record with a generated id; gives the record. */
    QFuture<QVariantMap> create(const Table &table, const QVariantMap &data = {},
                                const RequestOptions &options = {});
    /*! Inserts one record (its "id" field, if any, names it); gives the record. */
    QFuture<QVariantMap> insert(const Table &table, const QVariantMap &record,
                                const RequestOptions &options = {});
    /*! Inserts the records (maps); gives them as stored. */
    QFuture<QVariantList> insert(const Table &table, const QVariantList &records,
                                 const RequestOptions &options = {});
    /*! \a data becomes the whole content of the record, created when absent: fields not in
        \a data are removed. No default for \a data, so a call cannot empty records by leaving
        it out; use merge() to change some fields. */
    QFuture<QVariantMap> upsert(const RecordId &id, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! upsert() of every record of the table. */
    QFuture<QVariantList> upsert(const Table &table, const QVariantMap &data,
                                 const RequestOptions &options = {});
    /*! Sets the fields in \a data, keeping the others; gives the record after the merge. */
    QFuture<QVariantMap> merge(const RecordId &id, const QVariantMap &data,
                               const RequestOptions &options = {});
    /*! merge() into every record of the table. */
    QFuture<QVariantList> merge(const Table &table, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! Inserts one edge (a map with "in" and "out" record ids) into the edge table; gives it as stored. */
    QFuture<QVariantMap> insertRelation(const Table &table, const QVariantMap &edge,
                                        const RequestOptions &options = {});
    /*! Inserts the edges (maps with "in" and "out") into the edge table; gives them as stored. */
    QFuture<QVariantList> insertRelation(const Table &table, const QVariantList &edges,
                                         const RequestOptions &options = {});
    /*! Deletes the record; gives what was deleted. */
    QFuture<QVariantMap> remove(const RecordId &id, const RequestOptions &options = {});
    /*! Deletes every record of the table; gives what was deleted. */
    QFuture<QVariantList> remove(const Table &table, const RequestOptions &options = {});

    /*! Untyped select: \a what is a RecordId, Table, record range, list of ids or text. */
    QFuture<QVariant> select(const QVariant &what, const RequestOptions &options = {});
    /*! Untyped create; \a data absent means no content. */
    QFuture<QVariant> create(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! Untyped insert into a table (never a record id): \a data is a map or a list of maps. */
    QFuture<QVariant> insert(const QVariant &table, const QVariant &data, const RequestOptions &options = {});
    /*! Untyped insertRelation: \a table a Table or its name, \a data one edge or a list. */
    QFuture<QVariant> insertRelation(const QVariant &table, const QVariant &data,
                                     const RequestOptions &options = {});
    /*! Untyped upsert; \a data absent means no content. */
    QFuture<QVariant> upsert(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! Untyped merge. */
    QFuture<QVariant> merge(const QVariant &what, const QVariant &data, const RequestOptions &options = {});
    /*! Untyped delete. */
    QFuture<QVariant> remove(const QVariant &what, const RequestOptions &options = {});

    /*! True when requests go over a WebSocket (live queries and transactions need one). */
    [[nodiscard]] virtual bool isWebSocket() const = 0;

protected:
    /*! For the library's subclasses only. */
    explicit QueryInterface(QObject *parent = nullptr);

    /*! Sends one request; the implementation picks the socket (or the queue). */
    virtual QFuture<QVariant> execute(const RpcRequest &request) = 0;

    /*! Sends a request whose reply \a map turns into a T on the I/O thread; cancel() on the
        returned future reaches the request. Defined in the library only. */
    template<typename T, typename Map>
    QFuture<T> mapped(const QString &method, const QVariantList &params, const RequestOptions &options,
                      Map map);
};

} // namespace SurrealQt
