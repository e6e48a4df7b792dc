#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QVariant>

namespace SurrealQt {

// Equality with SurrealDB's notion of types. QVariant::operator== converts between types, so
// QVariant(1) == QVariant("1") holds, yet person:1 and person:⟨1⟩ are different records.
// Here all integer widths compare as integers and both float widths as floats, but an integer
// never equals a float or text, and lists and maps compare element by element the same way.
class SURREALQT_EXPORT VariantCompare
{
public:
    [[nodiscard]] static bool equals(const QVariant &a, const QVariant &b);
};

} // namespace SurrealQt
