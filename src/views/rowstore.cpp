#include "views/rowstore_p.h"

#include "codec/cborcodec_p.h"
#include "codec/variantcompare_p.h"
#include "views/listmodelsupport_p.h"
#include "views/querylistmodel_p.h"

#include <SurrealQt/recordid.h>

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace ListModelSupport;

RowStore::RowStore(QueryListModelPrivate &dd)
    : d(dd)
{}

void RowStore::clear()
{
    keptBeyond.clear();
    rows.clear();
    decoded.clear();
    pendingValues.clear();
}

QVariantMap RowStore::recordAt(int row) const
{
    const Row &r = rows.at(row);
    if (r.size == 0)
        return pendingValues.value(r.serial);
    if (const QVariantMap *hit = decoded.object(r.serial))
        return *hit;
    QVariant v;
    CodecError err;
    if (!CborCodec::decode(QByteArrayView(r.bytes.constData() + r.offset, r.size), &v, &err))
        qCWarning(lcViews) << "row" << row << "does not decode:" << err.message;
    auto *map = new QVariantMap(v.toMap());
    const QVariantMap copy = *map;
    decoded.insert(r.serial, map);
    return copy;
}

RecordId RowStore::idAt(int row) const
{
    return idOf(recordAt(row));
}

int RowStore::findRow(const RecordId &id) const
{
    if (!id.isValid())
        return -1;
    const size_t h = qHash(id);
    for (int i = 0; i < rows.size(); ++i) {
        if (rows.at(i).idHash == h && idAt(i) == id)
            return i;
    }
    return -1;
}

int RowStore::rowOfSerial(quint32 serial) const
{
    for (int i = 0; i < rows.size(); ++i) {
        if (rows.at(i).serial == serial)
            return i;
    }
    return -1;
}

RowStore::Row RowStore::makeRow(const QVariantMap &record)
{
    Row r;
    r.bytes = CborCodec::encode(record);
    r.size = quint32(r.bytes.size());
    r.serial = nextSerial++;
    const RecordId id = idOf(record);
    r.idHash = id.isValid() ? qHash(id) : 0;
    return r;
}

QList<RowStore::Row> RowStore::makePage(const QVariantList &records)
{
    QByteArray buffer;
    QList<QPair<quint32, quint32>> slices;
    slices.reserve(records.size());
    for (const QVariant &rec : records) {
        const QByteArray one = CborCodec::encode(rec);
        slices.append({quint32(buffer.size()), quint32(one.size())});
        buffer.append(one);
    }
    buffer.squeeze();
    QList<Row> page;
    page.reserve(records.size());
    for (int i = 0; i < records.size(); ++i) {
        Row r;
        r.bytes = buffer;
        r.offset = slices.at(i).first;
        r.size = slices.at(i).second;
        r.serial = nextSerial++;
        const RecordId id = idOf(records.at(i).toMap());
        r.idHash = id.isValid() ? qHash(id) : 0;
        page.append(r);
    }
    return page;
}

RowStore::Row RowStore::makePendingRow()
{
    Row pending;
    pending.serial = nextSerial++;
    pendingValues.insert(pending.serial, {});
    return pending;
}

int RowStore::targetRow(const QVariant &key, const RecordId &id, int skip) const
{
    // Unsubmitted rows (insertRows) stay where they were put and take no part in the order:
    // the search runs over the loaded rows only.
    QList<int> loaded;
    if (!pendingValues.isEmpty()) {
        for (int i = 0; i < rows.size(); ++i) {
            if (i != skip && rows.at(i).size != 0)
                loaded.append(i);
        }
    }
    const int n = pendingValues.isEmpty() ? int(rows.size()) - (skip >= 0 ? 1 : 0) : int(loaded.size());
    auto at = [skip, &loaded](int i) {
        if (!loaded.isEmpty())
            return loaded.at(i);
        return (skip < 0 || i < skip) ? i : i + 1;
    };
    int lo = 0, hi = n;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        const QVariantMap rec = recordAt(at(mid));
        if (d.plan.compareOrder(d.plan.sortKeyOf(rec), idOf(rec), key, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const bool inside = lo < n;
    if (!pendingValues.isEmpty()) {
        // Back from "among the loaded rows" to a row number without `skip`.
        int physical = lo < n ? at(lo) : (loaded.isEmpty() ? 0 : loaded.constLast() + 1);
        if (loaded.isEmpty() && rows.size() > 0)
            physical = int(rows.size()) - (skip >= 0 ? 1 : 0);
        else if (skip >= 0 && physical > skip)
            --physical;
        lo = physical;
    }
    return d.plan.beyondLoaded(key, id, inside) ? -1 : lo;
}

void RowStore::insertRow(int at, const Row &row)
{
    d.q->beginInsertRows({}, at, at);
    rows.insert(at, row);
    d.q->endInsertRows();
}

void RowStore::appendRows(const QList<Row> &more)
{
    if (more.isEmpty())
        return;
    const int first = int(rows.size());
    d.q->beginInsertRows({}, first, first + int(more.size()) - 1);
    rows.append(more);
    d.q->endInsertRows();
}

void RowStore::removeRow(int row)
{
    d.q->beginRemoveRows({}, row, row);
    rows.removeAt(row);
    d.q->endRemoveRows();
}

void RowStore::removeLoaded()
{
    for (int i = int(rows.size()) - 1; i >= 0; --i) {
        if (rows.at(i).size != 0)
            removeRow(i);
    }
}

void RowStore::place(int from, Row row, const QList<int> &roles, bool keepBeyond)
{
    const QVariantMap rec = [&] {
        QVariant v;
        if (!CborCodec::decode(QByteArrayView(row.bytes.constData() + row.offset, row.size), &v))
            return QVariantMap();
        return v.toMap();
    }();
    int to = targetRow(d.plan.sortKeyOf(rec), idOf(rec), from);
    QueryListModel *q = d.q;
    const int lastCol = q->columnCount() - 1;
    if (to < 0) {
        // A row written through the model whose new key lies beyond the loaded pages stays where it
        // is until the next reload rather than vanishing under the user's hands.
        if (from < 0)
            return;
        if (!keepBeyond) {
            removeRow(from);
            return;
        }
        // A query's rows come in its own order (its re-run places them), a table's in ours.
        if (d.plan.positional())
            keptBeyond.insert(row.serial);
        to = from;
    }
    if (from < 0) {
        insertRow(to, row);
        return;
    }
    if (to != from) {
        q->beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        rows.move(from, to);
        q->endMoveRows();
    }
    const QVariantMap before = (to == from && !d.columns.isEmpty()) ? recordAt(to) : QVariantMap();
    rows[to] = row;
    if (to == from && !d.columns.isEmpty()) {
        notifyCells(to, before, rec, roles);
        return;
    }
    if (!roles.isEmpty() || to != from)
        d.notifyChanged(q->index(to, 0), q->index(to, lastCol), roles);
}

void RowStore::notifyCells(int row, const QVariantMap &before, const QVariantMap &after,
                           const QList<int> &roles)
{
    QueryListModel *q = d.q;
    if (roles.isEmpty())
        return;
    if (d.columns.isEmpty()) {
        d.notifyChanged(q->index(row, 0), q->index(row, 0), roles);
        return;
    }
    // Only the cells whose field changed: a view refreshes the open editors of the cells a
    // dataChanged() covers (and QDataWidgetMapper its widgets), and would throw away what the
    // user is typing in another cell.
    for (int c = 0; c < d.columns.size(); ++c) {
        const QString top = d.columns.at(c).section(u'.', 0, 0);
        if (!VariantCompare::equals(before.value(top), after.value(top)) ||
            before.contains(top) != after.contains(top))
            d.notifyChanged(q->index(row, c), q->index(row, c), roles);
    }
}

void RowStore::upsert(const QVariantMap &serverRecord)
{
    const QVariantMap record = d.writer.keepEdits(serverRecord);
    const RecordId id = idOf(record);
    if (!id.isValid())
        return;
    if (d.fields.isEmpty() && rows.isEmpty()) {
        d.q->beginResetModel();
        d.discoverFields({record});
        d.q->endResetModel();
    }
    const int from = findRow(id);
    const int to = targetRow(d.plan.sortKeyOf(record), id, from);
    if (to < 0) {
        if (from >= 0)
            removeRow(from);
        return;
    }
    if (from < 0) {
        insertRow(to, makeRow(record));
        return;
    }
    const QList<int> roles = d.changedRoles(recordAt(from), record);
    // Unchanged, but maybe out of place: an edit of ours kept beyond the loaded range.
    if (roles.isEmpty() && to == from)
        return;
    place(from, makeRow(record), roles);
}

void RowStore::removeAnyOf(const QVariantList &records)
{
    QSet<RecordId> ids;
    QSet<size_t> hashes;
    for (const QVariant &rec : records) {
        const RecordId id = idOf(rec.toMap());
        ids.insert(id);
        hashes.insert(qHash(id));
    }
    for (int i = int(rows.size()) - 1; i >= 0; --i) {
        if (rows.at(i).size != 0 && hashes.contains(rows.at(i).idHash) && ids.contains(idAt(i)))
            removeRow(i);
    }
}

void RowStore::settleKept()
{
    const QSet<quint32> kept = std::exchange(keptBeyond, {});
    for (const quint32 serial : kept) {
        const int row = rowOfSerial(serial);
        if (row >= 0)
            place(row, rows.at(row), {});
    }
}

void RowStore::removeById(const RecordId &id)
{
    const int row = findRow(id);
    if (row >= 0)
        removeRow(row);
}

void RowStore::reconcile(const QVariantList &records)
{
    // Unsubmitted rows take no part: out while the loaded rows are matched, back at the end.
    QList<Row> pending;
    if (!pendingValues.isEmpty()) {
        for (int i = int(rows.size()) - 1; i >= 0; --i) {
            if (rows.at(i).size != 0)
                continue;
            pending.prepend(rows.at(i));
            removeRow(i);
        }
    }
    reconcileLoaded(records);
    appendRows(pending);
}

void RowStore::reconcileLoaded(const QVariantList &records)
{
    QueryListModel *q = d.q;
    if (d.fields.isEmpty() && !records.isEmpty()) {
        q->beginResetModel();
        d.discoverFields(records);
        q->endResetModel();
    }
    QSet<RecordId> wanted;
    for (const QVariant &r : records)
        wanted.insert(idOf(r.toMap()));
    // Rows that are gone, in contiguous runs from the end.
    for (int i = int(rows.size()) - 1; i >= 0;) {
        if (wanted.contains(idAt(i)) && rows.at(i).size != 0) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !(wanted.contains(idAt(first - 1)) && rows.at(first - 1).size != 0))
            --first;
        q->beginRemoveRows({}, first, i);
        rows.remove(first, i - first + 1);
        q->endRemoveRows();
        i = first - 1;
    }
    const int lastCol = q->columnCount() - 1;
    for (int i = 0; i < records.size(); ++i) {
        const QVariantMap rec = d.writer.keepEdits(records.at(i).toMap());
        const RecordId id = idOf(rec);
        int at = -1;
        if (i < rows.size() && idAt(i) == id) {
            at = i;
        } else {
            for (int j = i + 1; j < rows.size(); ++j) {
                if (rows.at(j).idHash == qHash(id) && idAt(j) == id) {
                    at = j;
                    break;
                }
            }
        }
        if (at < 0) {
            insertRow(i, makeRow(rec));
            continue;
        }
        if (at != i) {
            q->beginMoveRows({}, at, at, {}, i);
            rows.move(at, i);
            q->endMoveRows();
        }
        const QList<int> roles = d.changedRoles(recordAt(i), rec);
        if (!roles.isEmpty()) {
            rows[i] = makeRow(rec);
            d.notifyChanged(q->index(i, 0), q->index(i, lastCol), roles);
        }
    }
}

} // namespace SurrealQt
