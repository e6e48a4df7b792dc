#include "connectionlifeline_p.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>

namespace SurrealQt::Internal {

namespace {
QMutex &registryMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<Connection *, std::weak_ptr<ConnectionLifeline>> &registry()
{
    static QHash<Connection *, std::weak_ptr<ConnectionLifeline>> lines;
    return lines;
}
} // namespace

std::shared_ptr<ConnectionLifeline> ConnectionLifeline::of(Connection *connection)
{
    if (!connection)
        return std::make_shared<ConnectionLifeline>(nullptr);
    QMutexLocker lock(&registryMutex());
    auto &lines = registry();
    if (auto line = lines.value(connection).lock())
        return line;
    auto line = std::make_shared<ConnectionLifeline>(connection);
    lines.insert(connection, line);
    return line;
}

void ConnectionLifeline::close(Connection *connection)
{
    std::shared_ptr<ConnectionLifeline> line;
    {
        QMutexLocker lock(&registryMutex());
        line = registry().take(connection).lock();
    }
    if (line)
        line->shut();
}

} // namespace SurrealQt::Internal
