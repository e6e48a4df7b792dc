#pragma once

// The list-model tests' two clients of one fresh namespace on the test server: the model's
// connection, and a second one that plays "another user" writing, and reads back what was stored.

#include "futurewait.h"
#include "setupquery.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/queryresult.h>

#include <memory>

class TwoClients
{
public:
    // Opens both; call it from initTestCase(). `prefix` names the namespace (made unique).
    void open(const char *prefix)
    {
        const QString ns = TestServer::uniqueName(prefix);
        for (auto *db : {&m_model, &m_other}) {
            *db = std::make_unique<SurrealQt::DatabaseManager>(
                TestServer::url(), ns, QStringLiteral("test"),
                SurrealQt::Credentials::root(TestServer::user(), TestServer::pass()));
            const SurrealQt::Error e = failureOf((*db)->open());
            if (e.isValid())
                qFatal("could not connect to the test server: %s", qPrintable(e.toString()));
        }
    }

    [[nodiscard]] SurrealQt::Connection *model() const { return m_model->connection(); }
    [[nodiscard]] SurrealQt::Connection *other() const { return m_other->connection(); }

    // Runs setup (or another user's change) through the other connection; a failure ends the run.
    void exec(const QString &text, const QVariantMap &vars = {}) const { execSetup(other(), text, vars); }

private:
    std::unique_ptr<SurrealQt::DatabaseManager> m_model;
    std::unique_ptr<SurrealQt::DatabaseManager> m_other;
};
