#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QObject>

namespace SurrealQt {

/*! How a DatabaseManager connects, named rather than passed as positional ints and bools.
    Timeouts and retries have setters on the manager. */
struct SURREALQT_EXPORT ConnectionOptions
{
    Q_GADGET

public:
    /*! How many WebSockets a manager opens (HTTP always uses one client). */
    enum class Sockets {
        Pool,   //!< poolSize WebSockets behind one ConnectionPool (connection() is a ConnectionPool)
        Single, //!< one WebSocket (connection() is a SingleConnection)
    };
    Q_ENUM(Sockets)

    /*! Measured with bench/bench_requests against surreal-local on a 2-core desktop-class machine:
        the server already runs the requests of one socket concurrently, so more sockets bring no
        throughput (4 sockets were not faster than 1); a second socket keeps requests flowing while
        one reconnects or carries a long query. HTTP ignores both settings (one client). */
    static constexpr int DefaultPoolSize = 2;

    /*! A pool unless set. */
    Sockets sockets = Sockets::Pool;
    /*! Sockets in the pool (Sockets::Pool only); at least 1. */
    int poolSize = DefaultPoolSize;
};

} // namespace SurrealQt
