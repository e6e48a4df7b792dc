#include "orm/modelwrites_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/fieldinfo.h>
#include <SurrealQt/modelinfo.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaProperty>

using namespace Qt::StringLiterals;

namespace SurrealQt {

void ModelWrites::stampAutoFields(Model *m, bool creating)
{
    const ModelInfo &info = m->modelInfo();
    const DateTime now = DateTime::currentDateTime();
    for (const FieldInfo &f : info.fields()) {
        if (f.type() != FieldInfo::Type::DateTime || !(f.isAutoNow() || (creating && f.isAutoNowAdd())))
            continue;
        const QVariant v = f.metaType().id() == QMetaType::QDateTime ? QVariant(now.toQDateTime())
                                                                     : QVariant::fromValue(now);
        info.metaObject()->property(f.propertyIndex()).write(m, v);
    }
}

QVariantMap ModelWrites::contentOf(const Model *m)
{
    const ModelInfo &info = m->modelInfo();
    QVariantMap data = m->toMap();
    data.remove(u"id"_s);
    for (const FieldInfo &f : info.fields()) {
        if (f.isReadOnly())
            data.remove(f.name());
    }
    const QString version = info.versionField();
    if (!version.isEmpty())
        data.insert(version, m->property(version.toLatin1().constData()).toLongLong());
    return data;
}

QStringList ModelWrites::changedFields(const Model *m)
{
    const ModelInfo &info = m->modelInfo();
    QStringList fields = m->dirtyFields();
    for (const FieldInfo &f : info.fields()) {
        if (f.isAutoNow() && !fields.contains(f.name()))
            fields.append(f.name());
    }
    const QString version = info.versionField();
    fields.removeIf([&](const QString &name) {
        const FieldInfo f = info.field(name);
        return !f.isValid() || f.isReadOnly() || name == version;
    });
    return fields;
}

} // namespace SurrealQt
