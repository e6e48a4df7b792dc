#pragma once

// Not public API: the rows of a QueryListModel — kept compact (each row its CBOR encoding, a
// slice of one buffer per page), decoded on demand behind a small cache — and where a row goes
// when it arrives, changes or leaves, with the item-model signals for it.

#include <SurrealQt/global.h>

#include <QtCore/QByteArray>
#include <QtCore/QCache>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class QueryListModelPrivate;
class RecordId;

class SURREALQT_EXPORT RowStore
{
public:
    // One row: its CBOR encoding, a slice of a buffer shared by the rows of one page (or its own
    // buffer after a change). 40 bytes plus the encoding.
    struct Row
    {
        QByteArray bytes;
        quint32 offset = 0;
        quint32 size = 0; // 0: a row inserted by insertRows, not submitted yet (pendingValues)
        quint32 serial = 0;
        size_t idHash = 0;
    };

    explicit RowStore(QueryListModelPrivate &d);

    QList<Row> rows;
    mutable QCache<quint32, QVariantMap> decoded{512};
    quint32 nextSerial = 1;
    // Rows made by insertRows: their values by row serial until submit() creates the records.
    // They exist only here (nothing on the server), and are not part of the loaded range.
    QHash<quint32, QVariantMap> pendingValues;
    // Rows (by serial) an edit kept in place although their key left the loaded range (place(),
    // keepBeyond): a later page delivers them again, or covers where they belong.
    QSet<quint32> keptBeyond;

    void clear();
    [[nodiscard]] int size() const { return int(rows.size()); }
    [[nodiscard]] int loadedRows() const { return int(rows.size() - pendingValues.size()); }
    [[nodiscard]] bool isPending(int row) const { return rows.at(row).size == 0; }
    [[nodiscard]] QVariantMap recordAt(int row) const;
    [[nodiscard]] RecordId idAt(int row) const;
    [[nodiscard]] int findRow(const RecordId &id) const;
    [[nodiscard]] int rowOfSerial(quint32 serial) const;
    Row makeRow(const QVariantMap &record);
    // A page's rows: slices of one buffer.
    QList<Row> makePage(const QVariantList &records);
    // An empty row for insertRows.
    Row makePendingRow();

    // Where a row with this key belongs, leaving out row `skip`; -1 when it lies beyond the
    // loaded part (it will come with a later page).
    [[nodiscard]] int targetRow(const QVariant &key, const RecordId &id, int skip) const;

    // With the item-model signals:
    void insertRow(int at, const Row &row);
    void appendRows(const QList<Row> &more);
    void removeRow(int row);
    // Every loaded row leaves (unsubmitted rows stay).
    void removeLoaded();
    // Moves row `from` (or inserts when -1) to where `row` belongs and emits the signals. A row
    // that belongs beyond the loaded range stays where it is when keepBeyond (an edit under the
    // user's hands), or leaves the view (it comes with its page).
    void place(int from, Row row, const QList<int> &roles, bool keepBeyond = true);
    // dataChanged() for the cells of `row` whose field differs between the two records (the
    // whole row without columns).
    void notifyCells(int row, const QVariantMap &before, const QVariantMap &after, const QList<int> &roles);
    // A record as the server has it now: inserted, moved, updated, or (beyond the loaded range)
    // removed.
    void upsert(const QVariantMap &serverRecord);
    void removeById(const RecordId &id);
    // The loaded rows with the ids of `records` leave.
    void removeAnyOf(const QVariantList &records);
    // The rows kept beyond the loaded range move where they belong once it covers them.
    void settleKept();
    // The loaded rows become exactly `records`, in that order, with the fewest changes.
    void reconcile(const QVariantList &records);

private:
    void reconcileLoaded(const QVariantList &records);

    QueryListModelPrivate &d;
};

} // namespace SurrealQt
