#pragma once

// Not public API: the one pager under Query<T>::page (QueryCompiler), PageCursor and the list
// models (PagePlan). It writes the SurrealQL of a page, of "everything up to here" (a resync) and
// owns the order rows are placed in and the test whether a row lies inside what is loaded. Pure
// code, no connection: unit-tested in tests/orm/tst_keysetpager.cpp.
//
// Every keyset order is (key, id), both ascending or both descending, in the query text and in
// compare(): the server's order of a page is the order rows are placed in, ties included. A page
// continues strictly after the last row's (key, id), so rows written elsewhere before it never
// shift it.

#include <SurrealQt/bound.h>
#include <SurrealQt/global.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QString>
#include <QtCore/QVariantList>
#include <QtCore/QVariantMap>

namespace SurrealQt::Internal {

class SURREALQT_EXPORT KeysetPager
{
public:
    enum class Mode {
        IdRange, // by record id: a key range of the table (constant cost ascending)
        Indexed, // by a field an index starts with: constant cost, tie groups included
        Sorted,  // by a field without an index: the engine sorts the rows after the position
        Offset,  // START: only where no keyset exists (several order fields)
    };

    struct Spec
    {
        Mode mode = Mode::IdRange;
        QString table; // the table's name (escaped here, and the table of the id ranges)
        QString path;  // the order field, dotted ("address.city"); Offset: unused
        bool descending = false;
        QString condition;   // a SurrealQL condition (its values bound by the caller), or empty
        QString offsetOrder; // Offset: the ORDER BY terms
        QString prefix;      // of the pager's own variables ("qlm_", "pc_", "pg_")
    };

    // Where the pages read so far end: the last row's key and id (and how many rows came before,
    // for Offset). Invalid: nothing read yet.
    struct Position
    {
        bool valid = false;
        QVariant key; // the order field's value; the id again for IdRange
        RecordId id;
        qint64 offset = 0;
    };

    struct Statement
    {
        QString text; // the rows are the last statement's result
        QVariantMap vars;
    };

    KeysetPager() = default;
    explicit KeysetPager(Spec spec);
    [[nodiscard]] const Spec &spec() const { return m_spec; }
    [[nodiscard]] bool keyset() const { return m_spec.mode != Mode::Offset; }

    // Up to `limit` rows after `after`. A shorter answer is the end: the text itself reads a
    // filtered index walk again in (key, id) order when the walk came back short (SurrealDB
    // #7028 / #7127 apply LIMIT before the rest of the WHERE).
    [[nodiscard]] Statement page(const Position &after, qint64 limit) const;
    // IdRange ascending with a condition, for a caller that loops: the next `window` keys after
    // `after`, filtered. The engine evaluates a WHERE over a whole key range before LIMIT, so a
    // filtered page is read window by window. The result: {rows, scanned, last} (last: the last
    // scanned id, where the next window starts).
    [[nodiscard]] Statement window(const Position &after, qint64 window) const;
    // Every row up to and including `upTo` (every row when invalid), in order. Keyset modes only.
    [[nodiscard]] Statement upTo(const Position &upTo) const;
    // The position after `rows`, read from `from`.
    [[nodiscard]] Position advanced(const Position &from, const QVariantList &rows) const;

    [[nodiscard]] QVariant keyOf(const QVariantMap &row) const;
    // <0, 0, >0: the order of the pages (key, then id; both reversed when descending).
    [[nodiscard]] int compare(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                              const RecordId &idB) const;
    // The loaded interval: true when (key, id) comes at or before `pos`, so the pages up to
    // `pos` hold it (and no later page will deliver it). Keyset modes only.
    [[nodiscard]] bool covers(const Position &pos, const QVariant &key, const RecordId &id) const;

    // Every segment escaped like a table name ("address.city" -> address.city, "a b" -> `a b`).
    [[nodiscard]] static QString quotedPath(const QString &path);

private:
    [[nodiscard]] QString var(const char *name) const;
    [[nodiscard]] QString where(const QStringList &more) const;
    [[nodiscard]] QString from() const;
    [[nodiscard]] QVariant range(const Bound &lower, const Bound &upper) const;

    Spec m_spec;
    QString m_field; // the quoted order field
};

} // namespace SurrealQt::Internal
