#pragma once

// Not public API: shared helpers of the ORM layer.

#include <SurrealQt/error.h>
#include <SurrealQt/fieldinfo.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QVariant>

namespace SurrealQt {

Q_DECLARE_LOGGING_CATEGORY(lcOrm)

namespace Orm {

// A value as a short readable text for error messages (strings quoted and cut).
QString describeValue(const QVariant &value);

// Whether value has a C++ type the field type accepts without losing anything.
bool accepts(FieldInfo::Type type, const QVariant &value);

inline Error validationError(const QString &message, const QString &context = {})
{
    return Error(Error::Kind::Validation, message, context);
}

} // namespace Orm
} // namespace SurrealQt
