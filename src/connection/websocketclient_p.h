#pragma once

// Not public API. SurrealDB RPC over one QWebSocket with the "cbor" subprotocol.

#include "rpcclient_p.h"

#include <QtWebSockets/QWebSocket>

#include <chrono>

namespace SurrealQt {

class IoEventDispatcher;

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
    // While the socket delivers only live notifications, its reads are held for this long after
    // each one: a stream of them is read in one wake-up of the I/O thread per hold instead of one
    // each. Nothing waits for a reply then; sending a request ends the hold.
    static constexpr std::chrono::microseconds ReadHold{1000};
    void holdReads();
    void releaseReads();

    QWebSocket *m_socket = nullptr;
    QTimer m_connectTimer;
    bool m_open = false;
    // Frames buffered in the socket that flushTransport() has not handed to the kernel yet.
    bool m_unflushed = false;
    // The certificate problems of the handshake under way, for the error if it fails.
    QString m_tlsErrors;
    // The socket under m_socket and the I/O thread's own loop, for holdReads(); -1 and null when
    // either is unknown (another event loop: SURREALQT_IO_DISPATCHER=qt, or not Linux).
    qintptr m_descriptor = -1;
    IoEventDispatcher *m_dispatcher = nullptr;
};

} // namespace SurrealQt
