#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#endif

namespace SurrealQt {

/*! How a DatabaseManager connects, named rather than passed as positional ints and bools.
    Timeouts and retries have setters on the manager. The TLS settings apply to wss:// and
    https:// URLs (every socket, the HTTP client, /export and /import); see docs/tls.md. */
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
#if QT_CONFIG(ssl)
    /*! The TLS settings of every connection, as QSslSocket::setSslConfiguration() takes them: to
        trust a private CA, add it with addCaCertificates(); for a client certificate, set
        localCertificate() and privateKey(). Peers are verified unless peerVerifyMode() says
        otherwise. */
    QSslConfiguration sslConfiguration = QSslConfiguration::defaultConfiguration();
    /*! Certificate errors to accept, as QSslSocket::ignoreSslErrors(const QList<QSslError> &)
        takes them: each names the error and the certificate it is about, so one known
        certificate can be let through and nothing else. Any other error fails the connection
        with Error::Kind::Tls. */
    QList<QSslError> ignoredSslErrors = {};
#endif
};

} // namespace SurrealQt
