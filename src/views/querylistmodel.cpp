#include <SurrealQt/querylistmodel.h>

#include "codec/cborcodec_p.h"
#include "codec/valueformatter_p.h"
#include "codec/variantcompare_p.h"
#include "core/postbox_p.h"
#include "views/querylistmodel_p.h"
#include "views/storedtype_p.h"
#include "views/valueorder_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/statementresult.h>
#include <SurrealQt/values.h>

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Q_LOGGING_CATEGORY(lcViews, "surrealqt.views", QtWarningMsg)

namespace {

constexpr int RecheckBatch = 100;

bool isRecordId(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<RecordId>();
}

RecordId idOf(const QVariantMap &record)
{
    const QVariant id = record.value(u"id"_s);
    return isRecordId(id) ? id.value<RecordId>() : RecordId();
}

// Each dotted part a name; written with backticks when it is not a plain identifier.
bool quotePath(const QString &path, QString *out)
{
    const QStringList parts = path.split(u'.');
    QStringList quoted;
    for (const QString &part : parts) {
        if (part.isEmpty())
            return false;
        quoted.append(ValueFormatter::escapeIdent(part));
    }
    *out = quoted.join(u'.');
    return true;
}

QVariant valueAtPath(const QVariantMap &record, const QString &path)
{
    if (!path.contains(u'.'))
        return record.value(path);
    QVariant v = QVariant(record);
    for (const QString &part : path.split(u'.'))
        v = v.toMap().value(part);
    return v;
}

QVariant displayValue(const QVariant &v)
{
    if (!v.isValid() || isNone(v) || isNull(v))
        return {};
    switch (v.metaType().id()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Double:
    case QMetaType::QString:
        return v;
    default:
        break;
    }
    if (isRecordId(v))
        return v.value<RecordId>().toString();
    return ValueFormatter::toSurrealQL(v);
}

// A continuation attached with a context runs at once, inside the call that attached it, when the
// answer came back before then() was reached (a descheduled thread on a busy machine). Edits
// promise "shown at once, corrected later", so their outcome is always applied from the event loop.
//
// None of these attach with then(context, ...): in Qt 6.4 that continuation reads the context's
// QPointer on the I/O thread (racing the model's deletion in its own thread) and asserts, in a
// debug build, when the model was destroyed before the answer came (a page in flight when the
// view closes). They run where the future finishes and post to the model through a PostBox,
// which drops the call once the model is gone.
template<typename F>
auto later(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const QueryResult &r) {
        box->post([f, r]() mutable { f(r); });
    };
}

template<typename F>
auto laterOnError(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const Exception &e) {
        box->post([f, error = e.error()]() mutable { f(error); });
    };
}

// As then(context, ...) meant: at once when already in the model's thread, queued otherwise.
template<typename T, typename F>
auto inThread(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const T &value) {
        box->post([f, value]() mutable { f(value); }, Qt::AutoConnection);
    };
}

template<typename F>
auto inThreadOnError(QObject *context, F f)
{
    return [box = Internal::PostBox::of(context), f = std::move(f)](const Exception &e) {
        box->post([f, error = e.error()]() mutable { f(error); }, Qt::AutoConnection);
    };
}

} // namespace

QueryListModelPrivate::QueryListModelPrivate(QueryListModel *qq)
    : q(qq)
{}

QueryListModelPrivate::RecheckStats &QueryListModelPrivate::recheckStats()
{
    static RecheckStats stats;
    return stats;
}

// ---- source ----

QVariantMap QueryListModelPrivate::vars() const
{
    return bindings;
}

QString QueryListModelPrivate::fromTable() const
{
    return ValueFormatter::escapeIdent(table);
}

QString QueryListModelPrivate::whereFilter(const QString &extra) const
{
    QStringList parts;
    if (!extra.isEmpty())
        parts.append(extra);
    if (!filter.trimmed().isEmpty())
        parts.append(u'(' + filter + u')');
    return parts.isEmpty() ? QString() : u" WHERE "_s + parts.join(u" AND "_s);
}

QString QueryListModelPrivate::orderClause() const
{
    const QString dir = descending ? u" DESC"_s : u" ASC"_s;
    if (orderBy.isEmpty() || orderBy == u"id")
        return u" ORDER BY id"_s + dir;
    QString path;
    quotePath(orderBy, &path);
    return u" ORDER BY "_s + path + dir + u", id"_s + dir;
}

bool QueryListModelPrivate::validateSource(Error *e) const
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

// ---- rows ----

QVariantMap QueryListModelPrivate::recordAt(int row) const
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

RecordId QueryListModelPrivate::idAt(int row) const
{
    return idOf(recordAt(row));
}

QVariant QueryListModelPrivate::sortKeyOf(const QVariantMap &record) const
{
    if (orderBy.isEmpty() || orderBy == u"id")
        return record.value(u"id"_s);
    return valueAtPath(record, orderBy);
}

int QueryListModelPrivate::compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                                        const RecordId &idB) const
{
    int c = ValueOrder::compare(keyA, keyB);
    if (c == 0)
        c = ValueOrder::compare(QVariant::fromValue(idA), QVariant::fromValue(idB));
    return descending ? -c : c;
}

int QueryListModelPrivate::findRow(const RecordId &id) const
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

int QueryListModelPrivate::targetRow(const QVariant &key, const RecordId &id, int skip) const
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
        if (compareOrder(sortKeyOf(rec), idOf(rec), key, id) < 0)
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
    if (atEnd)
        return lo;
    // Beyond what the pages loaded so far cover: the row comes with a later page.
    switch (paging) {
    case Paging::IdRange:
        if (cursor.isValid() &&
            compareOrder(QVariant::fromValue(id), id, QVariant::fromValue(RecordId(table, cursor)),
                         RecordId(table, cursor)) > 0)
            return -1;
        return lo;
    case Paging::IndexedField: {
        if (!cursor.isValid())
            return -1;
        int c = ValueOrder::compare(key, cursor);
        if (descending)
            c = -c;
        if (c > 0)
            return -1;
        if (c == 0 && !tieIds.contains(QVariant::fromValue(id)))
            return -1;
        return lo;
    }
    case Paging::Offset:
    case Paging::Single:
        return inside ? lo : -1;
    }
    return lo;
}

QueryListModelPrivate::Row QueryListModelPrivate::makeRow(const QVariantMap &record)
{
    Row r;
    r.bytes = CborCodec::encode(record);
    r.size = quint32(r.bytes.size());
    r.serial = nextSerial++;
    const RecordId id = idOf(record);
    r.idHash = id.isValid() ? qHash(id) : 0;
    return r;
}

QList<int> QueryListModelPrivate::changedRoles(const QueryListModelPrivate *d, const QVariantMap &before,
                                               const QVariantMap &after)
{
    QList<int> roles;
    QSet<QString> changed;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (!VariantCompare::equals(before.value(it.key()), it.value()))
            changed.insert(it.key());
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            changed.insert(it.key());
    }
    if (changed.isEmpty())
        return roles;
    for (int i = 0; i < d->fields.size(); ++i) {
        const QString &f = d->fields.at(i);
        const QString top = f.section(u'.', 0, 0);
        if (changed.contains(top))
            roles.append(QueryListModel::FirstFieldRole + i);
    }
    bool display = false;
    if (!d->columns.isEmpty()) {
        for (const QString &c : d->columns)
            display = display || changed.contains(c.section(u'.', 0, 0));
    } else {
        const QString f = d->displayField.isEmpty() ? u"id"_s : d->displayField;
        display = changed.contains(f.section(u'.', 0, 0));
    }
    if (display) {
        roles.append(Qt::DisplayRole);
        roles.append(Qt::EditRole);
    }
    roles.append(QueryListModel::RecordRole);
    return roles;
}

void QueryListModelPrivate::discoverFields(const QVariantList &records)
{
    QStringList found;
    if (!userRoles.isEmpty()) {
        found = userRoles;
    } else {
        QSet<QString> seen;
        for (const QVariant &r : records) {
            const QVariantMap m = r.toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it)
                seen.insert(it.key());
        }
        found = QStringList(seen.cbegin(), seen.cend());
        std::sort(found.begin(), found.end());
        // The id first: it is what a record is.
        if (found.removeOne(u"id"_s))
            found.prepend(u"id"_s);
    }
    static const QSet<QString> builtin{u"display"_s, u"edit"_s, u"record"_s};
    fields.clear();
    fieldIndex.clear();
    for (const QString &f : std::as_const(found)) {
        if (builtin.contains(f) || fieldIndex.contains(f))
            continue;
        fieldIndex.insert(f, int(fields.size()));
        fields.append(f);
    }
}

QList<int> QueryListModelPrivate::allRoles() const
{
    return {};
}

// ---- editing ----

StoredType::Kind QueryListModelPrivate::storedKind(const QVariantMap &record, const QString &field) const
{
    const RecordId id = idOf(record);
    const auto schema = schemas.constFind(id.isValid() ? id.table() : table);
    if (schema != schemas.cend()) {
        const StoredType::Kind declared = schema->kinds.value(field, StoredType::Kind::Unknown);
        if (declared != StoredType::Kind::Unknown)
            return declared;
    }
    return StoredType::kindOfValue(record.value(field));
}

bool QueryListModelPrivate::isEditable(int row, const QString &field) const
{
    if (row < 0 || row >= rows.size() || field.isEmpty() || field == u"id" || field.contains(u'.') ||
        computedFields.contains(field))
        return false;
    const RecordId id = idAt(row);
    if (!id.isValid() && !(isPending(row) && !creating.contains(rows.at(row).serial)))
        return false;
    const auto schema = schemas.constFind(id.isValid() ? id.table() : table);
    return schema == schemas.cend() || !schema->readOnly.contains(field);
}

void QueryListModelPrivate::requestSchema(const QString &t)
{
    if (t.isEmpty() || schemaRequested.contains(t) || !connection)
        return;
    schemaRequested.insert(t);
    const quint64 gen = generation;
    connection->query(u"INFO FOR TABLE "_s + ValueFormatter::escapeIdent(t))
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, t](const QueryResult &r) {
                        if (gen == generation && r.isOk())
                            schemas.insert(t, StoredType::parseTableInfo(r.value(0).toMap()));
                    }))
        .onFailed([](const Exception &e) {
            // Without the right to read it, edits convert to the type of the current value.
            qCInfo(lcViews) << "INFO FOR TABLE failed:" << e.error().toString();
        });
}

void QueryListModelPrivate::noteSchemas(const QVariantList &records)
{
    if (tableMode())
        return; // the first page brought it
    for (const QVariant &rec : records) {
        const QString t = idOf(rec.toMap()).table();
        if (!schemaRequested.contains(t))
            requestSchema(t);
    }
}

// ---- live application ----

void QueryListModelPrivate::place(int from, Row row, const QList<int> &roles, bool keepBeyond)
{
    const QVariantMap rec = [&] {
        QVariant v;
        if (!CborCodec::decode(QByteArrayView(row.bytes.constData() + row.offset, row.size), &v))
            return QVariantMap();
        return v.toMap();
    }();
    int to = targetRow(sortKeyOf(rec), idOf(rec), from);
    const int lastCol = q->columnCount() - 1;
    if (to < 0) {
        // A row written through the model whose new key lies beyond the loaded pages stays where it
        // is until the next reload rather than vanishing under the user's hands.
        if (from < 0)
            return;
        if (!keepBeyond) {
            q->beginRemoveRows({}, from, from);
            rows.removeAt(from);
            q->endRemoveRows();
            return;
        }
        to = from;
    }
    if (from < 0) {
        q->beginInsertRows({}, to, to);
        rows.insert(to, row);
        q->endInsertRows();
        return;
    }
    if (to != from) {
        q->beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        rows.move(from, to);
        q->endMoveRows();
    }
    const QVariantMap before = (to == from && !columns.isEmpty()) ? recordAt(to) : QVariantMap();
    rows[to] = row;
    if (to == from && !columns.isEmpty() && !roles.isEmpty()) {
        // Only the cells whose field changed: a view refreshes the open editors of the cells a
        // dataChanged() covers, and would throw away what the user is typing in another cell.
        for (int c = 0; c < columns.size(); ++c) {
            const QString top = columns.at(c).section(u'.', 0, 0);
            if (!VariantCompare::equals(before.value(top), rec.value(top)) ||
                before.contains(top) != rec.contains(top))
                Q_EMIT q->dataChanged(q->index(to, c), q->index(to, c), roles);
        }
        return;
    }
    if (!roles.isEmpty() || to != from)
        Q_EMIT q->dataChanged(q->index(to, 0), q->index(to, lastCol), roles);
}

void QueryListModelPrivate::upsert(const QVariantMap &record)
{
    const RecordId id = idOf(record);
    if (!id.isValid())
        return;
    if (fields.isEmpty() && rows.isEmpty()) {
        q->beginResetModel();
        discoverFields({record});
        q->endResetModel();
    }
    const int from = findRow(id);
    const int to = targetRow(sortKeyOf(record), id, from);
    if (to < 0) {
        if (from >= 0) {
            q->beginRemoveRows({}, from, from);
            rows.removeAt(from);
            q->endRemoveRows();
        }
        return;
    }
    Row row = makeRow(record);
    if (from < 0) {
        q->beginInsertRows({}, to, to);
        rows.insert(to, row);
        q->endInsertRows();
        if (paging == Paging::IndexedField && ValueOrder::compare(sortKeyOf(record), cursor) == 0)
            tieIds.append(QVariant::fromValue(id));
        return;
    }
    const QVariantMap before = recordAt(from);
    const QList<int> roles = changedRoles(this, before, record);
    if (roles.isEmpty())
        return;
    place(from, row, roles);
}

void QueryListModelPrivate::removeById(const RecordId &id)
{
    const int row = findRow(id);
    if (row < 0)
        return;
    q->beginRemoveRows({}, row, row);
    rows.removeAt(row);
    q->endRemoveRows();
}

void QueryListModelPrivate::reconcile(const QVariantList &records)
{
    // Unsubmitted rows take no part: out while the loaded rows are matched, back at the end.
    QList<Row> pending;
    if (!pendingValues.isEmpty()) {
        for (int i = int(rows.size()) - 1; i >= 0; --i) {
            if (rows.at(i).size != 0)
                continue;
            q->beginRemoveRows({}, i, i);
            pending.prepend(rows.takeAt(i));
            q->endRemoveRows();
        }
    }
    reconcileLoaded(records);
    if (!pending.isEmpty()) {
        const int first = int(rows.size());
        q->beginInsertRows({}, first, first + int(pending.size()) - 1);
        rows.append(pending);
        q->endInsertRows();
    }
}

void QueryListModelPrivate::reconcileLoaded(const QVariantList &records)
{
    if (fields.isEmpty() && !records.isEmpty()) {
        q->beginResetModel();
        discoverFields(records);
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
        const QVariantMap rec = records.at(i).toMap();
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
            q->beginInsertRows({}, i, i);
            rows.insert(i, makeRow(rec));
            q->endInsertRows();
            continue;
        }
        if (at != i) {
            q->beginMoveRows({}, at, at, {}, i);
            rows.move(at, i);
            q->endMoveRows();
        }
        const QList<int> roles = changedRoles(this, recordAt(i), rec);
        if (!roles.isEmpty()) {
            rows[i] = makeRow(rec);
            Q_EMIT q->dataChanged(q->index(i, 0), q->index(i, lastCol), roles);
        }
    }
}

// ---- loading ----

void QueryListModelPrivate::setStatus(QueryListModel::Status s)
{
    if (status == s)
        return;
    status = s;
    Q_EMIT q->statusChanged(s);
}

void QueryListModelPrivate::setError(const Error &e)
{
    if (!error.isValid() && !e.isValid())
        return;
    error = e;
    Q_EMIT q->errorChanged();
}

void QueryListModelPrivate::setTotal(qint64 total)
{
    if (totalCount == total)
        return;
    totalCount = total;
    Q_EMIT q->totalCountChanged();
}

void QueryListModelPrivate::fail(const Error &e)
{
    qCWarning(lcViews) << "QueryListModel:" << e.toString();
    reading = false;
    setError(e);
    setStatus(QueryListModel::Error);
}

QVariantList QueryListModelPrivate::rowsOf(const QueryResult &result, Error *e, int ownLeading)
{
    for (int i = ownLeading; i < result.size(); ++i) {
        if (!result.at(i).isOk()) {
            *e = result.at(i).error();
            return {};
        }
    }
    const QVariant last = result.last();
    QVariantList out;
    if (last.metaType().id() == QMetaType::QVariantList) {
        out = last.toList();
    } else if (last.metaType().id() == QMetaType::QVariantMap) {
        out.append(last);
    }
    for (QVariant &v : out) {
        if (v.metaType().id() != QMetaType::QVariantMap)
            v = QVariantMap{{u"value"_s, v}};
    }
    return out;
}

void QueryListModelPrivate::start()
{
    ++generation;
    reloadPending = false;
    dropLiveQueries();
    tableMissing = false;
    resubscribing = false;
    missingRetry = 0;
    retryTimer->stop();
    buffered.clear();
    recheckIds.clear();
    recheckSet.clear();
    resyncWanted = false;
    reading = false;
    wantMore = false;
    fetchAllRequested = false;
    cursor = QVariant();
    tieIds.clear();
    atEnd = false;
    started = false;
    orderIndexed = false;
    recountTimer->stop();
    resyncTimer->stop();
    schemas.clear();
    schemaRequested.clear();
    pendingValues.clear();
    creating.clear();
    abandoned.clear();
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
    }

    q->beginResetModel();
    rows.clear();
    decoded.clear();
    fields.clear();
    fieldIndex.clear();
    if (!userRoles.isEmpty())
        discoverFields({});
    q->endResetModel();
    setTotal(-1);
    setError(Error());

    if (!connection || !hasSource()) {
        setStatus(QueryListModel::Null);
        return;
    }
    Error invalid;
    if (!validateSource(&invalid)) {
        fail(invalid);
        return;
    }

    if (!query.isEmpty()) {
        paging = (query.contains(u"$limit") && query.contains(u"$start")) ? Paging::Offset : Paging::Single;
    } else if (orderBy.isEmpty() || orderBy == u"id") {
        paging = descending ? Paging::Offset : Paging::IdRange;
    } else {
        paging = Paging::Offset; // until INFO FOR TABLE shows an index
    }
    started = true;
    fetchAllRequested = std::exchange(fetchAllOnStart, false);
    reading = true; // notifications wait until the first page is in
    wantMore = true;
    setStatus(QueryListModel::Loading);
    const quint64 gen = generation;
    if (live)
        subscribe(gen);
    else
        detectIndexThenLoad(gen);
}

void QueryListModelPrivate::dropLiveQueries()
{
    for (const QPointer<LiveQuery> &lq : std::exchange(liveQueries, {})) {
        if (lq) {
            lq->kill();
            lq->deleteLater();
        }
    }
    liveQuery = nullptr;
    startsPending = 0;
}

bool QueryListModelPrivate::isMissingTable(const Error &e)
{
    static const QRegularExpression re(u"\\btable\\b.*\\bdoes not exist\\b"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(e.message()).hasMatch();
}

void QueryListModelPrivate::subscribe(quint64 gen)
{
    if (tableMode()) {
        subscribeTo({table}, gen);
        return;
    }
    if (!liveTables.isEmpty()) {
        subscribeTo(liveTables, gen);
        return;
    }
    // Which tables the query reads, subqueries included, is the server's to say: its plan
    // names them (a table scan's `table`, a record scan's `record_id`).
    QVariantMap v = vars();
    v.insert(u"limit"_s, pageSize);
    v.insert(u"start"_s, 0);
    QString text = query.trimmed();
    while (text.endsWith(u';'))
        text = text.chopped(1).trimmed();
    connection->query(text + u" EXPLAIN"_s, v)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        QStringList tables;
                        bool dynamic = false;
                        std::function<void(const QVariant &)> walk = [&](const QVariant &node) {
                            if (node.metaType().id() == QMetaType::QVariantList) {
                                for (const QVariant &child : node.toList())
                                    walk(child);
                                return;
                            }
                            if (node.metaType().id() != QMetaType::QVariantMap)
                                return;
                            const QVariantMap m = node.toMap();
                            const QVariantMap attrs = m.value(u"attributes"_s).toMap();
                            QString t = attrs.value(u"table"_s).toString();
                            if (t.isEmpty() && attrs.contains(u"record_id"_s))
                                t = RecordId::parse(attrs.value(u"record_id"_s).toString()).table();
                            if (!t.isEmpty() && !tables.contains(t))
                                tables.append(t);
                            if (m.value(u"operator"_s).toString() == u"DynamicScan")
                                dynamic = true;
                            for (auto it = m.cbegin(); it != m.cend(); ++it)
                                walk(it.value());
                        };
                        if (r.isOk())
                            walk(r.last());
                        if (!r.isOk() || tables.isEmpty() || dynamic) {
                            fail(Error(Error::Kind::Validation,
                                       u"live: the tables this query reads could not be told from the "
                                       "server's plan (%1); set liveTables"_s.arg(
                                           r.isOk() ? u"a computed source"_s : r.firstError().message()),
                                       u"QueryListModel"_s));
                            return;
                        }
                        qCDebug(lcViews) << "query reads" << tables;
                        subscribeTo(tables, gen);
                    }))
        .onFailed(inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                fail(e);
        }));
}

void QueryListModelPrivate::subscribeTo(const QStringList &tables, quint64 gen)
{
    // A table-level live query: a filtered one would not announce rows that stop matching
    // (surrealdb-rpc.md 7.7), so changed ids are re-checked against the filter on the server.
    // Only an unfiltered table model applies the notified records themselves; a filtered one
    // re-reads changed rows, and a query model re-runs, so those subscribe to ids alone, which
    // halves what they receive (bench_livetraffic, docs/views/querylistmodel.md).
    const bool wholeRecords = positional() && filter.trimmed().isEmpty();
    startsPending = int(tables.size());
    for (const QString &t : tables) {
        LiveQuery *lq =
            wholeRecords
                ? connection->live(Table(t), q)
                : connection->liveQuery(u"LIVE SELECT id FROM "_s + ValueFormatter::escapeIdent(t), {}, q);
        liveQueries.append(lq);
        if (!liveQuery)
            liveQuery = lq;
        QObject::connect(lq, &LiveQuery::notification, q, [this, lq](const LiveNotification &n) {
            if (liveQueries.contains(lq))
                onNotification(n);
        });
        QObject::connect(lq, &LiveQuery::resyncRequired, q, [this, lq] {
            if (!liveQueries.contains(lq))
                return;
            resyncWanted = true;
            if (!reading)
                nextRead();
        });
        QObject::connect(lq, &LiveQuery::errorOccurred, q, [this, lq](const Error &e) {
            if (liveQueries.contains(lq))
                onLiveError(e);
        });
        lq->started()
            .then(QtFuture::Launch::Sync, inThread<QUuid>(q,
                                                          [this, gen](const QUuid &) {
                                                              if (gen != generation || startsPending <= 0)
                                                                  return;
                                                              if (--startsPending == 0)
                                                                  onSubscribed(gen);
                                                          }))
            .onFailed(inThreadOnError(q, [this, gen, lq = QPointer<LiveQuery>(lq)](const Error &e) {
                // errorOccurred() may have reported it already.
                if (gen == generation && liveQueries.contains(lq))
                    onLiveError(e);
            }));
    }
}

void QueryListModelPrivate::resubscribeLater()
{
    dropLiveQueries();
    resubscribing = true;
    const int delays[] = {250, 500, 1000, 2000, 4000};
    retryTimer->start(delays[qMin(missingRetry++, 4)]);
}

void QueryListModelPrivate::onSubscribed(quint64 gen)
{
    if (resubscribing && !tableMissing) {
        // Back after a kill or a failed resubscription: what was missed meanwhile is re-read.
        resubscribing = false;
        missingRetry = 0;
        resyncWanted = true;
        reading = false;
        nextRead();
        return;
    }
    resubscribing = false;
    if (!tableMissing) {
        detectIndexThenLoad(gen);
        return;
    }
    // The table exists now: read it from the start, as a first load does.
    tableMissing = false;
    missingRetry = 0;
    atEnd = false;
    cursor = QVariant();
    tieIds.clear();
    wantMore = true;
    reading = true;
    detectIndexThenLoad(gen);
}

void QueryListModelPrivate::onLiveError(const Error &e)
{
    if (resubscribing && !isMissingTable(e)) {
        // The server may still be on its way back.
        resubscribeLater();
        return;
    }
    if (!tableMode() || !isMissingTable(e)) {
        fail(e);
        return;
    }
    // In 3.x a live query on a table that does not exist (yet, or no longer after a restart
    // with in-memory storage) is refused: the model is an empty, Ready list meanwhile, and
    // subscribes again until the table is there.
    dropLiveQueries();
    tableMissing = true;
    showEmpty();
    const int delays[] = {250, 500, 1000, 2000, 4000};
    retryTimer->start(delays[qMin(missingRetry++, 4)]);
}

void QueryListModelPrivate::showEmpty()
{
    reading = false;
    buffered.clear();
    recheckIds.clear();
    recheckSet.clear();
    resyncWanted = false;
    if (loadedRows() > 0) {
        // Gone with its table: every loaded row leaves (unsubmitted rows stay).
        for (int i = int(rows.size()) - 1; i >= 0; --i) {
            if (rows.at(i).size == 0)
                continue;
            q->beginRemoveRows({}, i, i);
            rows.removeAt(i);
            q->endRemoveRows();
        }
    }
    cursor = QVariant();
    tieIds.clear();
    atEnd = true;
    setTotal(0);
    setStatus(QueryListModel::Ready);
}

void QueryListModelPrivate::detectIndexThenLoad(quint64 gen)
{
    auto load = [this] {
        reading = false;
        nextRead();
    };
    if (!tableMode() || orderBy.isEmpty() || orderBy == u"id") {
        load();
        return;
    }
    connection->query(u"INFO FOR TABLE "_s + fromTable())
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, load](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        if (r.isOk()) {
                            schemas.insert(table, StoredType::parseTableInfo(r.value(0).toMap()));
                            schemaRequested.insert(table);
                        }
                        orderIndexed = schemas.value(table).indexed.contains(orderBy);
                        paging = orderIndexed ? Paging::IndexedField : Paging::Offset;
                        load();
                    }))
        .onFailed(laterOnError(q, [this, gen, load](const Error &e) {
            if (gen != generation)
                return;
            // Without INFO rights the order still works, only by START.
            qCInfo(lcViews) << "INFO FOR TABLE failed, paging by START:" << e.toString();
            load();
        }));
}

void QueryListModelPrivate::nextRead()
{
    if (reading || !started || status == QueryListModel::Error || !connection)
        return;
    if (resyncWanted) {
        requestResync();
    } else if (!recheckIds.isEmpty()) {
        requestRecheck();
    } else if ((wantMore || fetchAllRequested) && !atEnd) {
        requestPage();
    }
}

void QueryListModelPrivate::requestPage(bool proof)
{
    reading = true;
    wantMore = false;
    QString text;
    QVariantMap v = vars();
    int limit = pageSize;
    switch (paging) {
    case Paging::IdRange:
        text = u"SELECT * FROM type::record($qlm_range)"_s + whereFilter() + u" LIMIT $qlm_limit"_s;
        v.insert(u"qlm_range"_s,
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
        proof = proof || indexWalkDropsRows;
        const QString dir = descending ? u" DESC"_s : u" ASC"_s;
        text = u"SELECT * FROM "_s + fromTable() + whereFilter(extra) + u" ORDER BY "_s + path + dir +
               (proof ? u", id"_s + dir : QString()) + u" LIMIT $qlm_limit"_s;
        if (cursor.isValid())
            v.insert(u"qlm_last"_s, cursor);
        limit = pageSize + int(tieIds.size());
        break;
    }
    case Paging::Offset:
        if (tableMode()) {
            text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                   u" LIMIT $qlm_limit START $qlm_start"_s;
            v.insert(u"qlm_start"_s, qint64(loadedRows()));
        } else {
            text = query;
            v.insert(u"limit"_s, pageSize);
            v.insert(u"start"_s, qint64(loadedRows()));
        }
        break;
    case Paging::Single:
        text = query;
        break;
    }
    v.insert(u"qlm_limit"_s, limit);
    if (!tableMode())
        v.remove(u"qlm_limit"_s);
    // The table's declared field types (for converting edits back) come with its first page, in
    // the same request.
    const bool withInfo = tableMode() && !schemaRequested.contains(table);
    if (withInfo) {
        schemaRequested.insert(table);
        text = u"INFO FOR TABLE "_s + fromTable() + u";\n"_s + text;
    }
    const quint64 gen = generation;
    connection->query(text, v)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, limit, withInfo, proof](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        if (withInfo && r.size() == 2 && r.at(0).isOk())
                            schemas.insert(table, StoredType::parseTableInfo(r.at(0).result().toMap()));
                        Error e;
                        QVariantList records = rowsOf(r, &e, withInfo ? 1 : 0);
                        if (e.isValid() && tableMode() && isMissingTable(e)) {
                            // Not there yet: an empty list (a live model subscribes again until it is).
                            showEmpty();
                            Q_EMIT q->fullyLoaded();
                            return;
                        }
                        if (e.isValid()) {
                            fail(e);
                            return;
                        }
                        if (live && !tableMode()) {
                            for (const QVariant &rec : std::as_const(records)) {
                                if (!idOf(rec.toMap()).isValid()) {
                                    // Re-runs are matched to the rows by record id.
                                    fail(Error(Error::Kind::Validation,
                                               u"live needs the record id in every row: select `id` too "
                                               "(SELECT id, name FROM ...), or turn live off"_s,
                                               u"QueryListModel"_s));
                                    return;
                                }
                            }
                        }
                        // Engine 3.0.2 walks an index in order, applies LIMIT, then the rest of the
                        // WHERE (SurrealDB #7028; #7127 with a permission rule as the rest): a short
                        // page from that walk proves nothing. The same page asked for in (field, id)
                        // order is answered fully, so its being short is the end.
                        if (paging == Paging::IndexedField && !proof && records.size() < limit) {
                            shortFastPage = int(records.size());
                            requestPage(true);
                            return;
                        }
                        if (proof && shortFastPage >= 0 && records.size() > shortFastPage) {
                            // The walk dropped rows with this filter: the next pages go straight to
                            // the proof form.
                            qCInfo(lcViews) << "index walk returned" << shortFastPage << "of"
                                            << records.size() << "rows; paging in (field, id) order";
                            indexWalkDropsRows = true;
                        }
                        shortFastPage = -1;
                        const bool end = paging == Paging::Single || records.size() < limit;
                        if (paging == Paging::IndexedField && !tieIds.isEmpty()) {
                            records.removeIf([this](const QVariant &rec) {
                                const QVariantMap m = rec.toMap();
                                return ValueOrder::compare(sortKeyOf(m), cursor) == 0 &&
                                       tieIds.contains(m.value(u"id"_s));
                            });
                        }
                        atEnd = end;
                        onPage(records);
                    }))
        .onFailed(inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                readFailed(e);
        }));
}

void QueryListModelPrivate::onPage(const QVariantList &pageRecords)
{
    noteSchemas(pageRecords);
    QVariantList records = pageRecords;
    if (paging == Paging::Offset && !rows.isEmpty()) {
        // START pages may overlap rows a live change already showed.
        records.removeIf([this](const QVariant &rec) { return findRow(idOf(rec.toMap())) >= 0; });
    }
    if (!pageRecords.isEmpty()) {
        const QVariantMap last = pageRecords.constLast().toMap();
        if (paging == Paging::IdRange) {
            cursor = idOf(last).id();
        } else if (paging == Paging::IndexedField) {
            const QVariant key = sortKeyOf(last);
            if (ValueOrder::compare(key, cursor) != 0 || !cursor.isValid())
                tieIds.clear();
            for (const QVariant &rec : pageRecords) {
                const QVariantMap m = rec.toMap();
                if (ValueOrder::compare(sortKeyOf(m), key) == 0)
                    tieIds.append(m.value(u"id"_s));
            }
            cursor = key;
        }
    }

    // One buffer per page: the rows are slices of it.
    QByteArray buffer;
    QList<QPair<quint32, quint32>> slices;
    slices.reserve(records.size());
    for (const QVariant &rec : std::as_const(records)) {
        const QByteArray one = CborCodec::encode(rec);
        slices.append({quint32(buffer.size()), quint32(one.size())});
        buffer.append(one);
    }
    buffer.squeeze();
    QList<Row> newRows;
    newRows.reserve(records.size());
    for (int i = 0; i < records.size(); ++i) {
        Row r;
        r.bytes = buffer;
        r.offset = slices.at(i).first;
        r.size = slices.at(i).second;
        r.serial = nextSerial++;
        const RecordId id = idOf(records.at(i).toMap());
        r.idHash = id.isValid() ? qHash(id) : 0;
        newRows.append(r);
    }

    const bool firstPage = status == QueryListModel::Loading || loadedRows() == 0;
    if (firstPage && fields.isEmpty()) {
        q->beginResetModel();
        discoverFields(records);
        rows.append(newRows);
        q->endResetModel();
    } else if (!newRows.isEmpty()) {
        const int first = int(rows.size());
        q->beginInsertRows({}, first, first + int(newRows.size()) - 1);
        rows.append(newRows);
        q->endInsertRows();
    }
    setStatus(QueryListModel::Ready);
    if (!newRows.isEmpty())
        Q_EMIT q->pageLoaded(int(rows.size() - newRows.size()), int(rows.size()) - 1);
    if (atEnd) {
        fetchAllRequested = false;
        setTotal(loadedRows());
        Q_EMIT q->fullyLoaded();
    } else if (totalCount < 0) {
        recount();
    }
    finishRead();
}

void QueryListModelPrivate::readFailed(const Error &e)
{
    // A live model's read lost with its socket: its live queries register again after the
    // reconnect and ask for a resync, and the read waits in the socket's queue meanwhile. Put
    // in Error instead, the model stopped reading and kept the rows of before the outage.
    const bool live =
        !liveQueries.isEmpty() &&
        std::all_of(liveQueries.cbegin(), liveQueries.cend(), [](const QPointer<LiveQuery> &lq) {
            return lq && lq->state() == LiveQuery::State::Active;
        });
    if (e.kind() != Error::Kind::Connection || !live || ++lostReads > 3) {
        fail(e);
        return;
    }
    qCInfo(lcViews) << "QueryListModel: a read was lost with its connection; reading again:" << e.toString();
    reading = false;
    resyncWanted = true;
    nextRead();
}

void QueryListModelPrivate::finishRead()
{
    lostReads = 0;
    reading = false;
    if (!buffered.isEmpty()) {
        const QList<LiveNotification> pending = std::exchange(buffered, {});
        for (const LiveNotification &n : pending)
            applyNotification(n);
        afterLiveChange();
    }
    nextRead();
}

void QueryListModelPrivate::requestRecheck()
{
    reading = true;
    QVariantList ids;
    QList<RecordId> batch;
    while (!recheckIds.isEmpty() && batch.size() < RecheckBatch) {
        const RecordId id = recheckIds.takeFirst();
        recheckSet.remove(id);
        batch.append(id);
        ids.append(QVariant::fromValue(id));
    }
    QVariantMap v = vars();
    v.insert(u"qlm_ids"_s, ids);
    if (RecheckStats &stats = recheckStats(); stats.enabled) {
        ++stats.queries;
        stats.idsSent += ids.size();
        stats.bytesSent += CborCodec::encode(ids).size();
    }
    const quint64 gen = generation;
    // Under the user's own permissions: a row they may no longer see leaves the model too.
    connection->query(u"SELECT * FROM $qlm_ids"_s + whereFilter(), v)
        .then(QtFuture::Launch::Sync, later(q,
                                            [this, gen, batch](const QueryResult &r) {
                                                if (gen != generation)
                                                    return;
                                                Error e;
                                                const QVariantList records = rowsOf(r, &e);
                                                if (e.isValid()) {
                                                    fail(e);
                                                    return;
                                                }
                                                if (RecheckStats &stats = recheckStats(); stats.enabled)
                                                    stats.bytesReceived += CborCodec::encode(records).size();
                                                QSet<RecordId> matching;
                                                for (const QVariant &rec : records) {
                                                    matching.insert(idOf(rec.toMap()));
                                                    upsert(rec.toMap());
                                                }
                                                for (const RecordId &id : batch) {
                                                    if (!matching.contains(id))
                                                        removeById(id);
                                                }
                                                afterLiveChange();
                                                finishRead();
                                            }))
        .onFailed(inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                readFailed(e);
        }));
}

void QueryListModelPrivate::requestResync()
{
    resyncWanted = false;
    // The ids a re-read covers need no separate re-check.
    recheckIds.clear();
    recheckSet.clear();
    if (status == QueryListModel::Loading) {
        // Nothing shown yet: the first page reads the current state anyway.
        nextRead();
        return;
    }
    reading = true;
    QString text;
    QVariantMap v = vars();
    qint64 offsetLimit = -1;
    switch (paging) {
    case Paging::IdRange:
        text = u"SELECT * FROM type::record($qlm_range)"_s + whereFilter();
        v.insert(u"qlm_range"_s,
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
        text = u"SELECT * FROM "_s + fromTable() + whereFilter(extra) + u" ORDER BY "_s + path +
               (descending ? u" DESC"_s : u" ASC"_s);
        if (!extra.isEmpty())
            v.insert(u"qlm_last"_s, cursor);
        break;
    }
    case Paging::Offset:
        // The loaded part is the first `rows` rows. When every row was in, the result may have
        // grown: one page more is asked for, and a full answer means there may be more still.
        offsetLimit = atEnd ? qint64(loadedRows()) + pageSize : qMax<qint64>(loadedRows(), pageSize);
        if (tableMode()) {
            text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                   u" LIMIT $qlm_limit START 0"_s;
            v.insert(u"qlm_limit"_s, offsetLimit);
        } else {
            text = query;
            v.insert(u"limit"_s, offsetLimit);
            v.insert(u"start"_s, 0);
        }
        break;
    case Paging::Single:
        text = query;
        break;
    }
    const quint64 gen = generation;
    connection->query(text, v)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, offsetLimit](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        Error e;
                        QVariantList records = rowsOf(r, &e);
                        if (e.isValid()) {
                            fail(e);
                            return;
                        }
                        if (offsetLimit >= 0 && atEnd && records.size() >= offsetLimit) {
                            atEnd = false;
                            if (tableMode())
                                recount();
                            else
                                setTotal(-1);
                        }
                        if (paging == Paging::IndexedField && !atEnd && cursor.isValid()) {
                            // Ties with the cursor that no page delivered yet still belong to the next
                            // page.
                            records.removeIf([this](const QVariant &rec) {
                                const QVariantMap m = rec.toMap();
                                return ValueOrder::compare(sortKeyOf(m), cursor) == 0 &&
                                       !tieIds.contains(m.value(u"id"_s));
                            });
                        }
                        if (paging == Paging::IndexedField && tableMode()) {
                            // The server's order of equal keys is its own; ours breaks ties by id.
                            std::stable_sort(
                                records.begin(), records.end(), [this](const QVariant &a, const QVariant &b) {
                                    const QVariantMap x = a.toMap(), y = b.toMap();
                                    return compareOrder(sortKeyOf(x), idOf(x), sortKeyOf(y), idOf(y)) < 0;
                                });
                        }
                        reconcile(records);
                        afterLiveChange();
                        finishRead();
                    }))
        .onFailed(inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                readFailed(e);
        }));
}

void QueryListModelPrivate::recount()
{
    if (!tableMode() || !connection)
        return;
    const quint64 gen = generation;
    connection->query(u"SELECT count() FROM "_s + fromTable() + whereFilter() + u" GROUP ALL"_s, vars())
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen](const QueryResult &r) {
                        if (gen != generation || !r.isOk())
                            return;
                        const QVariantList list = r.last().toList();
                        if (atEnd)
                            setTotal(loadedRows());
                        else
                            setTotal(list.isEmpty() ? 0
                                                    : list.first().toMap().value(u"count"_s).toLongLong());
                    }))
        .onFailed([](const Exception &e) { qCInfo(lcViews) << "count failed:" << e.error().toString(); });
}

void QueryListModelPrivate::onNotification(const LiveNotification &n)
{
    if (reading) {
        buffered.append(n);
        return;
    }
    applyNotification(n);
    afterLiveChange();
    nextRead();
}

void QueryListModelPrivate::applyNotification(const LiveNotification &n)
{
    using Action = LiveNotification::Action;
    if (n.action() == Action::Killed) {
        // A server that shuts down kills its live queries: subscribe again (and resync) once it
        // is back, rather than stop following.
        qCInfo(lcViews) << "the live query was killed on the server; subscribing again";
        resubscribeLater();
        return;
    }
    if (!positional()) {
        // A query's rows cannot be placed locally: re-run it, coalescing bursts.
        if (!resyncTimer->isActive())
            resyncTimer->start();
        return;
    }
    const RecordId id = n.record().value<RecordId>();
    if (n.action() == Action::Delete) {
        if (recheckSet.remove(id))
            recheckIds.removeOne(id);
        removeById(id);
        return;
    }
    if (n.action() != Action::Create && n.action() != Action::Update)
        return;
    if (filter.trimmed().isEmpty()) {
        upsert(n.result().toMap());
        return;
    }
    if (!recheckSet.contains(id)) {
        recheckSet.insert(id);
        recheckIds.append(id);
    }
}

void QueryListModelPrivate::afterLiveChange()
{
    if (atEnd)
        setTotal(loadedRows());
    else if (tableMode() && !recountTimer->isActive())
        recountTimer->start();
    Q_EMIT q->liveChangesApplied();
}

// ---- QueryListModel ----

QueryListModel::QueryListModel(QObject *parent)
    : QueryListModel(static_cast<Connection *>(nullptr), parent)
{}

QueryListModel::QueryListModel(std::nullptr_t, QObject *parent)
    : QueryListModel(static_cast<Connection *>(nullptr), parent)
{}

QueryListModel::QueryListModel(Connection *connection, QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<QueryListModelPrivate>(this))
{
    d->connection = connection;
    d->recountTimer = new QTimer(this);
    d->recountTimer->setSingleShot(true);
    d->recountTimer->setInterval(500);
    connect(d->recountTimer, &QTimer::timeout, this, [this] { d->recount(); });
    d->retryTimer = new QTimer(this);
    d->retryTimer->setSingleShot(true);
    connect(d->retryTimer, &QTimer::timeout, this, [this] {
        if ((d->tableMissing || d->resubscribing) && d->live && d->started && d->connection)
            d->subscribe(d->generation);
    });
    d->resyncTimer = new QTimer(this);
    d->resyncTimer->setSingleShot(true);
    d->resyncTimer->setInterval(20);
    connect(d->resyncTimer, &QTimer::timeout, this, [this] {
        d->resyncWanted = true;
        d->nextRead();
    });
    auto countCheck = [this] { Q_EMIT countChanged(); };
    connect(this, &QAbstractItemModel::rowsInserted, this, countCheck);
    connect(this, &QAbstractItemModel::rowsRemoved, this, countCheck);
    connect(this, &QAbstractItemModel::modelReset, this, countCheck);
}

QueryListModel::~QueryListModel() = default;

Connection *QueryListModel::connection() const
{
    return d->connection;
}

namespace {} // namespace

void QueryListModelPrivate::scheduleReload()
{
    // Several properties usually change together (QML bindings, a search box): reload once.
    if (reloadPending)
        return;
    reloadPending = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            if (reloadPending)
                start();
        },
        Qt::QueuedConnection);
}

void QueryListModel::setConnection(Connection *connection)
{
    if (d->connection == connection)
        return;
    d->connection = connection;
    Q_EMIT connectionChanged();
    d->scheduleReload();
}

QueryListModel::Status QueryListModel::status() const
{
    return d->status;
}

SurrealQt::Error QueryListModel::error() const
{
    return d->error;
}

QString QueryListModel::errorString() const
{
    return d->error.isValid() ? d->error.toString() : QString();
}

int QueryListModel::count() const
{
    return int(d->rows.size());
}

qint64 QueryListModel::totalCount() const
{
    return d->totalCount;
}

#define SURREALQT_SETTER(Type, member, setter, signal)                                                       \
    void QueryListModel::setter(Type value)                                                                  \
    {                                                                                                        \
        if (d->member == value)                                                                              \
            return;                                                                                          \
        d->member = value;                                                                                   \
        Q_EMIT signal();                                                                                     \
        d->scheduleReload();                                                                                 \
    }

QString QueryListModel::query() const
{
    return d->query;
}
SURREALQT_SETTER(const QString &, query, setQuery, queryChanged)

QVariantMap QueryListModel::bindings() const
{
    return d->bindings;
}

void QueryListModel::setBindings(const QVariantMap &bindings)
{
    if (d->bindings.size() == bindings.size() && VariantCompare::equals(d->bindings, bindings))
        return;
    d->bindings = bindings;
    Q_EMIT bindingsChanged();
    d->scheduleReload();
}

QString QueryListModel::table() const
{
    return d->table;
}
SURREALQT_SETTER(const QString &, table, setTable, tableChanged)

QString QueryListModel::filter() const
{
    return d->filter;
}
SURREALQT_SETTER(const QString &, filter, setFilter, filterChanged)

QString QueryListModel::orderBy() const
{
    return d->orderBy;
}
SURREALQT_SETTER(const QString &, orderBy, setOrderBy, orderByChanged)

bool QueryListModel::descending() const
{
    return d->descending;
}
SURREALQT_SETTER(bool, descending, setDescending, descendingChanged)

bool QueryListModel::isLive() const
{
    return d->live;
}
SURREALQT_SETTER(bool, live, setLive, liveChanged)

QStringList QueryListModel::roles() const
{
    return d->userRoles;
}
SURREALQT_SETTER(const QStringList &, userRoles, setRoles, rolesChanged)

QStringList QueryListModel::liveTables() const
{
    return d->liveTables;
}
SURREALQT_SETTER(const QStringList &, liveTables, setLiveTables, liveTablesChanged)

#undef SURREALQT_SETTER

int QueryListModel::pageSize() const
{
    return d->pageSize;
}

void QueryListModel::setPageSize(int rows)
{
    if (d->pageSize == rows)
        return;
    d->pageSize = rows;
    Q_EMIT pageSizeChanged();
    // Only later pages change size; an invalid size shows when the model next loads.
    if (rows <= 0)
        d->scheduleReload();
}

QStringList QueryListModel::columns() const
{
    return d->columns;
}

void QueryListModel::setColumns(const QStringList &fields)
{
    if (d->columns == fields)
        return;
    beginResetModel();
    d->columns = fields;
    endResetModel();
    Q_EMIT columnsChanged();
}

QString QueryListModel::displayField() const
{
    return d->displayField;
}

void QueryListModel::setDisplayField(const QString &field)
{
    if (d->displayField == field)
        return;
    d->displayField = field;
    Q_EMIT displayFieldChanged();
    if (!d->rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(d->rows.size()) - 1, columnCount() - 1),
                           {Qt::DisplayRole, Qt::EditRole});
}

bool QueryListModel::isPagedInConstantTime() const
{
    using P = QueryListModelPrivate::Paging;
    return d->started && (d->paging == P::IdRange || d->paging == P::IndexedField);
}

QStringList QueryListModel::fieldNames() const
{
    return d->fields;
}

int QueryListModel::roleForField(const QString &field) const
{
    const int i = d->fieldIndex.value(field, -1);
    return i < 0 ? -1 : FirstFieldRole + i;
}

QVariantMap QueryListModel::get(int row) const
{
    if (row < 0 || row >= d->rows.size())
        return {};
    return d->recordAt(row);
}

QVariant QueryListModel::recordId(int row) const
{
    const QVariantMap rec = get(row);
    return rec.value(u"id"_s);
}

int QueryListModel::rowOf(const RecordId &id) const
{
    return rowOf(QVariant::fromValue(id));
}

int QueryListModel::rowOf(const QVariant &recordId) const
{
    if (!isRecordId(recordId))
        return -1;
    return d->findRow(recordId.value<RecordId>());
}

void QueryListModel::reload()
{
    d->start();
}

void QueryListModel::fetchAll()
{
    if (!d->started || d->reloadPending) {
        // Asked for before the (re)load began, e.g. from Component.onCompleted or right after
        // a setter: it applies to the load that comes.
        d->fetchAllOnStart = true;
        return;
    }
    if (d->atEnd)
        return;
    d->fetchAllRequested = true;
    d->nextRead();
}

int QueryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->rows.size());
}

int QueryListModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return d->columns.isEmpty() ? 1 : int(d->columns.size());
}

QVariant QueryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariantMap rec = d->recordAt(index.row());
    if (role == RecordRole)
        return rec;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        QString field = d->columns.isEmpty() ? d->displayField : d->columns.value(index.column());
        if (field.isEmpty())
            field = u"id"_s;
        const QVariant v = valueAtPath(rec, field);
        if (role == Qt::DisplayRole)
            return displayValue(v);
        // In a type Qt's default editors handle; setData() converts it back to the stored type.
        return StoredType::editValue(v);
    }
    const int f = role - FirstFieldRole;
    if (f >= 0 && f < d->fields.size())
        return valueAtPath(rec, d->fields.at(f));
    return {};
}

bool QueryListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    QString field;
    if (role == Qt::EditRole || role == Qt::DisplayRole)
        field = d->columns.isEmpty() ? d->displayField : d->columns.value(index.column());
    else if (role - FirstFieldRole >= 0 && role - FirstFieldRole < d->fields.size())
        field = d->fields.at(role - FirstFieldRole);
    if (field.isEmpty())
        return false;
    return setField(index.row(), field, value);
}

bool QueryListModel::setField(int row, const QString &field, const QVariant &value)
{
    if (!d->connection || !d->isEditable(row, field))
        return false;
    const QVariantMap before = d->recordAt(row);
    const QVariant current = before.value(field);
    // What the editor was given, handed back: an editor opened and left writes nothing.
    if (VariantCompare::equals(StoredType::editValue(current), value))
        return true;
    const bool emptyText = value.metaType().id() == QMetaType::QString && value.toString().isEmpty();
    if ((isNone(current) || isNull(current)) && emptyText)
        return true;
    QVariant converted;
    QString why;
    if (!StoredType::convert(value, d->storedKind(before, field), &converted, &why)) {
        Q_EMIT writeFailed(before.value(u"id"_s),
                           SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                                            u"%1.%2: %3"_s.arg(idOf(before).toString(), field, why),
                                            u"QueryListModel::setData"_s));
        return false;
    }
    // A QDateTime holds milliseconds: the same millisecond keeps the stored nanoseconds.
    if (value.metaType() == QMetaType::fromType<QDateTime>() &&
        current.metaType() == QMetaType::fromType<DateTime>() &&
        current.value<DateTime>().toQDateTime() == value.toDateTime())
        return true;
    return d->writeField(row, field, converted);
}

bool QueryListModelPrivate::writeField(int row, const QString &field, const QVariant &value)
{
    if (!connection || !isEditable(row, field))
        return false;
    const QVariantMap before = recordAt(row);
    if (VariantCompare::equals(before.value(field), value))
        return true;
    if (isPending(row)) {
        // Kept until submit().
        QVariantMap &values = pendingValues[rows.at(row).serial];
        if (isNone(value))
            values.remove(field);
        else
            values.insert(field, value);
        Q_EMIT q->dataChanged(q->index(row, 0), q->index(row, q->columnCount() - 1),
                              changedRoles(this, before, values));
        return true;
    }
    const RecordId id = idOf(before);
    QVariantMap after = before;
    after.insert(field, value);
    place(row, makeRow(after), changedRoles(this, before, after));

    const bool had = before.contains(field);
    const QVariant old = before.value(field);
    auto rollback = [this, id, field, had, old, value](const SurrealQt::Error &e) {
        const int at = findRow(id);
        if (at >= 0) {
            const QVariantMap now = recordAt(at);
            // Only our own value is taken back; a newer one from a live change stays.
            if (VariantCompare::equals(now.value(field), value)) {
                QVariantMap restored = now;
                if (had)
                    restored.insert(field, old);
                else
                    restored.remove(field);
                place(at, makeRow(restored), changedRoles(this, now, restored));
            }
        }
        Q_EMIT q->writeFailed(QVariant::fromValue(id), e);
    };
    ++writesInFlight[id];
    auto written = [this, id] {
        auto it = writesInFlight.find(id);
        if (it != writesInFlight.end() && --it.value() <= 0)
            writesInFlight.erase(it);
    };
    // Merging one field of one record lands on the same state however often it runs, so a
    // write whose reply a dropped socket lost is sent again after the reconnect. Failed with
    // Connection instead, it was rolled back here although the server had applied it.
    RequestOptions resendable;
    resendable.idempotent = true;
    connection
        ->query(u"UPDATE $qlm_id MERGE $qlm_data RETURN AFTER"_s,
                {{u"qlm_id"_s, QVariant::fromValue(id)}, {u"qlm_data"_s, QVariantMap{{field, value}}}},
                resendable)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, id, field, rollback, written](const QueryResult &r) {
                        written();
                        if (!r.isOk()) {
                            rollback(r.firstError());
                            return;
                        }
                        const QVariantList list = r.last().toList();
                        if (list.isEmpty() || list.first().metaType().id() != QMetaType::QVariantMap) {
                            // A write a permission rule refuses answers like one on a missing record.
                            rollback(SurrealQt::Error(
                                SurrealQt::Error::Kind::NotAllowed,
                                u"the database did not apply the change to %1 (refused by a permission rule, "
                                "or the record no longer exists)"_s.arg(id.toString()),
                                u"QueryListModel::setData"_s));
                            return;
                        }
                        const int at = findRow(id);
                        if (at >= 0) {
                            // The record as this write left it. Another write to it still on its
                            // way (its answer may come first, on another socket of a pool) keeps
                            // its value: only this field is taken then.
                            QVariantMap server = list.first().toMap();
                            const QVariantMap now = recordAt(at);
                            if (writesInFlight.value(id) > 0) {
                                QVariantMap merged = now;
                                if (server.contains(field))
                                    merged.insert(field, server.value(field));
                                else
                                    merged.remove(field);
                                server = merged;
                            }
                            const QList<int> roles = changedRoles(this, now, server);
                            if (!roles.isEmpty())
                                place(at, makeRow(server), roles);
                        }
                    }))
        .onFailed(laterOnError(q, [rollback, written](const SurrealQt::Error &e) {
            written();
            rollback(e);
        }));
    return true;
}

void QueryListModel::createRecord(const QVariantMap &data)
{
    if (!d->connection || d->table.isEmpty()) {
        Q_EMIT writeFailed({}, SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                                                u"createRecord needs a connection and a table"_s,
                                                u"QueryListModel"_s));
        return;
    }
    const quint64 gen = d->generation;
    d->connection
        ->query(u"CREATE "_s + d->fromTable() + u" CONTENT $qlm_data RETURN AFTER"_s, {{u"qlm_data"_s, data}})
        .then(QtFuture::Launch::Sync,
              later(this,
                    [this, gen](const QueryResult &r) {
                        const QVariantList list = r.isOk() ? r.last().toList() : QVariantList();
                        if (list.isEmpty()) {
                            Q_EMIT writeFailed({}, r.isOk()
                                                       ? SurrealQt::Error(SurrealQt::Error::Kind::NotAllowed,
                                                                          u"the record was not created"_s,
                                                                          u"QueryListModel::createRecord"_s)
                                                       : r.firstError());
                            return;
                        }
                        if (gen != d->generation || !d->started)
                            return;
                        const QVariantMap rec = list.first().toMap();
                        if (d->filter.trimmed().isEmpty()) {
                            d->upsert(rec);
                        } else {
                            const RecordId id = idOf(rec);
                            if (!d->recheckSet.contains(id)) {
                                d->recheckSet.insert(id);
                                d->recheckIds.append(id);
                            }
                            d->nextRead();
                        }
                        d->afterLiveChange();
                    }))
        .onFailed(laterOnError(this, [this](const SurrealQt::Error &e) { Q_EMIT writeFailed({}, e); }));
}

bool QueryListModel::removeRecord(int row)
{
    return removeRows(row, 1);
}

Qt::ItemFlags QueryListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    const QString field = d->columns.isEmpty() ? d->displayField : d->columns.value(index.column());
    if (d->isEditable(index.row(), field))
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant QueryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (d->columns.isEmpty())
        return section == 0 ? (d->displayField.isEmpty() ? u"id"_s : d->displayField) : QVariant();
    return d->columns.value(section);
}

QHash<int, QByteArray> QueryListModel::roleNames() const
{
    QHash<int, QByteArray> names{
        {Qt::DisplayRole, "display"}, {Qt::EditRole, "edit"}, {RecordRole, "record"}};
    for (int i = 0; i < d->fields.size(); ++i)
        names.insert(FirstFieldRole + i, d->fields.at(i).toUtf8());
    return names;
}

bool QueryListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && d->started && !d->atEnd && d->status == Ready && d->connection;
}

void QueryListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    d->wantMore = true;
    d->nextRead();
}

bool QueryListModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row > d->rows.size() || d->table.isEmpty() ||
        !d->query.isEmpty())
        return false;
    // Nothing is sent: the rows are created on the server by submit(), with the values set on
    // them meanwhile (a table whose ASSERTs refuse an empty record works, and a row removed
    // before submit() leaves no trace).
    beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        QueryListModelPrivate::Row pending;
        pending.serial = d->nextSerial++;
        d->pendingValues.insert(pending.serial, {});
        d->rows.insert(row + i, pending);
    }
    endInsertRows();
    return true;
}

bool QueryListModel::submit()
{
    d->submitPending();
    return true;
}

int QueryListModelPrivate::rowOfSerial(quint32 serial) const
{
    for (int i = 0; i < rows.size(); ++i) {
        if (rows.at(i).serial == serial)
            return i;
    }
    return -1;
}

void QueryListModelPrivate::submitPending()
{
    if (!connection)
        return;
    for (const Row &r : std::as_const(rows)) {
        if (r.size != 0 || creating.contains(r.serial))
            continue;
        const quint32 serial = r.serial;
        creating.insert(serial);
        connection
            ->query(u"CREATE "_s + fromTable() + u" CONTENT $qlm_data RETURN AFTER"_s,
                    {{u"qlm_data"_s, pendingValues.value(serial)}})
            .then(QtFuture::Launch::Sync,
                  later(q, [this, serial](const QueryResult &result) { onCreated(serial, result); }))
            .onFailed(laterOnError(q, [this, serial](const Error &e) {
                creating.remove(serial);
                if (!abandoned.remove(serial))
                    Q_EMIT q->writeFailed({}, e);
            }));
    }
}

void QueryListModelPrivate::onCreated(quint32 serial, const QueryResult &r)
{
    creating.remove(serial);
    const QVariantList list = r.isOk() ? r.last().toList() : QVariantList();
    const QVariantMap rec = list.value(0).toMap();
    const RecordId id = idOf(rec);
    if (abandoned.remove(serial)) {
        // Removed while it was being created: it must not outlive the row.
        if (id.isValid()) {
            removeById(id);
            connection->query(u"DELETE $qlm_id"_s, {{u"qlm_id"_s, QVariant::fromValue(id)}})
                .then(QtFuture::Launch::Sync, [](const QueryResult &) {})
                .onFailed([](const Exception &e) {
                    qCWarning(lcViews)
                        << "could not delete a record created for a removed row:" << e.error().toString();
                });
        }
        return;
    }
    const int at = rowOfSerial(serial);
    if (!id.isValid()) {
        // The row stays, unsubmitted, so its values can be corrected and submitted again.
        Q_EMIT q->writeFailed({}, r.isOk() ? Error(Error::Kind::NotAllowed, u"the record was not created"_s,
                                                   u"QueryListModel::submit"_s)
                                           : r.firstError());
        return;
    }
    pendingValues.remove(serial);
    if (at < 0)
        return;
    if (findRow(id) >= 0 || !filter.trimmed().isEmpty()) {
        // A live notification showed the record already, or the filter decides whether it shows:
        // the row gives way to what the server says.
        q->beginRemoveRows({}, at, at);
        rows.removeAt(at);
        q->endRemoveRows();
        if (findRow(id) < 0 && !filter.trimmed().isEmpty()) {
            if (!recheckSet.contains(id)) {
                recheckSet.insert(id);
                recheckIds.append(id);
            }
            nextRead();
        }
        return;
    }
    // Where the order puts it; beyond the loaded pages it leaves the view and comes with its page.
    place(at, makeRow(rec), changedRoles(this, {}, rec), false);
    afterLiveChange();
}

bool QueryListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row + count > d->rows.size())
        return false;
    if (!d->connection) {
        for (int i = row; i < row + count; ++i) {
            if (!d->isPending(i))
                return false;
        }
    }
    QList<QVariantMap> removed;
    QVariantList ids;
    for (int i = row; i < row + count; ++i) {
        if (d->isPending(i)) {
            // Never submitted: nothing to delete, or deleted once its creation answers.
            const quint32 serial = d->rows.at(i).serial;
            d->pendingValues.remove(serial);
            if (d->creating.contains(serial))
                d->abandoned.insert(serial);
            continue;
        }
        const QVariantMap rec = d->recordAt(i);
        if (idOf(rec).isValid()) {
            removed.append(rec);
            ids.append(rec.value(u"id"_s));
        }
    }
    beginRemoveRows({}, row, row + count - 1);
    d->rows.remove(row, count);
    endRemoveRows();
    if (ids.isEmpty())
        return true;
    auto restore = [this](const QVariantMap &rec, const SurrealQt::Error &e) {
        if (d->findRow(idOf(rec)) < 0) {
            QueryListModelPrivate::Row r = d->makeRow(rec);
            int to = d->targetRow(d->sortKeyOf(rec), idOf(rec), -1);
            if (to < 0)
                to = int(d->rows.size());
            beginInsertRows({}, to, to);
            d->rows.insert(to, r);
            endInsertRows();
        }
        Q_EMIT writeFailed(rec.value(u"id"_s), e);
    };
    d->connection->query(u"DELETE $qlm_ids RETURN BEFORE"_s, {{u"qlm_ids"_s, ids}})
        .then(QtFuture::Launch::Sync,
              later(this,
                    [removed, restore](const QueryResult &r) {
                        if (!r.isOk()) {
                            for (const QVariantMap &rec : removed)
                                restore(rec, r.firstError());
                            return;
                        }
                        QSet<RecordId> gone;
                        for (const QVariant &v : r.last().toList())
                            gone.insert(idOf(v.toMap()));
                        for (const QVariantMap &rec : removed) {
                            if (!gone.contains(idOf(rec)))
                                restore(rec, SurrealQt::Error(
                                                 SurrealQt::Error::Kind::NotAllowed,
                                                 u"the database did not delete %1 (refused by a permission "
                                                 "rule, or already gone)"_s.arg(idOf(rec).toString()),
                                                 u"QueryListModel::removeRows"_s));
                        }
                    }))
        .onFailed(laterOnError(this, [removed, restore](const SurrealQt::Error &e) {
            for (const QVariantMap &rec : removed)
                restore(rec, e);
        }));
    return true;
}

} // namespace SurrealQt
