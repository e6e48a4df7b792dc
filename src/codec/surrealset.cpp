#include <SurrealQt/surrealset.h>

#include "valueformatter_p.h"
#include "variantcompare_p.h"

#include <QtCore/QDebug>

namespace SurrealQt {

QString SurrealSet::toString() const
{
    return ValueFormatter::toSurrealQL(QVariant::fromValue(*this));
}

bool operator==(const SurrealSet &a, const SurrealSet &b)
{
    return VariantCompare::equals(QVariant(a.m_values), QVariant(b.m_values));
}

QDebug operator<<(QDebug debug, const SurrealSet &set)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::SurrealSet(" << set.toString() << ')';
    return debug;
}

} // namespace SurrealQt
