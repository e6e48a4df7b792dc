#pragma once

// Not public API. Reads the claims of a SurrealDB access token; the signature is the
// server's business, we only need to know when to renew.

#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace SurrealQt::Jwt {

// The decoded claims, or an empty map when the text is not a JWT.
QVariantMap claims(const QString &token);
// "exp" in seconds since the epoch, 0 when absent.
qint64 expiry(const QString &token);

} // namespace SurrealQt::Jwt
