#pragma once

#include <SurrealQt/singleconnection.h>
#include <SurrealQt/syncconnection.h>

#include <functional>

namespace SurrealQt {

/*! The blocking twin of SingleConnection's own calls (the Python seed's SyncSingleConnection),
    for worker threads and console tools: each call blocks the calling thread. It refuses to run
    on the connection's I/O thread, and blocking the GUI thread with it freezes the GUI. It does
    not own the connection.

    Errors, as SyncConnection's (ErrorMode chosen at construction): in Throw mode (the default)
    a failed call throws SurrealQt::Exception; in Report mode (for code built without
    exceptions) executeWithRetry() gives an invalid QVariant, ensureConnected() false, and
    lastError() says why. */
class SURREALQT_EXPORT SyncSingleConnection
{
public:
    /*! How a failed call reports its error (SyncConnection's modes). */
    using ErrorMode = SyncConnection::ErrorMode;

    /*! Blocking access to connection (not owned; it must outlive this object). */
    explicit SyncSingleConnection(SingleConnection *connection, ErrorMode mode = ErrorMode::Throw);

    /*! The connection given to the constructor. */
    [[nodiscard]] SingleConnection *connection() const;
    /*! How failures are reported. */
    [[nodiscard]] ErrorMode errorMode() const { return m_mode; }
    /*! The failure of the last call; an invalid Error when it succeeded. */
    [[nodiscard]] Error lastError() const { return m_lastError; }

    /*! Runs fn and runs it again, after a backoff sleep in the calling thread, while it throws a
        retryable error (dropped connection, timeout, transaction conflict), up to the
        connection's maxRetries(). fn blocks too, e.g. [](Connection *c) { return
       QVariant(SyncConnection(c).select(id)); }. Needs no event loop in the calling thread. Only pass
       operations that are safe to repeat. */
    QVariant executeWithRetry(const std::function<QVariant(Connection *)> &fn);
    /*! executeWithRetry() for code built without exceptions: fn reports a failure by setting
        *error (e.g. from a SyncConnection in Report mode) instead of throwing, and is run again
        while that error is retryable. A failure that stays is thrown (Throw mode) or is
        lastError() with an invalid QVariant (Report mode). */
    QVariant executeWithRetry(const std::function<QVariant(Connection *, Error *error)> &fn);
    /*! Waits until the socket is connected and signed in; true then. After its retries it
        throws (Throw mode) or returns false (Report mode). */
    bool ensureConnected();
    /*! Closes the socket (SingleConnection::close()). */
    void close();

private:
    SingleConnection *m_connection;
    ErrorMode m_mode;
    Error m_lastError;
};

} // namespace SurrealQt
