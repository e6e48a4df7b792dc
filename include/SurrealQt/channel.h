#pragma once

#include <SurrealQt/connection.h>

#include <memory>

namespace SurrealQt {

class SerialQueue;

/*! A connection on one socket whose calls run strictly one after another, in call order: each
    request is sent when the previous one has been answered, so the server never runs two of
    them at once (it runs the requests of a socket concurrently otherwise). Made by
    Connection::channel(); use it for save-then-reload, or select-then-subscribe:

      Channel *ch = db->connection()->channel(this);
      ch->select(Table(u"task"_s)).then(this, [this](const QVariantList &rows) { load(rows); });
      LiveQuery *live = ch->live(Table(u"task"_s), this); // registered after the select answered
      ch->query(u"UPDATE task SET seen = true"_s);        // sent after the live query is registered

    (compiled in tests/integration/doc_snippets_connection.cpp.) A failed call does not stop the
    ones behind it. Live queries created on a channel register in order like any call; their
    notifications then arrive independently. Session changes (use, let, signin, ...) on a channel
    that came from a pool are refused: they would change one socket of the pool only.
    Destroying the channel fails the calls that were not sent yet with a Cancelled error. */
class SURREALQT_EXPORT Channel : public Connection
{
    Q_OBJECT

public:
    ~Channel() override;

    /*! True when the channel's socket is a WebSocket (false over HTTP). */
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
    Channel(RpcClient *client, bool sharedSocket, QObject *parent);

    std::shared_ptr<SerialQueue> d;
    bool m_sharedSocket = false;
};

} // namespace SurrealQt
