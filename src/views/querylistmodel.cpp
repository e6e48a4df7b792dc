#include <SurrealQt/querylistmodel.h>

#include "codec/cborcodec_p.h"
#include "codec/valueformatter_p.h"
#include "codec/variantcompare_p.h"
#include "core/postbox_p.h"
#include "views/querylistmodel_p.h"
#include "views/valueorder_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/queryresult.h>
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

QString QueryListModelPrivate::liveTable() const
{
    if (!table.isEmpty())
        return table;
    static const QRegularExpression from(u"\\bFROM\\s+([A-Za-z_][A-Za-z0-9_]*)"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    const auto m = from.match(query);
    return m.hasMatch() ? m.captured(1) : QString();
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
    // The filter is SurrealQL written by the developer; a statement separator there would run
    // more than a condition. Values belong in bindings.
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
        return {};
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
    const int n = int(rows.size()) - (skip >= 0 ? 1 : 0);
    auto at = [skip](int i) { return (skip < 0 || i < skip) ? i : i + 1; };
    int lo = 0, hi = n;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        const QVariantMap rec = recordAt(at(mid));
        if (compareOrder(sortKeyOf(rec), idOf(rec), key, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
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
        return lo < n ? lo : -1;
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

// ---- live application ----

void QueryListModelPrivate::place(int from, Row row, const QList<int> &roles)
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
    rows[to] = row;
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

QVariantList QueryListModelPrivate::rowsOf(const QueryResult &result, Error *e)
{
    if (!result.isOk()) {
        *e = result.firstError();
        return {};
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
    if (LiveQuery *old = std::exchange(liveQuery, nullptr)) {
        old->kill();
        old->deleteLater();
    }
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

void QueryListModelPrivate::subscribe(quint64 gen)
{
    const QString t = liveTable();
    if (t.isEmpty()) {
        fail(Error(Error::Kind::Validation,
                   u"live needs a table: set `table`, or a query that reads FROM one table"_s,
                   u"QueryListModel"_s));
        return;
    }
    // A table-level live query: a filtered one would not announce rows that stop matching
    // (surrealdb-rpc.md 7.7), so changed ids are re-checked against the filter on the server.
    // Only an unfiltered table model applies the notified records themselves; a filtered one
    // re-reads changed rows, and a query model re-runs, so those subscribe to ids alone, which
    // halves what they receive (bench_livetraffic, docs/views/querylistmodel.md).
    const bool wholeRecords = positional() && filter.trimmed().isEmpty();
    LiveQuery *lq =
        wholeRecords
            ? connection->live(Table(t), q)
            : connection->liveQuery(u"LIVE SELECT id FROM "_s + ValueFormatter::escapeIdent(t), {}, q);
    liveQuery = lq;
    QObject::connect(lq, &LiveQuery::notification, q, [this, lq](const LiveNotification &n) {
        if (lq == liveQuery)
            onNotification(n);
    });
    QObject::connect(lq, &LiveQuery::resyncRequired, q, [this, lq] {
        if (lq != liveQuery)
            return;
        resyncWanted = true;
        if (!reading)
            nextRead();
    });
    QObject::connect(lq, &LiveQuery::errorOccurred, q, [this, lq](const Error &e) {
        if (lq == liveQuery)
            fail(e);
    });
    lq->started()
        .then(QtFuture::Launch::Sync, inThread<QUuid>(q,
                                                      [this, gen](const QUuid &) {
                                                          if (gen == generation)
                                                              detectIndexThenLoad(gen);
                                                      }))
        .onFailed(inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                fail(e);
        }));
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
                        static const QRegularExpression fieldsRe(u"\\b(?:FIELDS|COLUMNS)\\s+([^\\s,]+)"_s);
                        const QVariantMap indexes = r.value(0).toMap().value(u"indexes"_s).toMap();
                        for (const QVariant &def : indexes) {
                            const auto m = fieldsRe.match(def.toString());
                            QString first = m.captured(1);
                            first.remove(u'`');
                            if (m.hasMatch() && first == orderBy)
                                orderIndexed = true;
                        }
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

void QueryListModelPrivate::requestPage()
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
        text = u"SELECT * FROM "_s + fromTable() + whereFilter(extra) + u" ORDER BY "_s + path +
               (descending ? u" DESC"_s : u" ASC"_s) + u" LIMIT $qlm_limit"_s;
        if (cursor.isValid())
            v.insert(u"qlm_last"_s, cursor);
        limit = pageSize + int(tieIds.size());
        break;
    }
    case Paging::Offset:
        if (tableMode()) {
            text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                   u" LIMIT $qlm_limit START $qlm_start"_s;
            v.insert(u"qlm_start"_s, qint64(rows.size()));
        } else {
            text = query;
            v.insert(u"limit"_s, pageSize);
            v.insert(u"start"_s, qint64(rows.size()));
        }
        break;
    case Paging::Single:
        text = query;
        break;
    }
    v.insert(u"qlm_limit"_s, limit);
    if (!tableMode())
        v.remove(u"qlm_limit"_s);
    const quint64 gen = generation;
    connection->query(text, v)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, limit](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        Error e;
                        QVariantList records = rowsOf(r, &e);
                        if (e.isValid()) {
                            fail(e);
                            return;
                        }
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
                fail(e);
        }));
}

void QueryListModelPrivate::onPage(const QVariantList &pageRecords)
{
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

    const bool firstPage = status == QueryListModel::Loading;
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
        setTotal(rows.size());
        Q_EMIT q->fullyLoaded();
    } else if (totalCount < 0) {
        recount();
    }
    finishRead();
}

void QueryListModelPrivate::finishRead()
{
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
                fail(e);
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
        if (tableMode()) {
            text = u"SELECT * FROM "_s + fromTable() + whereFilter() + orderClause() +
                   u" LIMIT $qlm_limit START 0"_s;
            v.insert(u"qlm_limit"_s, qMax<qint64>(rows.size(), pageSize));
        } else {
            text = query;
            v.insert(u"limit"_s, qMax<qint64>(rows.size(), pageSize));
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
                    [this, gen](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        Error e;
                        QVariantList records = rowsOf(r, &e);
                        if (e.isValid()) {
                            fail(e);
                            return;
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
                fail(e);
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
                            setTotal(rows.size());
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
        fail(
            Error(Error::Kind::Cancelled, u"the live query was killed on the server"_s, u"QueryListModel"_s));
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
        setTotal(rows.size());
    else if (tableMode() && !recountTimer->isActive())
        recountTimer->start();
    Q_EMIT q->liveChangesApplied();
}

// ---- QueryListModel ----

QueryListModel::QueryListModel(QObject *parent)
    : QueryListModel(nullptr, parent)
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
        // Editors exist for plain types only; others are edited as their SurrealQL text.
        return (isNone(v) || isNull(v)) ? QVariant() : displayValue(v);
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
    if (row < 0 || row >= d->rows.size() || field.isEmpty() || field == u"id" || field.contains(u'.') ||
        !d->connection)
        return false;
    const QVariantMap before = d->recordAt(row);
    const RecordId id = idOf(before);
    if (!id.isValid())
        return false;
    if (VariantCompare::equals(before.value(field), value))
        return true;
    QVariantMap after = before;
    after.insert(field, value);
    d->place(row, d->makeRow(after), QueryListModelPrivate::changedRoles(d.get(), before, after));

    const bool had = before.contains(field);
    const QVariant old = before.value(field);
    auto rollback = [this, id, field, had, old, value](const SurrealQt::Error &e) {
        const int at = d->findRow(id);
        if (at >= 0) {
            const QVariantMap now = d->recordAt(at);
            // Only our own value is taken back; a newer one from a live change stays.
            if (VariantCompare::equals(now.value(field), value)) {
                QVariantMap restored = now;
                if (had)
                    restored.insert(field, old);
                else
                    restored.remove(field);
                d->place(at, d->makeRow(restored),
                         QueryListModelPrivate::changedRoles(d.get(), now, restored));
            }
        }
        Q_EMIT writeFailed(QVariant::fromValue(id), e);
    };
    d->connection
        ->query(u"UPDATE $qlm_id MERGE $qlm_data RETURN AFTER"_s,
                {{u"qlm_id"_s, QVariant::fromValue(id)}, {u"qlm_data"_s, QVariantMap{{field, value}}}})
        .then(QtFuture::Launch::Sync,
              later(this,
                    [this, id, rollback](const QueryResult &r) {
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
                        const int at = d->findRow(id);
                        if (at >= 0) {
                            const QVariantMap server = list.first().toMap();
                            const QVariantMap now = d->recordAt(at);
                            const QList<int> roles =
                                QueryListModelPrivate::changedRoles(d.get(), now, server);
                            if (!roles.isEmpty())
                                d->place(at, d->makeRow(server), roles);
                        }
                    }))
        .onFailed(laterOnError(this, [rollback](const SurrealQt::Error &e) { rollback(e); }));
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
    if (!field.isEmpty() && field != u"id" && !field.contains(u'.'))
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
    if (parent.isValid() || count <= 0 || row < 0 || row > d->rows.size() || !d->connection ||
        d->table.isEmpty())
        return false;
    QList<quint32> serials;
    beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        QueryListModelPrivate::Row placeholder;
        placeholder.serial = d->nextSerial++;
        serials.append(placeholder.serial);
        d->rows.insert(row + i, placeholder);
    }
    endInsertRows();
    auto rowOfSerial = [this](quint32 serial) {
        for (int i = 0; i < d->rows.size(); ++i) {
            if (d->rows.at(i).serial == serial)
                return i;
        }
        return -1;
    };
    auto dropPlaceholder = [this, rowOfSerial](quint32 serial) {
        const int at = rowOfSerial(serial);
        if (at < 0)
            return;
        beginRemoveRows({}, at, at);
        d->rows.removeAt(at);
        endRemoveRows();
    };
    QVariantList empty;
    for (int i = 0; i < count; ++i)
        empty.append(QVariantMap());
    d->connection->query(u"INSERT INTO "_s + d->fromTable() + u" $qlm_rows"_s, {{u"qlm_rows"_s, empty}})
        .then(QtFuture::Launch::Sync,
              later(this,
                    [this, serials, rowOfSerial, dropPlaceholder](const QueryResult &r) {
                        const QVariantList created = r.isOk() ? r.last().toList() : QVariantList();
                        for (int i = 0; i < serials.size(); ++i) {
                            const QVariantMap rec = created.value(i).toMap();
                            const RecordId id = idOf(rec);
                            const int at = rowOfSerial(serials.at(i));
                            if (!id.isValid() || at < 0 || d->findRow(id) >= 0) {
                                // Either it failed, or a live notification already showed the record.
                                dropPlaceholder(serials.at(i));
                                if (!id.isValid())
                                    Q_EMIT writeFailed(
                                        {}, r.isOk() ? SurrealQt::Error(SurrealQt::Error::Kind::NotAllowed,
                                                                        u"the record was not created"_s,
                                                                        u"QueryListModel::insertRows"_s)
                                                     : r.firstError());
                                continue;
                            }
                            d->place(at, d->makeRow(rec),
                                     QueryListModelPrivate::changedRoles(d.get(), {}, rec));
                        }
                    }))
        .onFailed(laterOnError(this, [this, serials, dropPlaceholder](const SurrealQt::Error &e) {
            for (quint32 s : serials)
                dropPlaceholder(s);
            Q_EMIT writeFailed({}, e);
        }));
    return true;
}

bool QueryListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count <= 0 || row < 0 || row + count > d->rows.size() || !d->connection)
        return false;
    QList<QVariantMap> removed;
    QVariantList ids;
    for (int i = row; i < row + count; ++i) {
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
