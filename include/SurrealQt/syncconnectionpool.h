#pragma once

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/syncconnection.h>

#include <type_traits>

namespace SurrealQt {

/*! The blocking twin of ConnectionPool's own calls (the Python seed's SyncConnectionPool), for
    worker threads and console tools: each call blocks the calling thread until it is done. It
    refuses to run on the connection's I/O thread, and blocking the GUI thread with it freezes
    the GUI. The blocking form of the requests themselves is SyncConnection. It does not own the
    pool.

    Errors, as SyncConnection's (ErrorMode chosen at construction): in Throw mode (the default)
    a failed call throws SurrealQt::Exception; in Report mode (for code built without
    exceptions) acquire() gives an invalid handle, closeAll() false, executeWithConnection() a
    default value without calling fn, and lastError() says why. */
class SURREALQT_EXPORT SyncConnectionPool
{
public:
    /*! How a failed call reports its error (SyncConnection's modes). */
    using ErrorMode = SyncConnection::ErrorMode;

    /*! Blocking access to pool (not owned; it must outlive this object). */
    explicit SyncConnectionPool(ConnectionPool *pool, ErrorMode mode = ErrorMode::Throw);

    /*! The pool given to the constructor. */
    [[nodiscard]] ConnectionPool *pool() const;
    /*! How failures are reported. */
    [[nodiscard]] ErrorMode errorMode() const { return m_mode; }
    /*! The failure of the last call; an invalid Error when it succeeded. */
    [[nodiscard]] Error lastError() const { return m_lastError; }

    /*! Waits until a socket is free for exclusive use (see ConnectionPool::acquire()); needs no
        event loop in the calling thread. In Report mode an invalid handle on failure. */
    [[nodiscard]] ConnectionPool::Handle acquire();

    /*! Runs fn with an acquired socket and returns what it returns; the socket is released when
        fn returns or throws. fn blocks too, e.g. [](Connection *c) { return SyncConnection(c).query(...); }.
        In Report mode, when no socket could be acquired, fn is not called and the result is a
        default-constructed value (lastError() says why); fn reports its own failures. */
    template<typename F>
    auto executeWithConnection(F &&fn) -> std::invoke_result_t<F, Connection *>
    {
        using R = std::invoke_result_t<F, Connection *>;
        ConnectionPool::Handle handle = acquire();
        if (!handle.isValid()) {
            if constexpr (std::is_void_v<R>)
                return;
            else
                return R();
        }
        return std::forward<F>(fn)(handle.get());
    }

    /*! Closes every socket and waits until they are closed (ConnectionPool::closeAll()); true
        on success (Report mode: false and lastError()). */
    bool closeAll();

private:
    ConnectionPool *m_pool;
    ErrorMode m_mode;
    Error m_lastError;
};

} // namespace SurrealQt
