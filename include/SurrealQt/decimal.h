#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QHashFunctions>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <compare>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! An exact decimal number (CBOR tag 10), kept as normalised text so that no digit is ever lost
    through a double. Normalised means: no leading '+', no leading zeros in the integer part,
    no trailing zeros in the fraction, no "-0". "12.3400" and "12.34" are the same value.

    Any number of digits is kept exactly; the server itself limits decimals to a 96-bit
    mantissa (about 28 digits) and rejects larger values with an error. */
class SURREALQT_EXPORT Decimal
{
    Q_GADGET
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    Decimal() = default; // invalid
    /*! The integer value, exactly. */
    explicit Decimal(qint64 value);

    /*! Accepts [+-]digits[.digits] (".5" and "5." too). Exponent notation is rejected like the
        server rejects it; the error says what and at which character position. */
    [[nodiscard]] static Decimal fromString(QStringView text, QString *error = nullptr);

    /*! False for a default-constructed Decimal or text that did not parse. */
    [[nodiscard]] bool isValid() const { return !m_text.isEmpty(); }
    /*! True below zero. */
    [[nodiscard]] bool isNegative() const { return m_text.startsWith(u'-'); }
    /*! True for zero (normalised, so "0.00" too). */
    [[nodiscard]] bool isZero() const { return m_text == u"0"; }
    /*! Lossy on purpose; only for display or arithmetic where precision does not matter. */
    Q_INVOKABLE [[nodiscard]] double toDouble(bool *ok = nullptr) const;
    /*! The integer part (the fraction is dropped, towards zero), exactly. Out of range (or
        invalid): 0 and *ok false, like QString::toLongLong(). QVariant::toLongLong()/toInt() of a
        Decimal go through these and report the same. */
    [[nodiscard]] qint64 toLongLong(bool *ok = nullptr) const;
    /*! As toLongLong(), and *ok false outside the int range. */
    [[nodiscard]] int toInt(bool *ok = nullptr) const;
    /*! The normalised text, e.g. "12.34", "-0.5"; empty when invalid. */
    Q_INVOKABLE [[nodiscard]] QString toString() const { return m_text; }

    /*! Numeric order; an invalid Decimal sorts before every valid one. */
    [[nodiscard]] static int compare(const Decimal &a, const Decimal &b);

    friend bool operator==(const Decimal &a, const Decimal &b) { return a.m_text == b.m_text; }
    friend std::strong_ordering operator<=>(const Decimal &a, const Decimal &b)
    {
        return compare(a, b) <=> 0;
    }
    friend size_t qHash(const Decimal &d, size_t seed = 0) { return qHash(d.m_text, seed); }

private:
    QString m_text;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Decimal &decimal);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Decimal)
