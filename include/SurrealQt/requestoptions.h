#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QUuid>

#include <chrono>

namespace SurrealQt {

/*! Per-call settings that override the connection's defaults. */
struct SURREALQT_EXPORT RequestOptions
{
    /*! 0 means the connection's requestTimeout(). */
    std::chrono::milliseconds timeout{0};
    /*! Set by Transaction; a normal caller leaves it null. */
    QUuid transaction;
    /*! Attached session (SurrealDB 3 sessions); null = the connection's default session. */
    QUuid session;
    /*! Safe to send again if the connection drops before the reply: set it for a query that
        only reads, or whose writes land on the same end state however often they run.
        select/info/version/ping and upsert/update/merge/delete of one RecordId are resent
        without it; anything else fails with a Connection error instead. */
    bool idempotent = false;
};

} // namespace SurrealQt
