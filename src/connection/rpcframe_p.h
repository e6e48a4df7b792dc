#pragma once

// Not public API. What one WebSocket frame from the server is, decided without touching a
// connection: a reply to one of our requests, a live-query notification, an error without a
// request id, or something to ignore. Pure code, so tests/fuzz/fuzz_rpcreply.cpp can feed it
// every malformed frame it finds; WebSocketClient::onBinaryMessage() acts on the result.

#include <SurrealQt/error.h>

#include <QtCore/QByteArrayView>
#include <QtCore/QVariant>

namespace SurrealQt {

struct RpcFrame
{
    enum class Kind {
        Reply,             // id set; result, or error valid
        Notification,      // notification holds the live message's "result" map
        UncorrelatedError, // error valid: a server error without a request id
        Ignored,           // a map that is neither (logged, dropped)
        Malformed,         // error valid (Kind::Protocol): the connection cannot be trusted
    };
    Kind kind = Kind::Ignored;
    qint64 id = -1;
    QVariant result;
    QVariantMap notification;
    Error error;
};

// Never throws nor crashes on any input: a frame that is not a SurrealDB reply is Malformed with
// a message saying why (for a reply with a bad body: a Reply whose error says why).
[[nodiscard]] RpcFrame parseRpcFrame(QByteArrayView frame);

} // namespace SurrealQt
