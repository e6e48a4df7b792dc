#include <SurrealQt/range.h>

#include "valueformatter_p.h"

#include <QtCore/QDebug>

namespace SurrealQt {

QString Range::toString() const
{
    return ValueFormatter::toSurrealQL(QVariant::fromValue(*this));
}

QDebug operator<<(QDebug debug, const Range &range)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Range(" << range.toString() << ')';
    return debug;
}

} // namespace SurrealQt
