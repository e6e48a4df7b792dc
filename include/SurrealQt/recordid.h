#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QVariant>

#include <concepts>
#include <cstddef>
#include <limits>
#include <type_traits>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

#ifndef Q_MOC_RUN
namespace Internal {
// bool and the character types are integral, but not keys.
template<typename T>
inline constexpr bool isCharacterType =
    std::is_same_v<T, bool> || std::is_same_v<T, char> || std::is_same_v<T, wchar_t> ||
    std::is_same_v<T, char8_t> || std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
// Integer types other than qint64 (which has its own constructor) make integer keys.
template<typename T>
concept IntegerKey = std::integral<T> && !isCharacterType<T> && !std::same_as<T, qint64>;
// Values that convert to an integer but are no key: refused at compile time.
template<typename T>
concept NotAKey = std::floating_point<T> || isCharacterType<T>;
} // namespace Internal
#endif

/*! A record id `table:key` (CBOR tag 8). The key is one of: qint64, QString, QVariantList,
    QVariantMap, QUuid or SurrealQt::Range (key ranges such as person:1..5). */
class SURREALQT_EXPORT RecordId
{
    Q_GADGET
    Q_PROPERTY(QString table READ table CONSTANT)
    Q_PROPERTY(QVariant id READ id CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    RecordId() = default;
    /*! The key is a QVariant of one of the types above (integers are normalised to qint64). */
    RecordId(const QString &table, const QVariant &id);
    /*! Typed keys, so that RecordId(u"person"_s, 1), RecordId(t, 1u) and RecordId(t, "tobie")
        each pick one overload: any integer type (an unsigned value above the qint64 range gives
        an invalid id: the server's integer keys are signed 64-bit) and text as QString,
        QLatin1StringView, UTF-8 const char * or QStringView. A double, a bool or a character is
        not a key and does not compile (a double used to be truncated, a bool read as 0/1). */
    RecordId(const QString &table, qint64 id);
/*! An integer key of any integer type (see the qint64 overload). */
#ifndef Q_MOC_RUN
    template<Internal::IntegerKey Int>
    RecordId(const QString &table, Int id)
        : RecordId(table, integerKey(id))
    {}
#endif
    /*! A text key, kept as text: RecordId(t, u"42"_s) is `t:⟨42⟩`, not `t:42`. */
    RecordId(const QString &table, const QString &id);
    /*! A text key (see the QString overload). */
    RecordId(const QString &table, QStringView id)
        : RecordId(table, id.toString())
    {}
    /*! A text key (see the QString overload). */
    RecordId(const QString &table, QLatin1StringView id)
        : RecordId(table, QString(id))
    {}
    /*! A UTF-8 text key (see the QString overload). */
    RecordId(const QString &table, const char *id)
        : RecordId(table, QString::fromUtf8(id))
    {}
    RecordId(const QString &table, std::nullptr_t) = delete;
#ifndef Q_MOC_RUN
    template<Internal::NotAKey Value>
    RecordId(const QString &table, Value id) = delete;
#endif

    /*! Parses SurrealQL record-id text, the form the server prints: `person:tobie`, `person:42`
        (an integer key), `person:⟨42⟩` (the text "42"), `person:⟨a b⟩`, `` person:`a b` ``,
        `person:u'0192…'`. Array, object and range keys are not parsed (construct those with
        RecordId(table, QVariant)). On failure the result is invalid and *error says what was wrong
        and at which character position (0-based). The primary name; parse() is the same call. */
    [[nodiscard]] static RecordId fromString(QStringView text, QString *error = nullptr);
    /*! Same as fromString() (the older name, kept for existing code). */
    [[nodiscard]] static RecordId parse(QStringView text, QString *error = nullptr)
    {
        return fromString(text, error);
    }

    /*! The one reading of a record id given where the table is already known (Query<T>::get,
        Model::setId, the "id" of a row written to a table):
          - a RecordId must be of table;
          - text with a ':' is record-id text (fromString) and must name a record of table:
            "user:42" is user:42, "post:1" is refused, and so is "12:30" or "user:a b", which
            are neither a record id nor safely a key (pass RecordId(table, text) for a key with a ':');
          - any other value is the key itself: "ann" is user:ann, "42" is user:⟨42⟩ (text stays
            text), 42 is user:42.
        On refusal the result is invalid and *error names the expected table. */
    [[nodiscard]] static RecordId inTable(const QString &table, const QVariant &idOrKey,
                                          QString *error = nullptr);

    /*! The table part. */
    [[nodiscard]] QString table() const
    {
        return m_table;
    }
    /*! The key: qint64, QString, QVariantList, QVariantMap, QUuid or Range. */
    [[nodiscard]] QVariant id() const
    {
        return m_id;
    }
    /*! A non-empty table and a key of one of the supported types. */
    [[nodiscard]] bool isValid() const;

    /*! Prints like the server: `person:tobie`, `person:42`, `person:⟨a b⟩`, `` `my table`:1 ``. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const RecordId &a, const RecordId &b);
    friend bool operator!=(const RecordId &a, const RecordId &b)
    {
        return !(a == b);
    }

private:
#ifndef Q_MOC_RUN
    template<typename Int>
    static QVariant integerKey(Int id)
    {
        if constexpr (std::is_unsigned_v<Int> && sizeof(Int) >= sizeof(qint64)) {
            if (id > quint64(std::numeric_limits<qint64>::max()))
                return {}; // invalid: out of the server's key range
        }
        return QVariant(qint64(id));
    }
#endif

    QString m_table;
    QVariant m_id;
};

/*! Hash over table and key, so RecordId works as a QHash/QSet key. */
SURREALQT_EXPORT size_t qHash(const RecordId &id, size_t seed = 0);
/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const RecordId &id);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::RecordId)
