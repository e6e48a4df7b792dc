#include <SurrealQt/future.h>

#include "valueformatter_p.h"
#include "variantcompare_p.h"

#include <QtCore/QDebug>

namespace SurrealQt {

QString Future::toString() const
{
    return ValueFormatter::toSurrealQL(QVariant::fromValue(*this));
}

bool operator==(const Future &a, const Future &b)
{
    return VariantCompare::equals(a.m_value, b.m_value);
}

QDebug operator<<(QDebug debug, const Future &future)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Future(" << future.toString() << ')';
    return debug;
}

} // namespace SurrealQt
