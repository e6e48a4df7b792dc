#pragma once

// Not public API. A Connection used from another thread (a bulk job's or a page cursor's
// continuation on the I/O thread) while its owner may delete it in its own thread.
//
// `if (QPointer<Connection>) c->query(...)` races there: the owner can destroy the connection
// between the check and the call. A lifeline is closed, under its write lock, at the start of
// the most-derived destructor (~ConnectionPool, ~SingleConnection: before any of the object is
// torn down); use() holds the read lock for the whole call, so a call either runs on a live
// connection (and the destructor waits for it) or sees the line closed.

#include <QtCore/QReadWriteLock>

#include <memory>

namespace SurrealQt {

class Connection;

namespace Internal {

class ConnectionLifeline
{
public:
    explicit ConnectionLifeline(Connection *connection)
        : m_connection(connection)
    {}

    // The connection's one lifeline, made on first use. Call it while the connection is alive.
    static std::shared_ptr<ConnectionLifeline> of(Connection *connection);
    // Closes the connection's lifeline, if it has one; waits for calls running through it.
    static void close(Connection *connection);

    // Runs f(connection) with the connection kept alive meanwhile; false (f not run) once the
    // connection is being destroyed. f must not wait for the connection's own thread.
    template<typename F>
    bool use(F &&f)
    {
        QReadLocker lock(&m_lock);
        if (!m_connection)
            return false;
        std::forward<F>(f)(m_connection);
        return true;
    }

    [[nodiscard]] bool isAlive()
    {
        QReadLocker lock(&m_lock);
        return m_connection != nullptr;
    }

private:
    void shut()
    {
        QWriteLocker lock(&m_lock);
        m_connection = nullptr;
    }

    // Recursive: a call made through use() may reach use() again on the same thread.
    QReadWriteLock m_lock{QReadWriteLock::Recursive};
    Connection *m_connection;
};

} // namespace Internal
} // namespace SurrealQt
