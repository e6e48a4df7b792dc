#pragma once

// Not public API. One logical SurrealDB connection living on the manager's I/O thread:
// request ids, the ordering barrier for state-changing calls, timeouts, the session state
// that is replayed after a reconnect, and live-query routing. Subclasses move bytes.
// Implemented in parts: rpcclient.cpp (request pipeline), rpcclient_session.cpp (session
// replay, token renewal), rpcclient_reconnect.cpp (handshake, reconnects), rpcclient_live.cpp
// (live routing); httpdatatransfer.cpp holds the plain HTTP endpoints.

#include <SurrealQt/credentials.h>
#include <SurrealQt/error.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/requestoptions.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QQueue>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#endif

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

namespace SurrealQt {

struct RpcRequest
{
    QString method;
    QVariantList params;
    RequestOptions options;
    // Set on the one resend after an expired token was renewed, so it is never resent twice.
    bool afterReauthentication = false;
    // How often it was sent again after a dropped connection.
    int resendCount = 0;
    // Set by submit() on the caller's thread: the timeout counts from the call, so time spent
    // waiting in the queue (say, for a reconnect) is part of it. Internal requests leave it
    // unset and get the connection's request timeout from when they are sent.
    bool hasDeadline = false;
    QDeadlineTimer deadline{QDeadlineTimer::Forever};
    int timeoutMs = 0;
    // The future the caller holds when it is not the reply's own: query() and the typed calls
    // turn the reply into a promise of another type, and cancel() on that one must still drop the
    // request while it waits unsent. Honoured only where the reply's own future would be.
    // Optional rather than a default QFuture, which allocates a whole future state (Qt's
    // "cancelled" result, with its mutex and wait conditions) for every request.
    std::optional<QFuture<void>> callerFuture{};
    [[nodiscard]] bool isCancelRequested() const { return callerFuture && callerFuture->isCanceled(); }
};

// Completes exactly once: with a value, an error, or (if dropped unanswered) Cancelled.
class RpcReply
{
public:
    using Callback = std::function<void(const QVariant &, const Error &)>;
    explicit RpcReply(Callback callback)
        : m_callback(std::move(callback))
    {}
    ~RpcReply();
    RpcReply(const RpcReply &) = delete;
    RpcReply &operator=(const RpcReply &) = delete;

    void succeed(const QVariant &value);
    void fail(const Error &error);
    [[nodiscard]] bool isDone() const { return m_done; }
    // The future the caller holds, when there is one: QFuture::cancel() on it cancels the request.
    // Type-erased: it may be the reply's own QFuture<QVariant> or the caller's mapped future
    // (RpcRequest::callerFuture). Optional for the reason given there.
    [[nodiscard]] bool hasFuture() const { return m_future.has_value(); }
    [[nodiscard]] bool isCancelRequested() const { return m_future && m_future->isCanceled(); }
    void setFuture(const QFuture<void> &future) { m_future = future; }
    // The future cancel() should be watched on for request: the caller's, if it holds another one.
    void setFutureFor(const RpcRequest &request, const RpcReply &source)
    {
        if (source.m_future)
            m_future = request.callerFuture ? *request.callerFuture : *source.m_future;
    }
    // Set by RpcClient::submit(): the client's count of unanswered requests, decremented when
    // this completes (shared: the reply may outlive the client), and the method that names the
    // request in an error made far from it (a reply dropped unanswered). Carried by the reply
    // itself: a wrapping reply per request cost two allocations.
    void track(std::shared_ptr<std::atomic<int>> load, const QString &method)
    {
        if (m_load)
            return;
        m_load = std::move(load);
        m_load->fetch_add(1, std::memory_order_relaxed);
        m_method = method;
    }

    static std::shared_ptr<RpcReply> forPromise(QFuture<QVariant> *future);

private:
    void untrack()
    {
        if (m_load)
            std::exchange(m_load, nullptr)->fetch_sub(1, std::memory_order_relaxed);
    }

    Callback m_callback;
    std::optional<QFuture<void>> m_future;
    std::shared_ptr<std::atomic<int>> m_load;
    QString m_method;
    bool m_done = false;
};
using RpcReplyPtr = std::shared_ptr<RpcReply>;

struct ClientConfig
{
    QList<QUrl> urls;
    int firstUrl = 0;
    QString ns;
    QString db;
    Credentials credentials;
    int requestTimeoutMs = 30000;
    int connectTimeoutMs = 10000;
    // Connection attempts before the first successful handshake; open() fails after them.
    int maxRetries = 5;
    // Attempts after a connection that was up is lost; -1 = never give up. The backoff below is
    // capped, so a server that comes back after an outage of any length is found within
    // backoffMaxMs.
    int maxReconnectAttempts = -1;
    int keepAliveMs = 30000;
    int backoffBaseMs = 100;
    int backoffMaxMs = 5000;
#if QT_CONFIG(ssl)
    // ConnectionOptions::sslConfiguration / ignoredSslErrors, for every TLS connection of the client.
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    QList<QSslError> ignoredSslErrors;
#endif
    // Set when the manager's settings cannot work (e.g. an invalid URL): every request fails with it.
    Error invalid;
};

// What a SurrealDB session is, seen from the client: enough to rebuild it on a new socket.
struct SessionState
{
    QString ns;
    QString db;
    QVariantMap vars;
    Credentials credentials;
    QString token;
    QString refreshToken;
};

class LiveSubscription;
class HttpDataTransfer;

class RpcClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    ~RpcClient() override;

    // Thread-safe: may be called from any thread.
    void submit(const RpcRequest &request, const RpcReplyPtr &reply);
    QFuture<QVariant> submit(const RpcRequest &request);
    [[nodiscard]] int load() const { return m_load->load(std::memory_order_relaxed); }
    [[nodiscard]] State state() const { return m_stateAtomic.load(); }
    [[nodiscard]] virtual bool isWebSocket() const = 0;
    [[nodiscard]] QUrl currentUrl() const;
    // "surrealdb-3.0.2", known after the first connect.
    [[nodiscard]] QString serverVersion() const { return m_serverVersion; }
    static constexpr int MinimumServerMajor = 2;

    // I/O thread only.
    void open();
    void close(const Error &reason);
    // Takes ownership of a subscription that was moved to this thread.
    void addLive(LiveSubscription *subscription);
    // By the subscription's token, never its pointer: the caller's thread cannot know whether
    // this thread deleted it meanwhile.
    void removeLive(quint64 token);

    // Methods whose effect on the session must be complete before anything else is sent.
    [[nodiscard]] static bool isStateChanging(const QString &method);
    // A request the library sends again when the engine refuses it with a transaction conflict.
    [[nodiscard]] static bool isResentOnConflict(const RpcRequest &request);
    [[nodiscard]] static bool isAuthMethod(const QString &method);

Q_SIGNALS:
    void stateChanged(SurrealQt::RpcClient::State state);
    void errorOccurred(const SurrealQt::Error &error);
    void authenticated();
    // The first successful connect plus handshake; also after each reconnect.
    void ready();
    void tokenChanged(const QString &token);

protected:
    explicit RpcClient(const ClientConfig &config, QObject *parent = nullptr);

    // Transport hooks.
    virtual void connectTransport(const QUrl &url) = 0;
    virtual void disconnectTransport() = 0;
    virtual void transmit(qint64 id, const RpcRequest &request) = 0;
    // Hands what transmit() buffered to the kernel now. Called by pump() after it sent, or once
    // after a batch (the requests of one acceptIncoming()).
    virtual void flushTransport() {}
    // True while a batch of requests is being sent: transmit() may leave the flush to its end.
    [[nodiscard]] bool isSendingBatch() const { return m_sendingBatch; }
    // Requests sent and not answered yet.
    [[nodiscard]] bool hasInflight() const { return !m_inflight.isEmpty(); }
    // Methods the transport answers itself (HTTP keeps use/let client-side); true if handled.
    virtual bool handleLocally(const RpcRequest &request, const RpcReplyPtr &reply);
    // How many requests may wait for replies at once; the rest stay in our queue.
    [[nodiscard]] virtual qsizetype maxInflight() const { return std::numeric_limits<qsizetype>::max(); }

    // Called by subclasses.
    void transportConnected();
    void transportLost(const Error &error);
    void handleReply(qint64 id, const QVariant &result, const Error &error);
    // The transport could not send request id (its socket is gone): the request goes back to
    // the front of the queue and waits for the reconnect like any other.
    void unsent(qint64 id);
    void handleNotification(const QVariantMap &notification);
    void protocolError(const Error &error);
    // Records the version, or says why this server cannot be used.
    [[nodiscard]] Error acceptServerVersion(const QString &version);
    // Stops reconnecting and fails everything waiting: the server can never serve us.
    void setFatal(const Error &error);
    [[nodiscard]] static bool needsVersion3(const QString &method);

    [[nodiscard]] QByteArray encodeRequest(qint64 id, const RpcRequest &request, Error *error) const;

    // Plain HTTP endpoints (/export, /import) with this session's headers.
    QNetworkAccessManager *network();
    [[nodiscard]] QNetworkRequest httpRequest(const QString &path, bool withAuth = true) const;
    // Maps a finished reply's HTTP-level failure to an Error; invalid Error when it is a 200.
    [[nodiscard]] static Error httpError(QNetworkReply *reply, const QString &context);

    // Session state mirrored client-side, replayed on reconnect (and sent as headers over HTTP).
    SessionState m_session;
    // Sessions attached on this socket, by id, replayed after a reconnect like the default one.
    QHash<QUuid, SessionState> m_attached;
    ClientConfig m_config;
    QString m_serverVersion;
    int m_serverMajor = 0;

private:
    struct Inflight
    {
        RpcRequest request;
        RpcReplyPtr reply;
        bool internal = false;
        // When it times out (forever: never), and how long it was given when sent.
        QDeadlineTimer deadline{QDeadlineTimer::Forever};
        int waitMs = 0;
    };

    void setState(State state);
    // Takes a submitted request on the I/O thread: refused, answered locally, or queued and sent.
    void accept(const RpcRequest &request, const RpcReplyPtr &reply);
    void acceptIncoming();
    // Sends what the queue may send now, then flushes the transport.
    void pump();
    void sendQueued();
    void enqueue(const RpcRequest &request, const RpcReplyPtr &reply, bool atFront = false);
    // Queued requests whose deadline passed fail with Timeout; they were never sent.
    void sweepQueue();
    void watchDeadline(const RpcRequest &request);
    // One timer for every request in flight, armed for the earliest deadline: a timer object per
    // request cost an allocation, a registration and a posted deleteLater each.
    void watchInflightDeadline(const QDeadlineTimer &deadline);
    void sweepInflight();
    void requestTimedOut(qint64 id);
    // Keeps the queue sweep running while requests wait, so a cancelled one finishes promptly.
    void pollQueuedCancels();
    [[nodiscard]] Error timeoutError(const RpcRequest &request) const;
    // A state-changing request that got no answer may or may not have run: the server's
    // session and our copy of it can differ, so this socket is dropped and rebuilt from our copy.
    void restartAfterUncertainSessionChange(const RpcRequest &request);
    void send(const RpcRequest &request, const RpcReplyPtr &reply, bool internal);
    void applyStateChange(const RpcRequest &request, const QVariant &result);
    // The requests that rebuild a session on a fresh socket, in order.
    [[nodiscard]] QList<RpcRequest> replayRequests(const SessionState &state, const QUuid &session) const;
    // Sends requests one after another; done gets the first error, or none.
    void runSequence(QList<RpcRequest> requests, std::function<void(const Error &)> done);
    // Replays the given attached sessions; one that fails is dropped and reported, not fatal.
    void rebuildSessions(QList<QUuid> sessions, std::function<void()> done);
    [[nodiscard]] bool canReauthenticate(const RpcRequest &request, const Error &error) const;
    // Queues a request refused for an expired token behind one fresh signin, and sends it again.
    void resendAfterReauthentication(const RpcRequest &request, const RpcReplyPtr &reply);
    void failInflight(const Error &error);
    // After a dropped connection: reads and idempotent writes wait for the reconnect, the rest fail.
    void resendOrFailInflight(const Error &error);
    [[nodiscard]] static bool isSafeToResend(const RpcRequest &request);
    static constexpr int MaxResends = 3;
    // Conflicts come in bursts when many writes meet on one record: a few more tries than for
    // a lost socket, each sent at once (the conflicting transaction has ended by then).
    static constexpr int MaxConflictResends = 8;
    void failQueued(const Error &error);
    // Ends every live query for good (the connection gave up).
    void failLive(const Error &error);
    void scheduleReconnect();
    void startHandshake();
    void handshakeStep(int step);
    void resubscribeLive();
    // Notifications that arrived for an id nobody registered yet, kept while a registration is
    // under way: the server may send them before the registration's reply.
    void deliverEarly(LiveSubscription *sub);
    // Sends a subscription's live/LIVE SELECT request and wires up its answer.
    void registerLive(LiveSubscription *sub, bool throughQueue);
    void endKilledRegistration(LiveSubscription *sub, const QVariant &result, const Error &error);
    [[nodiscard]] QUuid liveIdFrom(const LiveSubscription *sub, const QVariant &result, Error *error) const;
    void scheduleTokenRenewal();
    void keepAlive();
    // Pings once; a ping that times out tears the socket down and reconnects.
    void probeLiveness();
    [[nodiscard]] QString requestContext(const RpcRequest &request) const;

    // /export and /import (httpdatatransfer.cpp); also owns the QNetworkAccessManager.
    HttpDataTransfer *m_transfer = nullptr;
    QQueue<std::pair<RpcRequest, RpcReplyPtr>> m_queue;
    // Submitted from other threads, not yet taken by the I/O thread (acceptIncoming).
    QMutex m_incomingMutex;
    QList<std::pair<RpcRequest, RpcReplyPtr>> m_incoming;
    QList<std::pair<RpcRequest, RpcReplyPtr>> m_incomingSpare; // the I/O thread's
    QHash<qint64, Inflight> m_inflight;
    QHash<QUuid, LiveSubscription *> m_liveByServerId;
    QList<LiveSubscription *> m_live;
    QTimer m_reconnectTimer;
    QTimer m_queueTimer;
    QTimer m_inflightTimer;
    QDeadlineTimer m_inflightTimerDue{QDeadlineTimer::Forever};
    QList<LiveNotification> m_early;
    QTimer m_keepAliveTimer;
    QTimer m_tokenTimer;
    qint64 m_nextId = 1;
    int m_attempt = 0;
    // Connections tried since the last success or give-up, for the error that reports them.
    int m_connects = 0;
    int m_urlIndex = 0;
    int m_barrierCount = 0;
    // The signin queued to renew an expired token, and whether it is still unanswered.
    std::pair<RpcRequest, RpcReplyPtr> m_reauthEntry;
    bool m_reauthInFlight = false;
    bool m_probing = false;
    // Bumped by every handshake; callbacks of an older one see the difference and stop.
    quint64 m_handshakeGeneration = 0;
    // Time since the last frame arrived: a stalled socket shows here first.
    QElapsedTimer m_sinceReceived;
    bool m_handshaking = false;
    bool m_sendingBatch = false;
    // Why the last attempt failed (transport or handshake), for the error reported on giving up.
    Error m_lastAttemptError;
    bool m_everConnected = false;
    State m_state = State::Disconnected;
    std::atomic<State> m_stateAtomic{State::Disconnected};
    // Unanswered requests submitted here (see RpcReply::track()).
    const std::shared_ptr<std::atomic<int>> m_load = std::make_shared<std::atomic<int>>(0);
};

// A live query's server-side registration; lives on the I/O thread, owned by its client.
class LiveSubscription : public QObject
{
    Q_OBJECT

public:
    LiveSubscription(const RpcRequest &start, bool viaQuery, QObject *parent)
        : QObject(parent)
        , startRequest(start)
        , viaQuery(viaQuery)
    {
        m_backstop.setParent(this);
        m_backstop.setSingleShot(true);
        m_backstop.setTimerType(Qt::PreciseTimer);
        connect(&m_backstop, &QTimer::timeout, this, &LiveSubscription::announce);
    }

    RpcRequest startRequest;
    bool viaQuery = false;
    // Identifies it across threads; see RpcClient::removeLive().
    const quint64 token = nextToken();
    QUuid serverId;
    bool killed = false;
    // A registration request is queued or in flight; a reconnect must not send a second one.
    bool registering = false;
    // started() was emitted; later registrations announce themselves as restarted().
    bool everStarted = false;

    static quint64 nextToken()
    {
        static std::atomic<quint64> counter{0};
        return ++counter;
    }

    // What the subscription tells its LiveQuery, in the order it happened.
    struct Event
    {
        enum class Kind { Started, Restarted, Notified, Failed, Finished };
        Kind kind = Kind::Notified;
        QUuid serverId;
        LiveNotification notification;
        Error error;
    };
    // Shared with the LiveQuery, which may outlive this object and the other way round. Events
    // wait here and one queued signal (pending()) announces them all: notifications decoded from
    // one read cost the LiveQuery's thread one posted event and one wake-up, not one each.
    class Inbox
    {
    public:
        // True when it was empty, and so nobody was told yet.
        bool put(Event event)
        {
            QMutexLocker lock(&m_mutex);
            m_events.append(std::move(event));
            return m_events.size() == 1;
        }
        // One at a time: a handler that spins a nested event loop still sees the rest in order.
        bool take(Event *event)
        {
            QMutexLocker lock(&m_mutex);
            if (m_events.isEmpty())
                return false;
            *event = m_events.takeFirst();
            return true;
        }

    private:
        QMutex m_mutex;
        QList<Event> m_events;
    };
    const std::shared_ptr<Inbox> inbox = std::make_shared<Inbox>();

    void announceStarted(const QUuid &id) { post({Event::Kind::Started, id, {}, {}}); }
    void announceRestarted(const QUuid &id) { post({Event::Kind::Restarted, id, {}, {}}); }
    void notify(const LiveNotification &n) { post({Event::Kind::Notified, {}, n, {}}); }
    void fail(const Error &error) { post({Event::Kind::Failed, {}, {}, error}); }
    void finish() { post({Event::Kind::Finished, {}, {}, {}}); }

    // A stream of notifications is announced at most once per window: the LiveQuery's thread
    // wakes once for the notifications of a window instead of once each (the server sends them
    // one frame each, a few hundred µs apart under load). A notification after a quiet window,
    // and every other event, is announced at once.
    static constexpr int CoalescingWindowMs = 2;
    // How long after the window a deferred announcement waits for the next notification to
    // carry it, before a timer of its own wakes this thread for it.
    static constexpr int CoalescingSlackMs = 1;

Q_SIGNALS:
    // The inbox was empty (or held only deferred events) and nobody was told; queued to the
    // LiveQuery's thread.
    void pending();

private:
    void post(Event event)
    {
        const bool coalescable = event.kind == Event::Kind::Notified;
        const bool wasEmpty = inbox->put(std::move(event));
        if (!wasEmpty && !m_deferred)
            return;
        // The timer belongs to the I/O thread; a subscription failed before it got there
        // announces at once.
        if (coalescable && m_sinceAnnounced.isValid() && !m_sinceAnnounced.hasExpired(CoalescingWindowMs) &&
            thread() == QThread::currentThread()) {
            if (!std::exchange(m_deferred, true))
                m_backstop.start(int(CoalescingWindowMs - m_sinceAnnounced.elapsed()) + CoalescingSlackMs);
            return;
        }
        announce();
    }
    void announce()
    {
        if (m_deferred) {
            m_deferred = false;
            m_backstop.stop();
        }
        m_sinceAnnounced.start();
        Q_EMIT pending();
    }

    QElapsedTimer m_sinceAnnounced;
    QTimer m_backstop;
    bool m_deferred = false;
};

} // namespace SurrealQt
