// The connection's life: connecting, the handshake that rebuilds the session, noticing a dead
// socket, and reconnecting with backoff. What waits through a drop and what fails is decided here.

#include "rpcclient_p.h"

#include "core/logging_p.h"

#include <SurrealQt/recordid.h>

#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace SurrealQt {

void RpcClient::transportConnected()
{
    qCDebug(lcConnection) << "transport up at" << currentUrl();
    startHandshake();
}

void RpcClient::transportLost(const Error &error)
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcConnection) << "connection to" << currentUrl() << "lost:" << error.message();
    const bool wasConnected = m_state == State::Connected;
    // Why this attempt failed ("Connection refused"), for the error that ends the attempts.
    if (!wasConnected)
        m_lastAttemptError = error;
    m_keepAliveTimer.stop();
    m_handshaking = false;
    m_liveByServerId.clear();
    for (LiveSubscription *sub : std::as_const(m_live))
        sub->serverId = QUuid();
    // First, before any failed request's callback runs: a request made from such a callback
    // must find the connection reconnecting and wait in the queue, not be sent to a dead socket.
    if (m_state != State::Disconnected)
        setState(m_everConnected ? State::Reconnecting : State::Connecting);
    resendOrFailInflight(error);
    if (wasConnected)
        Q_EMIT errorOccurred(error);
    scheduleReconnect();
}

void RpcClient::unsent(qint64 id)
{
    auto it = m_inflight.find(id);
    if (it == m_inflight.end())
        return; // transportLost() already dealt with it
    const Inflight entry = it.value();
    m_inflight.erase(it);
    if (!entry.internal && isStateChanging(entry.request.method))
        --m_barrierCount;
    if (entry.internal)
        entry.reply->fail(
            Error(Error::Kind::Connection, u"The socket is not open"_s, requestContext(entry.request)));
    else
        enqueue(entry.request, entry.reply, true);
    if (m_state == State::Connected || m_handshaking) {
        disconnectTransport();
        transportLost(Error(Error::Kind::Connection, u"The connection was lost"_s,
                            currentUrl().toString(QUrl::RemoveUserInfo)));
    }
}

void RpcClient::restartAfterUncertainSessionChange(const RpcRequest &request)
{
    qCWarning(lcConnection) << "'" << request.method
                            << "' got no answer; rebuilding the session on a new socket";
    disconnectTransport();
    transportLost(
        Error(Error::Kind::Connection,
              u"'%1' got no answer, so the server's session may differ from ours; reconnecting"_s.arg(
                  request.method),
              currentUrl().toString(QUrl::RemoveUserInfo)));
}

bool RpcClient::isSafeToResend(const RpcRequest &request)
{
    // Whatever ran inside a transaction died with the socket; resending would run it outside.
    if (!request.options.transaction.isNull() || request.resendCount >= MaxResends)
        return false;
    if (request.options.idempotent)
        return true;
    static const QSet<QString> reads = {u"select"_s, u"info"_s, u"version"_s, u"ping"_s, u"sessions"_s};
    // Session changes land on the same state however often they run, and the requests queued
    // behind them rely on them: losing one would run those under the old session.
    static const QSet<QString> sessionChanges = {u"use"_s,        u"let"_s,    u"set"_s,
                                                 u"unset"_s,      u"signin"_s, u"authenticate"_s,
                                                 u"invalidate"_s, u"attach"_s, u"detach"_s};
    if (sessionChanges.contains(request.method))
        return true;
    if (reads.contains(request.method))
        return true;
    // Writes that land on the same end state however often they run, when they name one record.
    static const QSet<QString> idempotentWrites = {u"upsert"_s, u"update"_s, u"merge"_s, u"delete"_s};
    return idempotentWrites.contains(request.method) && !request.params.isEmpty() &&
           request.params.first().metaType() == QMetaType::fromType<RecordId>();
}

void RpcClient::resendOrFailInflight(const Error &error)
{
    QList<qint64> ids = m_inflight.keys();
    std::sort(ids.begin(), ids.end(), std::greater<>());
    const auto inflight = std::exchange(m_inflight, {});
    m_barrierCount = 0;
    // Newest first, each to the front: the queue keeps the order they were sent in.
    for (qint64 id : std::as_const(ids)) {
        const Inflight &entry = inflight[id];
        if (!entry.internal && isSafeToResend(entry.request)) {
            RpcRequest again = entry.request;
            ++again.resendCount;
            enqueue(again, entry.reply, true);
            continue;
        }
        Error e = error;
        e.setContext(requestContext(entry.request));
        entry.reply->fail(e);
    }
}

void RpcClient::scheduleReconnect()
{
    // Once a connection was up, an outage of any length is waited out by default: the backoff is
    // capped, so the server is found again soon after it is back.
    const int limit = m_everConnected ? m_config.maxReconnectAttempts : m_config.maxRetries;
    if (limit >= 0 && m_attempt >= std::max(1, limit)) {
        QString message = u"Could not connect after %1 %2"_s.arg(m_connects)
                              .arg(m_connects == 1 ? u"attempt"_s : u"attempts"_s);
        if (m_lastAttemptError.isValid())
            message += u"; the last one failed: "_s + m_lastAttemptError.message();
        const Error error(Error::Kind::Connection, message, currentUrl().toString(QUrl::RemoveUserInfo));
        m_lastAttemptError = Error();
        m_attempt = 0;
        m_connects = 0;
        setState(State::Disconnected);
        failQueued(error);
        failLive(error);
        Q_EMIT errorOccurred(error);
        return;
    }
    // A socket that never connected moves on to the next node at once, so a dead node listed
    // first cannot use up its attempts; one that was up gives its own node one more try first.
    if (m_config.urls.size() > 1 && (m_attempt > 0 || !m_everConnected))
        m_urlIndex = (m_urlIndex + 1) % int(m_config.urls.size());
    // Exponential backoff with jitter, so a restarted server is not hit by every socket at once.
    const int exp = std::min(m_attempt, 16);
    const qint64 ceiling = std::min<qint64>(m_config.backoffMaxMs, qint64(m_config.backoffBaseMs) << exp);
    const qint64 delay = ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1);
    ++m_attempt;
    m_reconnectTimer.start(int(delay));
}

void RpcClient::setFatal(const Error &error)
{
    // Reported once per manager through errorOccurred(); a warning per socket would repeat it.
    qCInfo(lcConnection) << "cannot use" << currentUrl() << ":" << error;
    m_handshaking = false;
    m_attempt = 0;
    m_connects = 0;
    m_reconnectTimer.stop();
    disconnectTransport();
    setState(State::Disconnected);
    failQueued(error);
    failLive(error);
    Q_EMIT errorOccurred(error);
}

void RpcClient::startHandshake()
{
    ++m_handshakeGeneration;
    m_handshaking = true;
    handshakeStep(0);
}

void RpcClient::handshakeStep(int step)
{
    if (!m_handshaking)
        return;
    auto next = [this, step, generation = m_handshakeGeneration](const QVariant &, const Error &error) {
        // A reply from an earlier connection's handshake must not drive this one.
        if (!m_handshaking || generation != m_handshakeGeneration)
            return;
        if (error.isValid()) {
            if (error.kind() == Error::Kind::Connection || m_state == State::Closed)
                return; // transportLost() or close() takes over
            if (error.kind() == Error::Kind::Authentication || error.kind() == Error::Kind::NotAllowed) {
                // Wrong credentials will not get better by retrying: stop and tell everyone waiting.
                setFatal(error);
                return;
            }
            // Anything else (no answer, a stray frame, a transient server error) may well be
            // gone on a new socket: start over there, with backoff.
            qCInfo(lcConnection) << "handshake failed, retrying:" << error;
            disconnectTransport();
            transportLost(Error(Error::Kind::Connection,
                                (error.kind() == Error::Kind::Timeout
                                     ? u"The server did not answer while connecting: "_s
                                     : u"Connecting failed: "_s) +
                                    error.message(),
                                currentUrl().toString(QUrl::RemoveUserInfo)));
            return;
        }
        handshakeStep(step + 1);
    };
    switch (step) {
    case 0:
        if (m_serverVersion.isEmpty()) {
            send(RpcRequest{u"version"_s, {}, {}},
                 std::make_shared<RpcReply>([this, next](const QVariant &result, const Error &error) {
                     if (!error.isValid()) {
                         const Error refused = acceptServerVersion(result.toString());
                         if (refused.isValid()) {
                             setFatal(refused);
                             return;
                         }
                     }
                     next(result, error);
                 }),
                 true);
            return;
        }
        handshakeStep(1);
        return;
    case 1:
        // The default session: identity, namespace/database, variables.
        runSequence(replayRequests(m_session, QUuid()),
                    [next](const Error &error) { next(QVariant(), error); });
        return;
    case 2:
        // Then every attached session the same way; they died with the old socket.
        rebuildSessions(m_attached.keys(), [next] { next(QVariant(), Error()); });
        return;
    default:
        m_handshaking = false;
        m_attempt = 0;
        m_connects = 0;
        m_lastAttemptError = Error();
        m_everConnected = true;
        setState(State::Connected);
        if (isWebSocket() && m_config.keepAliveMs > 0)
            m_keepAliveTimer.start();
        resubscribeLive();
        Q_EMIT ready();
        pump();
        return;
    }
}

Error RpcClient::acceptServerVersion(const QString &version)
{
    // "surrealdb-3.0.2"; some builds append metadata after a '+' or a space.
    static const QRegularExpression pattern(u"(\\d+)\\.(\\d+)\\.(\\d+)"_s);
    const QRegularExpressionMatch match = pattern.match(version);
    if (!match.hasMatch())
        return Error(Error::Kind::Protocol, u"The server reported an unreadable version: '%1'"_s.arg(version),
                     currentUrl().toString(QUrl::RemoveUserInfo));
    const int major = match.captured(1).toInt();
    if (major < MinimumServerMajor)
        return Error(Error::Kind::Protocol,
                     u"SurrealQt needs SurrealDB %1.0 or newer; the server is '%2'"_s.arg(MinimumServerMajor)
                         .arg(version),
                     currentUrl().toString(QUrl::RemoveUserInfo));
    m_serverVersion = version;
    m_serverMajor = major;
    return {};
}

void RpcClient::keepAlive()
{
    // Busy sockets prove themselves with their replies; a quiet or stalled one gets a ping.
    if (!m_inflight.isEmpty() && m_sinceReceived.isValid() &&
        m_sinceReceived.elapsed() < m_config.keepAliveMs)
        return;
    probeLiveness();
}

void RpcClient::probeLiveness()
{
    if (m_state != State::Connected || m_probing || !isWebSocket())
        return;
    m_probing = true;
    // A ping that times out is what tells us a half-open socket is dead; the server answers
    // it even while slow queries run, since it handles a socket's requests concurrently.
    send(RpcRequest{u"ping"_s, {}, {}}, std::make_shared<RpcReply>([this](const QVariant &, const Error &e) {
             m_probing = false;
             if (e.isValid() && e.kind() == Error::Kind::Timeout) {
                 disconnectTransport();
                 transportLost(Error(Error::Kind::Connection,
                                     u"The server stopped answering (ping timed out)"_s,
                                     currentUrl().toString(QUrl::RemoveUserInfo)));
             }
         }),
         true);
}

void RpcClient::protocolError(const Error &error)
{
    qCWarning(lcConnection) << "protocol error from" << currentUrl() << error;
    // We cannot tell which request the garbage answered, so nobody may wait on it forever.
    failInflight(error);
    Q_EMIT errorOccurred(error);
    pump();
}

} // namespace SurrealQt
