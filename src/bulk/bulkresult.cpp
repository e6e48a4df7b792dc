#include <SurrealQt/bulkresult.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SurrealQt {

BulkResult::ItemStatus BulkResult::status(qint64 index) const
{
    auto it = std::upper_bound(m_ranges.cbegin(), m_ranges.cend(), index,
                               [](qint64 i, const Range &r) { return i < r.first; });
    if (it == m_ranges.cbegin())
        return ItemStatus::NotAttempted;
    --it;
    return index < it->first + it->count ? it->status : ItemStatus::NotAttempted;
}

// Batches finish out of order, but only a few are in flight at once, so inserts land at or
// near the end and neighbouring runs of one status merge: the list stays small.
void BulkResult::mark(qint64 first, qint64 count, ItemStatus status)
{
    if (count <= 0)
        return;
    m_counts[int(status)] += count;
    auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), first,
                               [](qint64 i, const Range &r) { return i < r.first; });
    qsizetype pos = it - m_ranges.begin();
    if (pos > 0) {
        Range &prev = m_ranges[pos - 1];
        if (prev.status == status && prev.first + prev.count == first) {
            prev.count += count;
            if (pos < m_ranges.size()) {
                Range &next = m_ranges[pos];
                if (next.status == status && prev.first + prev.count == next.first) {
                    prev.count += next.count;
                    m_ranges.removeAt(pos);
                }
            }
            return;
        }
    }
    if (pos < m_ranges.size()) {
        Range &next = m_ranges[pos];
        if (next.status == status && first + count == next.first) {
            next.first = first;
            next.count += count;
            return;
        }
    }
    m_ranges.insert(pos, Range{first, count, status});
}

Error BulkResult::toError() const
{
    if (isOk())
        return {};
    QList<Error> items;
    items.reserve(m_errors.size());
    for (const BulkItemError &e : m_errors)
        items.append(e.error);
    Error error(Error::Kind::BulkOperation,
                u"%1 of %2 inputs written, %3 failed, %4 not attempted%5"_s.arg(successCount())
                    .arg(m_total)
                    .arg(errorCount())
                    .arg(notAttemptedCount())
                    .arg(m_cancelled ? u" (cancelled)"_s : QString()));
    error.setItemErrors(items);
    return error;
}

} // namespace SurrealQt
