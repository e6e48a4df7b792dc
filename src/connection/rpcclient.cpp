#include "rpcclient_p.h"

#include "codec/cborcodec_p.h"
#include "core/logging_p.h"
#include "jwt_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QDateTime>
#include <QtCore/QPromise>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
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
    if (m_callback)
        m_callback(value, Error());
}

void RpcReply::fail(const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_callback)
        m_callback(QVariant(), error);
}

std::shared_ptr<RpcReply> RpcReply::forPromise(QFuture<QVariant> *future)
{
    auto promise = std::make_shared<QPromise<QVariant>>();
    promise->start();
    *future = promise->future();
    return std::make_shared<RpcReply>([promise](const QVariant &value, const Error &error) {
        if (error.isValid())
            promise->setException(Exception(error));
        else
            promise->addResult(value);
        promise->finish();
    });
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
    for (QTimer *timer : {&m_reconnectTimer, &m_keepAliveTimer, &m_tokenTimer})
        timer->setParent(this);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Closed)
            return;
        setState(m_everConnected ? State::Reconnecting : State::Connecting);
        qCDebug(lcConnection) << "connecting to" << currentUrl() << "attempt" << m_attempt;
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

QFuture<QVariant> RpcClient::submit(const RpcRequest &request)
{
    QFuture<QVariant> future;
    submit(request, RpcReply::forPromise(&future));
    return future;
}

void RpcClient::submit(const RpcRequest &request, const RpcReplyPtr &reply)
{
    // The load counter must outlive this object: the reply may be dropped after we are gone.
    m_load.fetch_add(1, std::memory_order_relaxed);
    auto counted =
        std::make_shared<RpcReply>([this, reply, guard = QPointer<RpcClient>(this),
                                    method = request.method](const QVariant &value, const Error &error) {
            if (guard)
                m_load.fetch_sub(1, std::memory_order_relaxed);
            if (!error.isValid()) {
                reply->succeed(value);
                return;
            }
            // Errors made far from the request (a reply dropped unanswered) still name it.
            Error named = error;
            if (named.context().isEmpty())
                named.setContext(method);
            reply->fail(named);
        });
    auto enqueue = [this, request, counted] {
        if (m_state == State::Closed) {
            counted->fail(
                Error(Error::Kind::Cancelled, u"The connection is closed"_s, requestContext(request)));
            return;
        }
        if (m_config.invalid.isValid()) {
            counted->fail(m_config.invalid);
            return;
        }
        if (handleLocally(request, counted))
            return;
        m_queue.enqueue({request, counted});
        if (m_state == State::Disconnected) {
            // Gave up earlier (or never opened): a new request earns a fresh round of attempts.
            m_attempt = 0;
            m_reconnectTimer.start(0);
            return;
        }
        pump();
    };
    if (QThread::currentThread() == thread())
        enqueue();
    else
        QMetaObject::invokeMethod(this, enqueue, Qt::QueuedConnection);
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
    const auto endpointCalls = std::exchange(m_endpointCalls, {});
    for (auto it = endpointCalls.cbegin(); it != endpointCalls.cend(); ++it) {
        it.key()->disconnect(this);
        it.key()->abort();
        it.value()->fail(reason);
    }
    for (LiveSubscription *sub : std::as_const(m_live)) {
        sub->killed = true;
        Q_EMIT sub->failed(reason);
        Q_EMIT sub->finished();
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

void RpcClient::pump()
{
    if (m_state != State::Connected || m_handshaking)
        return;
    while (!m_queue.isEmpty()) {
        if (m_barrierCount > 0 || m_inflight.size() >= maxInflight())
            return;
        const bool changing = isStateChanging(m_queue.head().first.method);
        if (changing && !m_inflight.isEmpty())
            return; // let earlier requests finish under the old session state
        auto [request, reply] = m_queue.dequeue();
        // Plain HTTP endpoints, queued like RPC calls so they see the session a preceding
        // use/signin set up.
        if (request.method == u"__export") {
            exportDatabase(reply);
            continue;
        }
        if (request.method == u"__import") {
            importDatabase(request.params.value(0).toString(), reply);
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
    Inflight entry{request, reply, nullptr, internal};
    const int timeout = request.options.timeout.count() > 0 ? int(request.options.timeout.count())
                                                            : m_config.requestTimeoutMs;
    if (timeout > 0) {
        entry.timer = new QTimer(this);
        entry.timer->setSingleShot(true);
        connect(entry.timer, &QTimer::timeout, this, [this, id, timeout] {
            auto it = m_inflight.find(id);
            if (it == m_inflight.end())
                return;
            Inflight timedOut = it.value();
            m_inflight.erase(it);
            timedOut.timer->deleteLater();
            if (!timedOut.internal && isStateChanging(timedOut.request.method))
                --m_barrierCount;
            timedOut.reply->fail(Error(Error::Kind::Timeout, u"No reply within %1 ms"_s.arg(timeout),
                                       requestContext(timedOut.request)));
            // Silence since it was sent may mean a slow query, or a dead socket: ask.
            if (!timedOut.internal && (!m_sinceReceived.isValid() || m_sinceReceived.elapsed() >= timeout))
                probeLiveness();
            pump();
        });
        entry.timer->start(timeout);
    }
    if (!internal && isStateChanging(request.method))
        ++m_barrierCount;
    m_inflight.insert(id, entry);
    transmit(id, request);
}

QByteArray RpcClient::encodeRequest(qint64 id, const RpcRequest &request, Error *error) const
{
    QVariantMap envelope{{u"id"_s, id}, {u"method"_s, request.method}, {u"params"_s, request.params}};
    if (!request.options.session.isNull())
        envelope.insert(u"session"_s, request.options.session);
    if (!request.options.transaction.isNull())
        envelope.insert(u"txn"_s, request.options.transaction);
    CodecError codecError;
    QByteArray bytes = CborCodec::encode(envelope, &codecError);
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
    Inflight entry = it.value();
    m_inflight.erase(it);
    if (entry.timer)
        entry.timer->deleteLater();
    if (!entry.internal && isStateChanging(entry.request.method))
        --m_barrierCount;
    if (error.isValid() && !entry.internal && entry.request.method == u"use" &&
        error.isTransactionConflict() && entry.request.resendCount < MaxResends) {
        // Sockets of a pool that create the same namespace/database at once collide; 'use'
        // is idempotent, so it simply runs again.
        RpcRequest again = entry.request;
        ++again.resendCount;
        m_queue.prepend({again, entry.reply});
        pump();
        return;
    }
    if (error.isValid() && !entry.internal && canReauthenticate(entry.request, error)) {
        // The server refused before running anything, so sending it again after a fresh
        // signin cannot apply a write twice.
        qCInfo(lcConnection) << "token expired; signing in again and resending" << entry.request.method;
        RpcRequest again = entry.request;
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
            m_queue.insert(pos, {again, entry.reply});
        } else if (m_reauthInFlight) {
            m_queue.prepend({again, entry.reply});
        } else {
            m_queue.prepend({again, entry.reply});
            auto signinReply = std::make_shared<RpcReply>([this](const QVariant &, const Error &e) {
                m_reauthInFlight = false;
                if (e.isValid()) {
                    qCWarning(lcConnection) << "signing in again failed:" << e;
                    Q_EMIT errorOccurred(e);
                }
            });
            m_reauthEntry = {RpcRequest{u"signin"_s, {m_session.credentials.toSigninParams()}, {}},
                             signinReply};
            m_reauthInFlight = true;
            m_queue.prepend(m_reauthEntry);
        }
        pump();
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
    const QString kind = error.details().value(u"details"_s).toMap().value(u"kind"_s).toString();
    return kind == u"TokenExpired" || kind == u"SessionExpired" ||
           error.message().contains(u"expired"_s, Qt::CaseInsensitive);
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

void RpcClient::failInflight(const Error &error)
{
    const auto inflight = std::exchange(m_inflight, {});
    m_barrierCount = 0;
    for (const Inflight &entry : inflight) {
        if (entry.timer)
            entry.timer->deleteLater();
        Error e = error;
        e.setContext(requestContext(entry.request));
        entry.reply->fail(e);
    }
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
        if (entry.timer)
            entry.timer->deleteLater();
        if (!entry.internal && isSafeToResend(entry.request)) {
            RpcRequest again = entry.request;
            ++again.resendCount;
            m_queue.prepend({again, entry.reply});
            continue;
        }
        Error e = error;
        e.setContext(requestContext(entry.request));
        entry.reply->fail(e);
    }
}

void RpcClient::failQueued(const Error &error)
{
    const auto queued = std::exchange(m_queue, {});
    for (const auto &[request, reply] : queued) {
        Error e = error;
        e.setContext(requestContext(request));
        reply->fail(e);
    }
}

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
    m_keepAliveTimer.stop();
    m_handshaking = false;
    resendOrFailInflight(error);
    m_liveByServerId.clear();
    for (LiveSubscription *sub : std::as_const(m_live))
        sub->serverId = QUuid();
    if (m_state == State::Connected)
        Q_EMIT errorOccurred(error);
    scheduleReconnect();
    if (m_state != State::Disconnected)
        setState(m_everConnected ? State::Reconnecting : State::Connecting);
}

void RpcClient::scheduleReconnect()
{
    if (m_attempt >= m_config.maxRetries) {
        const Error error(Error::Kind::Connection, u"Could not connect after %1 attempts"_s.arg(m_attempt),
                          currentUrl().toString(QUrl::RemoveUserInfo));
        m_attempt = 0;
        setState(State::Disconnected);
        failQueued(error);
        failLive(error);
        Q_EMIT errorOccurred(error);
        return;
    }
    if (m_attempt > 0 && m_config.urls.size() > 1)
        m_urlIndex = (m_urlIndex + 1) % int(m_config.urls.size());
    // Exponential backoff with jitter, so a restarted server is not hit by every socket at once.
    const int exp = std::min(m_attempt, 16);
    const qint64 ceiling = std::min<qint64>(m_config.backoffMaxMs, qint64(m_config.backoffBaseMs) << exp);
    const qint64 delay = ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1);
    ++m_attempt;
    m_reconnectTimer.start(int(delay));
}

void RpcClient::failLive(const Error &error)
{
    const auto live = std::exchange(m_live, {});
    m_liveByServerId.clear();
    for (LiveSubscription *sub : live) {
        sub->killed = true;
        Q_EMIT sub->failed(error);
        Q_EMIT sub->finished();
        sub->deleteLater();
    }
}

void RpcClient::setFatal(const Error &error)
{
    qCWarning(lcConnection) << "cannot use" << currentUrl() << ":" << error;
    m_handshaking = false;
    m_attempt = 0;
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
            if (error.kind() == Error::Kind::Timeout) {
                // The socket is up but the server does not answer: start over on a new one.
                disconnectTransport();
                transportLost(Error(Error::Kind::Connection,
                                    u"The server did not answer while connecting: "_s + error.message()));
                return;
            }
            // Wrong credentials will not get better by retrying: stop and tell everyone waiting.
            setFatal(error);
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

void RpcClient::addLive(LiveSubscription *sub)
{
    sub->setParent(this);
    m_live.append(sub);
    if (m_state == State::Closed) {
        sub->killed = true;
        Q_EMIT sub->failed(Error(Error::Kind::Cancelled, u"The connection is closed"_s));
        return;
    }
    // Through the queue, so that it runs after any use/signin the caller issued before.
    registerLive(sub, true);
}

void RpcClient::registerLive(LiveSubscription *sub, bool throughQueue)
{
    auto reply = std::make_shared<RpcReply>(
        [this, sub = QPointer<LiveSubscription>(sub)](const QVariant &result, const Error &error) {
            if (!sub)
                return;
            sub->registering = false;
            if (sub->killed) {
                endKilledRegistration(sub, result, error);
                return;
            }
            // Lost with the socket: the reconnect's resubscribeLive() registers it again.
            if (error.kind() == Error::Kind::Connection && m_state != State::Disconnected)
                return;
            Error failure = error;
            QUuid id;
            if (!failure.isValid())
                id = liveIdFrom(sub, result, &failure);
            if (failure.isValid()) {
                // The subscription is over and is never tried again. One that was running ends
                // like a server-side KILL, so views can react the same way.
                sub->killed = true;
                m_live.removeOne(sub);
                if (sub->everStarted)
                    Q_EMIT sub->notified(LiveNotification(LiveNotification::Action::Killed, QUuid(), {}, {}));
                Q_EMIT sub->failed(failure);
                Q_EMIT sub->finished();
                sub->deleteLater();
                return;
            }
            sub->serverId = id;
            m_liveByServerId.insert(sub->serverId, sub);
            if (std::exchange(sub->everStarted, true)) {
                qCDebug(lcLive) << "live query re-registered as" << sub->serverId;
                Q_EMIT sub->restarted(sub->serverId);
            } else {
                Q_EMIT sub->started(sub->serverId);
            }
        });
    sub->registering = true;
    if (throughQueue)
        submit(sub->startRequest, reply);
    else
        send(sub->startRequest, reply, true);
}

QUuid RpcClient::liveIdFrom(const LiveSubscription *sub, const QVariant &result, Error *error) const
{
    QVariant id = result;
    if (sub->viaQuery) {
        const QueryResult qr = QueryResult::fromServer(result, error);
        if (error->isValid())
            return {};
        if (!qr.isOk()) {
            *error = qr.firstError();
            return {};
        }
        id = qr.last();
    }
    if (id.metaType() != QMetaType::fromType<QUuid>() || id.toUuid().isNull()) {
        *error = Error(
            Error::Kind::Protocol,
            u"The server did not return a live query id (got %1)"_s.arg(QString::fromLatin1(id.typeName())),
            requestContext(sub->startRequest));
        return {};
    }
    return id.toUuid();
}

void RpcClient::resubscribeLive()
{
    if (!m_everConnected)
        return;
    // Straight after the handshake, ahead of anything queued.
    for (LiveSubscription *sub : std::as_const(m_live)) {
        if (!sub->killed && !sub->registering && sub->serverId.isNull())
            registerLive(sub, false);
    }
}

void RpcClient::removeLive(LiveSubscription *sub)
{
    if (!m_live.removeOne(sub))
        return;
    sub->killed = true;
    if (!sub->serverId.isNull()) {
        m_liveByServerId.remove(sub->serverId);
        if (m_state == State::Connected) {
            RpcRequest kill{u"kill"_s, {sub->serverId}, {}};
            kill.options.session = sub->startRequest.options.session;
            submit(kill, std::make_shared<RpcReply>([](const QVariant &, const Error &e) {
                       if (e.isValid())
                           qCDebug(lcLive) << "kill failed:" << e;
                   }));
        }
    }
    // Still being registered: the reply decides (it kills what the server registered).
    if (!sub->registering)
        sub->deleteLater();
}

void RpcClient::endKilledRegistration(LiveSubscription *sub, const QVariant &result, const Error &error)
{
    // Killed while its registration was on the way: the server may have registered it anyway.
    Error ignored;
    const QUuid id = error.isValid() ? QUuid() : liveIdFrom(sub, result, &ignored);
    if (!id.isNull() && m_state == State::Connected) {
        RpcRequest kill{u"kill"_s, {id}, {}};
        kill.options.session = sub->startRequest.options.session;
        submit(kill, std::make_shared<RpcReply>([](const QVariant &, const Error &) {}));
    }
    sub->deleteLater();
}

void RpcClient::handleNotification(const QVariantMap &map)
{
    m_sinceReceived.start();
    const LiveNotification n = LiveNotification::fromServer(map);
    LiveSubscription *sub = m_liveByServerId.value(n.queryId());
    if (!sub) {
        qCDebug(lcLive) << "notification for unknown live query" << n.queryId() << "dropped";
        return;
    }
    Q_EMIT sub->notified(n);
    if (n.action() == LiveNotification::Action::Killed) {
        m_liveByServerId.remove(n.queryId());
        m_live.removeOne(sub);
        sub->killed = true;
        Q_EMIT sub->finished();
        sub->deleteLater();
    }
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

namespace SurrealQt {

QNetworkAccessManager *RpcClient::network()
{
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setAutoDeleteReplies(true);
    }
    return m_network;
}

QUrl RpcClient::httpUrl(const QString &path) const
{
    QUrl url = currentUrl();
    if (url.scheme() == u"ws")
        url.setScheme(u"http"_s);
    else if (url.scheme() == u"wss")
        url.setScheme(u"https"_s);
    QString base = url.path();
    if (base.endsWith(u"/rpc"))
        base.chop(4);
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(QString());
    return url;
}

QNetworkRequest RpcClient::httpRequest(const QString &path, bool withAuth) const
{
    QNetworkRequest request(httpUrl(path));
    request.setTransferTimeout(m_config.requestTimeoutMs);
    if (!m_session.ns.isEmpty())
        request.setRawHeader("Surreal-NS", m_session.ns.toUtf8());
    if (!m_session.db.isEmpty())
        request.setRawHeader("Surreal-DB", m_session.db.toUtf8());
    if (!withAuth)
        return request;
    if (!m_session.token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_session.token.toUtf8());
    } else if (!m_session.credentials.username().isEmpty()) {
        const QByteArray basic =
            (m_session.credentials.username() + u':' + m_session.credentials.password()).toUtf8().toBase64();
        request.setRawHeader("Authorization", "Basic " + basic);
        if (!m_session.credentials.namespaceName().isEmpty())
            request.setRawHeader("Surreal-Auth-NS", m_session.credentials.namespaceName().toUtf8());
        if (!m_session.credentials.databaseName().isEmpty())
            request.setRawHeader("Surreal-Auth-DB", m_session.credentials.databaseName().toUtf8());
    }
    return request;
}

Error RpcClient::httpError(QNetworkReply *reply, const QString &context)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 && reply->error() == QNetworkReply::NoError)
        return {};
    if (status == 0) {
        const Error::Kind kind = reply->error() == QNetworkReply::OperationCanceledError ||
                                         reply->error() == QNetworkReply::TimeoutError
                                     ? Error::Kind::Timeout
                                     : Error::Kind::Connection;
        return Error(kind, reply->errorString(), context);
    }
    const QString body = QString::fromUtf8(reply->readAll().left(2000)).trimmed();
    const QString message = u"HTTP %1: %2"_s.arg(status).arg(body.isEmpty() ? reply->errorString() : body);
    Error::Kind kind = Error::Kind::Query;
    switch (status) {
    case 401:
        kind = Error::Kind::Authentication;
        break;
    case 403:
        kind = Error::Kind::NotAllowed;
        break;
    case 404:
        kind = Error::Kind::NotFound;
        break;
    case 400:
    case 413:
        kind = Error::Kind::Validation;
        break;
    case 415:
        kind = Error::Kind::Protocol;
        break;
    default:
        kind = status >= 500 ? Error::Kind::Connection : Error::Kind::Query;
    }
    return Error(kind, message, context).setServerCode(status);
}

void RpcClient::exportDatabase(const RpcReplyPtr &reply)
{
    QNetworkRequest request = httpRequest(u"/export"_s);
    request.setRawHeader("Accept", "text/plain");
    QNetworkReply *net = network()->get(request);
    const QString context = u"export of "_s + m_session.ns + u'/' + m_session.db;
    m_endpointCalls.insert(net, reply);
    connect(net, &QNetworkReply::finished, this, [this, net, reply, context] {
        m_endpointCalls.remove(net);
        const Error error = httpError(net, context);
        if (error.isValid())
            reply->fail(error);
        else
            reply->succeed(QString::fromUtf8(net->readAll()));
    });
}

void RpcClient::importDatabase(const QString &surrealql, const RpcReplyPtr &reply)
{
    QNetworkRequest request = httpRequest(u"/import"_s);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *net = network()->post(request, surrealql.toUtf8());
    const QString context = u"import into "_s + m_session.ns + u'/' + m_session.db;
    m_endpointCalls.insert(net, reply);
    connect(net, &QNetworkReply::finished, this, [this, net, reply, context] {
        m_endpointCalls.remove(net);
        const Error error = httpError(net, context);
        if (error.isValid())
            reply->fail(error);
        else
            reply->succeed(QVariant());
    });
}

} // namespace SurrealQt
