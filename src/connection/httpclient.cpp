#include "httpclient_p.h"

#include "codec/cborcodec_p.h"
#include "core/logging_p.h"

#include <SurrealQt/none.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

HttpClient::HttpClient(const ClientConfig &config, QObject *parent)
    : RpcClient(config, parent)
{}

void HttpClient::connectTransport(const QUrl &)
{
    // Nothing to open, but "connected" must mean the server answers: ask for its version.
    post(0, RpcRequest{u"version"_s, {}, {}}, true);
}

void HttpClient::disconnectTransport()
{
    const auto replies = std::exchange(m_replies, {});
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
    }
}

void HttpClient::transmit(qint64 id, const RpcRequest &request)
{
    const QString &m = request.method;
    auto answer = [this, id](const QVariant &value, const Error &error) {
        QMetaObject::invokeMethod(
            this, [this, id, value, error] { handleReply(id, value, error); }, Qt::QueuedConnection);
    };
    if (m == u"use") {
        const QString ns = request.params.value(0).metaType().id() == QMetaType::QString
                               ? request.params.value(0).toString()
                               : m_session.ns;
        const QString db = request.params.value(1).metaType().id() == QMetaType::QString
                               ? request.params.value(1).toString()
                               : m_session.db;
        answer(QVariantMap{{u"namespace"_s, ns}, {u"database"_s, db}}, {});
        return;
    }
    if (m == u"let" || m == u"set" || m == u"unset") {
        answer(QVariant::fromValue(nullptr), {});
        return;
    }
    if (m == u"invalidate" || m == u"reset") {
        answer(QVariant::fromValue(None()), {});
        return;
    }
    static const QSet<QString> wsOnly = {u"live"_s,   u"kill"_s,   u"begin"_s,  u"commit"_s,
                                         u"cancel"_s, u"attach"_s, u"detach"_s, u"sessions"_s};
    if (wsOnly.contains(m)) {
        answer({},
               Error(Error::Kind::Validation,
                     u"'%1' needs a WebSocket connection; this one uses HTTP (connect with ws:// or wss://)"_s
                         .arg(m)));
        return;
    }
    if (m == u"query" && !m_session.vars.isEmpty()) {
        // Session variables live here over HTTP; the call's own variables win.
        RpcRequest merged = request;
        QVariantMap vars = m_session.vars;
        const QVariantMap own = request.params.value(1).toMap();
        for (auto it = own.cbegin(); it != own.cend(); ++it)
            vars.insert(it.key(), it.value());
        if (merged.params.size() < 2)
            merged.params.append(vars);
        else
            merged.params[1] = vars;
        post(id, merged, false);
        return;
    }
    post(id, request, false);
}

void HttpClient::post(qint64 id, const RpcRequest &request, bool probe)
{
    Error error;
    const QByteArray body = encodeRequest(id, request, &error);
    if (error.isValid()) {
        QMetaObject::invokeMethod(
            this, [this, id, error] { handleReply(id, {}, error); }, Qt::QueuedConnection);
        return;
    }
    // signin must not carry a previous identity; the server would check that one instead.
    // The version probe goes without credentials too, so that bad ones surface as an
    // Authentication error from signin rather than as an unreachable server.
    const bool withAuth = !probe && request.method != u"signin" && request.method != u"signup";
    QNetworkRequest http = httpRequest(u"/rpc"_s, withAuth);
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/cbor"));
    http.setRawHeader("Accept", "application/cbor");
    if (request.options.timeout.count() > 0)
        http.setTransferTimeout(int(request.options.timeout.count()));
    QNetworkReply *reply = network()->post(http, body);
    m_replies.insert(reply);
    // Only needed when something fails: built then, not for every request.
    auto context = [method = request.method, url = http.url()] {
        return method + u" on "_s + url.toString();
    };
    connect(reply, &QNetworkReply::finished, this, [this, reply, id, probe, context] {
        m_replies.remove(reply);
        // The same test httpError() starts with; the context is only built when it fails.
        const bool ok = reply->error() == QNetworkReply::NoError &&
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        const Error httpFailure = ok ? Error() : httpError(reply, context());
        if (httpFailure.isValid()) {
            if (probe || httpFailure.kind() == Error::Kind::Connection) {
                // The other requests in flight go the same way; abort them so that none of
                // them still lands on the server after it was reported failed (or resent).
                disconnectTransport();
                transportLost(httpFailure);
                if (!probe)
                    handleReply(id, {}, httpFailure);
                return;
            }
            handleReply(id, {}, httpFailure);
            return;
        }
        QVariant decoded;
        CodecError codecError;
        const QByteArray bytes = reply->readAll();
        if (!CborCodec::decode(bytes, &decoded, &codecError) ||
            decoded.metaType().id() != QMetaType::QVariantMap) {
            const Error protocol(Error::Kind::Protocol,
                                 codecError.message.isEmpty()
                                     ? u"HTTP reply is not a CBOR map"_s
                                     : u"Undecodable HTTP reply: %1 at byte %2"_s.arg(codecError.message)
                                           .arg(codecError.offset),
                                 context());
            if (probe)
                transportLost(protocol);
            else
                handleReply(id, {}, protocol);
            return;
        }
        const QVariantMap envelope = decoded.toMap();
        if (probe) {
            const QString version = envelope.value(u"result"_s).toString();
            qCDebug(lcHttp) << "server version" << version;
            const Error refused = acceptServerVersion(version);
            if (refused.isValid()) {
                setFatal(refused);
                return;
            }
            transportConnected();
            return;
        }
        if (envelope.contains(u"error"_s))
            handleReply(id, {}, Error::fromServer(envelope.value(u"error"_s).toMap(), context()));
        else if (envelope.contains(u"result"_s))
            handleReply(id, envelope.value(u"result"_s), Error());
        else
            handleReply(
                id, {},
                Error(Error::Kind::Protocol, u"HTTP reply has neither 'result' nor 'error'"_s, context()));
    });
}

} // namespace SurrealQt
