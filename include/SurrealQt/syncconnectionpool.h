#pragma once

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/syncconnection.h>

#include <type_traits>

namespace SurrealQt {

/*! The blocking twin of ConnectionPool's own calls (the Python seed's SyncConnectionPool), for
    worker threads and console tools: each call blocks the calling thread until it is done and
    throws SurrealQt::Exception on failure. It refuses to run on the connection's I/O thread, and
    blocking the GUI thread with it freezes the GUI. The blocking form of the requests themselves
    is SyncConnection. It does not own the pool. */
class SURREALQT_EXPORT SyncConnectionPool
{
public:
    /*! Blocking access to pool (not owned; it must outlive this object). */
    explicit SyncConnectionPool(ConnectionPool *pool);

    /*! The pool given to the constructor. */
    [[nodiscard]] ConnectionPool *pool() const;

    /*! Waits until a socket is free for exclusive use (see ConnectionPool::acquire()); needs no
        event loop in the calling thread. */
    [[nodiscard]] ConnectionPool::Handle acquire();

    /*! Runs fn with an acquired socket and returns what it returns; the socket is released when
        fn returns or throws. fn blocks too, e.g. [](Connection *c) { return SyncConnection(c).query(...); }.
     */
    template<typename F>
    auto executeWithConnection(F &&fn) -> std::invoke_result_t<F, Connection *>
    {
        ConnectionPool::Handle handle = acquire();
        return std::forward<F>(fn)(handle.get());
    }

    /*! Closes every socket and waits until they are closed (ConnectionPool::closeAll()). */
    void closeAll();

private:
    ConnectionPool *m_pool;
};

} // namespace SurrealQt
