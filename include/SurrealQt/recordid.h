#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QVariant>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

// A record id `table:key` (CBOR tag 8). The key is one of: qint64, QString, QVariantList,
// QVariantMap, QUuid or SurrealQt::Range (key ranges such as person:1..5).
class SURREALQT_EXPORT RecordId
{
    Q_GADGET
    Q_PROPERTY(QString table READ table CONSTANT)
    Q_PROPERTY(QVariant id READ id CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    RecordId() = default;
    RecordId(const QString &table, const QVariant &id);
    // Separate overloads so that RecordId(u"person"_s, 1) does not go through QVariant(int).
    RecordId(const QString &table, qint64 id);
    RecordId(const QString &table, int id)
        : RecordId(table, qint64(id))
    {}
    RecordId(const QString &table, const QString &id);

    // Parses SurrealQL record-id text: `person:tobie`, `person:42`, `person:⟨a b⟩`,
    // `` person:`a b` ``, `person:u'0192…'`. Array, object and range keys are not parsed
    // (construct those with RecordId(table, QVariant)). On failure the result is invalid and
    // *error says what was wrong and at which character position (0-based).
    [[nodiscard]] static RecordId parse(QStringView text, QString *error = nullptr);

    [[nodiscard]] QString table() const { return m_table; }
    [[nodiscard]] QVariant id() const { return m_id; }
    // A non-empty table and a key of one of the supported types.
    [[nodiscard]] bool isValid() const;

    // Prints like the server: `person:tobie`, `person:42`, `person:⟨a b⟩`, `` `my table`:1 ``.
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const RecordId &a, const RecordId &b);
    friend bool operator!=(const RecordId &a, const RecordId &b) { return !(a == b); }

private:
    QString m_table;
    QVariant m_id;
};

SURREALQT_EXPORT size_t qHash(const RecordId &id, size_t seed = 0);
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const RecordId &id);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::RecordId)
