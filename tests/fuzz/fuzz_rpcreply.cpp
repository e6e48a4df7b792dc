// libFuzzer target: one WebSocket frame from the server, through what the client does with it:
// parseRpcFrame() (the code WebSocketClient::onBinaryMessage() runs), then the reply's result
// as query(), an error object, or a live notification reads it. A frame that is not a SurrealDB
// reply must come out as a Protocol error with a message; nothing may crash or hang.

#include "connection/rpcframe_p.h"

#include <SurrealQt/livenotification.h>
#include <SurrealQt/queryresult.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace SurrealQt;

namespace {
[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_rpcreply: %s\n", what);
    std::abort();
}

void readError(const Error &error)
{
    if (!error.isValid())
        return;
    if (error.message().isEmpty())
        fail("an error without a message");
    (void)error.serverKind();
    (void)error.details();
    (void)error.isRetryable();
}

void readResult(const QVariant &result)
{
    // Every typed call reads its result as query() does when it is a statement list.
    Error error;
    const QueryResult query = QueryResult::fromServer(result, &error);
    readError(error);
    if (error.isValid())
        return;
    for (const StatementResult &statement : query.statements()) {
        readError(statement.error());
        (void)statement.result();
    }
    (void)query.isOk();
    readError(query.firstError());
    (void)query.last();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const RpcFrame frame =
        parseRpcFrame(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    switch (frame.kind) {
    case RpcFrame::Kind::Malformed:
        if (frame.error.kind() != Error::Kind::Protocol || frame.error.message().isEmpty())
            fail("a malformed frame without a Protocol error");
        break;
    case RpcFrame::Kind::Reply:
        readError(frame.error);
        if (!frame.error.isValid())
            readResult(frame.result);
        break;
    case RpcFrame::Kind::Notification: {
        const LiveNotification n = LiveNotification::fromServer(frame.notification);
        (void)n.action();
        (void)n.record();
        (void)n.result();
        break;
    }
    case RpcFrame::Kind::UncorrelatedError:
        readError(frame.error);
        break;
    case RpcFrame::Kind::Ignored:
        break;
    }
    return 0;
}
