#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QVariant>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A SurrealQL `<future>` value (CBOR tag 15). Not related to QFuture. SurrealDB 3.0.2 refuses
    the tag; it exists so that such a value can at least be represented and decoded. */
class SURREALQT_EXPORT Future
{
    Q_GADGET
    Q_PROPERTY(QVariant value READ value CONSTANT)

public:
    Future() = default;
    /*! Wraps the value the server would compute later. */
    explicit Future(const QVariant &value)
        : m_value(value)
    {}

    /*! The wrapped value. */
    [[nodiscard]] QVariant value() const { return m_value; }

    /*! SurrealQL text: `<future> { value }`. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const Future &a, const Future &b);
    friend bool operator!=(const Future &a, const Future &b) { return !(a == b); }

private:
    QVariant m_value;
};

/*! Prints the value for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Future &future);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Future)
