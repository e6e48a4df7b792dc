#pragma once

// Not public API. SurrealDB RPC over HTTP POST /rpc. HTTP is stateless on the server, so
// use/let/unset/invalidate are kept here and sent as headers and query variables.

#include "httpkeepaliveclient_p.h"
#include "rpcclient_p.h"

namespace SurrealQt {

class HttpClient : public RpcClient
{
    Q_OBJECT

public:
    explicit HttpClient(const ClientConfig &config, QObject *parent = nullptr);

    [[nodiscard]] bool isWebSocket() const override { return false; }

    // Maps a non-200 answer to an Error by its status. A 401 to a request that carried our
    // Bearer token says the token is no longer accepted; when it has expired by its own claim,
    // the error says so in details() ({kind: "Auth", details: {kind: "TokenExpired"}}), as the
    // WebSocket error does, so that the automatic re-sign-in does not depend on message words.
    // The error kind an HTTP status stands for (401 Authentication, 403 NotAllowed, ...).
    [[nodiscard]] static Error::Kind kindForStatus(int status);
    [[nodiscard]] static Error statusError(int status, const QByteArray &body, const QString &context,
                                           const QString &bearerToken);

protected:
    void connectTransport(const QUrl &url) override;
    void disconnectTransport() override;
    void transmit(qint64 id, const RpcRequest &request) override;
    // As many requests as keep-alive connections; the rest wait in our queue, in order.
    [[nodiscard]] qsizetype maxInflight() const override { return MaxConnections; }

private:
    static constexpr int MaxConnections = 12;

    void post(qint64 id, const RpcRequest &request, bool probe);
    void answerLater(qint64 id, const QVariant &value, const Error &error);
    // The header lines for a request; an Error when a value cannot travel in a header.
    [[nodiscard]] const QByteArray &headers(bool withSession, bool withAuth, Error *error);

    HttpKeepAliveClient m_http;
    QUrl m_rpcUrl;
    // Built once per session change rather than per request.
    struct HeaderCache
    {
        QString ns, db, token, user, password, authNs, authDb;
        bool valid = false;
        QByteArray lines;
        Error error;
    } m_headers[2];
    QByteArray m_bareHeaders;
};

} // namespace SurrealQt
