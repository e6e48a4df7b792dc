#pragma once

// Not public API. SurrealDB RPC over one QWebSocket with the "cbor" subprotocol.

#include "rpcclient_p.h"

#include <QtWebSockets/QWebSocket>

namespace SurrealQt {

class WebSocketClient : public RpcClient
{
    Q_OBJECT

public:
    explicit WebSocketClient(const ClientConfig &config, QObject *parent = nullptr);
    ~WebSocketClient() override;

    [[nodiscard]] bool isWebSocket() const override { return true; }

protected:
    void connectTransport(const QUrl &url) override;
    void disconnectTransport() override;
    void transmit(qint64 id, const RpcRequest &request) override;
    void flushTransport() override;

private:
    void onBinaryMessage(const QByteArray &frame);
    void onDisconnected();

    QWebSocket *m_socket = nullptr;
    QTimer m_connectTimer;
    bool m_open = false;
    // Frames buffered in the socket that flushTransport() has not handed to the kernel yet.
    bool m_unflushed = false;
    // The certificate problems of the handshake under way, for the error if it fails.
    QString m_tlsErrors;
};

} // namespace SurrealQt
