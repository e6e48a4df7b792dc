#include "httpkeepaliveclient_p.h"

#include "core/logging_p.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QTcpSocket>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslSocket>
#endif

using namespace Qt::StringLiterals;

namespace SurrealQt {

struct HttpKeepAliveClient::Connection
{
    enum class Phase { Idle, Head, Body, Chunked, UntilClose };

    QAbstractSocket *socket = nullptr;
    QTimer *timer = nullptr;
    QUrl origin;
    QNetworkProxy proxy;
    // "POST /rpc HTTP/1.1\r\nHost: h:p\r\n" for origin's path, built once per connection.
    QByteArray requestHead;
    QString originText;
    bool connected = false;
    bool busy = false;
    // It answered before: a close before any byte of the next answer is the server dropping
    // an idle connection, not a verdict on the request.
    bool reused = false;
    bool gotBytes = false;
    Request request;
    QByteArray buffer;
    Phase phase = Phase::Idle;
    HttpResponse response;
    qsizetype bodyLength = 0;
    bool keepAlive = true;
    QString tlsErrors;
};

namespace {

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    // QUrl's own comparison reads its parts in place; host() and path() would allocate.
    return a == b;
}

bool isTls(const QUrl &url)
{
    return url.scheme() == u"https" || url.scheme() == u"wss";
}

// An HTTP proxy forwards plain-HTTP requests itself (absolute-form request line), as
// QNetworkAccessManager uses it; TLS goes through a CONNECT tunnel, SOCKS5 through the socket.
bool forwardsItself(const QNetworkProxy &proxy, const QUrl &url)
{
    return !isTls(url) &&
           (proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::HttpCachingProxy);
}

QByteArray requestHeadFor(const QUrl &url, const QNetworkProxy &proxy = QNetworkProxy(QNetworkProxy::NoProxy))
{
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    const int defaultPort = isTls(url) ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    if (!forwardsItself(proxy, url))
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
    QByteArray head = "POST http://" + host + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
    if (!proxy.user().isEmpty())
        head += "Proxy-Authorization: Basic " + (proxy.user() + u':' + proxy.password()).toUtf8().toBase64() +
                "\r\n";
    return head;
}

// Case-insensitive ASCII compare of a header name that starts at p.
bool nameIs(const char *p, qsizetype len, const char *lowerName)
{
    const qsizetype n = qsizetype(qstrlen(lowerName));
    if (len != n)
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        char ch = p[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = char(ch - 'A' + 'a');
        if (ch != lowerName[i])
            return false;
    }
    return true;
}

QByteArray trimmed(const char *p, qsizetype len)
{
    return QByteArray(p, len).trimmed();
}

} // namespace

HttpKeepAliveClient::HttpKeepAliveClient(QObject *parent)
    : QObject(parent)
{}

HttpKeepAliveClient::~HttpKeepAliveClient()
{
    abortAll();
}

void HttpKeepAliveClient::post(const QUrl &url, const QByteArray &headers, const QByteArray &body,
                               int timeoutMs, Callback callback)
{
    m_waiting.enqueue(Request{url, headers, body, timeoutMs, std::move(callback), false});
    m_posting = true;
    dispatch();
    m_posting = false;
}

void HttpKeepAliveClient::abortAll()
{
    m_waiting.clear();
    const auto connections = std::exchange(m_connections, {});
    for (Connection *c : connections) {
        c->socket->disconnect(this);
        c->timer->disconnect(this);
        c->socket->abort();
        c->socket->deleteLater();
        c->timer->deleteLater();
        delete c;
    }
}

void HttpKeepAliveClient::dispatch()
{
    while (!m_waiting.isEmpty()) {
        const Request &next = m_waiting.head();
        Connection *idle = nullptr;
        Connection *stale = nullptr;
        for (Connection *c : std::as_const(m_connections)) {
            if (c->busy)
                continue;
            if (sameOrigin(c->origin, next.url)) {
                idle = c;
                break;
            }
            stale = c;
        }
        if (!idle && m_connections.size() >= m_maxConnections) {
            if (!stale)
                return; // every connection is busy: wait for one to finish
            // Kept alive for a server we no longer talk to (the URL changed): make room.
            drop(stale);
        }
        if (!idle) {
            idle = new Connection;
            idle->origin = next.url;
            // The application's proxy settings, resolved once per connection as QNAM would.
            const QList<QNetworkProxy> proxies =
                QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(next.url));
            idle->proxy = proxies.value(0, QNetworkProxy(QNetworkProxy::NoProxy));
            if (idle->proxy.type() == QNetworkProxy::HttpCachingProxy && isTls(next.url))
                idle->proxy = QNetworkProxy(QNetworkProxy::NoProxy);
            idle->requestHead = requestHeadFor(next.url, idle->proxy);
            idle->originText =
                next.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
            idle->timer = new QTimer(this);
            idle->timer->setSingleShot(true);
            // The request timeout is a deadline: a coarse timer may fire 5 % early or late.
            idle->timer->setTimerType(Qt::PreciseTimer);
            connect(idle->timer, &QTimer::timeout, this, [this, idle] { onTimeout(idle); });
            m_connections.append(idle);
        }
        start(idle, m_waiting.dequeue());
    }
}

void HttpKeepAliveClient::start(Connection *c, Request request)
{
    c->busy = true;
    c->gotBytes = false;
    c->buffer.clear();
    c->phase = Connection::Phase::Head;
    c->response = HttpResponse();
    c->keepAlive = true;
    c->request = std::move(request);
    if (c->connected) {
        onConnected(c);
        return;
    }
    const QUrl &url = c->origin;
    const bool tls = isTls(url);
    const bool forward = forwardsItself(c->proxy, url);
    const QString host = forward ? c->proxy.hostName() : url.host();
    const quint16 port = forward ? c->proxy.port() : quint16(url.port(tls ? 443 : 80));
#if QT_CONFIG(ssl)
    if (tls) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_ssl);
        if (!m_ignoredSslErrors.isEmpty())
            ssl->ignoreSslErrors(m_ignoredSslErrors);
        c->socket = ssl;
        connect(ssl, &QSslSocket::encrypted, this, [this, c] {
            c->connected = true;
            onConnected(c);
        });
        connect(ssl, &QSslSocket::sslErrors, this, [c](const QList<QSslError> &errors) {
            // Unless every one of them is in m_ignoredSslErrors, the handshake fails and
            // errorOccurred() reports it with these.
            QStringList texts;
            for (const QSslError &e : errors)
                texts.append(e.errorString());
            c->tlsErrors = texts.join(u"; "_s);
        });
    } else
#endif
    {
        c->socket = new QTcpSocket(this);
        connect(c->socket, &QAbstractSocket::connected, this, [this, c] {
            c->connected = true;
            onConnected(c);
        });
    }
    c->socket->setProxy(forward ? QNetworkProxy(QNetworkProxy::NoProxy) : c->proxy);
    c->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(c->socket, &QAbstractSocket::readyRead, this, [this, c] { onReadyRead(c); });
    connect(c->socket, &QAbstractSocket::errorOccurred, this, [this, c] { onSocketError(c); });
    if (m_connectTimeoutMs > 0)
        c->timer->start(m_connectTimeoutMs);
#if QT_CONFIG(ssl)
    if (tls) {
        static_cast<QSslSocket *>(c->socket)->connectToHostEncrypted(host, port);
        return;
    }
#else
    if (tls) {
        // Answered from the event loop like every other failure.
        QTimer::singleShot(0, this, [this, c] {
            fail(c, HttpResponse::Failure::Tls,
                 Error(Error::Kind::Tls, u"This Qt has no TLS support; cannot reach "_s + where(c)));
        });
        return;
    }
#endif
    c->socket->connectToHost(host, port);
}

void HttpKeepAliveClient::onConnected(Connection *c)
{
    if (!c->busy)
        return;
    const Request &r = c->request;
    QByteArray out;
    const QByteArray length = QByteArray::number(r.body.size());
    const bool ownHead = sameOrigin(r.url, c->origin);
    const QByteArray head = ownHead ? c->requestHead : requestHeadFor(r.url, c->proxy);
    out.reserve(head.size() + r.headers.size() + length.size() + r.body.size() + 24);
    out.append(head)
        .append(r.headers)
        .append("Content-Length: ")
        .append(length)
        .append("\r\n\r\n")
        .append(r.body);
    if (r.timeoutMs > 0)
        c->timer->start(r.timeoutMs);
    else
        c->timer->stop();
    c->socket->write(out);
    // Straight to the kernel: waiting for the write notifier costs an event-loop round and
    // two notifier toggles per request.
    c->socket->flush();
}

void HttpKeepAliveClient::onReadyRead(Connection *c)
{
    const QByteArray data = c->socket->readAll();
    if (!c->busy) {
        // Bytes nobody asked for: this connection cannot be trusted for the next request.
        drop(c);
        dispatch();
        return;
    }
    c->gotBytes = true;
    c->buffer.append(data);
    parse(c);
}

bool HttpKeepAliveClient::parse(Connection *c)
{
    for (;;) {
        switch (c->phase) {
        case Connection::Phase::Idle:
            return false;
        case Connection::Phase::Head: {
            const qsizetype end = c->buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (c->buffer.size() > 64 * 1024) {
                    fail(c, HttpResponse::Failure::Transport,
                         Error(Error::Kind::Protocol,
                               u"HTTP response headers larger than 64 KiB from "_s + where(c)));
                    return false;
                }
                return false;
            }
            const char *data = c->buffer.constData();
            const qsizetype lineEnd = c->buffer.indexOf("\r\n");
            // "HTTP/1.1 200 OK"
            if (lineEnd < 12 || !c->buffer.startsWith("HTTP/1.")) {
                fail(c, HttpResponse::Failure::Transport,
                     Error(Error::Kind::Protocol,
                           u"Not an HTTP response from %1: %2"_s.arg(
                               where(c), QString::fromLatin1(c->buffer.left(qMin<qsizetype>(lineEnd, 80))))));
                return false;
            }
            const bool http10 = data[7] == '0';
            bool ok = false;
            const int status = QByteArray(data + 9, 3).toInt(&ok);
            if (!ok) {
                fail(c, HttpResponse::Failure::Transport,
                     Error(Error::Kind::Protocol, u"Malformed HTTP status line from "_s + where(c)));
                return false;
            }
            HttpResponse &resp = c->response;
            resp.status = status;
            qsizetype contentLength = -1;
            bool chunked = false;
            bool closeAfter = http10;
            QByteArray location;
            qsizetype pos = lineEnd + 2;
            while (pos < end) {
                qsizetype eol = c->buffer.indexOf("\r\n", pos);
                if (eol < 0 || eol > end)
                    eol = end;
                const char *line = data + pos;
                const qsizetype colon = c->buffer.indexOf(':', pos);
                if (colon > pos && colon < eol) {
                    const qsizetype nameLen = colon - pos;
                    const char *value = data + colon + 1;
                    const qsizetype valueLen = eol - colon - 1;
                    if (nameIs(line, nameLen, "content-length")) {
                        contentLength = trimmed(value, valueLen).toLongLong(&ok);
                        if (!ok || contentLength < 0) {
                            fail(
                                c, HttpResponse::Failure::Transport,
                                Error(Error::Kind::Protocol, u"Malformed Content-Length from "_s + where(c)));
                            return false;
                        }
                    } else if (nameIs(line, nameLen, "transfer-encoding")) {
                        chunked = trimmed(value, valueLen).toLower().contains("chunked");
                    } else if (nameIs(line, nameLen, "connection")) {
                        const QByteArray v = trimmed(value, valueLen).toLower();
                        if (v.contains("close"))
                            closeAfter = true;
                        else if (v.contains("keep-alive"))
                            closeAfter = false;
                    } else if (nameIs(line, nameLen, "content-type")) {
                        resp.contentType = trimmed(value, valueLen);
                    } else if (nameIs(line, nameLen, "location")) {
                        location = trimmed(value, valueLen);
                    }
                }
                pos = eol + 2;
            }
            c->buffer.remove(0, end + 4);
            c->keepAlive = !closeAfter;
            if (status >= 100 && status < 200) {
                continue; // interim answer; the real one follows
            }
            if (status >= 300 && status < 400) {
                // Following it would send the session's credentials wherever it points.
                fail(c, HttpResponse::Failure::Redirect,
                     Error(Error::Kind::Connection,
                           u"HTTP %1 from %2: the server redirects to '%3', and redirects are not followed "
                           "(they would carry the credentials elsewhere); use the address the server itself "
                           "listens on"_s.arg(status)
                               .arg(where(c), QString::fromLatin1(location)))
                         .setServerCode(status));
                return false;
            }
            if (status == 204 || status == 304) {
                complete(c, std::move(resp), c->keepAlive);
                return true;
            }
            if (chunked) {
                c->phase = Connection::Phase::Chunked;
            } else if (contentLength >= 0) {
                c->phase = Connection::Phase::Body;
                c->bodyLength = contentLength;
            } else {
                c->phase = Connection::Phase::UntilClose;
                c->keepAlive = false;
            }
            continue;
        }
        case Connection::Phase::Body:
            if (c->buffer.size() < c->bodyLength)
                return false;
            if (c->buffer.size() == c->bodyLength) {
                c->response.body = std::exchange(c->buffer, {});
            } else {
                c->response.body = c->buffer.left(c->bodyLength);
                c->buffer.remove(0, c->bodyLength);
            }
            complete(c, std::move(c->response), c->keepAlive && c->buffer.isEmpty());
            return true;
        case Connection::Phase::Chunked: {
            const qsizetype eol = c->buffer.indexOf("\r\n");
            if (eol < 0)
                return false;
            QByteArray sizeText = c->buffer.left(eol);
            const qsizetype semicolon = sizeText.indexOf(';');
            if (semicolon >= 0)
                sizeText.truncate(semicolon);
            bool ok = false;
            const qsizetype size = sizeText.trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0) {
                fail(c, HttpResponse::Failure::Transport,
                     Error(Error::Kind::Protocol, u"Malformed chunked HTTP response from "_s + where(c)));
                return false;
            }
            if (size == 0) {
                // Optional trailers, then an empty line.
                const qsizetype trailerEnd = c->buffer.indexOf("\r\n\r\n", eol);
                const bool noTrailers = c->buffer.size() >= eol + 4 && c->buffer.mid(eol, 4) == "\r\n\r\n";
                if (!noTrailers && trailerEnd < 0)
                    return false;
                c->buffer.remove(0, noTrailers ? eol + 4 : trailerEnd + 4);
                complete(c, std::move(c->response), c->keepAlive && c->buffer.isEmpty());
                return true;
            }
            if (c->buffer.size() < eol + 2 + size + 2)
                return false;
            c->response.body.append(c->buffer.constData() + eol + 2, size);
            c->buffer.remove(0, eol + 2 + size + 2);
            continue;
        }
        case Connection::Phase::UntilClose:
            c->response.body.append(std::exchange(c->buffer, {}));
            return false;
        }
    }
}

void HttpKeepAliveClient::complete(Connection *c, HttpResponse response, bool keepAlive)
{
    Callback callback = std::move(c->request.callback);
    c->request = Request();
    c->timer->stop();
    c->busy = false;
    c->phase = Connection::Phase::Idle;
    c->reused = true;
    if (!keepAlive)
        drop(c);
    // The callback may post, abort everything, or delete us: touch nothing after it but a guard.
    QPointer<HttpKeepAliveClient> guard(this);
    callback(response);
    if (guard)
        dispatch();
}

void HttpKeepAliveClient::fail(Connection *c, HttpResponse::Failure failure, const Error &error)
{
    Callback callback = std::move(c->request.callback);
    c->busy = false;
    drop(c);
    HttpResponse response;
    response.failure = failure;
    response.error = error;
    if (m_posting) {
        // A socket that fails inside connectToHost(): the caller must not see its callback run
        // inside post().
        QMetaObject::invokeMethod(
            this,
            [callback = std::move(callback), response] {
                if (callback)
                    callback(response);
            },
            Qt::QueuedConnection);
        return;
    }
    QPointer<HttpKeepAliveClient> guard(this);
    if (callback)
        callback(response);
    if (guard)
        dispatch();
}

void HttpKeepAliveClient::onSocketError(Connection *c)
{
    const QAbstractSocket::SocketError code = c->socket->error();
    if (!c->busy) {
        // An idle connection the server closed (keep-alive timeout): forget it.
        drop(c);
        return;
    }
    if (code == QAbstractSocket::RemoteHostClosedError) {
        if (c->phase == Connection::Phase::UntilClose) {
            parse(c);
            complete(c, std::move(c->response), false);
            return;
        }
        if (c->reused && !c->gotBytes && !c->request.retried) {
            // The server closed a kept-alive connection as we sent on it; it never saw the
            // request (it answers each before closing), so send it once more on a fresh one.
            Request again = std::move(c->request);
            again.retried = true;
            c->busy = false;
            drop(c);
            m_waiting.prepend(std::move(again));
            dispatch();
            return;
        }
    }
    if (c->timer->isActive() && !c->connected && code == QAbstractSocket::SocketTimeoutError)
        return; // our own timer reports connect timeouts
    const QString reason = c->socket->errorString();
    // Errors that were ignored let the handshake finish (connected): a later failure is not TLS's.
    if (!c->connected && (!c->tlsErrors.isEmpty() || code == QAbstractSocket::SslHandshakeFailedError)) {
        fail(c, HttpResponse::Failure::Tls,
             Error(Error::Kind::Tls, u"TLS handshake with %1 failed: %2"_s.arg(
                                         where(c), c->tlsErrors.isEmpty() ? reason : c->tlsErrors)));
        return;
    }
    fail(c, HttpResponse::Failure::Transport,
         Error(Error::Kind::Connection,
               (c->connected ? u"Connection to %1 lost: %2"_s : u"Cannot connect to %1: %2"_s)
                   .arg(where(c), reason)));
}

void HttpKeepAliveClient::onTimeout(Connection *c)
{
    if (!c->busy) {
        drop(c);
        return;
    }
    const int ms = c->connected ? c->request.timeoutMs : m_connectTimeoutMs;
    fail(c, HttpResponse::Failure::Timeout,
         Error(Error::Kind::Timeout, (c->connected ? u"No HTTP response from %1 within %2 ms"_s
                                                   : u"No connection to %1 within %2 ms"_s)
                                         .arg(where(c))
                                         .arg(ms)));
}

void HttpKeepAliveClient::drop(Connection *c)
{
    if (!m_connections.removeOne(c))
        return;
    c->timer->disconnect(this);
    c->timer->stop();
    c->timer->deleteLater();
    if (c->socket) {
        c->socket->disconnect(this);
        c->socket->abort();
        c->socket->deleteLater();
    }
    delete c;
}

QString HttpKeepAliveClient::where(const Connection *c) const
{
    return c->originText;
}

} // namespace SurrealQt
