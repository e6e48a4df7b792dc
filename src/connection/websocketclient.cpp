#include "websocketclient_p.h"

#include "core/logging_p.h"
#include "ioeventdispatcher_p.h"
#include "rpcendpoint_p.h"
#include "rpcframe_p.h"

#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

namespace SurrealQt {

WebSocketClient::WebSocketClient(const ClientConfig &config, QObject *parent)
    : RpcClient(config, parent)
{
    m_connectTimer.setParent(this);
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcWebSocket) << "connect timed out";
        disconnectTransport();
        transportLost(Error(Error::Kind::Timeout,
                            u"No WebSocket connection within %1 ms"_s.arg(m_config.connectTimeoutMs),
                            currentUrl().toString(QUrl::RemoveUserInfo)));
    });
}

WebSocketClient::~WebSocketClient()
{
    disconnectTransport();
}

void WebSocketClient::connectTransport(const QUrl &target)
{
    disconnectTransport();
    const QUrl url = RpcEndpoint::rpcUrl(target);
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(128 * 1024 * 1024);
    m_tlsErrors.clear();
#if QT_CONFIG(ssl)
    m_socket->setSslConfiguration(m_config.ssl);
    // Set before the handshake: exactly these are let through, never "ignore everything".
    if (!m_config.ignoredSslErrors.isEmpty())
        m_socket->ignoreSslErrors(m_config.ignoredSslErrors);
    // Emitted with every problem found, ignored ones included; the handshake fails unless each
    // was ignored, and onDisconnected() then names them.
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &e : errors)
            texts.append(e.errorString());
        m_tlsErrors = texts.join(u"; "_s);
    });
#endif
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_connectTimer.stop();
        m_open = true;
#if defined(Q_OS_LINUX)
        // QWebSocket keeps its TCP (or TLS) socket as a child; without it, nothing is held.
        if (const auto *tcp = m_socket->findChild<QAbstractSocket *>()) {
            m_descriptor = tcp->socketDescriptor();
            m_dispatcher = qobject_cast<IoEventDispatcher *>(QAbstractEventDispatcher::instance());
        }
#endif
        if (m_socket->subprotocol() != u"cbor") {
            qCWarning(lcWebSocket) << "server did not accept the cbor subprotocol; got"
                                   << m_socket->subprotocol();
        }
        transportConnected();
    });
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketClient::onDisconnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &WebSocketClient::onBinaryMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        protocolError(Error(Error::Kind::Protocol,
                            u"Unexpected text frame (the connection negotiated CBOR): "_s + text.left(200),
                            currentUrl().toString(QUrl::RemoveUserInfo)));
    });
    QNetworkRequest request(url);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({u"cbor"_s});
    // 0 means no limit, as it does for the request timeout.
    if (m_config.connectTimeoutMs > 0)
        m_connectTimer.start(m_config.connectTimeoutMs);
    m_socket->open(request, options);
}

void WebSocketClient::disconnectTransport()
{
    m_connectTimer.stop();
    m_open = false;
    releaseReads();
    m_descriptor = -1;
    m_dispatcher = nullptr;
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    // Detach first: a close we asked for is not a lost connection.
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void WebSocketClient::onDisconnected()
{
    if (!m_socket)
        return;
    const QString reason = m_socket->error() != QAbstractSocket::UnknownSocketError ? m_socket->errorString()
                           : !m_socket->closeReason().isEmpty()                     ? m_socket->closeReason()
                                                                : u"the server closed the connection"_s;
    const bool wasOpen = m_open;
    if (!wasOpen && m_socket->error() == QAbstractSocket::SslHandshakeFailedError) {
        // A certificate that does not verify, or a peer that does not speak TLS, stays so: no
        // retries, and an error code can tell from a dropped socket.
        const QString why = m_tlsErrors.isEmpty() ? reason : m_tlsErrors;
        setFatal(Error(Error::Kind::Tls,
                       u"TLS handshake with %1 failed: %2"_s.arg(
                           RpcEndpoint::rpcUrl(currentUrl()).toString(QUrl::RemoveUserInfo), why),
                       currentUrl().toString(QUrl::RemoveUserInfo)));
        return;
    }
    disconnectTransport();
    transportLost(Error(Error::Kind::Connection,
                        (wasOpen ? u"Connection lost: "_s : u"Cannot connect: "_s) + reason,
                        currentUrl().toString(QUrl::RemoveUserInfo)));
}

void WebSocketClient::transmit(qint64 id, const RpcRequest &request)
{
    Error error;
    const QByteArray frame = encodeRequest(id, request, &error);
    // Answered asynchronously, so callers never see their callback run inside submit().
    if (error.isValid()) {
        QMetaObject::invokeMethod(
            this, [this, id, error] { handleReply(id, {}, error); }, Qt::QueuedConnection);
        return;
    }
    if (!m_socket || !m_open) {
        // The drop is being handled (or is about to be): the request waits for the reconnect.
        QMetaObject::invokeMethod(
            this, [this, id] { unsent(id); }, Qt::QueuedConnection);
        return;
    }
    releaseReads();
    m_socket->sendBinaryMessage(frame);
    m_unflushed = true;
}

void WebSocketClient::holdReads()
{
#if defined(Q_OS_LINUX)
    if (m_dispatcher && m_descriptor >= 0 && !hasInflight())
        m_dispatcher->holdReads(m_descriptor, ReadHold);
#endif
}

void WebSocketClient::releaseReads()
{
#if defined(Q_OS_LINUX)
    if (m_dispatcher && m_descriptor >= 0)
        m_dispatcher->releaseReads(m_descriptor);
#endif
}

void WebSocketClient::flushTransport()
{
    if (!std::exchange(m_unflushed, false) || !m_socket)
        return;
    m_socket->flush();
}

void WebSocketClient::onBinaryMessage(const QByteArray &bytes)
{
    const RpcFrame frame = parseRpcFrame(bytes);
    switch (frame.kind) {
    case RpcFrame::Kind::Malformed:
        protocolError(
            Error(frame.error.kind(), frame.error.message(), currentUrl().toString(QUrl::RemoveUserInfo)));
        return;
    case RpcFrame::Kind::Reply:
        handleReply(frame.id, frame.result, frame.error);
        return;
    case RpcFrame::Kind::Notification:
        handleNotification(frame.notification);
        holdReads();
        return;
    case RpcFrame::Kind::UncorrelatedError:
        qCWarning(lcWebSocket) << "server error without request id:" << frame.error;
        Q_EMIT errorOccurred(frame.error);
        return;
    case RpcFrame::Kind::Ignored:
        break;
    }
    qCWarning(lcWebSocket) << "ignoring a frame that is neither a reply nor a notification";
}

} // namespace SurrealQt
