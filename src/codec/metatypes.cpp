#include "metatypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>

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
