#pragma once

#include <SurrealQt/liveoptions.h>
#include <SurrealQt/queryinterface.h>

namespace SurrealQt {

class LiveQuery;
class RpcClient;

/*!
    \class SurrealQt::RequestInterface
    \brief Every data call: QueryInterface plus update, patch, relate, run and live queries.
    What a Channel offers; Connection adds the session, transactions and channels.

    Same threading, result shapes and target rules as QueryInterface (docs/threading.md,
    "Where results arrive").
*/
class SURREALQT_EXPORT RequestInterface : public SurrealQt::QueryInterface
{
    Q_OBJECT

public:
    ~RequestInterface() override;

    /*! \a data becomes the whole content of the record: fields not in it are removed, and an
        empty map leaves only the id. No default, so a call cannot empty records by leaving it
        out; use merge() to change some fields. Gives the record (empty map: none). */
    QFuture<QVariantMap> update(const RecordId &id, const QVariantMap &data,
                                const RequestOptions &options = {});
    /*! update() of every record of the table. */
    QFuture<QVariantList> update(const Table &table, const QVariantMap &data,
                                 const RequestOptions &options = {});
    /*! JSON Patch operations; gives the record after the patch. */
    QFuture<QVariantMap> patch(const RecordId &id, const QVariantList &operations,
                               const RequestOptions &options = {});
    /*! JSON Patch of every record of the table. */
    QFuture<QVariantList> patch(const Table &table, const QVariantList &operations,
                                const RequestOptions &options = {});
    /*! One edge \a from -> \a edge -> \a to; gives the edge record. */
    QFuture<QVariantMap> relate(const RecordId &from, const Table &edge, const RecordId &to,
                                const QVariantMap &data = {}, const RequestOptions &options = {});

    /*! Untyped update; \a data absent means no content. */
    QFuture<QVariant> update(const QVariant &what, const QVariant &data = {},
                             const RequestOptions &options = {});
    /*! What an untyped patch() gives: the record after the patch, or the JSON Patch diff. */
    enum class PatchResult { Record, Diff };
    /*! Untyped patch. */
    QFuture<QVariant> patch(const QVariant &what, const QVariantList &operations,
                            PatchResult result = PatchResult::Record, const RequestOptions &options = {});
    /*! Untyped relate: \a from and \a to may be lists or ranges, the reply as it came. */
    QFuture<QVariant> relate(const QVariant &from, const QVariant &edge, const QVariant &to,
                             const QVariant &data = {}, const RequestOptions &options = {});
    /*! Runs a function (fn::name or a built-in) with \a args; \a version for ML models. */
    QFuture<QVariant> run(const QString &function, const QVariantList &args = {}, const QString &version = {},
                          const RequestOptions &options = {});

    /*! A live query on \a table (WebSocket only). The object starts listening at once, lives in
        the calling thread, is owned by \a parent, and is re-registered after a reconnect;
        destroying it kills the query on the server. */
    LiveQuery *live(const Table &table, QObject *parent = nullptr);
    /*! live() with options (diff mode, ...). */
    LiveQuery *live(const Table &table, const LiveOptions &options, QObject *parent = nullptr);
    /*! A LIVE SELECT statement with bind variables; see live(). */
    LiveQuery *liveQuery(const QString &surrealql, const QVariantMap &vars = {}, QObject *parent = nullptr);

protected:
    /*! For the library's subclasses only. */
    explicit RequestInterface(QObject *parent = nullptr);

    /*! The client a live query or a transaction stays on. */
    virtual RpcClient *pinClient() = 0;
    /*! Creates the live query object; a Channel orders its registration among its calls. */
    virtual LiveQuery *startLive(const QString &method, const QVariantList &params, bool viaQuery,
                                 QObject *parent);
    /*! For subclasses: LiveQuery's constructor is reachable only through here. */
    static LiveQuery *newLiveQuery(RpcClient *client, const QString &method, const QVariantList &params,
                                   bool viaQuery, QObject *parent, const QFuture<void> &registerAfter);

    friend class LiveQuery;
};

} // namespace SurrealQt
