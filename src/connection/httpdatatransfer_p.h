#pragma once

// Not public API. The plain HTTP endpoints next to /rpc: building a request that carries a
// session's namespace, database and identity as headers, mapping HTTP failures to Errors, and
// /export and /import (both transports use them; WebSocket has no RPC for either).

#include "rpcclient_p.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

namespace SurrealQt {

namespace HttpEndpoint {
// A request to the server's endpoint at path (RpcEndpoint::httpUrl() decides the address).
[[nodiscard]] QNetworkRequest request(const QUrl &serverUrl, const QString &path, const SessionState &session,
                                      int timeoutMs, bool withAuth);
// A finished reply's HTTP-level failure as an Error; an invalid Error for a 200.
[[nodiscard]] Error errorOf(QNetworkReply *reply, const QString &context);
} // namespace HttpEndpoint

// /export and /import calls of one connection; close() cancels whatever is still under way.
class HttpDataTransfer : public QObject
{
    Q_OBJECT

public:
    explicit HttpDataTransfer(QObject *parent = nullptr);

    QNetworkAccessManager *network();
    void exportDatabase(const QNetworkRequest &request, const QString &context, const RpcReplyPtr &reply);
    void importDatabase(const QNetworkRequest &request, const QString &surrealql, const QString &context,
                        const RpcReplyPtr &reply);
    void cancelAll(const Error &reason);
#if QT_CONFIG(ssl)
    void setIgnoredSslErrors(const QList<QSslError> &errors)
    {
        m_ignoredSslErrors = errors;
    }
#endif

private:
    void track(QNetworkReply *net, const QString &context, const RpcReplyPtr &reply, bool returnsText);

    QNetworkAccessManager *m_network = nullptr;
    QHash<QNetworkReply *, RpcReplyPtr> m_calls;
#if QT_CONFIG(ssl)
    QList<QSslError> m_ignoredSslErrors;
#endif
};

} // namespace SurrealQt
