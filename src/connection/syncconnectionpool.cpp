#include <SurrealQt/syncconnectionpool.h>

#include "syncwait_p.h"

namespace SurrealQt {

SyncConnectionPool::SyncConnectionPool(ConnectionPool *pool, ErrorMode mode)
    : m_pool(pool)
    , m_mode(mode)
{}

ConnectionPool *SyncConnectionPool::pool() const
{
    return m_pool;
}

ConnectionPool::Handle SyncConnectionPool::acquire()
{
    // The future is finished by the thread that releases a socket, not through this thread's
    // event loop: waiting here cannot starve it.
    return reporting(m_mode, m_lastError, [this] {
        return blockOn("SyncConnectionPool::acquire", [this] { return m_pool->acquire(); });
    });
}

bool SyncConnectionPool::closeAll()
{
    return reporting(m_mode, m_lastError, [this] {
        blockOn("SyncConnectionPool::closeAll", [this] { return m_pool->closeAll(); });
        return true;
    });
}

} // namespace SurrealQt
