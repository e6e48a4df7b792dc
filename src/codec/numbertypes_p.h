#pragma once

// Not public API: which QMetaType ids are plain C++ numbers, one list for the layers that convert
// or compare them (codec's ValueOrder, orm's row loader and field checks, views' StoredType). The
// char types are not in it: each caller that takes them as numbers says so.

#include <QtCore/QMetaType>

namespace SurrealQt::NumberTypes {

inline bool isInteger(int typeId)
{
    switch (typeId) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Long:
    case QMetaType::ULong:
        return true;
    default:
        return false;
    }
}

inline bool isFloat(int typeId)
{
    return typeId == QMetaType::Double || typeId == QMetaType::Float;
}

} // namespace SurrealQt::NumberTypes
