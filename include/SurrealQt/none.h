#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QVariant>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! SurrealDB NONE ("no value"). It is deliberately a type of its own: NULL is a stored value
    (QVariant::fromValue(nullptr)) while NONE removes a field, and the two must never be folded. */
struct SURREALQT_EXPORT None
{
    Q_GADGET

public:
    /*! The text "NONE". */
    Q_INVOKABLE [[nodiscard]] QString toString() const { return QStringLiteral("NONE"); }

    friend constexpr bool operator==(None, None) noexcept { return true; }
    friend constexpr bool operator!=(None, None) noexcept { return false; }
};

/*! Prints NONE for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, None);

} // namespace SurrealQt

/*! Before the helpers below: they instantiate QMetaType::fromType<None>(). */
Q_DECLARE_METATYPE(SurrealQt::None)

namespace SurrealQt {

/*! All None values hash alike (they are all equal). */
inline size_t qHash(None, size_t seed = 0) noexcept
{
    return seed;
}

/*! An invalid QVariant also encodes as NONE, so both count as NONE here. */
[[nodiscard]] inline bool isNone(const QVariant &value)
{
    return !value.isValid() || value.metaType() == QMetaType::fromType<None>();
}
/*! True for a SurrealDB NULL (a QVariant holding std::nullptr_t); NONE is not NULL. */
[[nodiscard]] inline bool isNull(const QVariant &value)
{
    return value.metaType() == QMetaType::fromType<std::nullptr_t>();
}
/*! A QVariant holding NONE: as a field value it removes the field. */
[[nodiscard]] inline QVariant noneValue()
{
    return QVariant::fromValue(None{});
}
/*! A QVariant holding NULL: a stored null value. */
[[nodiscard]] inline QVariant nullValue()
{
    return QVariant::fromValue(nullptr);
}

} // namespace SurrealQt
