#include "logging_p.h"

namespace SurrealQt {
Q_LOGGING_CATEGORY(lcConnection, "surrealqt.connection", QtWarningMsg)
Q_LOGGING_CATEGORY(lcWebSocket, "surrealqt.websocket", QtWarningMsg)
Q_LOGGING_CATEGORY(lcHttp, "surrealqt.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPool, "surrealqt.pool", QtWarningMsg)
Q_LOGGING_CATEGORY(lcLive, "surrealqt.live", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCodec, "surrealqt.codec", QtWarningMsg)
} // namespace SurrealQt
