#include "iothread_p.h"

namespace SurrealQt {

namespace {
thread_local bool t_isIoThread = false;
}

bool IoThread::isCurrent()
{
    return t_isIoThread;
}

void IoThread::run()
{
    t_isIoThread = true;
    exec();
}

} // namespace SurrealQt
