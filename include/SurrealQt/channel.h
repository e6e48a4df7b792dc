#pragma once

#include <SurrealQt/requestinterface.h>

#include <memory>

namespace SurrealQt {

class SerialQueue;

/*!
    \class SurrealQt::Channel
    \brief Calls on one socket that run strictly one after another, in call order: each request
    is sent when the previous one has been answered, so the server never runs two of them at
    once (it runs the requests of a socket concurrently otherwise). Made by
    Connection::channel(); use it for save-then-reload, or select-then-subscribe:

    \code
    using namespace SurrealQt;
    Channel *ch = db->connection()->channel(self);
    ch->select(Table(u"task"_s)).then(self, [](const QVariantList &rows) { qDebug() << rows.size(); });
    LiveQuery *live = ch->live(Table(u"task"_s), self); // registered after the select answered
    ch->query(u"UPDATE task SET seen = true"_s);        // sent after the live query is registered
    \endcode

    (compiled in tests/integration/doc_snippets_connection.cpp.) It offers the RequestInterface:
    every data call and live queries. Session changes (use, let, signin, ...) are made on the
    Connection, which owns the session; call() refuses them by name. A failed call does not stop
    the ones behind it. Live queries created on a channel register in order like any call; their
    notifications then arrive independently. Owned by the parent given to
    Connection::channel() (or by you); destroying it fails the calls that were not sent yet
    with a Cancelled error. Futures finish on the I/O thread (docs/threading.md).
*/
class SURREALQT_EXPORT Channel : public SurrealQt::RequestInterface
{
    Q_OBJECT

public:
    ~Channel() override;

    /*! True when the channel's socket is a WebSocket. */
    [[nodiscard]] bool isWebSocket() const override;
    /*! Calls made and not answered yet. */
    [[nodiscard]] int pendingCount() const;

protected:
    QFuture<QVariant> execute(const RpcRequest &request) override;
    RpcClient *pinClient() override;
    LiveQuery *startLive(const QString &method, const QVariantList &params, bool viaQuery,
                         QObject *parent) override;

private:
    friend class Connection;
    Channel(RpcClient *client, QObject *parent);

    std::shared_ptr<SerialQueue> d;
};

} // namespace SurrealQt
