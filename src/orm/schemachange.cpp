#include <SurrealQt/schemachange.h>

#include <QtCore/QMetaEnum>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QString SchemaChange::toString() const
{
    const char *kind = QMetaEnum::fromType<Kind>().valueToKey(int(m_kind));
    return u"%1 %2: %3"_s.arg(QLatin1String(kind), m_name, m_statement);
}

} // namespace SurrealQt
