#include "rpcendpoint_p.h"

using namespace Qt::StringLiterals;

namespace SurrealQt::RpcEndpoint {

namespace {

QString trimmedPath(const QUrl &url)
{
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    return path;
}

} // namespace

QUrl rpcUrl(const QUrl &url)
{
    QUrl result = url;
    const QString path = trimmedPath(url);
    result.setPath(path.endsWith(u"/rpc") ? path : path + u"/rpc"_s);
    return result;
}

QUrl httpUrl(const QUrl &url, QStringView path)
{
    QUrl result = url;
    if (url.scheme() == u"ws")
        result.setScheme(u"http"_s);
    else if (url.scheme() == u"wss")
        result.setScheme(u"https"_s);
    QString base = trimmedPath(url);
    if (base.endsWith(u"/rpc"))
        base.chop(4);
    while (base.endsWith(u'/'))
        base.chop(1);
    base.append(path);
    result.setPath(base);
    result.setQuery(QString());
    result.setFragment(QString());
    return result;
}

bool isHeaderSafe(QStringView value)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if (!(u == u'\t' || (u >= 0x20 && u < 0x7f)))
            return false;
    }
    return true;
}

Error checkHeaderValue(const char *header, const QString &what, const QString &value)
{
    if (isHeaderSafe(value))
        return {};
    return Error(Error::Kind::Validation,
                 u"The %1 '%2' cannot be sent over HTTP: the %3 header carries visible ASCII only "
                 "(SurrealDB refuses anything else). Connect with a WebSocket URL (ws:// or wss://), "
                 "which sends it inside the request, or choose an ASCII name"_s.arg(
                     what, value, QString::fromLatin1(header)));
}

} // namespace SurrealQt::RpcEndpoint
