#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/livenotification.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <atomic>
#include <memory>

namespace SurrealQt {

class LiveSubscription;
class RpcClient;

/*! A live query seen from the caller's thread. Notifications arrive as signals in the
    thread this object lives in. After a reconnect the query is registered again and its
    server id changes (restarted(), then resyncRequired()); if that fails the query ends with a
    Killed notification and errorOccurred(). */
class SURREALQT_EXPORT LiveQuery : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QUuid queryId READ queryId NOTIFY stateChanged)

public:
    /*! Starting until the server confirms the query, Active while notifications flow, Finished
        after kill() or a server KILL, Failed after an error (lastError()). */
    enum class State { Starting, Active, Finished, Failed };
    Q_ENUM(State)

    ~LiveQuery() override;

    /*! The current state. */
    [[nodiscard]] State state() const { return m_state; }
    /*! The server-side id; null until Active, new after each re-registration. */
    [[nodiscard]] QUuid queryId() const { return m_queryId; }
    /*! The error that made the query Failed; invalid otherwise. */
    [[nodiscard]] Error lastError() const { return m_error; }
    /*! Resolves with the server id once the query is registered. */
    [[nodiscard]] QFuture<QUuid> started() const { return m_started; }

public Q_SLOTS:
    /*! Ends the query on the server; no notification is delivered after this returns. */
    void kill();

Q_SIGNALS:
    /*! The state changed (queryId() may have changed with it). */
    void stateChanged(SurrealQt::LiveQuery::State state);
    /*! Every change, as the server reported it; emitted before created(), updated() or deleted(). */
    void notification(const SurrealQt::LiveNotification &notification);
    /*! A record was created; record is the new record (a JSON Patch list in Diff mode). */
    void created(const QVariant &record);
    /*! A record was updated; record is the record after the change (a JSON Patch list in Diff mode). */
    void updated(const QVariant &record);
    /*! A record was deleted; recordId is its RecordId, before the record as it was. */
    void deleted(const QVariant &recordId, const QVariant &before);
    /*! The server ended the query (KILLED); the state is Finished. */
    void killed();
    /*! The query was registered again after a reconnect, under newQueryId. */
    void restarted(const QUuid &newQueryId);
    /*! Emitted after the query was registered again following a reconnect (right after
        restarted()): changes made while the socket was down were not delivered, so re-read
        what this query watches and reconcile. */
    void resyncRequired();
    /*! The query could not be registered or re-registered; the state is Failed. */
    void errorOccurred(const SurrealQt::Error &error);

private:
    friend class RequestInterface;
    LiveQuery(RpcClient *client, const QString &method, const QVariantList &params, bool viaQuery,
              QObject *parent, const QFuture<void> &registerAfter = {});
    void setState(State state);
    void deliver(const LiveNotification &notification);

    // The client's Internal::PostBox (src/core/postbox_p.h): kill() posts the removal through
    // it, so a client deleted meanwhile on its own thread drops the post instead of receiving it
    // freed. Taken at construction, while the connection that made this object keeps the client.
    std::shared_ptr<void> m_clientBox;
    // Only ever captured into a post through m_clientBox, never dereferenced here.
    RpcClient *m_client = nullptr;
    // Identifies the I/O thread's subscription without touching it: that thread may delete it
    // at any time (a server KILL, a failure), so this thread never dereferences it.
    quint64 m_subscriptionToken = 0;
    QFuture<QUuid> m_started;
    std::shared_ptr<void> m_startedPromise;
    QUuid m_queryId;
    Error m_error;
    State m_state = State::Starting;
    // Set by kill(): notifications already queued to this thread are dropped on arrival.
    bool m_killed = false;
    // Set by kill() while a Channel still holds the registration back (see Connection::channel()).
    std::shared_ptr<std::atomic<bool>> m_gateClosed;
};

} // namespace SurrealQt
