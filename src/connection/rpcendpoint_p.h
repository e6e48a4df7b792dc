#pragma once

// Not public API. Where a server's endpoints are, given the URL a user typed, and what may
// travel in the headers that select a namespace and database. Shared by both transports.

#include <SurrealQt/error.h>

#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QUrl>

namespace SurrealQt::RpcEndpoint {

// The RPC endpoint: like the official SDKs, a bare server address means its /rpc endpoint.
// Trailing slashes do not count ("/rpc/" is "/rpc", never "/rpc/rpc"). Query and fragment kept.
[[nodiscard]] QUrl rpcUrl(const QUrl &url);

// Another endpoint of the same server ("/rpc", "/export", "/import"), over http(s) when the URL
// says ws(s); the user's base path is kept, an /rpc at its end is not.
[[nodiscard]] QUrl httpUrl(const QUrl &url, QStringView path);

// The server reads Surreal-NS, Surreal-DB, Surreal-Auth-NS and Surreal-Auth-DB with
// HeaderValue::to_str(), which refuses anything but visible ASCII (and tab). Sent anyway, such a
// name fails there, and a server that reads the bytes as Latin-1 selects another database.
[[nodiscard]] bool isHeaderSafe(QStringView value);

// A Validation error naming the header and what it carries, or an invalid Error when the value
// can be sent. `what` says where the value comes from, e.g. "namespace".
[[nodiscard]] Error checkHeaderValue(const char *header, const QString &what, const QString &value);

} // namespace SurrealQt::RpcEndpoint
