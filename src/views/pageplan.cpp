#include "views/pageplan_p.h"

#include "codec/valueformatter_p.h"
#include "views/listmodelsupport_p.h"
#include "views/valueorder_p.h"

#include <SurrealQt/bound.h>
#include <SurrealQt/range.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace ListModelSupport;

bool PagePlan::validate(Error *e) const
{
    auto bad = [e](const QString &what) {
        *e = Error(Error::Kind::Validation, what, u"QueryListModel"_s);
        return false;
    };
    if (pageSize <= 0)
        return bad(u"pageSize must be positive, got %1"_s.arg(pageSize));
    if (!query.isEmpty())
        return true;
    if (table.trimmed().isEmpty())
        return bad(u"neither query nor table is set"_s);
    QString quoted;
    if (!orderBy.isEmpty() && !quotePath(orderBy, &quoted))
        return bad(u"orderBy \"%1\" is not a field path"_s.arg(orderBy));
    // The filter is SurrealQL written by the developer. A ';' there is a typo; refusing it is no
    // protection (an expression can hold a sub-query): values belong in bindings.
    if (filter.contains(u';'))
        return bad(
            u"filter must be a single condition without ';' (put values in bindings): \"%1\""_s.arg(filter));
    for (auto it = bindings.cbegin(); it != bindings.cend(); ++it) {
        if (it.key().startsWith(u"qlm_"))
            return bad(
                u"binding name \"%1\" is reserved for the model's own variables (qlm_*)"_s.arg(it.key()));
    }
    return true;
}

void PagePlan::reset()
{
    rewind();
    orderIndexed = false;
    indexWalkDropsRows = false;
    shortFastPage = -1;
    computedFields.clear();
    if (!query.isEmpty()) {
        // What the query computes is no field of the record: writing it would add a stray field.
        // Names are taken from every `AS name` in the text (erring towards read-only).
        static const QRegularExpression alias(u"\\bAS\\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)"_s,
                                              QRegularExpression::CaseInsensitiveOption);
        for (auto it = alias.globalMatch(query); it.hasNext();) {
            QString name = it.next().captured(1);
            name.remove(u'`');
            computedFields.insert(name);
        }
        paging = (query.contains(u"$limit") && query.contains(u"$start")) ? Paging::Offset : Paging::Single;
    } else if (orderedById()) {
        paging = descending ? Paging::Offset : Paging::IdRange;
    } else {
        paging = Paging::Offset; // until INFO FOR TABLE shows an index
    }
}

void PagePlan::setOrderIndexed(bool indexed)
{
    orderIndexed = indexed;
    paging = indexed ? Paging::IndexedField : Paging::Offset;
}

void PagePlan::rewind()
{
    atEnd = false;
    cursor = QVariant();
    tieIds.clear();
}

// ---- order ----

QVariant PagePlan::sortKeyOf(const QVariantMap &record) const
{
    if (orderedById())
        return record.value(u"id"_s);
    return valueAtPath(record, orderBy);
}

int PagePlan::compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                           const RecordId &idB) const
{
    int c = ValueOrder::compare(keyA, keyB);
    if (c == 0)
        c = ValueOrder::compare(QVariant::fromValue(idA), QVariant::fromValue(idB));
    return descending ? -c : c;
}

void PagePlan::sortByOrder(QVariantList *records) const
{
    std::stable_sort(records->begin(), records->end(), [this](const QVariant &a, const QVariant &b) {
        const QVariantMap x = a.toMap(), y = b.toMap();
        return compareOrder(sortKeyOf(x), idOf(x), sortKeyOf(y), idOf(y)) < 0;
    });
}

bool PagePlan::beyondLoaded(const QVariant &key, const RecordId &id, bool insideLoaded) const
{
    if (atEnd)
        return false;
    switch (paging) {
    case Paging::IdRange:
        return cursor.isValid() &&
               compareOrder(QVariant::fromValue(id), id, QVariant::fromValue(RecordId(table, cursor)),
                            RecordId(table, cursor)) > 0;
    case Paging::IndexedField: {
        if (!cursor.isValid())
            return true;
        int c = ValueOrder::compare(key, cursor);
        if (descending)
            c = -c;
        return c > 0 || (c == 0 && !tieIds.contains(QVariant::fromValue(id)));
    }
    case Paging::Offset:
    case Paging::Single:
        return !insideLoaded;
    }
    return false;
}

void PagePlan::noteShown(const QVariantMap &record)
{
    if (paging == Paging::IndexedField && ValueOrder::compare(sortKeyOf(record), cursor) == 0)
        tieIds.append(record.value(u"id"_s));
}

// ---- reads ----

QString PagePlan::fromTable() const
{
    return ValueFormatter::escapeIdent(table);
}

QString PagePlan::whereFilter(const QString &extra) const
{
    QStringList parts;
    if (!extra.isEmpty())
        parts.append(extra);
    if (filtered())
        parts.append(u'(' + filter + u')');
    return parts.isEmpty() ? QString() : u" WHERE "_s + parts.join(u" AND "_s);
}

QString PagePlan::orderClause() const
{
    const QString dir = descending ? u" DESC"_s : u" ASC"_s;
    if (orderedById())
        return u" ORDER BY id"_s + dir;
    QString path;
    quotePath(orderBy, &path);
    return u" ORDER BY "_s + path + dir + u", id"_s + dir;
}

PagePlan::Statement PagePlan::pageStatement(bool proof, qint64 loadedRows) const
{
    Statement s;
    s.vars = bindings;
    s.limit = pageSize;
    switch (paging) {
    case Paging::IdRange:
        s.text = u"SELECT * FROM type::record($qlm_range)"_s + whereFilter() + u" LIMIT $qlm_limit"_s;
        s.vars.insert(u"qlm_range"_s,
                      QVariant::fromValue(
                          RecordId(table, QVariant::fromValue(Range(cursor.isValid() ? Bound::excluded(cursor)
                                                                                     : Bound::unbounded(),
                                                                    Bound::unbounded())))));
        break;
    case Paging::IndexedField: {
        QString path;
        quotePath(orderBy, &path);
        const QString extra =
            cursor.isValid() ? path + (descending ? u" <= $qlm_last"_s : u" >= $qlm_last"_s) : QString();
        // The proof form: ordered by (field, id) the engine answers fully, but it sorts every row
        // from the cursor on instead of walking the index (surrealdb-rpc.md, section 14).
        const QString dir = descending ? u" DESC"_s : u" ASC"_s;
        s.text = u"SELECT * FROM "_s + fromTable() + whereFilter(extra) + u" ORDER BY "_s + path + dir +
                 (proof ? u", id"_s + dir : QString()) + u" LIMIT $qlm_limit"_s;
        if (cursor.isValid())
            s.vars.insert(u"qlm_last"_s, cursor);
        s.limit = pageSize + int(tieIds.size());
        break;
    }
    case Paging::Offset:
        if (tableMode()) {
            s.text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                     u" LIMIT $qlm_limit START $qlm_start"_s;
            s.vars.insert(u"qlm_start"_s, loadedRows);
        } else {
            s.text = query;
            s.vars.insert(u"limit"_s, pageSize);
            s.vars.insert(u"start"_s, loadedRows);
        }
        break;
    case Paging::Single:
        s.text = query;
        break;
    }
    if (tableMode())
        s.vars.insert(u"qlm_limit"_s, s.limit);
    return s;
}

PagePlan::Statement PagePlan::resyncStatement(qint64 loadedRows) const
{
    Statement s;
    s.vars = bindings;
    switch (paging) {
    case Paging::IdRange:
        s.text = u"SELECT * FROM type::record($qlm_range)"_s + whereFilter();
        s.vars.insert(
            u"qlm_range"_s,
            QVariant::fromValue(RecordId(
                table, QVariant::fromValue(Range(Bound::unbounded(), (atEnd || !cursor.isValid())
                                                                         ? Bound::unbounded()
                                                                         : Bound::included(cursor))))));
        break;
    case Paging::IndexedField: {
        QString path;
        quotePath(orderBy, &path);
        const QString extra = (atEnd || !cursor.isValid())
                                  ? QString()
                                  : path + (descending ? u" >= $qlm_last"_s : u" <= $qlm_last"_s);
        s.text = u"SELECT * FROM "_s + fromTable() + whereFilter(extra) + u" ORDER BY "_s + path +
                 (descending ? u" DESC"_s : u" ASC"_s);
        if (!extra.isEmpty())
            s.vars.insert(u"qlm_last"_s, cursor);
        break;
    }
    case Paging::Offset:
        // The loaded part is the first `rows` rows. When every row was in, the result may have
        // grown: one page more is asked for, and a full answer means there may be more still.
        s.limit = atEnd ? loadedRows + pageSize : qMax<qint64>(loadedRows, pageSize);
        if (tableMode()) {
            s.text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                     u" LIMIT $qlm_limit START 0"_s;
            s.vars.insert(u"qlm_limit"_s, s.limit);
        } else {
            s.text = query;
            s.vars.insert(u"limit"_s, s.limit);
            s.vars.insert(u"start"_s, 0);
        }
        break;
    case Paging::Single:
        s.text = query;
        break;
    }
    return s;
}

PagePlan::Statement PagePlan::recheckStatement(const QVariantList &ids) const
{
    // Under the user's own permissions: a row they may no longer see leaves the model too.
    Statement s{u"SELECT * FROM $qlm_ids"_s + whereFilter(), bindings};
    s.vars.insert(u"qlm_ids"_s, ids);
    return s;
}

PagePlan::Statement PagePlan::countStatement() const
{
    return {u"SELECT count() FROM "_s + fromTable() + whereFilter() + u" GROUP ALL"_s, bindings};
}

PagePlan::Statement PagePlan::explainStatement() const
{
    Statement s{query.trimmed(), bindings};
    while (s.text.endsWith(u';'))
        s.text = s.text.chopped(1).trimmed();
    s.text += u" EXPLAIN"_s;
    s.vars.insert(u"limit"_s, pageSize);
    s.vars.insert(u"start"_s, 0);
    return s;
}

void PagePlan::dropDeliveredTies(QVariantList *records) const
{
    if (paging != Paging::IndexedField || tieIds.isEmpty())
        return;
    records->removeIf([this](const QVariant &rec) {
        const QVariantMap m = rec.toMap();
        return ValueOrder::compare(sortKeyOf(m), cursor) == 0 && tieIds.contains(m.value(u"id"_s));
    });
}

void PagePlan::dropUndeliveredTies(QVariantList *records) const
{
    if (paging != Paging::IndexedField || atEnd || !cursor.isValid())
        return;
    records->removeIf([this](const QVariant &rec) {
        const QVariantMap m = rec.toMap();
        return ValueOrder::compare(sortKeyOf(m), cursor) == 0 && !tieIds.contains(m.value(u"id"_s));
    });
}

void PagePlan::advance(const QVariantList &page)
{
    if (page.isEmpty())
        return;
    const QVariantMap last = page.constLast().toMap();
    if (paging == Paging::IdRange) {
        cursor = idOf(last).id();
    } else if (paging == Paging::IndexedField) {
        const QVariant key = sortKeyOf(last);
        if (ValueOrder::compare(key, cursor) != 0 || !cursor.isValid())
            tieIds.clear();
        for (const QVariant &rec : page) {
            const QVariantMap m = rec.toMap();
            if (ValueOrder::compare(sortKeyOf(m), key) == 0)
                tieIds.append(m.value(u"id"_s));
        }
        cursor = key;
    }
}

} // namespace SurrealQt
