#pragma once

// Not public API: the type a field is stored with, and how a value edited in a view (a
// QStyledItemDelegate's editor, a QML TextField) becomes that type again, as QSqlTableModel
// converts an editor's value to the column's type.

#include <SurrealQt/global.h>

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QVariant>

namespace SurrealQt {

class SURREALQT_EXPORT StoredType
{
public:
    enum class Kind {
        Unknown, // no value and no declared type: the edited value is stored as given
        Int,
        Float,
        Number, // declared `number`: an integer or a float, whichever the text is
        Decimal,
        Bool,
        String,
        DateTime,
        Duration,
        RecordLink,
        Other // arrays, objects, geometries...: edited as a whole value, never from text
    };

    // What INFO FOR TABLE declares for a table's top-level fields.
    struct TableSchema
    {
        QHash<QString, Kind> kinds;
        // READONLY and COMPUTED fields: a write through a view cannot change them.
        QSet<QString> readOnly;
        // The fields that start an index (an order by them pages by key).
        QSet<QString> indexed;
        bool known = false;
    };
    [[nodiscard]] static TableSchema parseTableInfo(const QVariantMap &info);

    [[nodiscard]] static Kind kindOfValue(const QVariant &value);
    // `option<int>` and `none | int` are Int; other unions and `any` are Unknown.
    [[nodiscard]] static Kind kindOfDeclaredType(QString type);
    [[nodiscard]] static QString kindName(Kind kind);

    // What an editor gets for a stored value (Qt::EditRole): types Qt's default editor factory
    // has an editor for (int, double, bool, QString, QDateTime); text for the SurrealDB types
    // Qt lacks (decimal, duration, record link), which convert() reads back.
    [[nodiscard]] static QVariant editValue(const QVariant &stored);

    // `edited` as a value of `kind`; false, with *why, when it does not fit (text that is no
    // number for an int field, 1.5 for an int field, text for an array...).
    [[nodiscard]] static bool convert(const QVariant &edited, Kind kind, QVariant *out, QString *why);
};

} // namespace SurrealQt
