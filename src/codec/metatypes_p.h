#pragma once

#include <SurrealQt/global.h>

namespace SurrealQt {

// Registers every value type with QMetaType (names for QVariant/QML, converters to QString so
// that item views and QVariant::toString() show them). Runs at library load; safe to call again.
SURREALQT_EXPORT void registerMetaTypes();

} // namespace SurrealQt
