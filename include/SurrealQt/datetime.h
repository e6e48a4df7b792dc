#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <compare>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A SurrealDB datetime (CBOR tag 12): UTC, nanosecond precision. QDateTime only keeps
    milliseconds and carries a time spec, so this type is what travels on the wire. */
class SURREALQT_EXPORT DateTime
{
    Q_GADGET
    Q_PROPERTY(qint64 seconds READ seconds CONSTANT)
    Q_PROPERTY(int nanoseconds READ nanoseconds CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    DateTime() = default; // invalid, like QDateTime()
    /*! Nanoseconds outside 0..999999999 are carried into the seconds. */
    DateTime(qint64 secondsSinceEpoch, qint64 nanoseconds);
    /*! The instant of dateTime (any time spec, converted to UTC), milliseconds exact; an invalid
        QDateTime gives an invalid DateTime. */
    explicit DateTime(const QDateTime &dateTime);

    /*! Same as DateTime(const QDateTime &). */
    [[nodiscard]] static DateTime fromQDateTime(const QDateTime &dateTime) { return DateTime(dateTime); }
    /*! Now, in UTC, with the system clock's millisecond precision. */
    [[nodiscard]] static DateTime currentDateTime();
    /*! RFC 3339 with `Z` or a numeric offset and up to 9 fractional digits. Text without an
        offset is rejected, as the server rejects it. */
    [[nodiscard]] static DateTime fromString(QStringView text, QString *error = nullptr);

    /*! False for a default-constructed DateTime or text that did not parse. */
    [[nodiscard]] bool isValid() const { return m_valid; }
    /*! Whole seconds since 1970-01-01T00:00:00Z (negative before it). */
    [[nodiscard]] qint64 seconds() const { return m_secs; }
    /*! Nanoseconds past seconds(), 0..999999999. */
    [[nodiscard]] int nanoseconds() const { return m_nanos; }

    /*! UTC QDateTime, truncated to milliseconds; invalid if out of QDateTime's range. */
    Q_INVOKABLE [[nodiscard]] QDateTime toQDateTime() const;
    /*! RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as the server prints it. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend bool operator==(const DateTime &, const DateTime &) = default;
    friend auto operator<=>(const DateTime &, const DateTime &) = default;

private:
    // Order matters for the defaulted comparisons: invalid sorts first.
    bool m_valid = false;
    qint64 m_secs = 0;
    int m_nanos = 0;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const DateTime &dateTime);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::DateTime)
