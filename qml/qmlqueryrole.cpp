#include "qmlqueryrole.h"

#include "views/storedtype_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

StoredType::Kind storedKind(QmlQueryRole::Type type)
{
    switch (type) {
    case QmlQueryRole::Var:
        break;
    case QmlQueryRole::String:
        return StoredType::Kind::String;
    case QmlQueryRole::Int:
        return StoredType::Kind::Int;
    case QmlQueryRole::Real:
        return StoredType::Kind::Float;
    case QmlQueryRole::Bool:
        return StoredType::Kind::Bool;
    case QmlQueryRole::DateTime:
        return StoredType::Kind::DateTime;
    case QmlQueryRole::RecordId:
        return StoredType::Kind::RecordLink;
    }
    return StoredType::Kind::Unknown;
}

// What people read in a refusal: "a whole number", not the enumerator.
QString typeWords(QmlQueryRole::Type type)
{
    switch (type) {
    case QmlQueryRole::Var:
        break;
    case QmlQueryRole::String:
        return u"text (QueryRole.String)"_s;
    case QmlQueryRole::Int:
        return u"a whole number (QueryRole.Int)"_s;
    case QmlQueryRole::Real:
        return u"a number (QueryRole.Real)"_s;
    case QmlQueryRole::Bool:
        return u"true or false (QueryRole.Bool)"_s;
    case QmlQueryRole::DateTime:
        return u"a date and time (QueryRole.DateTime)"_s;
    case QmlQueryRole::RecordId:
        return u"a record id such as \"table:key\" (QueryRole.RecordId)"_s;
    }
    return u"a value (QueryRole.Var)"_s;
}

bool missing(const QVariant &v)
{
    return !v.isValid() || isNone(v) || isNull(v);
}

// A converted (stored-form) value as QML shows it: Date for datetimes, text for record ids.
QVariant forQml(const QVariant &stored)
{
    if (stored.metaType() == QMetaType::fromType<SurrealQt::DateTime>())
        return stored.value<SurrealQt::DateTime>().toQDateTime();
    if (stored.metaType() == QMetaType::fromType<SurrealQt::RecordId>())
        return stored.value<SurrealQt::RecordId>().toString();
    return stored;
}

QVariant emptyValue(QmlQueryRole::Type type)
{
    switch (type) {
    case QmlQueryRole::Var:
        break;
    case QmlQueryRole::String:
    case QmlQueryRole::RecordId:
        return QString();
    case QmlQueryRole::Int:
        return QVariant::fromValue(qint64(0));
    case QmlQueryRole::Real:
        return 0.0;
    case QmlQueryRole::Bool:
        return false;
    case QmlQueryRole::DateTime:
        return QDateTime();
    }
    return {};
}

} // namespace

QmlQueryRole::QmlQueryRole(QObject *parent)
    : QObject(parent)
{}

QmlQueryRole::~QmlQueryRole() = default;

void QmlQueryRole::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
    Q_EMIT changed();
}

void QmlQueryRole::setType(Type type)
{
    if (m_type == type)
        return;
    m_type = type;
    Q_EMIT typeChanged();
    Q_EMIT changed();
}

void QmlQueryRole::setDefaultValue(const QVariant &value)
{
    if (m_defaultValue == value)
        return;
    m_defaultValue = value;
    Q_EMIT defaultValueChanged();
    Q_EMIT changed();
}

QVariant QmlQueryRole::read(const QVariant &stored) const
{
    QVariant out;
    QString why;
    if (!missing(stored)) {
        if (m_type == Var)
            return stored;
        if (StoredType::convert(stored, storedKind(m_type), &out, &why))
            return forQml(out);
    }
    if (missing(m_defaultValue))
        return emptyValue(m_type);
    if (m_type != Var && StoredType::convert(m_defaultValue, storedKind(m_type), &out, &why))
        return forQml(out);
    return m_type == Var ? m_defaultValue : emptyValue(m_type);
}

bool QmlQueryRole::convert(const QVariant &edited, QVariant *out, QString *why) const
{
    QString reason;
    if (StoredType::convert(edited, storedKind(m_type), out, &reason))
        return true;
    const QString shown =
        edited.metaType().id() == QMetaType::QString
            ? u'"' + edited.toString() + u'"'
            : (edited.toString().isEmpty() ? QString::fromLatin1(edited.typeName()) : edited.toString());
    *why = u"%1: %2 cannot be stored as %3"_s.arg(m_name, shown, typeWords(m_type));
    return false;
}

} // namespace SurrealQt
