// The request pipeline: submit, the queue and its ordering barrier, sending, timeouts and
// replies. Reconnects, session replay and live routing live in rpcclient_*.cpp.

#include "rpcclient_p.h"

#include "httpdatatransfer_p.h"

#include "codec/cborcodec_p.h"
#include "core/logging_p.h"
#include "jwt_p.h"

#include <SurrealQt/exception.h>

#include <QtCore/QDateTime>
#include <QtCore/QPromise>
#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace SurrealQt {

RpcReply::~RpcReply()
{
    if (!m_done)
        fail(Error(Error::Kind::Cancelled, u"The request was dropped before it was answered"_s));
}

void RpcReply::succeed(const QVariant &value)
{
    if (m_done)
        return;
    m_done = true;
    untrack();
    if (m_callback)
        m_callback(value, Error());
}

void RpcReply::fail(const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    untrack();
    if (!m_callback)
        return;
    if (error.context().isEmpty() && !m_method.isEmpty()) {
        Error named = error;
        named.setContext(m_method);
        m_callback(QVariant(), named);
        return;
    }
    m_callback(QVariant(), error);
}

std::shared_ptr<RpcReply> RpcReply::forPromise(QFuture<QVariant> *future)
{
    auto promise = std::make_shared<QPromise<QVariant>>();
    promise->start();
    *future = promise->future();
    auto reply = std::make_shared<RpcReply>([promise](const QVariant &value, const Error &error) {
        if (error.isValid())
            promise->setException(Exception(error));
        else
            promise->addResult(value);
        promise->finish();
    });
    reply->setFuture(QFuture<void>(*future));
    return reply;
}

RpcClient::RpcClient(const ClientConfig &config, QObject *parent)
    : QObject(parent)
    , m_session{config.ns, config.db, {}, config.credentials, {}, {}}
    , m_config(config)
    , m_urlIndex(config.urls.isEmpty() ? 0 : config.firstUrl % int(config.urls.size()))
{
    if (m_session.credentials.level() == Credentials::Level::Token)
        m_session.token = m_session.credentials.tokenValue();
    // Children, so that they move to the I/O thread together with us.
    for (QTimer *timer :
         {&m_reconnectTimer, &m_keepAliveTimer, &m_tokenTimer, &m_queueTimer, &m_inflightTimer})
        timer->setParent(this);
    m_queueTimer.setSingleShot(true);
    // Request deadlines are a contract: a coarse timer may fire 5 % early or late.
    m_queueTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_queueTimer, &QTimer::timeout, this, &RpcClient::sweepQueue);
    // A request timeout is a contract: a coarse timer may fire 5 % late.
    m_inflightTimer.setSingleShot(true);
    m_inflightTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_inflightTimer, &QTimer::timeout, this, &RpcClient::sweepInflight);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Closed)
            return;
        setState(m_everConnected ? State::Reconnecting : State::Connecting);
        ++m_connects;
        qCDebug(lcConnection) << "connecting to" << currentUrl() << "attempt" << m_connects;
        connectTransport(currentUrl());
    });
    m_keepAliveTimer.setInterval(config.keepAliveMs);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &RpcClient::keepAlive);
    m_tokenTimer.setSingleShot(true);
    connect(&m_tokenTimer, &QTimer::timeout, this, [this] {
        if (m_session.credentials.isEmpty() || m_session.credentials.level() == Credentials::Level::Token)
            return;
        qCDebug(lcConnection) << "renewing the session token before it expires";
        auto reply = std::make_shared<RpcReply>([this](const QVariant &, const Error &error) {
            if (error.isValid())
                Q_EMIT errorOccurred(error);
        });
        submit(RpcRequest{u"signin"_s, {m_session.credentials.toSigninParams()}, {}}, reply);
    });
}

RpcClient::~RpcClient()
{
    const Error reason(Error::Kind::Cancelled, u"The connection was destroyed"_s);
    failInflight(reason);
    failQueued(reason);
}

QUrl RpcClient::currentUrl() const
{
    return m_config.urls.isEmpty() ? QUrl() : m_config.urls.at(m_urlIndex % m_config.urls.size());
}

bool RpcClient::isStateChanging(const QString &method)
{
    static const QSet<QString> methods = {u"use"_s,        u"signin"_s, u"signup"_s, u"authenticate"_s,
                                          u"invalidate"_s, u"let"_s,    u"set"_s,    u"unset"_s,
                                          u"reset"_s,      u"attach"_s, u"detach"_s};
    return methods.contains(method);
}

bool RpcClient::isResentOnConflict(const RpcRequest &request)
{
    static const QSet<QString> writes = {u"create"_s, u"insert"_s, u"insert_relation"_s,
                                         u"update"_s, u"upsert"_s, u"merge"_s,
                                         u"patch"_s,  u"delete"_s, u"relate"_s};
    return request.method == u"use" ||
           (request.options.transaction.isNull() && writes.contains(request.method));
}

QFuture<QVariant> RpcClient::submit(const RpcRequest &request)
{
    QFuture<QVariant> future;
    submit(request, RpcReply::forPromise(&future));
    return future;
}

void RpcClient::submit(const RpcRequest &call, const RpcReplyPtr &reply)
{
    RpcRequest request = call;
    if (!request.hasDeadline) {
        // From the call, on the caller's thread; config is fixed once the client exists.
        request.hasDeadline = true;
        request.timeoutMs = request.options.timeout.count() > 0 ? int(request.options.timeout.count())
                                                                : m_config.requestTimeoutMs;
        request.deadline = request.timeoutMs > 0 ? QDeadlineTimer(request.timeoutMs, Qt::PreciseTimer)
                                                 : QDeadlineTimer(QDeadlineTimer::Forever);
    }
    // Errors made far from the request (a reply dropped unanswered) still name it.
    reply->track(m_load, request.method);
    // The caller's future, when it holds another one than the reply's own (a typed call).
    reply->setFutureFor(request, *reply);
    if (QThread::currentThread() == thread()) {
        accept(request, reply);
        return;
    }
    // One posted call drains everything submitted meanwhile: a burst of requests from another
    // thread wakes the I/O thread once, not once per request. Calls from one thread keep their order.
    QMutexLocker lock(&m_incomingMutex);
    const bool first = m_incoming.isEmpty();
    m_incoming.append({std::move(request), reply});
    lock.unlock();
    if (first)
        QMetaObject::invokeMethod(this, &RpcClient::acceptIncoming, Qt::QueuedConnection);
}

void RpcClient::acceptIncoming()
{
    // The two lists take turns, so neither gives up its capacity: appending in submit() then
    // allocates nothing per request.
    QMutexLocker lock(&m_incomingMutex);
    auto incoming = std::exchange(m_incoming, std::move(m_incomingSpare));
    lock.unlock();
    // The frames of a burst go to the kernel in one write() at its end.
    const bool outer = !std::exchange(m_sendingBatch, true);
    for (const auto &[request, reply] : std::as_const(incoming))
        accept(request, reply);
    if (outer) {
        m_sendingBatch = false;
        flushTransport();
    }
    incoming.clear();
    if (incoming.capacity() > 1024) // a rare burst's peak is not kept for good
        incoming.squeeze();
    m_incomingSpare = std::move(incoming);
}

void RpcClient::accept(const RpcRequest &request, const RpcReplyPtr &reply)
{
    if (m_state == State::Closed) {
        reply->fail(Error(Error::Kind::Cancelled, u"The connection is closed"_s, requestContext(request)));
        return;
    }
    if (m_config.invalid.isValid()) {
        reply->fail(m_config.invalid);
        return;
    }
    if (reply->isCancelRequested()) {
        reply->fail(Error(Error::Kind::Cancelled, u"The request was cancelled before it was sent"_s,
                          requestContext(request)));
        return;
    }
    if (handleLocally(request, reply))
        return;
    enqueue(request, reply);
    if (m_state == State::Disconnected) {
        // Gave up earlier (or never opened): a new request earns a fresh round of attempts.
        m_attempt = 0;
        m_reconnectTimer.start(0);
        return;
    }
    pump();
}

bool RpcClient::needsVersion3(const QString &method)
{
    static const QSet<QString> methods = {u"begin"_s,  u"commit"_s, u"cancel"_s,
                                          u"attach"_s, u"detach"_s, u"sessions"_s};
    return methods.contains(method);
}

bool RpcClient::handleLocally(const RpcRequest &, const RpcReplyPtr &)
{
    return false;
}

void RpcClient::open()
{
    if (m_state != State::Disconnected)
        return;
    m_attempt = 0;
    m_reconnectTimer.start(0);
}

void RpcClient::close(const Error &reason)
{
    if (m_state == State::Closed)
        return;
    setState(State::Closed);
    m_reconnectTimer.stop();
    m_keepAliveTimer.stop();
    m_tokenTimer.stop();
    failInflight(reason);
    failQueued(reason);
    if (m_transfer)
        m_transfer->cancelAll(reason);
    for (LiveSubscription *sub : std::as_const(m_live)) {
        sub->killed = true;
        sub->fail(reason);
        sub->finish();
    }
    m_live.clear();
    m_liveByServerId.clear();
    disconnectTransport();
}

void RpcClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    m_stateAtomic.store(state);
    Q_EMIT stateChanged(state);
}

QString RpcClient::requestContext(const RpcRequest &request) const
{
    QString context = request.method;
    if (!request.params.isEmpty() && request.method != u"signin" && request.method != u"signup" &&
        request.method != u"authenticate") {
        const QVariant first = request.params.first();
        QString text = first.toString();
        if (text.isEmpty() && first.canConvert<QString>())
            text = first.value<QString>();
        if (!text.isEmpty())
            context += u' ' + (text.size() > 80 ? text.left(77) + u"..."_s : text);
    }
    return context + u" on "_s + currentUrl().toString(QUrl::RemoveUserInfo);
}

void RpcClient::enqueue(const RpcRequest &request, const RpcReplyPtr &reply, bool atFront)
{
    if (atFront)
        m_queue.prepend({request, reply});
    else
        m_queue.enqueue({request, reply});
    watchDeadline(request);
    if (m_state != State::Connected || m_handshaking || m_barrierCount > 0 ||
        m_inflight.size() >= maxInflight())
        pollQueuedCancels();
}

void RpcClient::pollQueuedCancels()
{
    // Nothing watches a queued request's future: a QFutureWatcher each cost an affinity query,
    // posted call-outs and a deferred delete per request, and HTTP queues most of a burst behind
    // its connections. Instead, while requests wait, the queue sweep runs at least every
    // CancelPollMs, so cancel() on a waiting request's future finishes it within that time, and
    // the request is never sent (pump() checks again when it reaches it).
    constexpr int CancelPollMs = 100;
    if (m_queue.isEmpty())
        return;
    if (!m_queueTimer.isActive() || m_queueTimer.remainingTime() > CancelPollMs)
        m_queueTimer.start(CancelPollMs);
}

void RpcClient::watchDeadline(const RpcRequest &request)
{
    if (!request.hasDeadline || request.deadline.isForever())
        return;
    const qint64 left = std::max<qint64>(0, request.deadline.remainingTime());
    if (!m_queueTimer.isActive() || left < m_queueTimer.remainingTime())
        m_queueTimer.start(int(std::min<qint64>(left, std::numeric_limits<int>::max())));
}

void RpcClient::sweepQueue()
{
    qint64 next = -1;
    for (qsizetype i = 0; i < m_queue.size();) {
        const RpcRequest &request = m_queue.at(i).first;
        if (m_queue.at(i).second->isCancelRequested()) {
            const auto [cancelled, reply] = m_queue.takeAt(i);
            reply->fail(Error(Error::Kind::Cancelled, u"The request was cancelled before it was sent"_s,
                              requestContext(cancelled)));
            continue;
        }
        if (!request.hasDeadline || request.deadline.isForever()) {
            ++i;
            continue;
        }
        const qint64 left = request.deadline.remainingTime();
        if (left > 0) {
            next = next < 0 ? left : std::min(next, left);
            ++i;
            continue;
        }
        const auto [expired, reply] = m_queue.takeAt(i);
        reply->fail(timeoutError(expired));
    }
    if (next >= 0)
        m_queueTimer.start(int(std::min<qint64>(next, std::numeric_limits<int>::max())));
    pollQueuedCancels();
}

Error RpcClient::timeoutError(const RpcRequest &request) const
{
    const int timeout = request.hasDeadline ? request.timeoutMs : m_config.requestTimeoutMs;
    QString message = u"No reply within %1 ms"_s.arg(timeout);
    if (m_state != State::Connected)
        message += u" (the connection was %1 meanwhile)"_s.arg(
            m_state == State::Disconnected ? u"down"_s : u"being re-established"_s);
    return Error(Error::Kind::Timeout, message, requestContext(request));
}

void RpcClient::pump()
{
    sendQueued();
    // Written now rather than when the socket's write notifier fires, which costs the I/O
    // thread another turn of its loop per request (under GLib also two wake-ups, for turning
    // the notifier on and off). After the loop: a write that fails tears the socket down, and
    // that must not happen under sendQueued()'s feet.
    if (!m_sendingBatch)
        flushTransport();
}

void RpcClient::sendQueued()
{
    if (m_state != State::Connected || m_handshaking)
        return pollQueuedCancels();
    while (!m_queue.isEmpty()) {
        if (m_barrierCount > 0 || m_inflight.size() >= maxInflight())
            return pollQueuedCancels();
        const bool changing = isStateChanging(m_queue.head().first.method);
        if (changing && !m_inflight.isEmpty())
            return pollQueuedCancels(); // let earlier requests finish under the old session state
        auto [request, reply] = m_queue.dequeue();
        if (reply->isCancelRequested()) {
            reply->fail(Error(Error::Kind::Cancelled, u"The request was cancelled before it was sent"_s,
                              requestContext(request)));
            continue;
        }
        if (request.hasDeadline && request.deadline.hasExpired()) {
            reply->fail(timeoutError(request));
            continue;
        }
        // Plain HTTP endpoints, queued like RPC calls so they see the session a preceding
        // use/signin set up.
        if (request.method == u"__export") {
            network();
            m_transfer->exportDatabase(httpRequest(u"/export"_s),
                                       u"export of "_s + m_session.ns + u'/' + m_session.db, reply);
            continue;
        }
        if (request.method == u"__import") {
            network();
            m_transfer->importDatabase(httpRequest(u"/import"_s), request.params.value(0).toString(),
                                       u"import into "_s + m_session.ns + u'/' + m_session.db, reply);
            continue;
        }
        // Decided here, not on submit: the version is known only once the handshake ran.
        if (m_serverMajor == 2 && needsVersion3(request.method)) {
            reply->fail(
                Error(Error::Kind::Validation,
                      u"'%1' needs SurrealDB 3; the server is '%2'"_s.arg(request.method, m_serverVersion),
                      requestContext(request)));
            continue;
        }
        send(request, reply, false);
    }
}

void RpcClient::send(const RpcRequest &request, const RpcReplyPtr &reply, bool internal)
{
    const qint64 id = m_nextId++;
    Inflight entry{request, reply, internal};
    if (request.hasDeadline) {
        if (!request.deadline.isForever()) {
            entry.deadline = request.deadline;
            entry.waitMs = int(std::max<qint64>(1, request.deadline.remainingTime()));
        }
    } else {
        entry.waitMs = request.options.timeout.count() > 0 ? int(request.options.timeout.count())
                                                           : m_config.requestTimeoutMs;
        if (entry.waitMs > 0)
            entry.deadline = QDeadlineTimer(entry.waitMs, Qt::PreciseTimer);
    }
    if (!entry.deadline.isForever())
        watchInflightDeadline(entry.deadline);
    if (!internal && isStateChanging(request.method))
        ++m_barrierCount;
    m_inflight.insert(id, std::move(entry));
    transmit(id, request);
}

void RpcClient::watchInflightDeadline(const QDeadlineTimer &deadline)
{
    // Requests sent later mostly expire later: the timer is re-armed only for an earlier one.
    if (m_inflightTimer.isActive() && !(deadline < m_inflightTimerDue))
        return;
    m_inflightTimerDue = deadline;
    m_inflightTimer.start(int(
        std::min<qint64>(std::max<qint64>(0, deadline.remainingTime()), std::numeric_limits<int>::max())));
}

void RpcClient::sweepInflight()
{
    m_inflightTimerDue = QDeadlineTimer(QDeadlineTimer::Forever);
    QList<qint64> expired;
    for (auto it = m_inflight.cbegin(); it != m_inflight.cend(); ++it)
        if (!it->deadline.isForever() && it->deadline.hasExpired())
            expired.append(it.key());
    std::sort(expired.begin(), expired.end());
    for (qint64 id : std::as_const(expired)) {
        // An earlier one may have torn the socket down, taking the others with it.
        if (!m_inflight.contains(id))
            continue;
        requestTimedOut(id);
    }
    QDeadlineTimer next(QDeadlineTimer::Forever);
    for (const Inflight &entry : std::as_const(m_inflight))
        if (entry.deadline < next)
            next = entry.deadline;
    if (!next.isForever())
        watchInflightDeadline(next);
}

void RpcClient::requestTimedOut(qint64 id)
{
    const Inflight timedOut = m_inflight.take(id);
    if (!timedOut.internal && isStateChanging(timedOut.request.method))
        --m_barrierCount;
    timedOut.reply->fail(timeoutError(timedOut.request));
    if (!timedOut.internal && isStateChanging(timedOut.request.method) &&
        timedOut.request.options.transaction.isNull()) {
        restartAfterUncertainSessionChange(timedOut.request);
        return;
    }
    // Silence since it was sent may mean a slow query, or a dead socket: ask.
    if (!timedOut.internal && (!m_sinceReceived.isValid() || m_sinceReceived.elapsed() >= timedOut.waitMs))
        probeLiveness();
    pump();
}

QByteArray RpcClient::encodeRequest(qint64 id, const RpcRequest &request, Error *error) const
{
    CodecError codecError;
    QByteArray bytes = CborCodec::encodeRequest(id, request.method, request.params, request.options.session,
                                                request.options.transaction, &codecError);
    if (bytes.isEmpty() && error)
        *error = Error(Error::Kind::Validation, u"Cannot encode the request: "_s + codecError.message,
                       requestContext(request));
    return bytes;
}

void RpcClient::handleReply(qint64 id, const QVariant &result, const Error &error)
{
    m_sinceReceived.start();
    auto it = m_inflight.find(id);
    if (it == m_inflight.end()) {
        qCDebug(lcConnection) << "reply for unknown or timed-out request" << id << "dropped";
        return;
    }
    Inflight entry = std::move(it.value());
    m_inflight.erase(it);
    if (!entry.internal && isStateChanging(entry.request.method))
        --m_barrierCount;
    if (error.isValid() && !entry.internal && isResentOnConflict(entry.request) &&
        error.isTransactionConflict() && entry.request.resendCount < MaxConflictResends) {
        // Sockets of a pool that create the same namespace/database at once collide, and so
        // do two clients writing one record or the first records of a new table. 'use' is
        // idempotent, and a one-record write outside a transaction is one statement in one
        // transaction on the server: refused with a conflict, it changed nothing. So either
        // simply runs again (a query or a transaction's statement never does: only the caller
        // knows what of it ran).
        RpcRequest again = entry.request;
        ++again.resendCount;
        enqueue(again, entry.reply, true);
        pump();
        return;
    }
    if (error.isValid() && !entry.internal && canReauthenticate(entry.request, error)) {
        resendAfterReauthentication(entry.request, entry.reply);
        return;
    }
    if (error.isValid()) {
        Error withContext = error;
        if (withContext.context().isEmpty())
            withContext.setContext(requestContext(entry.request));
        // The server reports a wrong record-access password as a generic failure ("No record
        // was returned"); to the caller any refused sign-in is an authentication problem.
        if (isAuthMethod(entry.request.method) && !withContext.serverKind().isEmpty() &&
            (withContext.kind() == Error::Kind::Query || withContext.kind() == Error::Kind::Validation))
            withContext.setKind(Error::Kind::Authentication);
        // HTTP answers a stale Bearer token with a bare 401; say what we know.
        if (withContext.kind() == Error::Kind::Authentication && entry.request.options.session.isNull() &&
            entry.request.method != u"signin" && entry.request.method != u"signup" &&
            !m_session.token.isEmpty() &&
            !withContext.message().contains(u"expired"_s, Qt::CaseInsensitive)) {
            const qint64 expiry = Jwt::expiry(m_session.token);
            if (expiry > 0 && expiry <= QDateTime::currentSecsSinceEpoch())
                withContext.setMessage(
                    withContext.message() +
                    u" (the session token expired at %1)"_s.arg(
                        QDateTime::fromSecsSinceEpoch(expiry, Qt::UTC).toString(Qt::ISODate)));
        }
        entry.reply->fail(withContext);
    } else {
        applyStateChange(entry.request, result);
        entry.reply->succeed(result);
    }
    pump();
}

bool RpcClient::isAuthMethod(const QString &method)
{
    return method == u"signin" || method == u"signup" || method == u"authenticate";
}

void RpcClient::failInflight(const Error &error)
{
    const auto inflight = std::exchange(m_inflight, {});
    m_barrierCount = 0;
    for (const Inflight &entry : inflight) {
        Error e = error;
        e.setContext(requestContext(entry.request));
        entry.reply->fail(e);
    }
}

void RpcClient::failQueued(const Error &error)
{
    const auto queued = std::exchange(m_queue, {});
    m_queueTimer.stop();
    for (const auto &[request, reply] : queued) {
        Error e = error;
        e.setContext(requestContext(request));
        reply->fail(e);
    }
}

QNetworkAccessManager *RpcClient::network()
{
    if (!m_transfer) {
        m_transfer = new HttpDataTransfer(this);
#if QT_CONFIG(ssl)
        m_transfer->setIgnoredSslErrors(m_config.ignoredSslErrors);
#endif
    }
    return m_transfer->network();
}

QNetworkRequest RpcClient::httpRequest(const QString &path, bool withAuth) const
{
    QNetworkRequest request =
        HttpEndpoint::request(currentUrl(), path, m_session, m_config.requestTimeoutMs, withAuth);
#if QT_CONFIG(ssl)
    request.setSslConfiguration(m_config.ssl);
#endif
    return request;
}

Error RpcClient::httpError(QNetworkReply *reply, const QString &context)
{
    return HttpEndpoint::errorOf(reply, context);
}

} // namespace SurrealQt
