#pragma once

// Not public API. The thread a DatabaseManager's sockets live on. Blocking calls must
// never run here: they would wait for the very thread that has to answer them.

#include <QtCore/QThread>

namespace SurrealQt {

class IoThread : public QThread
{
    Q_OBJECT

public:
    using QThread::QThread;
    [[nodiscard]] static bool isCurrent();

protected:
    void run() override;
};

} // namespace SurrealQt
