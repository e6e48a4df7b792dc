#include <SurrealQt/none.h>

#include <QtCore/QDebug>

namespace SurrealQt {

QDebug operator<<(QDebug debug, None)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "SurrealQt::None";
    return debug;
}

} // namespace SurrealQt
