#pragma once

// Not public API. Runs steps one after another: each starts when the previous one said it is
// done. Shared by Channel and Transaction; steps finish on the I/O thread, calls come from any.

#include "rpcclient_p.h"

#include <QtCore/QMutex>
#include <QtCore/QPointer>
#include <QtCore/QQueue>

#include <functional>
#include <memory>

namespace SurrealQt {

class SerialQueue : public std::enable_shared_from_this<SerialQueue>
{
public:
    // A step gets the function to call (exactly once, from any thread) when it is over.
    using Step = std::function<void(std::function<void()> done)>;
    // Called instead of a step that never ran (the queue was closed).
    using Drop = std::function<void(const Error &)>;

    explicit SerialQueue(RpcClient *client)
        : m_client(client)
    {}

    [[nodiscard]] RpcClient *client() const { return m_client.data(); }

    void enqueue(Step step, Drop drop);
    // Sends request as a step: the reply completes when the server answered. prepare, if set,
    // runs right before sending (e.g. to stamp a transaction id known only by then); an error
    // it returns fails the request without sending it. failed, if set, sees the error of a
    // request the server did not answer with success before the next step may start.
    void enqueueRequest(const RpcRequest &request, const RpcReplyPtr &reply,
                        std::function<Error(RpcRequest &)> prepare = {},
                        std::function<void(const Error &)> failed = {});
    // Fails every step not started yet; later enqueues fail at once.
    void close(const Error &reason);
    [[nodiscard]] int pending() const;

private:
    void pump();

    mutable QMutex m_mutex;
    QPointer<RpcClient> m_client;
    QQueue<std::pair<Step, Drop>> m_steps;
    Error m_closed;
    bool m_running = false;
    bool m_pumping = false;
    int m_pending = 0;
};

} // namespace SurrealQt
