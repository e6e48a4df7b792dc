// DatabaseManager's constructor on a LocalServer lives with the server layer, so that the
// connection layer does not depend on it.
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/localserver.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// url() and credentials() are known as soon as start() returns; the server answers later.
// Both are read through here: the order in which arguments are evaluated is unspecified.
LocalServer *started(LocalServer *server)
{
    if (server->state() == LocalServer::State::NotRunning || server->state() == LocalServer::State::Failed)
        server->start();
    return server;
}

} // namespace

DatabaseManager::DatabaseManager(LocalServer *server, const QString &ns, const QString &db, QObject *parent)
    : DatabaseManager(started(server)->url(), ns, db, started(server)->credentials(), parent)
{
    // A server coming up (or coming back after a restart) refuses connections for a while: the
    // sockets retry with a short back-off for as long as the server may take to start.
    const auto startTimeout = server->startTimeout();
    setReconnectBackoff(std::chrono::milliseconds(100), std::chrono::milliseconds(500));
    setMaxRetries(int(startTimeout.count() / 500) + 1);
    QObject::connect(server, &LocalServer::errorOccurred, this, [this, server] {
        if (server->state() == LocalServer::State::Failed)
            close();
    });
    if (server->state() == LocalServer::State::Failed)
        close();
}

DatabaseManager *DatabaseManager::local(const QString &ns, const QString &db, QObject *parent)
{
    auto *server = new LocalServer;
    auto *manager = new DatabaseManager(server, ns, db, parent);
    server->setParent(manager);
    return manager;
}

LocalServer *DatabaseManager::localServer() const
{
    return findChild<LocalServer *>(QString(), Qt::FindDirectChildrenOnly);
}

} // namespace SurrealQt
