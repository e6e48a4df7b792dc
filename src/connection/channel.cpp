#include <SurrealQt/channel.h>

#include "channel_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>

#include <QtCore/QPromise>

#include <atomic>

using namespace Qt::StringLiterals;

namespace SurrealQt {

void SerialQueue::enqueue(Step step, Drop drop)
{
    QMutexLocker lock(&m_mutex);
    if (m_closed.isValid()) {
        const Error reason = m_closed;
        lock.unlock();
        drop(reason);
        return;
    }
    m_steps.enqueue({std::move(step), std::move(drop)});
    ++m_pending;
    lock.unlock();
    pump();
}

void SerialQueue::enqueueRequest(const RpcRequest &request, const RpcReplyPtr &reply,
                                 std::function<Error(RpcRequest &)> prepare,
                                 std::function<void(const Error &)> failed)
{
    QPointer<RpcClient> client = m_client;
    enqueue(
        [client, request, reply, prepare, failed](std::function<void()> done) {
            // Cancelled while it waited behind earlier steps: never sent, and the next step goes.
            if (reply->isCancelRequested() || (reply->hasFuture() && request.isCancelRequested())) {
                done();
                reply->fail(Error(Error::Kind::Cancelled, u"The request was cancelled before it was sent"_s,
                                  request.method));
                return;
            }
            RpcRequest toSend = request;
            if (prepare) {
                if (const Error error = prepare(toSend); error.isValid()) {
                    done();
                    reply->fail(error);
                    return;
                }
            }
            RpcClient *c = client.data();
            if (!c) {
                done();
                reply->fail(Error(Error::Kind::Cancelled, u"The connection is gone"_s, request.method));
                return;
            }
            // RpcReply calls back exactly once, even when dropped unanswered, so done() always runs.
            auto sent =
                std::make_shared<RpcReply>([reply, done, failed](const QVariant &value, const Error &error) {
                    if (error.isValid() && failed)
                        failed(error);
                    // The queue moves on before the caller hears the answer: a call made on seeing it
                    // finds the queue idle and goes out at once, not behind a step still "running".
                    done();
                    if (error.isValid())
                        reply->fail(error);
                    else
                        reply->succeed(value);
                });
            // The caller's future, so that cancelling it still reaches the request while it waits
            // in the socket's queue (say, for a reconnect).
            sent->setFutureFor(toSend, *reply);
            c->submit(toSend, sent);
        },
        [reply](const Error &error) { reply->fail(error); });
}

void SerialQueue::close(const Error &reason)
{
    QMutexLocker lock(&m_mutex);
    if (m_closed.isValid())
        return;
    m_closed = reason;
    const auto steps = std::exchange(m_steps, {});
    m_pending -= int(steps.size());
    lock.unlock();
    for (const auto &[step, drop] : steps)
        drop(reason);
}

int SerialQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    return m_pending;
}

void SerialQueue::pump()
{
    QMutexLocker lock(&m_mutex);
    // A step that finishes at once calls back into pump(): the loop below takes the next one,
    // so a long run of immediate failures never recurses.
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_running && !m_steps.isEmpty()) {
        auto [step, drop] = m_steps.dequeue();
        m_running = true;
        lock.unlock();
        auto self = shared_from_this();
        auto once = std::make_shared<std::atomic<bool>>(false);
        step([self, once] {
            if (once->exchange(true))
                return;
            {
                QMutexLocker l(&self->m_mutex);
                self->m_running = false;
                --self->m_pending;
            }
            self->pump();
        });
        lock.relock();
    }
    m_pumping = false;
}

namespace {
// Ends a live query's step in a Channel: whichever comes second of "the step started" and "the
// live query left Starting" calls the step's done().
struct LiveRelease
{
    QMutex mutex;
    std::function<void()> done;
    bool over = false;

    void arm(std::function<void()> d)
    {
        QMutexLocker lock(&mutex);
        if (!over) {
            done = std::move(d);
            return;
        }
        lock.unlock();
        d();
    }
    void finish()
    {
        QMutexLocker lock(&mutex);
        over = true;
        auto d = std::exchange(done, {});
        lock.unlock();
        if (d)
            d();
    }
};
} // namespace

Channel::Channel(RpcClient *client, QObject *parent)
    : RequestInterface(parent)
    , d(std::make_shared<SerialQueue>(client))
{}

Channel::~Channel()
{
    d->close(Error(Error::Kind::Cancelled, u"The channel was destroyed before the call was sent"_s));
}

bool Channel::isWebSocket() const
{
    const RpcClient *client = d->client();
    return client && client->isWebSocket();
}

int Channel::pendingCount() const
{
    return d->pending();
}

QFuture<QVariant> Channel::execute(const RpcRequest &request)
{
    QFuture<QVariant> future;
    const RpcReplyPtr reply = RpcReply::forPromise(&future);
    // The session belongs to the connection (on a pool, to every socket of it): changed through
    // a channel, by name, it would change one socket's session behind the connection's back.
    if (request.options.session.isNull() && RpcClient::isStateChanging(request.method)) {
        reply->fail(Error(Error::Kind::Validation,
                          u"'%1' on a channel would change the session of its socket only (on a pool: of one "
                          "socket of the pool); call it on the manager's connection()"_s.arg(request.method),
                          request.method));
        return future;
    }
    d->enqueueRequest(request, reply);
    return future;
}

RpcClient *Channel::pinClient()
{
    return d->client();
}

LiveQuery *Channel::startLive(const QString &method, const QVariantList &params, bool viaQuery,
                              QObject *parent)
{
    auto gate = std::make_shared<QPromise<void>>();
    gate->start();
    LiveQuery *live = newLiveQuery(d->client(), method, params, viaQuery, parent, gate->future());
    // The step runs on whichever thread answered the call before it (normally the I/O thread),
    // while its owner may delete the live query at that very moment: checking a QPointer there
    // and then connecting to the object raced with the deletion. So the step never touches the
    // live query; its end (registered, failed, killed, destroyed) is watched from here, in the
    // live query's own thread, and handed to the step through shared state.
    auto release = std::make_shared<LiveRelease>();
    QObject::connect(live, &LiveQuery::stateChanged, live, [release](LiveQuery::State state) {
        if (state != LiveQuery::State::Starting)
            release->finish();
    });
    QObject::connect(live, &QObject::destroyed, live, [release] { release->finish(); });
    d->enqueue(
        [gate, release](std::function<void()> done) {
            gate->finish();
            // The next call waits until the registration was answered (or the query ended).
            release->arm(std::move(done));
        },
        [gate](const Error &error) {
            gate->setException(Exception(error));
            gate->finish();
        });
    return live;
}

} // namespace SurrealQt
