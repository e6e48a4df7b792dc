#include "metatypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>

#include <algorithm>
#include <climits>
#include <mutex>

namespace SurrealQt {

namespace {

template<typename T>
void registerWithString()
{
    qRegisterMetaType<T>();
    if (!QMetaType::hasRegisteredConverterFunction<T, QString>())
        QMetaType::registerConverter<T, QString>(&T::toString);
}

template<typename From, typename To, typename Fn>
void registerNumeric(Fn fn)
{
    if (!QMetaType::hasRegisteredConverterFunction<From, To>())
        QMetaType::registerConverter<From, To>(fn);
}

} // namespace

void registerMetaTypes()
{
    static std::once_flag once;
    std::call_once(once, [] {
        registerWithString<None>();
        registerWithString<RecordId>();
        registerWithString<Table>();
        registerWithString<DateTime>();
        registerWithString<Duration>();
        registerWithString<Decimal>();
        registerWithString<Bound>();
        registerWithString<Range>();
        registerWithString<Geometry>();
        registerWithString<FileRef>();
        registerWithString<SurrealSet>();
        registerWithString<Future>();
        // QVariant::toDouble(), toLongLong(), toInt() and QString conversions go through these;
        // without them a Decimal or a Duration silently converts to 0. Durations convert to
        // milliseconds, like every time value in Qt's own API (QTimer, QDeadlineTimer).
        registerNumeric<Decimal, double>([](const Decimal &d) { return d.toDouble(); });
        // The integer ones report out-of-range values as failures (QVariant::toLongLong(&ok)
        // gives ok == false), instead of a silent 0 or a wrapped int.
        if (!QMetaType::hasRegisteredConverterFunction<Decimal, qlonglong>())
            QMetaType::registerConverter<Decimal, qlonglong>(&Decimal::toLongLong);
        if (!QMetaType::hasRegisteredConverterFunction<Decimal, int>())
            QMetaType::registerConverter<Decimal, int>(&Decimal::toInt);
        registerNumeric<QString, Decimal>([](const QString &text) { return Decimal::fromString(text); });
        registerNumeric<Duration, qlonglong>(
            [](const Duration &d) { return qlonglong(std::min<quint64>(d.toMilliseconds(), LLONG_MAX)); });
        registerNumeric<Duration, qulonglong>(
            [](const Duration &d) { return qulonglong(d.toMilliseconds()); });
        registerNumeric<Duration, int>(
            [](const Duration &d) { return int(std::min<quint64>(d.toMilliseconds(), INT_MAX)); });
        registerNumeric<Duration, double>(
            [](const Duration &d) { return double(d.seconds()) * 1000.0 + double(d.nanoseconds()) / 1.0e6; });
        registerNumeric<QString, Duration>([](const QString &text) { return Duration::fromString(text); });
        if (!QMetaType::hasRegisteredConverterFunction<DateTime, QDateTime>())
            QMetaType::registerConverter<DateTime, QDateTime>(&DateTime::toQDateTime);
        if (!QMetaType::hasRegisteredConverterFunction<QDateTime, DateTime>())
            QMetaType::registerConverter<QDateTime, DateTime>(
                [](const QDateTime &dt) { return DateTime(dt); });
    });
}

} // namespace SurrealQt

// So that QVariant conversions and QMetaType::fromName() work before any codec call.
static void surrealQtRegisterMetaTypes()
{
    SurrealQt::registerMetaTypes();
}
Q_CONSTRUCTOR_FUNCTION(surrealQtRegisterMetaTypes)
