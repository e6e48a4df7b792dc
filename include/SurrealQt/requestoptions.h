#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QUuid>

#include <chrono>

namespace SurrealQt {

// Per-call settings that override the connection's defaults.
struct SURREALQT_EXPORT RequestOptions
{
    // 0 means the connection's requestTimeout().
    std::chrono::milliseconds timeout{0};
    // Set by Transaction; a normal caller leaves it null.
    QUuid transaction;
    // Attached session (SurrealDB 3 sessions); null = the connection's default session.
    QUuid session;
};

} // namespace SurrealQt
