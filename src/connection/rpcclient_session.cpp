// The client's copy of each session (default and attached): how calls change it, how it is
// replayed on a fresh socket, and how an expiring token is renewed.

#include "rpcclient_p.h"

#include "core/logging_p.h"
#include "jwt_p.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace SurrealQt {

bool RpcClient::canReauthenticate(const RpcRequest &request, const Error &error) const
{
    // Only the default session's identity is ours to restore.
    if (request.afterReauthentication || error.kind() != Error::Kind::Authentication ||
        !request.options.session.isNull())
        return false;
    if (m_session.credentials.isEmpty() || m_session.credentials.level() == Credentials::Level::Token)
        return false;
    if (isAuthMethod(request.method))
        return false;
    // Decided from the server's structured error (NotAllowed/Auth/TokenExpired or
    // SessionExpired; HttpClient marks a refused expired Bearer token the same way), never from
    // the words of a message, which servers are free to reword.
    const QString kind = error.details().value(u"details"_s).toMap().value(u"kind"_s).toString();
    return kind == u"TokenExpired" || kind == u"SessionExpired";
}

void RpcClient::applyStateChange(const RpcRequest &request, const QVariant &result)
{
    // Inside a transaction nothing about the session changes for good.
    if (!request.options.transaction.isNull())
        return;
    const QString &m = request.method;
    const QVariantList &p = request.params;
    const QUuid &sessionId = request.options.session;
    if (!sessionId.isNull()) {
        // A replayed attach keeps the state it is about to rebuild.
        if (m == u"attach" && !m_attached.contains(sessionId))
            m_attached.insert(sessionId, SessionState());
        else if (m == u"detach")
            m_attached.remove(sessionId);
    }
    const bool isDefault = sessionId.isNull();
    if (!isDefault && !m_attached.contains(sessionId))
        return;
    SessionState &state = isDefault ? m_session : m_attached[sessionId];
    if (m == u"use") {
        if (p.size() > 0 && p.at(0).metaType().id() == QMetaType::QString)
            state.ns = p.at(0).toString();
        if (p.size() > 1 && p.at(1).metaType().id() == QMetaType::QString)
            state.db = p.at(1).toString();
    } else if (m == u"signin" || m == u"signup") {
        if (result.metaType().id() == QMetaType::QVariantMap) {
            state.token = result.toMap().value(u"access"_s).toString();
            state.refreshToken = result.toMap().value(u"refresh"_s).toString();
        } else {
            state.token = result.toString();
        }
        // Replays after a reconnect sign in with these, never sign up again: a record access
        // method's SIGNIN clause takes the same variables its SIGNUP clause did.
        const QVariantMap params = p.value(0).toMap();
        if (!params.isEmpty())
            state.credentials = Credentials::fromSigninParams(params);
        if (isDefault) {
            Q_EMIT tokenChanged(state.token);
            Q_EMIT authenticated();
            scheduleTokenRenewal();
        }
    } else if (m == u"authenticate") {
        state.token = p.value(0).toString();
        state.credentials = Credentials::token(state.token);
        if (isDefault)
            Q_EMIT authenticated();
    } else if (m == u"invalidate") {
        state.token.clear();
        state.refreshToken.clear();
        state.credentials = Credentials();
        if (isDefault)
            m_tokenTimer.stop();
    } else if (m == u"let" || m == u"set") {
        if (p.size() >= 2)
            state.vars.insert(p.at(0).toString(), p.at(1));
        else if (!p.isEmpty())
            state.vars.remove(p.at(0).toString());
    } else if (m == u"unset") {
        state.vars.remove(p.value(0).toString());
    } else if (m == u"reset") {
        state = SessionState();
    }
}

QList<RpcRequest> RpcClient::replayRequests(const SessionState &state, const QUuid &session) const
{
    QList<RpcRequest> requests;
    RequestOptions options;
    options.session = session;
    if (!session.isNull())
        requests.append(RpcRequest{u"attach"_s, {}, options});
    if (state.credentials.level() == Credentials::Level::Token ||
        (!state.token.isEmpty() && state.credentials.isEmpty()))
        requests.append(RpcRequest{u"authenticate"_s, {state.token}, options});
    else if (!state.credentials.isEmpty())
        requests.append(RpcRequest{u"signin"_s, {state.credentials.toSigninParams()}, options});
    if (!state.ns.isEmpty() || !state.db.isEmpty()) {
        const auto nameOrNull = [](const QString &name) {
            return name.isEmpty() ? QVariant::fromValue(nullptr) : QVariant(name);
        };
        requests.append(RpcRequest{u"use"_s, {nameOrNull(state.ns), nameOrNull(state.db)}, options});
    }
    for (auto it = state.vars.cbegin(); it != state.vars.cend(); ++it)
        requests.append(RpcRequest{u"let"_s, {it.key(), it.value()}, options});
    return requests;
}

void RpcClient::runSequence(QList<RpcRequest> requests, std::function<void(const Error &)> done)
{
    if (requests.isEmpty()) {
        done(Error());
        return;
    }
    const RpcRequest first = requests.first();
    send(first, std::make_shared<RpcReply>([this, requests, done](const QVariant &, const Error &error) {
             if (error.isValid() && error.isTransactionConflict() && requests.first().resendCount < 10) {
                 // Sockets that create the same namespace/database at once collide on it;
                 // running the same request again is safe.
                 QList<RpcRequest> again = requests;
                 ++again.first().resendCount;
                 QTimer::singleShot(20 * again.first().resendCount, this,
                                    [this, again, done, generation = m_handshakeGeneration] {
                                        if (m_handshaking && generation == m_handshakeGeneration)
                                            runSequence(again, done);
                                    });
                 return;
             }
             if (error.isValid()) {
                 done(error);
                 return;
             }
             runSequence(requests.mid(1), done);
         }),
         true);
}

void RpcClient::rebuildSessions(QList<QUuid> sessions, std::function<void()> done)
{
    if (sessions.isEmpty()) {
        done();
        return;
    }
    const QUuid id = sessions.takeFirst();
    const auto it = m_attached.constFind(id);
    if (it == m_attached.cend()) {
        rebuildSessions(sessions, done);
        return;
    }
    runSequence(replayRequests(it.value(), id), [this, id, sessions, done,
                                                 generation = m_handshakeGeneration](const Error &error) {
        if (!m_handshaking || generation != m_handshakeGeneration)
            return;
        if (error.isValid() && error.kind() == Error::Kind::Connection)
            return; // transportLost() takes over
        if (error.isValid() && error.kind() != Error::Kind::Timeout) {
            // One session that cannot come back (say, its token expired) must not keep the
            // socket and everybody else's requests down: it is dropped and reported.
            m_attached.remove(id);
            Error lost = error;
            lost.setContext(u"restoring session %1 on %2"_s.arg(id.toString(QUuid::WithoutBraces),
                                                                currentUrl().toString(QUrl::RemoveUserInfo)));
            qCWarning(lcConnection) << "attached session lost:" << lost;
            Q_EMIT errorOccurred(lost);
        }
        if (error.isValid() && error.kind() == Error::Kind::Timeout) {
            disconnectTransport();
            transportLost(Error(Error::Kind::Connection, u"The server did not answer while connecting"_s));
            return;
        }
        rebuildSessions(sessions, done);
    });
}

void RpcClient::scheduleTokenRenewal()
{
    m_tokenTimer.stop();
    if (m_session.credentials.isEmpty() || m_session.credentials.level() == Credentials::Level::Token)
        return;
    const qint64 expiry = Jwt::expiry(m_session.token);
    if (expiry <= 0)
        return;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // A minute before expiry for long-lived tokens, at 80% of the lifetime for short ones;
    // never sooner than a second from now, so a token that is already due cannot spin.
    const qint64 left = expiry - now;
    const qint64 renewIn = std::max<qint64>(1, left > 300 ? left - 60 : left * 8 / 10);
    m_tokenTimer.start(int(std::min<qint64>(renewIn, 24 * 3600) * 1000));
}

void RpcClient::resendAfterReauthentication(const RpcRequest &request, const RpcReplyPtr &reply)
{
    // The server refused before running anything, so sending it again after a fresh
    // signin cannot apply a write twice.
    qCInfo(lcConnection) << "token expired; signing in again and resending" << request.method;
    RpcRequest again = request;
    again.afterReauthentication = true;
    // Requests refused together share one signin: queue them right behind it.
    qsizetype at = -1;
    for (qsizetype i = 0; i < m_queue.size() && m_reauthEntry.second; ++i)
        if (m_queue.at(i).second == m_reauthEntry.second)
            at = i;
    if (at >= 0) {
        qsizetype pos = at + 1;
        while (pos < m_queue.size() && m_queue.at(pos).first.afterReauthentication)
            ++pos;
        m_queue.insert(pos, {again, reply});
    } else if (m_reauthInFlight) {
        m_queue.prepend({again, reply});
    } else {
        m_queue.prepend({again, reply});
        auto signinReply = std::make_shared<RpcReply>([this](const QVariant &, const Error &e) {
            m_reauthInFlight = false;
            if (e.isValid()) {
                qCWarning(lcConnection) << "signing in again failed:" << e;
                Q_EMIT errorOccurred(e);
            }
        });
        m_reauthEntry = {RpcRequest{u"signin"_s, {m_session.credentials.toSigninParams()}, {}}, signinReply};
        m_reauthInFlight = true;
        m_queue.prepend(m_reauthEntry);
    }
    pump();
}

} // namespace SurrealQt
