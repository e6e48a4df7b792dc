#include <SurrealQt/bound.h>

#include "valueformatter_p.h"
#include "variantcompare_p.h"

#include <QtCore/QDebug>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QString Bound::toString() const
{
    switch (m_kind) {
    case Unbounded:
        return u"unbounded"_s;
    case Included:
        return u"included "_s + ValueFormatter::toSurrealQL(m_value);
    case Excluded:
        return u"excluded "_s + ValueFormatter::toSurrealQL(m_value);
    }
    return {};
}

bool operator==(const Bound &a, const Bound &b)
{
    // The value of an open end is meaningless, so it takes no part in the comparison.
    return a.m_kind == b.m_kind &&
           (a.m_kind == Bound::Unbounded || VariantCompare::equals(a.m_value, b.m_value));
}

QDebug operator<<(QDebug debug, const Bound &bound)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Bound(" << bound.toString() << ')';
    return debug;
}

} // namespace SurrealQt
