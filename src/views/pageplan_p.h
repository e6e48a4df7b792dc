#pragma once

// Not public API: what a QueryListModel reads and how it pages — the source (table + filter +
// order, or a query), the paging strategy, where the loaded range ends, and the SurrealQL of
// every read the model makes (pages, re-checks, resyncs, counts).

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
    // How the next page continues (see the class comment in querylistmodel.h).
    enum class Paging { IdRange, IndexedField, Offset, Single };

    // One read: its text, its variables, and for pages the LIMIT it was asked with (a page
    // shorter than that may be the end).
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

    // Paging state: what is loaded is every row up to the cursor (in the order).
    Paging paging = Paging::Single;
    bool orderIndexed = false;
    bool atEnd = false;
    QVariant cursor;        // last id key (IdRange) or last sort value (IndexedField)
    QList<QVariant> tieIds; // ids already loaded whose sort value equals cursor (IndexedField)
    // A short page of the index walk and whether the proof form found more (see pageStatement).
    int shortFastPage = -1;
    bool indexWalkDropsRows = false;
    // Query mode: names the query computes (`… AS n`); they are no fields of the record.
    QSet<QString> computedFields;

    [[nodiscard]] bool tableMode() const { return query.isEmpty() && !table.isEmpty(); }
    [[nodiscard]] bool hasSource() const { return !query.isEmpty() || !table.isEmpty(); }
    // Rows are placed by the model itself (table form); a query's rows come in its own order.
    [[nodiscard]] bool positional() const { return tableMode(); }
    [[nodiscard]] bool filtered() const { return !filter.trimmed().isEmpty(); }
    [[nodiscard]] bool orderedById() const { return orderBy.isEmpty() || orderBy == u"id"; }
    [[nodiscard]] bool pagedInConstantTime() const
    {
        return paging == Paging::IdRange || paging == Paging::IndexedField;
    }
    bool validate(Error *error) const;

    // Forgets the loaded range and picks the paging the source allows before INFO FOR TABLE
    // tells whether the order field is indexed (then setOrderIndexed()).
    void reset();
    void setOrderIndexed(bool indexed);
    // Back to "nothing loaded yet" with the same paging (a table that exists again).
    void rewind();

    // Order
    [[nodiscard]] QVariant sortKeyOf(const QVariantMap &record) const;
    [[nodiscard]] int compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                                   const RecordId &idB) const;
    // In the model's order (the server's order of equal keys is its own; ours breaks ties by id).
    void sortByOrder(QVariantList *records) const;
    // A row with this key lies beyond what the pages loaded so far cover: it comes with a later
    // page. `insideLoaded`: a search among the loaded rows found a place before their end.
    [[nodiscard]] bool beyondLoaded(const QVariant &key, const RecordId &id, bool insideLoaded) const;
    // A record placed by a live change whose key ties with the cursor: the next page must skip it.
    void noteShown(const QVariantMap &record);

    // Reads
    [[nodiscard]] QString fromTable() const;
    [[nodiscard]] QString whereFilter(const QString &extra = {}) const;
    [[nodiscard]] QString orderClause() const;
    // The next page after `loadedRows` rows; proof: in a form the engine answers fully (a short
    // page is then the end).
    [[nodiscard]] Statement pageStatement(bool proof, qint64 loadedRows) const;
    // Everything loaded so far, again (after a reconnect, or a query re-run).
    [[nodiscard]] Statement resyncStatement(qint64 loadedRows) const;
    [[nodiscard]] Statement recheckStatement(const QVariantList &ids) const;
    [[nodiscard]] Statement countStatement() const;
    // The query with EXPLAIN, which names the tables it reads.
    [[nodiscard]] Statement explainStatement() const;

    // A page came: ties the previous page delivered are dropped from it, and the cursor moves
    // to its last row.
    void dropDeliveredTies(QVariantList *records) const;
    void advance(const QVariantList &page);
    // A resync's rows: ties with the cursor no page delivered yet belong to the next page.
    void dropUndeliveredTies(QVariantList *records) const;
};

} // namespace SurrealQt
