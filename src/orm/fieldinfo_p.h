#pragma once

// Not public API.

#include <SurrealQt/fieldinfo.h>

#include <QtCore/QSharedData>

namespace SurrealQt {

class FieldInfoData : public QSharedData
{
public:
    QString name;
    FieldInfo::Type type = FieldInfo::Type::Any;
    FieldInfo::Type itemType = FieldInfo::Type::Any;
    QMetaType metaType;
    int propertyIndex = -1;
    bool required = false;
    bool optional = false;
    bool hasDefault = false;
    QVariant defaultValue;
    QString description;
    int maxLength = -1;
    bool autoNow = false;
    bool autoNowAdd = false;
    bool unique = false;
    bool index = false;
    bool readOnly = false;
    QString linkTarget;
    QVariantMap options;
};

} // namespace SurrealQt
