#pragma once

// Not public API: what a QueryListModel reads and how it pages — the source (table + filter +
// order, or a query), the paging strategy, where the loaded range ends, and the SurrealQL of
// every read the model makes (pages, re-checks, resyncs, counts).

#include "orm/keysetpager_p.h"

#include <SurrealQt/error.h>
#include <SurrealQt/global.h>

#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QVariantList>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class RecordId;

class SURREALQT_EXPORT PagePlan
{
public:
    // How the next page continues (see the class comment in querylistmodel.h). The table form
    // pages by (orderBy, id) through Internal::KeysetPager; START is left to the query form.
    enum class Paging { IdRange, IndexedField, SortedField, Offset, Single };

    // One read: its text, its variables, and for pages the LIMIT it was asked with (a page
    // shorter than that is the end).
    struct Statement
    {
        QString text;
        QVariantMap vars;
        qint64 limit = -1;
    };

    // Source
    QString query;
    QVariantMap bindings;
    QString table;
    QString filter;
    QString orderBy;
    bool descending = false;
    int pageSize = 100;

    // Paging state: what is loaded is every row up to `loadedTo` (in the order), all of it once
    // atEnd.
    Paging paging = Paging::Single;
    bool atEnd = false;
    Internal::KeysetPager::Position loadedTo;
    // Query mode: names the query computes (`… AS n`); they are no fields of the record.
    QSet<QString> computedFields;

    [[nodiscard]] bool tableMode() const { return query.isEmpty() && !table.isEmpty(); }
    [[nodiscard]] bool hasSource() const { return !query.isEmpty() || !table.isEmpty(); }
    // Rows are placed by the model itself (table form); a query's rows come in its own order.
    [[nodiscard]] bool positional() const { return tableMode(); }
    [[nodiscard]] bool filtered() const { return !filter.trimmed().isEmpty(); }
    [[nodiscard]] bool orderedById() const { return orderBy.isEmpty() || orderBy == u"id"; }
    [[nodiscard]] bool keyset() const
    {
        return paging == Paging::IdRange || paging == Paging::IndexedField || paging == Paging::SortedField;
    }
    [[nodiscard]] bool pagedInConstantTime() const
    {
        return (paging == Paging::IdRange && !descending) || paging == Paging::IndexedField;
    }
    bool validate(Error *error) const;

    // Forgets the loaded range and picks the paging the source allows before INFO FOR TABLE
    // tells whether the order field is indexed (then setOrderIndexed()).
    void reset();
    void setOrderIndexed(bool indexed);
    // Back to "nothing loaded yet" with the same paging (a table that exists again).
    void rewind();

    // Order: (key, id), both reversed when descending — the order the pages come in.
    [[nodiscard]] QVariant sortKeyOf(const QVariantMap &record) const;
    [[nodiscard]] int compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                                   const RecordId &idB) const;
    // A row with this key lies beyond what the pages loaded so far cover: it comes with a later
    // page. `insideLoaded`: a search among the loaded rows found a place before their end (all a
    // query's START pages can tell).
    [[nodiscard]] bool beyondLoaded(const QVariant &key, const RecordId &id, bool insideLoaded) const;

    // Reads
    [[nodiscard]] QString fromTable() const;
    [[nodiscard]] QString whereFilter(const QString &extra = {}) const;
    // The next page after `loadedRows` rows.
    [[nodiscard]] Statement pageStatement(qint64 loadedRows) const;
    // Everything loaded so far, again (after a reconnect, or a query re-run).
    [[nodiscard]] Statement resyncStatement(qint64 loadedRows) const;
    [[nodiscard]] Statement recheckStatement(const QVariantList &ids) const;
    [[nodiscard]] Statement countStatement() const;
    // The query with EXPLAIN, which names the tables it reads.
    [[nodiscard]] Statement explainStatement() const;

    // A page came: the loaded range ends at its last row.
    void advance(const QVariantList &page);

private:
    void choosePager();

    Internal::KeysetPager m_pager;
};

} // namespace SurrealQt
