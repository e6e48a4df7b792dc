#include <SurrealQt/table.h>

#include "valueformatter_p.h"

#include <QtCore/QDebug>

namespace SurrealQt {

QString Table::toSurrealQL() const
{
    return ValueFormatter::escapeIdent(m_name);
}

QDebug operator<<(QDebug debug, const Table &table)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Table(" << table.toSurrealQL() << ')';
    return debug;
}

} // namespace SurrealQt
