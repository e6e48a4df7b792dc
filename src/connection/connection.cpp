#include <SurrealQt/connection.h>

#include "connectioncalls_p.h"
#include "core/postbox_p.h"

#include <SurrealQt/channel.h>
#include <SurrealQt/transaction.h>

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace Calls;

Connection::Connection(QObject *parent)
    : RequestInterface(parent)
{}

Connection::~Connection() = default;

QFuture<void> Connection::use(const QString &ns, const QString &db, const RequestOptions &options)
{
    if (!options.session.isNull())
        return mapped<void>(u"use"_s, {ns, db}, options, toVoid);
    // Announced on this object's thread, so the manager's NOTIFY signals come from one place.
    // The reply arrives on the I/O thread while the owner may delete this object: posted
    // through a box closed on destruction, not through a QPointer checked over there.
    QPointer<Connection> self(this);
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    return mapped<void>(u"use"_s, {ns, db}, options, [self, box, ns, db](const QVariant &) {
        box->post([self, ns, db] {
            if (self)
                Q_EMIT self->databaseSelected(ns, db);
        });
    });
}

QFuture<void> Connection::let(const QString &name, const QVariant &value, const RequestOptions &options)
{
    return mapped<void>(u"let"_s, {name, value}, options, toVoid);
}

QFuture<void> Connection::unset(const QString &name, const RequestOptions &options)
{
    return mapped<void>(u"unset"_s, {name}, options, toVoid);
}

QFuture<QString> Connection::signin(const Credentials &credentials, const RequestOptions &options)
{
    if (credentials.level() == Credentials::Level::Token)
        return mapped<QString>(u"authenticate"_s, {credentials.tokenValue()}, options,
                               [token = credentials.tokenValue()](const QVariant &) { return token; });
    return mapped<QString>(u"signin"_s, {credentials.toSigninParams()}, options, toText);
}

QFuture<QString> Connection::signup(const Credentials &credentials, const RequestOptions &options)
{
    return mapped<QString>(u"signup"_s, {credentials.toSigninParams()}, options, toText);
}

QFuture<void> Connection::authenticate(const QString &token, const RequestOptions &options)
{
    return mapped<void>(u"authenticate"_s, {token}, options, toVoid);
}

QFuture<void> Connection::invalidate(const RequestOptions &options)
{
    return mapped<void>(u"invalidate"_s, {}, options, toVoid);
}

QFuture<QVariant> Connection::info(const RequestOptions &options)
{
    return call(u"info"_s, {}, options);
}

QFuture<QString> Connection::version(const RequestOptions &options)
{
    return mapped<QString>(u"version"_s, {}, options, toText);
}

QFuture<void> Connection::ping(const RequestOptions &options)
{
    return mapped<void>(u"ping"_s, {}, options, toVoid);
}

QFuture<QList<QUuid>> Connection::sessions(const RequestOptions &options)
{
    return mapped<QList<QUuid>>(u"sessions"_s, {}, options, [](const QVariant &value) {
        QList<QUuid> ids;
        const QVariantList list = value.toList();
        for (const QVariant &v : list)
            ids.append(v.toUuid());
        return ids;
    });
}

QFuture<QString> Connection::exportDatabase(const RequestOptions &options)
{
    return mapped<QString>(u"__export"_s, {}, options, toText);
}

QFuture<void> Connection::importDatabase(const QString &surrealql, const RequestOptions &options)
{
    return mapped<void>(u"__import"_s, {surrealql}, options, toVoid);
}

Transaction *Connection::transaction(QObject *parent)
{
    return new Transaction(pinClient(), parent);
}

Channel *Connection::channel(QObject *parent)
{
    // On a pool the channel takes one socket of it.
    return new Channel(pinClient(), parent);
}

} // namespace SurrealQt
