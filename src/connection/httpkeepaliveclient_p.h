#pragma once

// Not public API. A small HTTP/1.1 client for POST /rpc: a few keep-alive connections to one
// server, one request at a time on each, everything on the calling (I/O) thread.
//
// Why not QNetworkAccessManager: measured against a server that answers at once, it costs about
// 450 µs of client CPU per request (a reply object, a delegate, and two thread hops each time),
// ten times what a whole request costs over WebSocket; no attribute or policy changes that
// (bench/README.md). This client keeps what mattered from it: the application's proxy settings
// (QNetworkProxy, through QAbstractSocket), TLS with peer verification, no redirect following,
// timeouts, and errors that say what failed where.

#include <SurrealQt/error.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QQueue>
#include <QtCore/QUrl>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#endif

#include <functional>

QT_BEGIN_NAMESPACE
class QAbstractSocket;
class QTimer;
QT_END_NAMESPACE

namespace SurrealQt {

struct HttpResponse
{
    // Why a request failed below HTTP; None when a status line arrived.
    enum class Failure { None, Transport, Tls, Timeout, Redirect };

    int status = 0;
    QByteArray body;
    QByteArray contentType;
    Failure failure = Failure::None;
    // Filled when failure != None.
    Error error;
};

class HttpKeepAliveClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const HttpResponse &)>;

    explicit HttpKeepAliveClient(QObject *parent = nullptr);
    ~HttpKeepAliveClient() override;

    void setMaxConnections(int count) { m_maxConnections = qMax(1, count); }
    void setConnectTimeout(int ms) { m_connectTimeoutMs = ms; }
#if QT_CONFIG(ssl)
    void setSslConfiguration(const QSslConfiguration &configuration)
    {
        m_ssl = configuration;
    }
    // The certificate errors QSslSocket::ignoreSslErrors() lets through on every connection.
    void setIgnoredSslErrors(const QList<QSslError> &errors)
    {
        m_ignoredSslErrors = errors;
    }
#endif

    // POSTs body to url. headers holds complete "Name: value\r\n" lines, without Host,
    // Content-Length and Connection, which are added here. timeoutMs <= 0: no limit. The callback
    // runs exactly once, never from inside post(), unless abortAll() came first.
    void post(const QUrl &url, const QByteArray &headers, const QByteArray &body, int timeoutMs,
              Callback callback);
    // Closes every connection; callbacks of unanswered requests are not called.
    void abortAll();
    // How many connections are open (busy or idle); for tests and diagnostics.
    [[nodiscard]] int openConnections() const
    {
        return int(m_connections.size());
    }

private:
    struct Request
    {
        QUrl url;
        QByteArray headers;
        QByteArray body;
        int timeoutMs = 0;
        Callback callback;
        // Sent once on a kept-alive connection the server had closed meanwhile.
        bool retried = false;
    };
    struct Connection;

    void dispatch();
    void start(Connection *c, Request request);
    void onConnected(Connection *c);
    void onReadyRead(Connection *c);
    void onSocketError(Connection *c);
    void onTimeout(Connection *c);
    // Parses what has arrived; true when a complete response was handed out.
    bool parse(Connection *c);
    void complete(Connection *c, HttpResponse response, bool keepAlive);
    void fail(Connection *c, HttpResponse::Failure failure, const Error &error);
    void drop(Connection *c);
    [[nodiscard]] QString where(const Connection *c) const;

    QList<Connection *> m_connections;
    QQueue<Request> m_waiting;
#if QT_CONFIG(ssl)
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
    QList<QSslError> m_ignoredSslErrors;
#endif
    int m_maxConnections = 6;
    int m_connectTimeoutMs = 10000;
    bool m_posting = false;
};

} // namespace SurrealQt
