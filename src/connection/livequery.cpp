#include <SurrealQt/livequery.h>

#include "core/logging_p.h"
#include "core/postbox_p.h"
#include "rpcclient_p.h"

#include <SurrealQt/exception.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>

using namespace Qt::StringLiterals;

namespace SurrealQt {

LiveQuery::LiveQuery(RpcClient *client, const QString &method, const QVariantList &params, bool viaQuery,
                     QObject *parent, const QFuture<void> &registerAfter)
    : QObject(parent)
    , m_clientBox(client ? Internal::PostBox::of(client) : nullptr)
    , m_client(client)
{
    auto promise = std::make_shared<QPromise<QUuid>>();
    promise->start();
    m_started = promise->future();
    m_startedPromise = promise;

    auto fail = [this](const Error &error) {
        m_error = error;
        if (auto p = std::static_pointer_cast<QPromise<QUuid>>(std::exchange(m_startedPromise, nullptr))) {
            p->setException(Exception(error));
            p->finish();
        }
        setState(State::Failed);
        Q_EMIT errorOccurred(error);
    };
    if (!client || !client->isWebSocket()) {
        const Error error(Error::Kind::Validation,
                          u"Live queries need a WebSocket connection (ws:// or wss://); this one uses HTTP"_s,
                          method);
        QMetaObject::invokeMethod(
            this, [fail, error] { fail(error); }, Qt::QueuedConnection);
        return;
    }

    // Built here, handed to the I/O thread: its signals reach us queued, in our thread.
    auto *sub = new LiveSubscription(RpcRequest{method, params, {}}, viaQuery, nullptr);
    m_subscriptionToken = sub->token;
    auto onStarted = [this](const QUuid &id) {
        if (m_killed)
            return;
        m_queryId = id;
        if (auto p = std::static_pointer_cast<QPromise<QUuid>>(std::exchange(m_startedPromise, nullptr))) {
            p->addResult(id);
            p->finish();
        }
        setState(State::Active);
    };
    auto onRestarted = [this](const QUuid &id) {
        if (m_killed)
            return;
        m_queryId = id;
        setState(State::Active);
        Q_EMIT restarted(id);
        // Whatever changed while the socket was down was never announced.
        if (!m_killed)
            Q_EMIT resyncRequired();
    };
    auto onFinished = [this] {
        if (!m_killed && (m_state == State::Active || m_state == State::Starting))
            setState(State::Finished);
    };
    // Everything the subscription says arrives through its inbox, in order, one queued call for
    // all that piled up meanwhile.
    connect(sub, &LiveSubscription::pending, this,
            [this, inbox = sub->inbox, onStarted, onRestarted, fail, onFinished] {
                QPointer<LiveQuery> self(this);
                LiveSubscription::Event event;
                // A handler may delete this object: what is left is dropped with the inbox.
                while (self && inbox->take(&event)) {
                    switch (event.kind) {
                    case LiveSubscription::Event::Kind::Started:
                        onStarted(event.serverId);
                        break;
                    case LiveSubscription::Event::Kind::Restarted:
                        onRestarted(event.serverId);
                        break;
                    case LiveSubscription::Event::Kind::Notified:
                        deliver(event.notification);
                        break;
                    case LiveSubscription::Event::Kind::Failed:
                        if (!m_killed)
                            fail(event.error);
                        break;
                    case LiveSubscription::Event::Kind::Finished:
                        onFinished();
                        break;
                    }
                }
            });
    sub->moveToThread(client->thread());
    if (!registerAfter.isValid()) {
        QMetaObject::invokeMethod(
            client, [client, sub] { client->addLive(sub); }, Qt::QueuedConnection);
        return;
    }
    // A Channel orders the registration among its calls: it is sent once registerAfter finishes.
    // Killed before that, the subscription is dropped without ever reaching the server.
    auto gateClosed = std::make_shared<std::atomic<bool>>(false);
    m_gateClosed = gateClosed;
    Internal::deliverTo(
        client, "LiveQuery", registerAfter,
        [client, sub, gateClosed] {
            if (gateClosed->load())
                delete sub;
            else
                client->addLive(sub);
        },
        [sub](const Error &error) {
            sub->fail(error);
            sub->deleteLater();
        });
}

LiveQuery::~LiveQuery()
{
    kill();
    if (auto p = std::static_pointer_cast<QPromise<QUuid>>(std::exchange(m_startedPromise, nullptr))) {
        p->setException(Exception(Error(Error::Kind::Cancelled, u"The live query was destroyed"_s)));
        p->finish();
    }
}

void LiveQuery::kill()
{
    if (m_killed)
        return;
    m_killed = true;
    if (m_gateClosed)
        m_gateClosed->store(true);
    if (auto p = std::static_pointer_cast<QPromise<QUuid>>(std::exchange(m_startedPromise, nullptr))) {
        p->setException(
            Exception(Error(Error::Kind::Cancelled, u"The live query was killed before it started"_s)));
        p->finish();
    }
    if (m_state == State::Active || m_state == State::Starting)
        setState(State::Finished);
    const quint64 token = std::exchange(m_subscriptionToken, 0);
    if (!token)
        return;
    // Notifications already queued to this thread, or sent until the I/O thread processes the
    // removal, are dropped by m_killed; the connections end with this object or the subscription.
    RpcClient *client = m_client;
    if (auto box = std::static_pointer_cast<Internal::PostBox>(m_clientBox))
        box->post([client, token] { client->removeLive(token); });
}

void LiveQuery::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveQuery::deliver(const LiveNotification &n)
{
    if (m_killed)
        return;
    Q_EMIT notification(n);
    switch (n.action()) {
    case LiveNotification::Action::Create:
        Q_EMIT created(n.result());
        break;
    case LiveNotification::Action::Update:
        Q_EMIT updated(n.result());
        break;
    case LiveNotification::Action::Delete:
        Q_EMIT deleted(n.record(), n.result());
        break;
    case LiveNotification::Action::Killed:
        setState(State::Finished);
        Q_EMIT killed();
        break;
    case LiveNotification::Action::Unknown:
        qCDebug(lcLive) << "notification with unknown action";
        break;
    }
}

} // namespace SurrealQt
