#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QVariantList>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A SurrealDB set (CBOR tag 56). The server sorts and de-duplicates; this class keeps the list
    as given so that what was received is what is compared and re-sent. */
class SURREALQT_EXPORT SurrealSet
{
    Q_GADGET
    Q_PROPERTY(QVariantList values READ values CONSTANT)
    Q_PROPERTY(int size READ size CONSTANT)

public:
    SurrealSet() = default;
    explicit SurrealSet(const QVariantList &values)
        : m_values(values)
    {}

    [[nodiscard]] QVariantList values() const { return m_values; }
    [[nodiscard]] int size() const { return int(m_values.size()); }
    [[nodiscard]] bool isEmpty() const { return m_values.isEmpty(); }

    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const SurrealSet &a, const SurrealSet &b);
    friend bool operator!=(const SurrealSet &a, const SurrealSet &b) { return !(a == b); }

private:
    QVariantList m_values;
};

SURREALQT_EXPORT QDebug operator<<(QDebug debug, const SurrealSet &set);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::SurrealSet)
