#include "views/pageplan_p.h"

#include "codec/valueformatter_p.h"
#include "views/listmodelsupport_p.h"

#include <SurrealQt/recordid.h>

#include <QtCore/QRegularExpression>

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
        paging = Paging::IdRange;
    } else {
        paging = Paging::SortedField; // until INFO FOR TABLE shows an index
    }
    choosePager();
}

void PagePlan::setOrderIndexed(bool indexed)
{
    if (paging == Paging::IndexedField || paging == Paging::SortedField)
        paging = indexed ? Paging::IndexedField : Paging::SortedField;
    choosePager();
}

void PagePlan::choosePager()
{
    using Pager = Internal::KeysetPager;
    Pager::Spec spec;
    spec.table = table;
    spec.path = orderedById() ? QString() : orderBy;
    spec.descending = descending;
    spec.condition = filter;
    spec.prefix = u"qlm_"_s;
    spec.mode = paging == Paging::IndexedField  ? Pager::Mode::Indexed
                : paging == Paging::SortedField ? Pager::Mode::Sorted
                                                : Pager::Mode::IdRange;
    m_pager = Pager(spec);
}

void PagePlan::rewind()
{
    atEnd = false;
    loadedTo = {};
}

// ---- order ----

QVariant PagePlan::sortKeyOf(const QVariantMap &record) const
{
    return m_pager.keyOf(record);
}

int PagePlan::compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                           const RecordId &idB) const
{
    return m_pager.compare(keyA, idA, keyB, idB);
}

bool PagePlan::beyondLoaded(const QVariant &key, const RecordId &id, bool insideLoaded) const
{
    if (atEnd)
        return false;
    if (keyset())
        return !m_pager.covers(loadedTo, key, id);
    return !insideLoaded;
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

PagePlan::Statement PagePlan::pageStatement(qint64 loadedRows) const
{
    Statement s;
    s.vars = bindings;
    s.limit = pageSize;
    switch (paging) {
    case Paging::IdRange:
    case Paging::IndexedField:
    case Paging::SortedField: {
        const Internal::KeysetPager::Statement page = m_pager.page(loadedTo, pageSize);
        s.text = page.text;
        s.vars.insert(page.vars);
        break;
    }
    case Paging::Offset:
        s.text = query;
        s.vars.insert(u"limit"_s, pageSize);
        s.vars.insert(u"start"_s, loadedRows);
        break;
    case Paging::Single:
        s.text = query;
        break;
    }
    return s;
}

PagePlan::Statement PagePlan::resyncStatement(qint64 loadedRows) const
{
    Statement s;
    s.vars = bindings;
    switch (paging) {
    case Paging::IdRange:
    case Paging::IndexedField:
    case Paging::SortedField: {
        const Internal::KeysetPager::Statement all =
            m_pager.upTo(atEnd ? Internal::KeysetPager::Position() : loadedTo);
        s.text = all.text;
        s.vars.insert(all.vars);
        break;
    }
    case Paging::Offset:
        // The loaded part is the first `rows` rows. When every row was in, the result may have
        // grown: one page more is asked for, and a full answer means there may be more still.
        s.limit = atEnd ? loadedRows + pageSize : qMax<qint64>(loadedRows, pageSize);
        s.text = query;
        s.vars.insert(u"limit"_s, s.limit);
        s.vars.insert(u"start"_s, 0);
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

void PagePlan::advance(const QVariantList &page)
{
    if (keyset())
        loadedTo = m_pager.advanced(loadedTo, page);
}

} // namespace SurrealQt
