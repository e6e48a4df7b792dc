// Live queries on one socket: registration, routing notifications to their subscription,
// resubscribing after a reconnect, and kills.

#include "rpcclient_p.h"

#include "core/logging_p.h"

#include <SurrealQt/queryresult.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

void RpcClient::addLive(LiveSubscription *sub)
{
    sub->setParent(this);
    m_live.append(sub);
    if (m_state == State::Closed) {
        sub->killed = true;
        sub->fail(Error(Error::Kind::Cancelled, u"The connection is closed"_s));
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
            if (error.kind() == Error::Kind::Connection && m_state != State::Disconnected) {
                deliverEarly(nullptr);
                return;
            }
            if (error.kind() == Error::Kind::Timeout && sub->everStarted && m_state == State::Connected) {
                // A re-registration without an answer: the socket is suspect, and giving up would
                // end a query the user expects to survive. Start over on a new socket.
                disconnectTransport();
                transportLost(Error(Error::Kind::Connection, u"A live query's registration got no answer"_s,
                                    currentUrl().toString(QUrl::RemoveUserInfo)));
                return;
            }
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
                    sub->notify(LiveNotification(LiveNotification::Action::Killed, QUuid(), {}, {}));
                sub->fail(failure);
                sub->finish();
                sub->deleteLater();
                deliverEarly(nullptr);
                return;
            }
            sub->serverId = id;
            m_liveByServerId.insert(sub->serverId, sub);
            if (std::exchange(sub->everStarted, true)) {
                qCDebug(lcLive) << "live query re-registered as" << sub->serverId;
                sub->announceRestarted(sub->serverId);
            } else {
                sub->announceStarted(sub->serverId);
            }
            deliverEarly(sub);
        });
    sub->registering = true;
    if (throughQueue) {
        // A standing subscription waits out an outage however long: no deadline in the queue.
        RpcRequest start = sub->startRequest;
        start.hasDeadline = true;
        start.deadline = QDeadlineTimer(QDeadlineTimer::Forever);
        submit(start, reply);
    } else {
        send(sub->startRequest, reply, true);
    }
}

void RpcClient::deliverEarly(LiveSubscription *sub)
{
    if (m_early.isEmpty())
        return;
    if (sub) {
        for (qsizetype i = 0; i < m_early.size();) {
            if (m_early.at(i).queryId() != sub->serverId) {
                ++i;
                continue;
            }
            const LiveNotification n = m_early.takeAt(i);
            if (!sub->killed)
                sub->notify(n);
        }
    }
    // Kept only while some registration may still claim them.
    bool pending = false;
    for (const LiveSubscription *other : std::as_const(m_live))
        pending |= other->registering;
    if (!pending)
        m_early.clear();
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

void RpcClient::removeLive(quint64 token)
{
    const auto it = std::find_if(m_live.cbegin(), m_live.cend(),
                                 [token](const LiveSubscription *s) { return s->token == token; });
    if (it == m_live.cend())
        return; // already ended here (server KILL, failure, close)
    LiveSubscription *sub = *it;
    m_live.removeOne(sub);
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
        bool registering = false;
        for (const LiveSubscription *other : std::as_const(m_live))
            registering |= other->registering;
        // The server may announce changes for a query before it answers the registration.
        constexpr qsizetype MaxEarly = 10000;
        if (registering && m_early.size() < MaxEarly) {
            m_early.append(n);
            return;
        }
        qCDebug(lcLive) << "notification for unknown live query" << n.queryId() << "dropped";
        return;
    }
    sub->notify(n);
    if (n.action() == LiveNotification::Action::Killed) {
        m_liveByServerId.remove(n.queryId());
        m_live.removeOne(sub);
        sub->killed = true;
        sub->finish();
        sub->deleteLater();
    }
}

void RpcClient::failLive(const Error &error)
{
    const auto live = std::exchange(m_live, {});
    m_liveByServerId.clear();
    for (LiveSubscription *sub : live) {
        sub->killed = true;
        sub->fail(error);
        sub->finish();
        sub->deleteLater();
    }
}

} // namespace SurrealQt
