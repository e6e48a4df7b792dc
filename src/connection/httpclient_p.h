#pragma once

// Not public API. SurrealDB RPC over HTTP POST /rpc. HTTP is stateless on the server, so
// use/let/unset/invalidate are kept here and sent as headers and query variables.

#include "rpcclient_p.h"

namespace SurrealQt {

class HttpClient : public RpcClient
{
    Q_OBJECT

public:
    explicit HttpClient(const ClientConfig &config, QObject *parent = nullptr);

    [[nodiscard]] bool isWebSocket() const override { return false; }

protected:
    void connectTransport(const QUrl &url) override;
    void disconnectTransport() override;
    void transmit(qint64 id, const RpcRequest &request) override;
    // QNetworkAccessManager opens six connections per host and gets slower the more requests
    // wait inside it; our queue is cheaper and keeps the order.
    [[nodiscard]] qsizetype maxInflight() const override { return 6; }

private:
    void post(qint64 id, const RpcRequest &request, bool probe);

    QSet<QNetworkReply *> m_replies;
};

} // namespace SurrealQt
