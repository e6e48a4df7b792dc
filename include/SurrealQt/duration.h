#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <compare>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A SurrealDB duration (CBOR tag 14): unsigned seconds plus nanoseconds, like Rust's
    std::time::Duration on the server. A year is 365 days, as in SurrealQL. */
class SURREALQT_EXPORT Duration
{
    Q_GADGET
    Q_PROPERTY(quint64 seconds READ seconds CONSTANT)
    Q_PROPERTY(int nanoseconds READ nanoseconds CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    Duration() = default; // zero
    /*! Nanoseconds of a second or more are carried into the seconds. */
    explicit Duration(quint64 seconds, quint64 nanoseconds = 0);

    /*! A duration of milliseconds. */
    [[nodiscard]] static Duration fromMilliseconds(quint64 milliseconds);
    /*! SurrealQL duration text: one or more `<integer><unit>` parts, units y w d h m s ms us µs ns,
        e.g. "1h30m", "1s500ms". Invalid text gives an invalid Duration and *error. */
    [[nodiscard]] static Duration fromString(QStringView text, QString *error = nullptr);

    /*! False only for text that did not parse (a default Duration is a valid zero). */
    [[nodiscard]] bool isValid() const { return m_valid; }
    /*! True for a zero duration. */
    [[nodiscard]] bool isZero() const { return m_secs == 0 && m_nanos == 0; }
    /*! Whole seconds. */
    [[nodiscard]] quint64 seconds() const { return m_secs; }
    /*! Nanoseconds past seconds(), 0..999999999. */
    [[nodiscard]] int nanoseconds() const { return m_nanos; }
    /*! Saturates at the largest quint64. */
    [[nodiscard]] quint64 toMilliseconds() const;

    /*! Like the server: "1h30m", "1s500ms", "0ns" for zero. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend bool operator==(const Duration &, const Duration &) = default;
    friend auto operator<=>(const Duration &, const Duration &) = default;

private:
    bool m_valid = true;
    quint64 m_secs = 0;
    int m_nanos = 0;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Duration &duration);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Duration)
