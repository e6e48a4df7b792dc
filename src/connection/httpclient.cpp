#include "httpclient_p.h"

#include "codec/cborcodec_p.h"
#include "core/logging_p.h"
#include "jwt_p.h"
#include "rpcendpoint_p.h"

#include <SurrealQt/none.h>

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// Clocks differ; a token this close to its end is treated as expired when the server refuses it.
constexpr qint64 ClockSkewSeconds = 30;

} // namespace

HttpClient::HttpClient(const ClientConfig &config, QObject *parent)
    : RpcClient(config, parent)
    , m_http(this)
    , m_bareHeaders("Content-Type: application/cbor\r\nAccept: application/cbor\r\n")
{
    m_http.setMaxConnections(MaxConnections);
    m_http.setConnectTimeout(config.connectTimeoutMs);
#if QT_CONFIG(ssl)
    m_http.setSslConfiguration(config.ssl);
    m_http.setIgnoredSslErrors(config.ignoredSslErrors);
#endif
}

void HttpClient::connectTransport(const QUrl &url)
{
    m_rpcUrl = RpcEndpoint::httpUrl(url, u"/rpc");
    // A namespace or database that cannot travel in a header can never work over HTTP: say so
    // once, now, rather than retry a handshake that would fail the same way.
    Error refused;
    (void)headers(true, true, &refused);
    if (refused.isValid()) {
        QMetaObject::invokeMethod(
            this, [this, refused] { setFatal(refused); }, Qt::QueuedConnection);
        return;
    }
    // Nothing to open, but "connected" must mean the server answers: ask for its version.
    post(0, RpcRequest{u"version"_s, {}, {}}, true);
}

void HttpClient::disconnectTransport()
{
    m_http.abortAll();
}

void HttpClient::answerLater(qint64 id, const QVariant &value, const Error &error)
{
    // Callers never see their callback run inside submit().
    QMetaObject::invokeMethod(
        this, [this, id, value, error] { handleReply(id, value, error); }, Qt::QueuedConnection);
}

void HttpClient::transmit(qint64 id, const RpcRequest &request)
{
    const QString &m = request.method;
    if (m == u"use") {
        const QString ns = request.params.value(0).metaType().id() == QMetaType::QString
                               ? request.params.value(0).toString()
                               : m_session.ns;
        const QString db = request.params.value(1).metaType().id() == QMetaType::QString
                               ? request.params.value(1).toString()
                               : m_session.db;
        // Refused here, before the session changes: sent, such a name fails on the server or
        // (read as Latin-1) selects another database.
        Error refused = RpcEndpoint::checkHeaderValue("Surreal-NS", u"namespace"_s, ns);
        if (!refused.isValid())
            refused = RpcEndpoint::checkHeaderValue("Surreal-DB", u"database"_s, db);
        if (refused.isValid()) {
            answerLater(id, {}, refused);
            return;
        }
        answerLater(id, QVariantMap{{u"namespace"_s, ns}, {u"database"_s, db}}, {});
        return;
    }
    if (m == u"let" || m == u"set" || m == u"unset") {
        answerLater(id, QVariant::fromValue(nullptr), {});
        return;
    }
    if (m == u"invalidate" || m == u"reset") {
        answerLater(id, QVariant::fromValue(None()), {});
        return;
    }
    static const QSet<QString> wsOnly = {u"live"_s,   u"kill"_s,   u"begin"_s,  u"commit"_s,
                                         u"cancel"_s, u"attach"_s, u"detach"_s, u"sessions"_s};
    if (wsOnly.contains(m)) {
        answerLater(
            id, {},
            Error(
                Error::Kind::Validation,
                u"'%1' needs a WebSocket connection; this one uses HTTP (connect with ws:// or wss://)"_s.arg(
                    m)));
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

const QByteArray &HttpClient::headers(bool withSession, bool withAuth, Error *error)
{
    if (!withSession)
        return m_bareHeaders;
    HeaderCache &cache = m_headers[withAuth ? 1 : 0];
    const SessionState &s = m_session;
    const bool basic = withAuth && s.token.isEmpty() && !s.credentials.username().isEmpty();
    const QString token = withAuth ? s.token : QString();
    const QString user = basic ? s.credentials.username() : QString();
    const QString password = basic ? s.credentials.password() : QString();
    const QString authNs = basic ? s.credentials.namespaceName() : QString();
    const QString authDb = basic ? s.credentials.databaseName() : QString();
    if (cache.valid && cache.ns == s.ns && cache.db == s.db && cache.token == token && cache.user == user &&
        cache.password == password && cache.authNs == authNs && cache.authDb == authDb) {
        *error = cache.error;
        return cache.lines;
    }
    cache = HeaderCache{s.ns, s.db, token, user, password, authNs, authDb, true, m_bareHeaders, {}};
    const struct
    {
        const char *name;
        QString what;
        const QString &value;
    } fields[] = {{"Surreal-NS", u"namespace"_s, s.ns},
                  {"Surreal-DB", u"database"_s, s.db},
                  {"Surreal-Auth-NS", u"namespace of the credentials"_s, authNs},
                  {"Surreal-Auth-DB", u"database of the credentials"_s, authDb}};
    for (const auto &f : fields) {
        if (f.value.isEmpty())
            continue;
        cache.error = RpcEndpoint::checkHeaderValue(f.name, f.what, f.value);
        if (cache.error.isValid())
            break;
        cache.lines.append(f.name).append(": ").append(f.value.toLatin1()).append("\r\n");
    }
    if (!cache.error.isValid() && !token.isEmpty()) {
        if (!RpcEndpoint::isHeaderSafe(token))
            cache.error =
                Error(Error::Kind::Validation, u"The session token is not a valid HTTP header value"_s);
        else
            cache.lines.append("Authorization: Bearer ").append(token.toLatin1()).append("\r\n");
    } else if (!cache.error.isValid() && basic) {
        cache.lines.append("Authorization: Basic ")
            .append((user + u':' + password).toUtf8().toBase64())
            .append("\r\n");
    }
    *error = cache.error;
    return cache.lines;
}

Error::Kind HttpClient::kindForStatus(int status)
{
    switch (status) {
    case 401:
        return Error::Kind::Authentication;
    case 403:
        return Error::Kind::NotAllowed;
    case 404:
        return Error::Kind::NotFound;
    case 400:
    case 413:
        return Error::Kind::Validation;
    case 415:
        return Error::Kind::Protocol;
    default:
        return status >= 500 ? Error::Kind::Connection : Error::Kind::Query;
    }
}

Error HttpClient::statusError(int status, const QByteArray &body, const QString &context,
                              const QString &bearerToken)
{
    const QString text = QString::fromUtf8(body.left(2000)).trimmed();
    const QString message = u"HTTP %1: %2"_s.arg(status).arg(text.isEmpty() ? u"(no body)"_s : text);
    const Error::Kind kind = kindForStatus(status);
    Error error(kind, message, context);
    error.setServerCode(status);
    if (status == 401 && !bearerToken.isEmpty()) {
        // The server refused the token we sent; HTTP says no more than that. Its own claim
        // tells whether it ran out, which is what a fresh sign-in can repair.
        const qint64 expiry = Jwt::expiry(bearerToken);
        const bool expired = expiry > 0 && expiry <= QDateTime::currentSecsSinceEpoch() + ClockSkewSeconds;
        error.setDetails(QVariantMap{
            {u"kind"_s, u"Auth"_s},
            {u"details"_s, QVariantMap{{u"kind"_s, expired ? u"TokenExpired"_s : u"InvalidAuth"_s}}}});
        if (expired)
            error.setMessage(message +
                             u" (the session token expired at %1)"_s.arg(
                                 QDateTime::fromSecsSinceEpoch(expiry, Qt::UTC).toString(Qt::ISODate)));
    }
    return error;
}

void HttpClient::post(qint64 id, const RpcRequest &request, bool probe)
{
    Error error;
    const QByteArray body = encodeRequest(id, request, &error);
    if (error.isValid()) {
        answerLater(id, {}, error);
        return;
    }
    // signin must not carry a previous identity; the server would check that one instead.
    // The version probe goes without credentials too, so that bad ones surface as an
    // Authentication error from signin rather than as an unreachable server.
    const bool withAuth = !probe && request.method != u"signin" && request.method != u"signup";
    const QByteArray &lines = headers(!probe, withAuth, &error);
    if (error.isValid()) {
        if (probe)
            setFatal(error);
        else
            answerLater(id, {}, error);
        return;
    }
    const QString bearer = withAuth ? m_session.token : QString();
    const int timeoutMs = request.options.timeout.count() > 0 ? int(request.options.timeout.count())
                                                              : m_config.requestTimeoutMs;
    // Only needed when something fails: built then, not for every request.
    auto context = [this, method = request.method] {
        return method + u" on "_s + m_rpcUrl.toString(QUrl::RemoveUserInfo);
    };
    m_http.post(
        m_rpcUrl, lines, body, timeoutMs, [this, id, probe, context, bearer](const HttpResponse &response) {
            if (response.failure != HttpResponse::Failure::None) {
                Error failure = response.error;
                failure.setContext(context());
                if (probe) {
                    // A certificate that does not verify, or a server that sends us elsewhere, will
                    // not change by trying again.
                    if (response.failure == HttpResponse::Failure::Tls ||
                        response.failure == HttpResponse::Failure::Redirect)
                        setFatal(failure);
                    else
                        transportLost(failure);
                    return;
                }
                // A TLS failure after the probe passed (a new keep-alive connection met another
                // certificate) goes the same way: the reconnect probe then stops for good.
                if ((failure.kind() == Error::Kind::Connection || failure.kind() == Error::Kind::Tls) &&
                    response.failure != HttpResponse::Failure::Redirect) {
                    // The other requests in flight go the same way; abort them so that none of
                    // them still lands on the server after it was reported failed (or resent).
                    disconnectTransport();
                    transportLost(failure);
                }
                handleReply(id, {}, failure);
                return;
            }
            if (response.status != 200) {
                const Error httpFailure = statusError(response.status, response.body, context(), bearer);
                if (probe || httpFailure.kind() == Error::Kind::Connection) {
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
            if (!CborCodec::decode(response.body, &decoded, &codecError) ||
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
            const auto err = envelope.constFind(u"error"_s);
            if (err != envelope.cend()) {
                handleReply(id, {}, Error::fromServer(err->toMap(), context()));
                return;
            }
            const auto result = envelope.constFind(u"result"_s);
            if (result != envelope.cend())
                handleReply(id, *result, Error());
            else
                handleReply(id, {},
                            Error(Error::Kind::Protocol, u"HTTP reply has neither 'result' nor 'error'"_s,
                                  context()));
        });
}

} // namespace SurrealQt
