#pragma once

#include <SurrealQt/bound.h>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A SurrealQL range (CBOR tag 49), standalone (`1..3`) or as a record-id key (`item:1..=2`). */
class SURREALQT_EXPORT Range
{
    Q_GADGET
    Q_PROPERTY(SurrealQt::Bound lower READ lower CONSTANT)
    Q_PROPERTY(SurrealQt::Bound upper READ upper CONSTANT)

public:
    Range() = default; // `..`, both ends open
    /*! A range between two bounds; a Bound() of its own is an open end. */
    Range(const Bound &lower, const Bound &upper)
        : m_lower(lower)
        , m_upper(upper)
    {}

    /*! The start of the range. */
    [[nodiscard]] Bound lower() const { return m_lower; }
    /*! The end of the range. */
    [[nodiscard]] Bound upper() const { return m_upper; }

    /*! SurrealQL syntax: `1..3` (upper excluded), `1..=3`, `1>..3` (lower excluded), `..`. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend bool operator==(const Range &a, const Range &b)
    {
        return a.m_lower == b.m_lower && a.m_upper == b.m_upper;
    }
    friend bool operator!=(const Range &a, const Range &b) { return !(a == b); }

private:
    Bound m_lower;
    Bound m_upper;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Range &range);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Range)
