#pragma once

// The two macros a model declaration uses. moc expands macros from included headers, so the
// Q_PROPERTY, the accessors, the NOTIFY signal and the member come from one line per field:
//
//   class User : public SurrealQt::Model
//   {
//       Q_OBJECT
//       SURREALQT_MODEL(User)
//       SURREALQT_FIELD(QString, name, setName)
//       SURREALQT_FIELD(int, age, setAge)
//   };
//
// Q_OBJECT must stay spelled out in the class: CMake's AUTOMOC only runs moc on headers that
// contain it literally. Types with a top-level comma (QMap<QString, int>) need an alias.
// Both macros leave the class in a `public:` section.

#include <SurrealQt/global.h>

#include <QtCore/QLatin1String>
#include <QtCore/QMetaObject>
#include <QtCore/QVariant>

#include <cstddef>

namespace SurrealQt {
class Connection;
class DatabaseManager;
template<typename T>
class Query;

namespace detail {
// The default= option of a field, converted to the field's type; an invalid QVariant if none.
SURREALQT_EXPORT QVariant fieldDefault(const QMetaObject *metaObject, QLatin1String field);
SURREALQT_EXPORT bool registerModel(const QMetaObject *metaObject);

template<typename T>
bool fieldEquals(const T &a, const T &b)
{
    if constexpr (requires { bool(a == b); })
        return bool(a == b);
    else
        return false;
}
} // namespace detail
} // namespace SurrealQt

/*! Declares the constructor the library uses to create instances and the class-level entry
    points: Class::objects() (a Query<Class> on the class's default connection, or on the given
    one) and Class::setDefaultConnection(). */
#define SURREALQT_MODEL(Class)                                                                               \
public:                                                                                                      \
    Q_INVOKABLE explicit Class(QObject *parent = nullptr)                                                    \
        : ::SurrealQt::Model(parent)                                                                         \
    {}                                                                                                       \
    [[nodiscard]] static ::SurrealQt::Query<Class> objects(::SurrealQt::Connection *connection = nullptr)    \
    {                                                                                                        \
        return ::SurrealQt::Query<Class>(connection);                                                        \
    }                                                                                                        \
    [[nodiscard]] static ::SurrealQt::Query<Class> objects(::SurrealQt::DatabaseManager *manager)            \
    {                                                                                                        \
        return ::SurrealQt::Query<Class>(manager);                                                           \
    }                                                                                                        \
    /* objects(nullptr) and setDefaultConnection(nullptr) would not pick a pointer type. */                  \
    [[nodiscard]] static ::SurrealQt::Query<Class> objects(std::nullptr_t)                                   \
    {                                                                                                        \
        return objects(static_cast<::SurrealQt::Connection *>(nullptr));                                     \
    }                                                                                                        \
    static void setDefaultConnection(std::nullptr_t)                                                         \
    {                                                                                                        \
        setDefaultConnection(static_cast<::SurrealQt::Connection *>(nullptr));                               \
    }                                                                                                        \
    static void setDefaultConnection(::SurrealQt::Connection *connection)                                    \
    {                                                                                                        \
        ::SurrealQt::ModelInfo::of<Class>().setDefaultConnection(connection);                                \
    }                                                                                                        \
    static void setDefaultConnection(::SurrealQt::DatabaseManager *manager)                                  \
    {                                                                                                        \
        ::SurrealQt::ModelInfo::of<Class>().setDefaultConnection(::SurrealQt::Model::connectionOf(manager)); \
    }                                                                                                        \
                                                                                                             \
private:                                                                                                     \
    /* Registers the model at start-up, so link=Class finds it before its first use. */                      \
    static inline const bool surrealqt_registered_ = ::SurrealQt::detail::registerModel(&staticMetaObject);  \
                                                                                                             \
public:

/*! One persistent field: a Q_PROPERTY `name` with getter name(), setter setter(), NOTIFY signal
    nameChanged() and a member m_name initialised from the field's default= option. The setter
    marks the field dirty (see Model::dirtyFields()) and emits the signal only when the value
    changes. */
#define SURREALQT_FIELD(Type, name, setter)                                                                  \
    Q_PROPERTY(Type name READ name WRITE setter NOTIFY name##Changed)                                        \
public:                                                                                                      \
    [[nodiscard]] Type name() const                                                                          \
    {                                                                                                        \
        return m_##name;                                                                                     \
    }                                                                                                        \
    void setter(const Type &value)                                                                           \
    {                                                                                                        \
        if (::SurrealQt::detail::fieldEquals(m_##name, value))                                               \
            return;                                                                                          \
        m_##name = value;                                                                                    \
        fieldChanged(QLatin1String(#name));                                                                  \
        Q_EMIT name##Changed();                                                                              \
    }                                                                                                        \
    Q_SIGNAL void name##Changed();                                                                           \
                                                                                                             \
private:                                                                                                     \
    Type m_##name = []() -> Type {                                                                           \
        static const QVariant defaultValue_ =                                                                \
            ::SurrealQt::detail::fieldDefault(&staticMetaObject, QLatin1String(#name));                      \
        return defaultValue_.isValid() ? defaultValue_.value<Type>() : Type{};                               \
    }();                                                                                                     \
                                                                                                             \
public:
