#include "views/listmodelsupport_p.h"

#include "codec/valueformatter_p.h"

#include <SurrealQt/none.h>

using namespace Qt::StringLiterals;

namespace SurrealQt::ListModelSupport {

bool quotePath(const QString &path, QString *out)
{
    const QStringList parts = path.split(u'.');
    QStringList quoted;
    for (const QString &part : parts) {
        if (part.isEmpty())
            return false;
        quoted.append(ValueFormatter::escapeIdent(part));
    }
    *out = quoted.join(u'.');
    return true;
}

QVariant valueAtPath(const QVariantMap &record, const QString &path)
{
    if (!path.contains(u'.'))
        return record.value(path);
    QVariant v = QVariant(record);
    for (const QString &part : path.split(u'.'))
        v = v.toMap().value(part);
    return v;
}

QVariant displayValue(const QVariant &v)
{
    if (!v.isValid() || isNone(v) || isNull(v))
        return {};
    switch (v.metaType().id()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Double:
    case QMetaType::QString:
        return v;
    default:
        break;
    }
    if (isRecordId(v))
        return v.value<RecordId>().toString();
    return ValueFormatter::toSurrealQL(v);
}

} // namespace SurrealQt::ListModelSupport
