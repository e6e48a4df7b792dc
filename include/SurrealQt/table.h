#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QHashFunctions>
#include <QtCore/QMetaType>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A table name as a value (CBOR tag 7). Needed because a plain string bound as a variable is a
    string literal to SurrealQL, never a table. */
class SURREALQT_EXPORT Table
{
    Q_GADGET
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    Table() = default;
    /*! The table called name; an empty name gives an invalid table. */
    explicit Table(const QString &name)
        : m_name(name)
    {}

    /*! The table's name as given, without escaping. */
    [[nodiscard]] QString name() const { return m_name; }
    /*! False for an empty name. */
    [[nodiscard]] bool isValid() const { return !m_name.isEmpty(); }
    /*! The bare name, for display; SurrealQL text escapes it where needed. */
    Q_INVOKABLE [[nodiscard]] QString toString() const { return m_name; }
    /*! The name as SurrealQL would write it (backticks when it is not a plain identifier). */
    Q_INVOKABLE [[nodiscard]] QString toSurrealQL() const;

    friend bool operator==(const Table &a, const Table &b) { return a.m_name == b.m_name; }
    friend bool operator!=(const Table &a, const Table &b) { return !(a == b); }
    friend size_t qHash(const Table &t, size_t seed = 0) { return qHash(t.m_name, seed); }

private:
    QString m_name;
};

/*! Prints the name for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Table &table);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Table)
