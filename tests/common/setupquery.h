#pragma once

// Set-up (or "another user's change") run through a connection the test does not observe; a
// failure ends the run. A retryable failure, typically a transaction conflict with a write of the
// previous test's model still landing while this one clears the table, is run again: the set-up
// texts clear what they create first, so running one twice leaves the same state.

#include "futurewait.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/queryresult.h>

#include <QtTest/QTest>

inline void execSetup(SurrealQt::Connection *connection, const QString &text, const QVariantMap &vars = {})
{
    for (int attempt = 1;; ++attempt) {
        const SurrealQt::QueryResult r = AWAIT(connection->query(text, vars));
        if (r.isOk())
            return;
        if (attempt < 5 && r.firstError().isRetryable()) {
            QTest::qWait(50 * attempt);
            continue;
        }
        qFatal("setup failed: %s: %s", qPrintable(text), qPrintable(r.firstError().toString()));
    }
}
