#include "views/livereconciler_p.h"

#include "codec/cborcodec_p.h"
#include "codec/valueformatter_p.h"
#include "views/listmodelsupport_p.h"
#include "views/querylistmodel_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/table.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>

#include <functional>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace ListModelSupport;

namespace {

constexpr int RecheckBatch = 100;

// Which tables a query reads, subqueries included: a table scan's `table`, a record scan's
// `record_id`. False when a source is computed (DynamicScan).
bool tablesInPlan(const QVariant &plan, QStringList *tables)
{
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
        if (!t.isEmpty() && !tables->contains(t))
            tables->append(t);
        if (m.value(u"operator"_s).toString() == u"DynamicScan")
            dynamic = true;
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            walk(it.value());
    };
    walk(plan);
    return !dynamic && !tables->isEmpty();
}

} // namespace

LiveReconciler::LiveReconciler(QueryListModelPrivate &dd)
    : d(dd)
{}

void LiveReconciler::init()
{
    QueryListModel *q = d.q;
    retryTimer = new QTimer(q);
    retryTimer->setSingleShot(true);
    QObject::connect(retryTimer, &QTimer::timeout, q, [this] {
        if ((tableMissing || resubscribing) && d.live && d.started && d.connection)
            subscribe(d.generation);
    });
    resyncTimer = new QTimer(q);
    resyncTimer->setSingleShot(true);
    resyncTimer->setInterval(20);
    QObject::connect(resyncTimer, &QTimer::timeout, q, [this] {
        resyncWanted = true;
        d.nextRead();
    });
}

void LiveReconciler::reset()
{
    dropLiveQueries();
    tableMissing = false;
    resubscribing = false;
    missingRetry = 0;
    retryTimer->stop();
    resyncTimer->stop();
    clearPending();
}

void LiveReconciler::clearPending()
{
    buffered.clear();
    recheckIds.clear();
    recheckSet.clear();
    resyncWanted = false;
}

void LiveReconciler::dropLiveQueries()
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

bool LiveReconciler::allActive() const
{
    return !liveQueries.isEmpty() &&
           std::all_of(liveQueries.cbegin(), liveQueries.cend(), [](const QPointer<LiveQuery> &lq) {
               return lq && lq->state() == LiveQuery::State::Active;
           });
}

bool LiveReconciler::isMissingTable(const Error &e)
{
    static const QRegularExpression re(u"\\btable\\b.*\\bdoes not exist\\b"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(e.message()).hasMatch();
}

void LiveReconciler::queueRecheck(const RecordId &id)
{
    if (!recheckSet.contains(id)) {
        recheckSet.insert(id);
        recheckIds.append(id);
    }
}

void LiveReconciler::subscribe(quint64 gen)
{
    if (d.plan.tableMode()) {
        subscribeTo({d.plan.table}, gen);
        return;
    }
    if (!liveTables.isEmpty()) {
        subscribeTo(liveTables, gen);
        return;
    }
    // Which tables the query reads, subqueries included, is the server's to say: its plan
    // names them.
    const PagePlan::Statement explain = d.plan.explainStatement();
    d.connection->query(explain.text, explain.vars)
        .then(QtFuture::Launch::Sync,
              later(d.q,
                    [this, gen](const QueryResult &r) {
                        if (gen != d.generation)
                            return;
                        QStringList tables;
                        if (!r.isOk() || !tablesInPlan(r.last(), &tables)) {
                            d.fail(Error(Error::Kind::Validation,
                                         u"live: the tables this query reads could not be told from the "
                                         "server's plan (%1); set liveTables"_s.arg(
                                             r.isOk() ? u"a computed source"_s : r.firstError().message()),
                                         u"QueryListModel"_s));
                            return;
                        }
                        qCDebug(lcViews) << "query reads" << tables;
                        subscribeTo(tables, gen);
                    }))
        .onFailed(d.failIfCurrent(gen));
}

void LiveReconciler::subscribeTo(const QStringList &tables, quint64 gen)
{
    // A table-level live query: a filtered one would not announce rows that stop matching
    // (surrealdb-rpc.md 7.7), so changed ids are re-checked against the filter on the server.
    // Only an unfiltered table model applies the notified records themselves; a filtered one
    // re-reads changed rows, and a query model re-runs, so those subscribe to ids alone, which
    // halves what they receive (bench_livetraffic, docs/views/querylistmodel.md).
    QueryListModel *q = d.q;
    const bool wholeRecords = d.plan.positional() && !d.plan.filtered();
    startsPending = int(tables.size());
    for (const QString &t : tables) {
        LiveQuery *lq =
            wholeRecords
                ? d.connection->live(Table(t), q)
                : d.connection->liveQuery(u"LIVE SELECT id FROM "_s + ValueFormatter::escapeIdent(t), {}, q);
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
            if (!d.reading)
                d.nextRead();
        });
        QObject::connect(lq, &LiveQuery::errorOccurred, q, [this, lq](const Error &e) {
            if (liveQueries.contains(lq))
                onLiveError(e);
        });
        lq->started()
            .then(QtFuture::Launch::Sync, inThread<QUuid>(q,
                                                          [this, gen](const QUuid &) {
                                                              if (gen != d.generation || startsPending <= 0)
                                                                  return;
                                                              if (--startsPending == 0)
                                                                  onSubscribed(gen);
                                                          }))
            .onFailed(inThreadOnError(q, [this, gen, lq = QPointer<LiveQuery>(lq)](const Error &e) {
                // errorOccurred() may have reported it already.
                if (gen == d.generation && liveQueries.contains(lq))
                    onLiveError(e);
            }));
    }
}

void LiveReconciler::retryLater()
{
    const int delays[] = {250, 500, 1000, 2000, 4000};
    retryTimer->start(delays[qMin(missingRetry++, 4)]);
}

void LiveReconciler::resubscribeLater()
{
    dropLiveQueries();
    resubscribing = true;
    retryLater();
}

void LiveReconciler::onSubscribed(quint64 gen)
{
    if (resubscribing && !tableMissing) {
        // Back after a kill or a failed resubscription: what was missed meanwhile is re-read.
        resubscribing = false;
        missingRetry = 0;
        resyncWanted = true;
        d.reading = false;
        d.nextRead();
        return;
    }
    resubscribing = false;
    if (!tableMissing) {
        d.detectIndexThenLoad(gen);
        return;
    }
    // The table exists now: read it from the start, as a first load does.
    tableMissing = false;
    missingRetry = 0;
    d.plan.rewind();
    d.wantMore = true;
    d.reading = true;
    d.detectIndexThenLoad(gen);
}

void LiveReconciler::onLiveError(const Error &e)
{
    if (resubscribing && !isMissingTable(e)) {
        // The server may still be on its way back.
        resubscribeLater();
        return;
    }
    if (!d.plan.tableMode() || !isMissingTable(e)) {
        d.fail(e);
        return;
    }
    // In 3.x a live query on a table that does not exist (yet, or no longer after a restart
    // with in-memory storage) is refused: the model is an empty, Ready list meanwhile, and
    // subscribes again until the table is there.
    dropLiveQueries();
    tableMissing = true;
    d.showEmpty();
    retryLater();
}

bool LiveReconciler::startRead()
{
    if (resyncWanted) {
        requestResync();
        return true;
    }
    if (!recheckIds.isEmpty()) {
        requestRecheck();
        return true;
    }
    return false;
}

void LiveReconciler::flushBuffered()
{
    if (buffered.isEmpty())
        return;
    const QList<LiveNotification> pending = std::exchange(buffered, {});
    for (const LiveNotification &n : pending)
        applyNotification(n);
    d.afterLiveChange();
}

void LiveReconciler::requestRecheck()
{
    d.reading = true;
    QVariantList ids;
    QList<RecordId> batch;
    while (!recheckIds.isEmpty() && batch.size() < RecheckBatch) {
        const RecordId id = recheckIds.takeFirst();
        recheckSet.remove(id);
        batch.append(id);
        ids.append(QVariant::fromValue(id));
    }
    if (QueryListModelPrivate::RecheckStats &stats = QueryListModelPrivate::recheckStats(); stats.enabled) {
        ++stats.queries;
        stats.idsSent += ids.size();
        stats.bytesSent += CborCodec::encode(ids).size();
    }
    const quint64 gen = d.generation;
    const PagePlan::Statement s = d.plan.recheckStatement(ids);
    d.connection->query(s.text, s.vars)
        .then(QtFuture::Launch::Sync, later(d.q,
                                            [this, gen, batch](const QueryResult &r) {
                                                if (gen != d.generation)
                                                    return;
                                                Error e;
                                                const QVariantList records =
                                                    QueryListModelPrivate::rowsOf(r, &e);
                                                if (e.isValid()) {
                                                    d.fail(e);
                                                    return;
                                                }
                                                if (QueryListModelPrivate::RecheckStats &stats =
                                                        QueryListModelPrivate::recheckStats();
                                                    stats.enabled)
                                                    stats.bytesReceived += CborCodec::encode(records).size();
                                                QSet<RecordId> matching;
                                                for (const QVariant &rec : records) {
                                                    matching.insert(idOf(rec.toMap()));
                                                    d.store.upsert(rec.toMap());
                                                }
                                                for (const RecordId &id : batch) {
                                                    if (!matching.contains(id))
                                                        d.store.removeById(id);
                                                }
                                                d.afterLiveChange();
                                                d.finishRead();
                                            }))
        .onFailed(d.failIfCurrent(gen));
}

void LiveReconciler::requestResync()
{
    resyncWanted = false;
    // The ids a re-read covers need no separate re-check.
    recheckIds.clear();
    recheckSet.clear();
    if (d.status == QueryListModel::Loading) {
        // Nothing shown yet: the first page reads the current state anyway.
        d.nextRead();
        return;
    }
    d.reading = true;
    const PagePlan::Statement s = d.plan.resyncStatement(d.store.loadedRows());
    const qint64 offsetLimit = s.limit;
    const quint64 gen = d.generation;
    d.connection->query(s.text, s.vars)
        .then(QtFuture::Launch::Sync,
              later(d.q,
                    [this, gen, offsetLimit](const QueryResult &r) {
                        if (gen != d.generation)
                            return;
                        Error e;
                        QVariantList records = QueryListModelPrivate::rowsOf(r, &e);
                        if (e.isValid()) {
                            d.fail(e);
                            return;
                        }
                        PagePlan &plan = d.plan;
                        if (offsetLimit >= 0 && plan.atEnd && records.size() >= offsetLimit) {
                            plan.atEnd = false;
                            if (plan.tableMode())
                                d.recount();
                            else
                                d.setTotal(-1);
                        }
                        d.store.reconcile(records);
                        d.afterLiveChange();
                        d.finishRead();
                    }))
        .onFailed(d.failIfCurrent(gen));
}

void LiveReconciler::onNotification(const LiveNotification &n)
{
    if (d.reading) {
        buffered.append(n);
        return;
    }
    applyNotification(n);
    d.afterLiveChange();
    d.nextRead();
}

void LiveReconciler::applyNotification(const LiveNotification &n)
{
    using Action = LiveNotification::Action;
    if (n.action() == Action::Killed) {
        // A server that shuts down kills its live queries: subscribe again (and resync) once it
        // is back, rather than stop following.
        qCInfo(lcViews) << "the live query was killed on the server; subscribing again";
        resubscribeLater();
        return;
    }
    if (!d.plan.positional()) {
        // A query's rows cannot be placed locally: re-run it, coalescing bursts.
        if (!resyncTimer->isActive())
            resyncTimer->start();
        return;
    }
    const RecordId id = n.record().value<RecordId>();
    if (n.action() != Action::Delete && n.action() != Action::Create && n.action() != Action::Update)
        return;
    // Two changes of one record close together may arrive in either order: the notification is
    // applied as it comes, and what the database holds afterwards decides (a re-read of the
    // record, which also removes it if gone, or brings it back if a late delete took it).
    const bool reread = notifiedRecently(id);
    if (reread)
        queueRecheck(id);
    if (n.action() == Action::Delete) {
        if (!reread && recheckSet.remove(id))
            recheckIds.removeOne(id);
        d.store.removeById(id);
        return;
    }
    if (!d.plan.filtered()) {
        d.store.upsert(n.result().toMap());
        return;
    }
    if (!reread)
        queueRecheck(id);
}

bool LiveReconciler::notifiedRecently(const RecordId &id)
{
    if (!notificationClock.isValid())
        notificationClock.start();
    const qint64 now = notificationClock.elapsed();
    if (lastNotified.size() > 4096) {
        // Only the window matters: forget what is older (keeps the table small in long bursts).
        for (auto it = lastNotified.begin(); it != lastNotified.end();)
            it = now - it.value() > ReorderWindowMs ? lastNotified.erase(it) : std::next(it);
    }
    auto it = lastNotified.find(id);
    const bool recent = it != lastNotified.end() && now - it.value() <= ReorderWindowMs;
    lastNotified.insert(id, now);
    return recent;
}

} // namespace SurrealQt
