#include "views/querylistmodel_p.h"

#include "codec/variantcompare_p.h"
#include "views/listmodelsupport_p.h"
#include "views/storedtype_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/statementresult.h>

#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Q_LOGGING_CATEGORY(lcViews, "surrealqt.views", QtWarningMsg)

using namespace ListModelSupport;

QueryListModelPrivate::QueryListModelPrivate() = default;
QueryListModelPrivate::~QueryListModelPrivate() = default;

QueryListModelPrivate::RecheckStats &QueryListModelPrivate::recheckStats()
{
    static RecheckStats stats;
    return stats;
}

void QueryListModelPrivate::init()
{
    recountTimer = new QTimer(q);
    recountTimer->setSingleShot(true);
    recountTimer->setInterval(500);
    QObject::connect(recountTimer, &QTimer::timeout, q, [this] { recount(); });
    reconciler.init();
    writer.init();
    auto countCheck = [this] { Q_EMIT q->countChanged(); };
    QObject::connect(q, &QAbstractItemModel::rowsInserted, q, countCheck);
    QObject::connect(q, &QAbstractItemModel::rowsRemoved, q, countCheck);
    QObject::connect(q, &QAbstractItemModel::modelReset, q, countCheck);
}

// ---- presentation ----

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

QList<int> QueryListModelPrivate::changedRoles(const QVariantMap &before, const QVariantMap &after) const
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
    for (int i = 0; i < fields.size(); ++i) {
        if (changed.contains(fields.at(i).section(u'.', 0, 0)))
            roles.append(QueryListModel::FirstFieldRole + i);
    }
    bool display = false;
    if (!columns.isEmpty()) {
        for (const QString &c : columns)
            display = display || changed.contains(c.section(u'.', 0, 0));
    } else {
        const QString f = displayField.isEmpty() ? u"id"_s : displayField;
        display = changed.contains(f.section(u'.', 0, 0));
    }
    if (display) {
        roles.append(Qt::DisplayRole);
        roles.append(Qt::EditRole);
    }
    roles.append(QueryListModel::RecordRole);
    return roles;
}

QString QueryListModelPrivate::fieldOfColumn(int column) const
{
    return columns.isEmpty() ? displayField : columns.value(column);
}

QString QueryListModelPrivate::fieldOfRole(int role, int column) const
{
    if (role == Qt::EditRole || role == Qt::DisplayRole)
        return fieldOfColumn(column);
    const int f = role - QueryListModel::FirstFieldRole;
    return f >= 0 && f < fields.size() ? fields.at(f) : QString();
}

void QueryListModelPrivate::notifyChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                          const QList<int> &roles)
{
    Q_EMIT q->dataChanged(topLeft, bottomRight, roles);
}

bool QueryListModelPrivate::setField(int row, const QString &field, const QVariant &value)
{
    return writer.setEdited(row, field, value);
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
    setStatus(QueryListModel::Failed);
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

void QueryListModelPrivate::start()
{
    ++generation;
    reloadPending = false;
    reconciler.reset();
    reading = false;
    wantMore = false;
    fetchAllRequested = false;
    started = false;
    recountTimer->stop();
    writer.reset();
    plan.reset();

    q->beginResetModel();
    store.clear();
    fields.clear();
    fieldIndex.clear();
    if (!userRoles.isEmpty())
        discoverFields({});
    q->endResetModel();
    setTotal(-1);
    setError(Error());

    if (!connection || !plan.hasSource()) {
        setStatus(QueryListModel::Null);
        return;
    }
    Error invalid;
    if (!plan.validate(&invalid)) {
        fail(invalid);
        return;
    }
    started = true;
    fetchAllRequested = std::exchange(fetchAllOnStart, false);
    reading = true; // notifications wait until the first page is in
    wantMore = true;
    setStatus(QueryListModel::Loading);
    const quint64 gen = generation;
    if (live)
        reconciler.subscribe(gen);
    else
        detectIndexThenLoad(gen);
}

void QueryListModelPrivate::showEmpty()
{
    reading = false;
    reconciler.clearPending();
    // Gone with its table: every loaded row leaves (unsubmitted rows stay).
    store.removeLoaded();
    plan.rewind();
    plan.atEnd = true;
    setTotal(0);
    setStatus(QueryListModel::Ready);
}

void QueryListModelPrivate::detectIndexThenLoad(quint64 gen)
{
    auto load = [this] {
        reading = false;
        nextRead();
    };
    if (!plan.tableMode() || plan.orderedById()) {
        load();
        return;
    }
    connection->query(u"INFO FOR TABLE "_s + plan.fromTable())
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, load](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        if (r.isOk()) {
                            writer.schemas.insert(plan.table, StoredType::parseTableInfo(r.value(0).toMap()));
                            writer.schemaRequested.insert(plan.table);
                        }
                        plan.setOrderIndexed(writer.schemas.value(plan.table).indexed.contains(plan.orderBy));
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
    if (reading || !started || status == QueryListModel::Failed || !connection)
        return;
    if (reconciler.startRead())
        return;
    if ((wantMore || fetchAllRequested) && !plan.atEnd)
        requestPage();
}

void QueryListModelPrivate::requestPage()
{
    reading = true;
    wantMore = false;
    PagePlan::Statement s = plan.pageStatement(store.loadedRows());
    // The table's declared field types (for converting edits back) come with its first page, in
    // the same request.
    const bool withInfo = plan.tableMode() && !writer.schemaRequested.contains(plan.table);
    if (withInfo) {
        writer.schemaRequested.insert(plan.table);
        s.text = u"INFO FOR TABLE "_s + plan.fromTable() + u";\n"_s + s.text;
    }
    const quint64 gen = generation;
    const qint64 limit = s.limit;
    connection->query(s.text, s.vars)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen, limit, withInfo](const QueryResult &r) {
                        if (gen != generation)
                            return;
                        if (withInfo && r.size() >= 2 && r.at(0).isOk())
                            writer.schemas.insert(plan.table,
                                                  StoredType::parseTableInfo(r.at(0).result().toMap()));
                        Error e;
                        QVariantList records = rowsOf(r, &e, withInfo ? 1 : 0);
                        if (e.isValid() && plan.tableMode() && LiveReconciler::isMissingTable(e)) {
                            // Not there yet: an empty list (a live model subscribes again until it is).
                            showEmpty();
                            Q_EMIT q->fullyLoaded();
                            return;
                        }
                        if (e.isValid()) {
                            fail(e);
                            return;
                        }
                        if (live && !plan.tableMode()) {
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
                        // A table page's text proves its end itself (KeysetPager::page: a
                        // short index walk is read again in (key, id) order).
                        const bool end = plan.paging == PagePlan::Paging::Single || records.size() < limit;
                        plan.atEnd = end;
                        onPage(records);
                    }))
        .onFailed(failIfCurrent(gen));
}

void QueryListModelPrivate::onPage(const QVariantList &pageRecords)
{
    writer.noteSchemas(pageRecords);
    QVariantList records = pageRecords;
    if (plan.paging == PagePlan::Paging::Offset && store.size() > 0) {
        // START pages may overlap rows a live change already showed.
        records.removeIf([this](const QVariant &rec) { return store.findRow(idOf(rec.toMap())) >= 0; });
    } else if (!store.keptBeyond.isEmpty()) {
        // A row an edit moved beyond the loaded range stayed under the user's hands: its page
        // puts it where it belongs.
        store.removeAnyOf(records);
    }
    plan.advance(pageRecords);

    const QList<RowStore::Row> newRows = store.makePage(records);
    const bool firstPage = status == QueryListModel::Loading || store.loadedRows() == 0;
    if (firstPage && fields.isEmpty()) {
        q->beginResetModel();
        discoverFields(records);
        store.rows.append(newRows);
        q->endResetModel();
    } else {
        store.appendRows(newRows);
    }
    setStatus(QueryListModel::Ready);
    if (!newRows.isEmpty())
        Q_EMIT q->pageLoaded(store.size() - int(newRows.size()), store.size() - 1);
    if (!store.keptBeyond.isEmpty())
        store.settleKept();
    if (plan.atEnd) {
        fetchAllRequested = false;
        setTotal(store.loadedRows());
        Q_EMIT q->fullyLoaded();
    } else if (totalCount < 0) {
        recount();
    }
    finishRead();
}

void QueryListModelPrivate::readFailed(const Error &e)
{
    // A live model's read lost with its socket, or timed out while the server restarts: its live
    // queries register again after the reconnect and ask for a resync, so the model reads again
    // instead of stopping in Failed with the rows of before the outage (a server killed under
    // load: tst_killpersist stopped at 189 rows of 251). An error of another kind, or one that
    // comes back MaxLostReads times in a row, is the model's.
    const bool transient = e.kind() == Error::Kind::Connection || e.kind() == Error::Kind::Timeout;
    if (!live || !transient || ++lostReads > MaxLostReads) {
        fail(e);
        return;
    }
    qCInfo(lcViews) << "QueryListModel: a read was lost; reading again:" << e.toString();
    reading = false;
    reconciler.wantResync();
    if (reconciler.allActive()) {
        nextRead();
        return;
    }
    // The live queries are registering again: their resyncRequired() reads. The timer is there in
    // case they do not come back (their failure fails the model, and then it does nothing).
    const int delayMs = 250 << qMin(lostReads - 1, 4);
    QTimer::singleShot(delayMs, q, [this, gen = generation] {
        if (gen == generation && !reading && status != QueryListModel::Failed)
            nextRead();
    });
}

void QueryListModelPrivate::finishRead()
{
    lostReads = 0;
    reading = false;
    reconciler.flushBuffered();
    nextRead();
}

void QueryListModelPrivate::recount()
{
    if (!plan.tableMode() || !connection)
        return;
    const quint64 gen = generation;
    const PagePlan::Statement s = plan.countStatement();
    connection->query(s.text, s.vars)
        .then(QtFuture::Launch::Sync,
              later(q,
                    [this, gen](const QueryResult &r) {
                        if (gen != generation || !r.isOk())
                            return;
                        const QVariantList list = r.last().toList();
                        if (plan.atEnd)
                            setTotal(store.loadedRows());
                        else
                            setTotal(list.isEmpty() ? 0
                                                    : list.first().toMap().value(u"count"_s).toLongLong());
                    }))
        .onFailed([](const Exception &e) { qCInfo(lcViews) << "count failed:" << e.error().toString(); });
}

void QueryListModelPrivate::afterLiveChange()
{
    if (plan.atEnd)
        setTotal(store.loadedRows());
    else if (plan.tableMode() && !recountTimer->isActive())
        recountTimer->start();
    Q_EMIT q->liveChangesApplied();
}

} // namespace SurrealQt
