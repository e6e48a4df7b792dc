#include "orm/fieldinfo_p.h"
#include "orm/orm_p.h"

#include "codec/numbertypes_p.h"
#include "codec/valueformatter_p.h"

#include <SurrealQt/modelinfo.h>
#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QSequentialIterable>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Q_LOGGING_CATEGORY(lcOrm, "surrealqt.orm")

namespace Orm {
QString describeValue(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QString>()) {
        QString s = value.toString();
        if (s.size() > 40)
            s = s.left(37) + u"..."_s;
        return ValueFormatter::quoteString(s);
    }
    QString text = ValueFormatter::toSurrealQL(value);
    if (text.size() > 60)
        text = text.left(57) + u"..."_s;
    return text;
}
} // namespace Orm

FieldInfo::FieldInfo()
    : d(new FieldInfoData)
{}
FieldInfo::FieldInfo(const FieldInfo &other) = default;
FieldInfo::FieldInfo(FieldInfo &&other) noexcept = default;
FieldInfo &FieldInfo::operator=(const FieldInfo &other) = default;
FieldInfo &FieldInfo::operator=(FieldInfo &&other) noexcept = default;
FieldInfo::~FieldInfo() = default;

bool FieldInfo::isValid() const
{
    return d->propertyIndex >= 0;
}
QString FieldInfo::name() const
{
    return d->name;
}
FieldInfo::Type FieldInfo::type() const
{
    return d->type;
}
QMetaType FieldInfo::metaType() const
{
    return d->metaType;
}
int FieldInfo::propertyIndex() const
{
    return d->propertyIndex;
}
bool FieldInfo::isRequired() const
{
    return d->required;
}
bool FieldInfo::isOptional() const
{
    return d->optional;
}
bool FieldInfo::hasDefault() const
{
    return d->hasDefault;
}
QVariant FieldInfo::defaultValue() const
{
    return d->defaultValue;
}
QString FieldInfo::description() const
{
    return d->description;
}
int FieldInfo::maxLength() const
{
    return d->maxLength;
}
bool FieldInfo::isAutoNow() const
{
    return d->autoNow;
}
bool FieldInfo::isAutoNowAdd() const
{
    return d->autoNowAdd;
}
bool FieldInfo::isUnique() const
{
    return d->unique;
}
bool FieldInfo::isIndexed() const
{
    return d->unique || d->index;
}
bool FieldInfo::isReadOnly() const
{
    return d->readOnly;
}
QString FieldInfo::linkTarget() const
{
    return d->linkTarget;
}
FieldInfo::Type FieldInfo::itemType() const
{
    return d->itemType;
}
QVariantMap FieldInfo::options() const
{
    return d->options;
}

const ModelInfo *FieldInfo::linkModel() const
{
    if (d->linkTarget.isEmpty())
        return nullptr;
    const ModelInfo *info = ModelInfo::find(d->linkTarget);
    // A table name that happens to equal a model's table counts only when given as a class name
    // or as that model's table; both are what find() matches.
    return info;
}

QString FieldInfo::linkTable() const
{
    if (const ModelInfo *info = linkModel())
        return info->tableName();
    return d->linkTarget;
}

QString FieldInfo::typeName(Type type)
{
    switch (type) {
    case Type::Any:
        return u"any"_s;
    case Type::String:
        return u"string"_s;
    case Type::Int:
        return u"int"_s;
    case Type::Float:
        return u"float"_s;
    case Type::Bool:
        return u"bool"_s;
    case Type::DateTime:
        return u"datetime"_s;
    case Type::Duration:
        return u"duration"_s;
    case Type::Decimal:
        return u"decimal"_s;
    case Type::Uuid:
        return u"uuid"_s;
    case Type::Geometry:
        return u"geometry"_s;
    case Type::Bytes:
        return u"bytes"_s;
    case Type::Record:
        return u"record"_s;
    case Type::List:
        return u"array"_s;
    case Type::Object:
        return u"object"_s;
    }
    return u"any"_s;
}

FieldInfo::Type FieldInfo::typeFor(QMetaType mt)
{
    switch (mt.id()) {
    case QMetaType::QString:
        return Type::String;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return Type::Int;
    case QMetaType::Double:
    case QMetaType::Float:
        return Type::Float;
    case QMetaType::Bool:
        return Type::Bool;
    case QMetaType::QDateTime:
        return Type::DateTime;
    case QMetaType::QUuid:
        return Type::Uuid;
    case QMetaType::QByteArray:
        return Type::Bytes;
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        return Type::Object;
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return Type::List;
    case QMetaType::QVariant:
        return Type::Any;
    default:
        break;
    }
    if (mt == QMetaType::fromType<DateTime>())
        return Type::DateTime;
    if (mt == QMetaType::fromType<Duration>())
        return Type::Duration;
    if (mt == QMetaType::fromType<Decimal>())
        return Type::Decimal;
    if (mt == QMetaType::fromType<Geometry>())
        return Type::Geometry;
    if (mt == QMetaType::fromType<RecordId>())
        return Type::Record;
    if (QMetaType::canView(mt, QMetaType::fromType<QSequentialIterable>()))
        return Type::List;
    return Type::Any;
}

QString FieldInfo::surrealType() const
{
    QString t;
    switch (d->type) {
    case Type::Record: {
        const QString table = linkTable();
        t = table.isEmpty() ? u"record"_s : u"record<%1>"_s.arg(ValueFormatter::escapeIdent(table));
        break;
    }
    case Type::List:
        if (d->itemType == Type::Record && !linkTable().isEmpty())
            t = u"array<record<%1>>"_s.arg(ValueFormatter::escapeIdent(linkTable()));
        else
            t = d->itemType == Type::Any ? u"array"_s : u"array<%1>"_s.arg(typeName(d->itemType));
        break;
    default:
        t = typeName(d->type);
    }
    if (d->optional && d->type != Type::Any)
        t = u"option<%1>"_s.arg(t);
    return t;
}

namespace {
// signed and unsigned char too: an int field takes a qint8 or quint8 as the number it is.
bool isIntegral(QMetaType mt)
{
    const int id = mt.id();
    return NumberTypes::isInteger(id) || id == QMetaType::SChar || id == QMetaType::UChar;
}

// Whether value has a C++ type the field's SurrealDB type accepts without losing anything.
} // namespace

bool Orm::accepts(FieldInfo::Type type, const QVariant &value)
{
    const QMetaType mt = value.metaType();
    switch (type) {
    case FieldInfo::Type::Any:
        return true;
    case FieldInfo::Type::String:
        return mt.id() == QMetaType::QString;
    case FieldInfo::Type::Int:
        return isIntegral(mt);
    case FieldInfo::Type::Float:
        return isIntegral(mt) || mt.id() == QMetaType::Double || mt.id() == QMetaType::Float;
    case FieldInfo::Type::Bool:
        return mt.id() == QMetaType::Bool;
    case FieldInfo::Type::DateTime:
        return mt == QMetaType::fromType<DateTime>() || mt.id() == QMetaType::QDateTime;
    case FieldInfo::Type::Duration:
        return mt == QMetaType::fromType<Duration>();
    case FieldInfo::Type::Decimal:
        return mt == QMetaType::fromType<Decimal>() || isIntegral(mt);
    case FieldInfo::Type::Uuid:
        return mt.id() == QMetaType::QUuid;
    case FieldInfo::Type::Geometry:
        return mt == QMetaType::fromType<Geometry>();
    case FieldInfo::Type::Bytes:
        return mt.id() == QMetaType::QByteArray;
    case FieldInfo::Type::Record:
        return mt == QMetaType::fromType<RecordId>();
    case FieldInfo::Type::List:
        return mt.id() != QMetaType::QString && mt.id() != QMetaType::QByteArray &&
               QMetaType::canView(mt, QMetaType::fromType<QSequentialIterable>());
    case FieldInfo::Type::Object:
        return mt.id() == QMetaType::QVariantMap || mt.id() == QMetaType::QVariantHash;
    }
    return false;
}

Error FieldInfo::check(const QVariant &value, const QString &modelName) const
{
    const QString where = modelName + u'.' + d->name;
    const bool none = isNone(value) || isNull(value);
    if (none) {
        if (d->required)
            return Orm::validationError(u"%1 is required"_s.arg(where), where);
        if (d->optional || d->type == Type::Any || isNone(value))
            return {};
        return Orm::validationError(u"%1: NULL is not a %2"_s.arg(where, typeName(d->type)), where);
    }
    if (!Orm::accepts(d->type, value)) {
        return Orm::validationError(u"%1: %2 (%3) is not a %4"_s.arg(where, Orm::describeValue(value),
                                                                     QString::fromLatin1(value.typeName()),
                                                                     typeName(d->type)),
                                    where);
    }
    if (d->type == Type::String) {
        const QString s = value.toString();
        if (d->required && s.isEmpty())
            return Orm::validationError(u"%1 is required (got an empty string)"_s.arg(where), where);
        if (d->maxLength >= 0 && s.size() > d->maxLength) {
            return Orm::validationError(
                u"%1: %2 is longer than %3 characters (%4)"_s.arg(where, Orm::describeValue(value))
                    .arg(d->maxLength)
                    .arg(s.size()),
                where);
        }
    }
    if (d->type == Type::Record) {
        const QString table = linkTable();
        const RecordId id = value.value<RecordId>();
        if (d->required && !id.isValid())
            return Orm::validationError(u"%1 is required"_s.arg(where), where);
        if (id.isValid() && !table.isEmpty() && id.table() != table) {
            return Orm::validationError(
                u"%1: %2 is not a record of table %3"_s.arg(where, id.toString(), table), where);
        }
    }
    if (d->type == Type::List && d->itemType != Type::Any) {
        const QSequentialIterable items = value.value<QSequentialIterable>();
        int i = 0;
        for (const QVariant &item : items) {
            if (!Orm::accepts(d->itemType, item)) {
                return Orm::validationError(u"%1[%2]: %3 is not a %4"_s.arg(where).arg(i).arg(
                                                Orm::describeValue(item), typeName(d->itemType)),
                                            where);
            }
            if (d->itemType == Type::Record && !linkTable().isEmpty() &&
                item.value<RecordId>().table() != linkTable()) {
                return Orm::validationError(u"%1[%2]: %3 is not a record of table %4"_s.arg(where).arg(i).arg(
                                                item.value<RecordId>().toString(), linkTable()),
                                            where);
            }
            ++i;
        }
    }
    if (d->required) {
        bool empty = false;
        if (d->type == Type::DateTime)
            empty = value.metaType() == QMetaType::fromType<DateTime>() ? !value.value<DateTime>().isValid()
                                                                        : !value.toDateTime().isValid();
        else if (d->type == Type::Decimal && value.metaType() == QMetaType::fromType<Decimal>())
            empty = !value.value<Decimal>().isValid();
        else if (d->type == Type::Uuid)
            empty = value.toUuid().isNull();
        if (empty)
            return Orm::validationError(u"%1 is required"_s.arg(where), where);
    }
    return {};
}

} // namespace SurrealQt
