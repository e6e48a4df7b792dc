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
    /*! A set holding values in the given order (the server sorts and de-duplicates them when stored). */
    explicit SurrealSet(const QVariantList &values)
        : m_values(values)
    {}

    /*! The elements, as received or given. */
    [[nodiscard]] QVariantList values() const { return m_values; }
    /*! The number of elements. */
    [[nodiscard]] int size() const { return int(m_values.size()); }
    /*! True for a set without elements. */
    [[nodiscard]] bool isEmpty() const { return m_values.isEmpty(); }

    /*! SurrealQL text of the set, e.g. `{1, 2}`; `{,}` when empty. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const SurrealSet &a, const SurrealSet &b);
    friend bool operator!=(const SurrealSet &a, const SurrealSet &b) { return !(a == b); }

private:
    QVariantList m_values;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const SurrealSet &set);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::SurrealSet)
