#include <SurrealQt/syncsingleconnection.h>

#include "syncwait_p.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>

namespace SurrealQt {

SyncSingleConnection::SyncSingleConnection(SingleConnection *connection)
    : m_connection(connection)
{}

SingleConnection *SyncSingleConnection::connection() const
{
    return m_connection;
}

QVariant SyncSingleConnection::executeWithRetry(const std::function<QVariant(Connection *)> &fn)
{
    refuseOnIoThread("SyncSingleConnection::executeWithRetry");
    // The loop runs here rather than through SingleConnection::executeWithRetry(), whose
    // attempts are judged in that object's thread: blocking on it from that very thread would
    // wait for itself.
    for (int attempt = 0;; ++attempt) {
        try {
            return fn(m_connection);
        } catch (const Exception &e) {
            if (!e.error().isRetryable() || attempt >= m_connection->maxRetries())
                throw;
            // The same backoff as the asynchronous form: full jitter over half the ceiling.
            const int ceiling = std::min(5000, 100 << std::min(attempt, 10));
            QThread::msleep(ulong(ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1))));
        }
    }
}

void SyncSingleConnection::ensureConnected()
{
    blockOn("SyncSingleConnection::ensureConnected", [this] { return m_connection->ensureConnected(); });
}

void SyncSingleConnection::close()
{
    refuseOnIoThread("SyncSingleConnection::close");
    m_connection->close();
}

} // namespace SurrealQt
