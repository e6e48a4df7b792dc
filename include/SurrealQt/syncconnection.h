#pragma once

#include <SurrealQt/connection.h>

#include <QtCore/QPointer>

#include <type_traits>

namespace SurrealQt {

/*!
    \class SurrealQt::SyncConnection
    \brief The blocking form of Connection's calls, for worker threads and console tools (the
    Python seed's synchronous connection), as SyncCrudHelpers is for CrudHelpers.

    Each call sends the request through the Connection and blocks the calling thread until the
    answer; the calling thread needs no event loop. It refuses to run on the connection's I/O
    thread (it would wait for itself: a Validation error), and blocking the GUI thread with it
    freezes the GUI (docs/threading.md, "Synchronous calls").

    Errors, in one of two forms chosen at construction (ErrorMode):
    - Throw (the default, as the other Sync adaptors): a failed call throws SurrealQt::Exception.
    - Report (for code built without exceptions, as QtSql's QSqlQuery::lastError()): a failed
      call throws nothing and returns an empty value (empty map or list, invalid QVariant, empty
      string, false); lastError() says why.
    In both forms lastError() is the failure of the last call, or an invalid Error after a call
    that succeeded. A statement that fails inside query() is not a failed call: it is in the
    QueryResult, as with Connection::query().

    A SyncConnection is a small value that does not own the connection; use one per thread
    (lastError() is per object). Once the connection is destroyed, calls fail with Cancelled.
*/
class SURREALQT_EXPORT SyncConnection
{
public:
    /*! How a failed call reports its error. */
    enum class ErrorMode {
        Throw, ///< throws SurrealQt::Exception (and sets lastError())
        Report ///< returns an empty value; lastError() says why
    };

    /*! Blocking calls on \a connection (not owned). */
    explicit SyncConnection(Connection *connection, ErrorMode mode = ErrorMode::Throw);

    /*! The wrapped connection, or nullptr once it was destroyed. */
    [[nodiscard]] Connection *connection() const;
    /*! How failures are reported. */
    [[nodiscard]] ErrorMode errorMode() const { return m_mode; }
    /*! The failure of the last call; an invalid Error when it succeeded. */
    [[nodiscard]] Error lastError() const { return m_lastError; }

    /*! Connection::call(). */
    QVariant call(const QString &method, const QVariantList &params = {}, const RequestOptions &options = {});
    /*! Connection::query(). */
    QueryResult query(const QString &surrealql, const QVariantMap &vars = {},
                      const RequestOptions &options = {});

    /*! Connection::select(const RecordId &). */
    QVariantMap select(const RecordId &id, const RequestOptions &options = {});
    /*! Connection::select(const Table &). */
    QVariantList select(const Table &table, const RequestOptions &options = {});
    /*! Connection::create(const RecordId &, ...). */
    QVariantMap create(const RecordId &id, const QVariantMap &data = {}, const RequestOptions &options = {});
    /*! Connection::create(const Table &, ...): one record with a generated id. */
    QVariantMap create(const Table &table, const QVariantMap &data = {}, const RequestOptions &options = {});
    /*! Connection::insert() of one record. */
    QVariantMap insert(const Table &table, const QVariantMap &record, const RequestOptions &options = {});
    /*! Connection::insert() of several records. */
    QVariantList insert(const Table &table, const QVariantList &records, const RequestOptions &options = {});
    /*! Connection::insertRelation() of one edge. */
    QVariantMap insertRelation(const Table &table, const QVariantMap &edge,
                               const RequestOptions &options = {});
    /*! Connection::insertRelation() of several edges. */
    QVariantList insertRelation(const Table &table, const QVariantList &edges,
                                const RequestOptions &options = {});
    /*! Connection::update(const RecordId &, ...): \a data becomes the whole content. */
    QVariantMap update(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::update(const Table &, ...). */
    QVariantList update(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::upsert(const RecordId &, ...). */
    QVariantMap upsert(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::upsert(const Table &, ...). */
    QVariantList upsert(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::merge(const RecordId &, ...). */
    QVariantMap merge(const RecordId &id, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::merge(const Table &, ...). */
    QVariantList merge(const Table &table, const QVariantMap &data, const RequestOptions &options = {});
    /*! Connection::patch(const RecordId &, ...). */
    QVariantMap patch(const RecordId &id, const QVariantList &operations, const RequestOptions &options = {});
    /*! Connection::patch(const Table &, ...). */
    QVariantList patch(const Table &table, const QVariantList &operations,
                       const RequestOptions &options = {});
    /*! Connection::remove(const RecordId &). */
    QVariantMap remove(const RecordId &id, const RequestOptions &options = {});
    /*! Connection::remove(const Table &). */
    QVariantList remove(const Table &table, const RequestOptions &options = {});
    /*! Connection::relate(const RecordId &, const Table &, const RecordId &, ...). */
    QVariantMap relate(const RecordId &from, const Table &edge, const RecordId &to,
                       const QVariantMap &data = {}, const RequestOptions &options = {});

    /*! Untyped Connection::select(const QVariant &): the reply as it came. */
    QVariant select(const QVariant &what, const RequestOptions &options = {});
    /*! Untyped Connection::create(). */
    QVariant create(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Untyped Connection::insert(). */
    QVariant insert(const QVariant &table, const QVariant &data, const RequestOptions &options = {});
    /*! Untyped Connection::insertRelation(). */
    QVariant insertRelation(const QVariant &table, const QVariant &data, const RequestOptions &options = {});
    /*! Untyped Connection::update(). */
    QVariant update(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Untyped Connection::upsert(). */
    QVariant upsert(const QVariant &what, const QVariant &data = {}, const RequestOptions &options = {});
    /*! Untyped Connection::merge(). */
    QVariant merge(const QVariant &what, const QVariant &data, const RequestOptions &options = {});
    /*! Untyped Connection::patch(). */
    QVariant patch(const QVariant &what, const QVariantList &operations,
                   Connection::PatchResult result = Connection::PatchResult::Record,
                   const RequestOptions &options = {});
    /*! Untyped Connection::remove(). */
    QVariant remove(const QVariant &what, const RequestOptions &options = {});
    /*! Untyped Connection::relate(). */
    QVariant relate(const QVariant &from, const QVariant &edge, const QVariant &to, const QVariant &data = {},
                    const RequestOptions &options = {});
    /*! Connection::run(). */
    QVariant run(const QString &function, const QVariantList &args = {}, const QString &version = {},
                 const RequestOptions &options = {});

    /*! Connection::use(); true on success. */
    bool use(const QString &ns, const QString &db, const RequestOptions &options = {});
    /*! Connection::let(); true on success. */
    bool let(const QString &name, const QVariant &value, const RequestOptions &options = {});
    /*! Connection::unset(); true on success. */
    bool unset(const QString &name, const RequestOptions &options = {});
    /*! Connection::signin(): the access token (empty on failure in Report mode). */
    QString signin(const Credentials &credentials, const RequestOptions &options = {});
    /*! Connection::signup(): the access token (empty on failure in Report mode). */
    QString signup(const Credentials &credentials, const RequestOptions &options = {});
    /*! Connection::authenticate(); true on success. */
    bool authenticate(const QString &token, const RequestOptions &options = {});
    /*! Connection::invalidate(); true on success. */
    bool invalidate(const RequestOptions &options = {});
    /*! Connection::info(). */
    QVariant info(const RequestOptions &options = {});
    /*! Connection::version(). */
    QString version(const RequestOptions &options = {});
    /*! Connection::ping(); true on success. */
    bool ping(const RequestOptions &options = {});
    /*! Connection::sessions(). */
    QList<QUuid> sessions(const RequestOptions &options = {});
    /*! Connection::exportDatabase(). */
    QString exportDatabase(const RequestOptions &options = {});
    /*! Connection::importDatabase(); true on success. */
    bool importDatabase(const QString &surrealql, const RequestOptions &options = {});

private:
    template<typename T, typename MakeFuture>
    auto wait(const char *call, MakeFuture makeFuture) -> std::conditional_t<std::is_void_v<T>, bool, T>;

    QPointer<Connection> m_connection;
    ErrorMode m_mode;
    Error m_lastError;
};

} // namespace SurrealQt
