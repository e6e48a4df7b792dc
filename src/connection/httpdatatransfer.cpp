#include "httpdatatransfer_p.h"

#include "httpclient_p.h"
#include "rpcendpoint_p.h"

using namespace Qt::StringLiterals;

namespace SurrealQt {

QNetworkRequest HttpEndpoint::request(const QUrl &serverUrl, const QString &path, const SessionState &session,
                                      int timeoutMs, bool withAuth)
{
    QNetworkRequest request(RpcEndpoint::httpUrl(serverUrl, path));
    request.setTransferTimeout(timeoutMs);
    if (!session.ns.isEmpty())
        request.setRawHeader("Surreal-NS", session.ns.toUtf8());
    if (!session.db.isEmpty())
        request.setRawHeader("Surreal-DB", session.db.toUtf8());
    if (!withAuth)
        return request;
    if (!session.token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + session.token.toUtf8());
    } else if (!session.credentials.username().isEmpty()) {
        const QByteArray basic =
            (session.credentials.username() + u':' + session.credentials.password()).toUtf8().toBase64();
        request.setRawHeader("Authorization", "Basic " + basic);
        if (!session.credentials.namespaceName().isEmpty())
            request.setRawHeader("Surreal-Auth-NS", session.credentials.namespaceName().toUtf8());
        if (!session.credentials.databaseName().isEmpty())
            request.setRawHeader("Surreal-Auth-DB", session.credentials.databaseName().toUtf8());
    }
    return request;
}

Error HttpEndpoint::errorOf(QNetworkReply *reply, const QString &context)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 && reply->error() == QNetworkReply::NoError)
        return {};
    if (status == 0) {
        const Error::Kind kind = reply->error() == QNetworkReply::OperationCanceledError ||
                                         reply->error() == QNetworkReply::TimeoutError
                                     ? Error::Kind::Timeout
                                 : reply->error() == QNetworkReply::SslHandshakeFailedError
                                     ? Error::Kind::Tls
                                     : Error::Kind::Connection;
        return Error(kind, reply->errorString(), context);
    }
    const QString body = QString::fromUtf8(reply->readAll().left(2000)).trimmed();
    const QString message = u"HTTP %1: %2"_s.arg(status).arg(body.isEmpty() ? reply->errorString() : body);
    const Error::Kind kind = HttpClient::kindForStatus(status);
    return Error(kind, message, context).setServerCode(status);
}

HttpDataTransfer::HttpDataTransfer(QObject *parent)
    : QObject(parent)
{}

QNetworkAccessManager *HttpDataTransfer::network()
{
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setAutoDeleteReplies(true);
    }
    return m_network;
}

void HttpDataTransfer::exportDatabase(const QNetworkRequest &request, const QString &context,
                                      const RpcReplyPtr &reply)
{
    QNetworkRequest get = request;
    get.setRawHeader("Accept", "text/plain");
    track(network()->get(get), context, reply, true);
}

void HttpDataTransfer::importDatabase(const QNetworkRequest &request, const QString &surrealql,
                                      const QString &context, const RpcReplyPtr &reply)
{
    QNetworkRequest post = request;
    post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    post.setRawHeader("Accept", "application/json");
    track(network()->post(post, surrealql.toUtf8()), context, reply, false);
}

void HttpDataTransfer::track(QNetworkReply *net, const QString &context, const RpcReplyPtr &reply,
                             bool returnsText)
{
    m_calls.insert(net, reply);
#if QT_CONFIG(ssl)
    // Before the handshake, so that only these errors are let through (never "ignore all").
    if (!m_ignoredSslErrors.isEmpty())
        net->ignoreSslErrors(m_ignoredSslErrors);
#endif
    connect(net, &QNetworkReply::finished, this, [this, net, reply, context, returnsText] {
        m_calls.remove(net);
        const Error error = HttpEndpoint::errorOf(net, context);
        if (error.isValid())
            reply->fail(error);
        else
            reply->succeed(returnsText ? QVariant(QString::fromUtf8(net->readAll())) : QVariant());
    });
}

void HttpDataTransfer::cancelAll(const Error &reason)
{
    const auto calls = std::exchange(m_calls, {});
    for (auto it = calls.cbegin(); it != calls.cend(); ++it) {
        it.key()->disconnect(this);
        it.key()->abort();
        it.value()->fail(reason);
    }
}

} // namespace SurrealQt
