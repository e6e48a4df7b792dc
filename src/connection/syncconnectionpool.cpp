#include <SurrealQt/syncconnectionpool.h>

#include "syncwait_p.h"

namespace SurrealQt {

SyncConnectionPool::SyncConnectionPool(ConnectionPool *pool)
    : m_pool(pool)
{}

ConnectionPool *SyncConnectionPool::pool() const
{
    return m_pool;
}

ConnectionPool::Handle SyncConnectionPool::acquire()
{
    // The future is finished by the thread that releases a socket, not through this thread's
    // event loop: waiting here cannot starve it.
    return blockOn("SyncConnectionPool::acquire", [this] { return m_pool->acquire(); });
}

void SyncConnectionPool::closeAll()
{
    blockOn("SyncConnectionPool::closeAll", [this] { return m_pool->closeAll(); });
}

} // namespace SurrealQt
