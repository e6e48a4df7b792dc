#include <SurrealQt/syncsingleconnection.h>

#include "syncwait_p.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>

namespace SurrealQt {

namespace {
// The same backoff as the asynchronous form: full jitter over half the ceiling.
void backoff(int attempt)
{
    const int ceiling = std::min(5000, 100 << std::min(attempt, 10));
    QThread::msleep(ulong(ceiling / 2 + int(QRandomGenerator::global()->bounded(ceiling / 2 + 1))));
}
} // namespace

SyncSingleConnection::SyncSingleConnection(SingleConnection *connection, ErrorMode mode)
    : m_connection(connection)
    , m_mode(mode)
{}

SingleConnection *SyncSingleConnection::connection() const
{
    return m_connection;
}

QVariant SyncSingleConnection::executeWithRetry(const std::function<QVariant(Connection *)> &fn)
{
    return reporting(m_mode, m_lastError, [&] {
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
                backoff(attempt);
            }
        }
    });
}

QVariant SyncSingleConnection::executeWithRetry(const std::function<QVariant(Connection *, Error *)> &fn)
{
    return reporting(m_mode, m_lastError, [&] {
        refuseOnIoThread("SyncSingleConnection::executeWithRetry");
        for (int attempt = 0;; ++attempt) {
            Error error;
            QVariant value = fn(m_connection, &error);
            if (!error.isValid())
                return value;
            if (!error.isRetryable() || attempt >= m_connection->maxRetries())
                throw Exception(error);
            backoff(attempt);
        }
    });
}

bool SyncSingleConnection::ensureConnected()
{
    return reporting(m_mode, m_lastError, [this] {
        blockOn("SyncSingleConnection::ensureConnected", [this] { return m_connection->ensureConnected(); });
        return true;
    });
}

void SyncSingleConnection::close()
{
    reporting(m_mode, m_lastError, [this] {
        refuseOnIoThread("SyncSingleConnection::close");
        m_connection->close();
    });
}

} // namespace SurrealQt
