#include "jwt_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace SurrealQt::Jwt {

QVariantMap claims(const QString &token)
{
    const QList<QStringView> parts = QStringView(token).split(u'.');
    if (parts.size() != 3)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (!decoded)
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded);
    return doc.isObject() ? doc.object().toVariantMap() : QVariantMap();
}

qint64 expiry(const QString &token)
{
    return claims(token).value(QStringLiteral("exp")).toLongLong();
}

} // namespace SurrealQt::Jwt
