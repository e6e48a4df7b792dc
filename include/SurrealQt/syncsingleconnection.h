#pragma once

#include <SurrealQt/singleconnection.h>
#include <SurrealQt/syncconnection.h>

#include <functional>

namespace SurrealQt {

/*! The blocking twin of SingleConnection's own calls (the Python seed's SyncSingleConnection),
    for worker threads and console tools: each call blocks the calling thread and throws
    SurrealQt::Exception on failure. It refuses to run on the connection's I/O thread, and
    blocking the GUI thread with it freezes the GUI. It does not own the connection. */
class SURREALQT_EXPORT SyncSingleConnection
{
public:
    /*! Blocking access to connection (not owned; it must outlive this object). */
    explicit SyncSingleConnection(SingleConnection *connection);

    /*! The connection given to the constructor. */
    [[nodiscard]] SingleConnection *connection() const;

    /*! Runs fn and runs it again, after a backoff sleep in the calling thread, while it throws a
        retryable error (dropped connection, timeout, transaction conflict), up to the
        connection's maxRetries(). fn blocks too, e.g. [](Connection *c) { return
       QVariant(SyncConnection(c).select(id)); }. Needs no event loop in the calling thread. Only pass
       operations that are safe to repeat. */
    QVariant executeWithRetry(const std::function<QVariant(Connection *)> &fn);
    /*! Waits until the socket is connected and signed in; throws after its retries. */
    void ensureConnected();
    /*! Closes the socket (SingleConnection::close()). */
    void close();

private:
    SingleConnection *m_connection;
};

} // namespace SurrealQt
