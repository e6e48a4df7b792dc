#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariant>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! One end of a Range: open (CBOR null), inclusive (tag 50) or exclusive (tag 51). */
class SURREALQT_EXPORT Bound
{
    Q_GADGET
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(QVariant value READ value CONSTANT)

public:
    /*! Which kind of end: open, inclusive or exclusive. */
    enum Kind { Unbounded, Included, Excluded };
    Q_ENUM(Kind)

    Bound() = default; // unbounded

    /*! An open end (the same as Bound()). */
    [[nodiscard]] static Bound unbounded() { return {}; }
    /*! An end that includes value (`..=value`, or `value..` as lower end). */
    [[nodiscard]] static Bound included(const QVariant &value) { return Bound(Included, value); }
    /*! An end that excludes value (`..value`, or `value>..` as lower end). */
    [[nodiscard]] static Bound excluded(const QVariant &value) { return Bound(Excluded, value); }

    /*! Which kind of end this is. */
    [[nodiscard]] Kind kind() const { return m_kind; }
    /*! True for an open end. */
    [[nodiscard]] bool isUnbounded() const { return m_kind == Unbounded; }
    /*! True for an inclusive end. */
    [[nodiscard]] bool isIncluded() const { return m_kind == Included; }
    /*! True for an exclusive end. */
    [[nodiscard]] bool isExcluded() const { return m_kind == Excluded; }
    /*! Invalid QVariant for an unbounded end. */
    [[nodiscard]] QVariant value() const { return m_value; }

    /*! For display: "unbounded", "included 3" or "excluded 3" (value in SurrealQL). */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const Bound &a, const Bound &b);
    friend bool operator!=(const Bound &a, const Bound &b) { return !(a == b); }

private:
    Bound(Kind kind, const QVariant &value)
        : m_kind(kind)
        , m_value(value)
    {}

    Kind m_kind = Unbounded;
    QVariant m_value;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Bound &bound);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Bound)
