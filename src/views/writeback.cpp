#include "views/writeback_p.h"

#include "codec/valueformatter_p.h"
#include "codec/variantcompare_p.h"
#include "connection/recordwrite_p.h"
#include "views/listmodelsupport_p.h"
#include "views/querylistmodel_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/datetime.h>
#include <SurrealQt/none.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/requestoptions.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace ListModelSupport;

WriteBack::WriteBack(QueryListModelPrivate &dd)
    : d(dd)
{}

void WriteBack::init()
{
    QObject::connect(d.q, &QAbstractItemModel::rowsAboutToBeRemoved, d.q,
                     [this](const QModelIndex &, int first, int last) {
                         for (int row = first; row <= last && !edits.isEmpty(); ++row)
                             edits.remove(d.store.idAt(row));
                     });
}

void WriteBack::reset()
{
    schemas.clear();
    schemaRequested.clear();
    creating.clear();
    abandoned.clear();
    edits.clear();
}

StoredType::Kind WriteBack::storedKind(const QVariantMap &record, const QString &field) const
{
    const RecordId id = idOf(record);
    const auto schema = schemas.constFind(id.isValid() ? id.table() : d.plan.table);
    if (schema != schemas.cend()) {
        const StoredType::Kind declared = schema->kinds.value(field, StoredType::Kind::Unknown);
        if (declared != StoredType::Kind::Unknown)
            return declared;
    }
    return StoredType::kindOfValue(record.value(field));
}

bool WriteBack::isEditable(int row, const QString &field) const
{
    if (row < 0 || row >= d.store.size() || field.isEmpty() || field == u"id" || field.contains(u'.') ||
        d.plan.computedFields.contains(field))
        return false;
    const RecordId id = d.store.idAt(row);
    if (!id.isValid() && !(d.store.isPending(row) && !creating.contains(d.store.rows.at(row).serial)))
        return false;
    const auto schema = schemas.constFind(id.isValid() ? id.table() : d.plan.table);
    return schema == schemas.cend() || !schema->readOnly.contains(field);
}

void WriteBack::requestSchema(const QString &t)
{
    if (t.isEmpty() || schemaRequested.contains(t) || !d.connection)
        return;
    schemaRequested.insert(t);
    const quint64 gen = d.generation;
    d.connection->query(u"INFO FOR TABLE "_s + ValueFormatter::escapeIdent(t))
        .then(QtFuture::Launch::Sync,
              later(d.q,
                    [this, gen, t](const QueryResult &r) {
                        if (gen == d.generation && r.isOk())
                            schemas.insert(t, StoredType::parseTableInfo(r.value(0).toMap()));
                    }))
        .onFailed([](const Exception &e) {
            // Without the right to read it, edits convert to the type of the current value.
            qCInfo(lcViews) << "INFO FOR TABLE failed:" << e.error().toString();
        });
}

void WriteBack::noteSchemas(const QVariantList &records)
{
    if (d.plan.tableMode())
        return; // the first page brought it
    for (const QVariant &rec : records) {
        const QString t = idOf(rec.toMap()).table();
        if (!schemaRequested.contains(t))
            requestSchema(t);
    }
}

bool WriteBack::setEdited(int row, const QString &field, const QVariant &value)
{
    if (!d.connection || !isEditable(row, field))
        return false;
    QVariant converted;
    bool unchanged = false;
    if (!convertEdited(d.store.recordAt(row), field, value, &converted, &unchanged))
        return false;
    return unchanged || writeField(row, field, converted);
}

bool WriteBack::convertEdited(const QVariantMap &before, const QString &field, const QVariant &value,
                              QVariant *converted, bool *unchanged)
{
    const QVariant current = before.value(field);
    *unchanged = true;
    // What the editor was given, handed back: an editor opened and left writes nothing.
    if (VariantCompare::equals(StoredType::editValue(current), value))
        return true;
    const bool emptyText = value.metaType().id() == QMetaType::QString && value.toString().isEmpty();
    if ((isNone(current) || isNull(current)) && emptyText)
        return true;
    QString why;
    if (!StoredType::convert(value, storedKind(before, field), converted, &why)) {
        Q_EMIT d.q->writeFailed(before.value(u"id"_s),
                                Error(Error::Kind::Validation,
                                      u"%1.%2: %3"_s.arg(idOf(before).toString(), field, why),
                                      u"QueryListModel::setData"_s));
        return false;
    }
    // A QDateTime holds milliseconds: the same millisecond keeps the stored nanoseconds.
    if (value.metaType() == QMetaType::fromType<QDateTime>() &&
        current.metaType() == QMetaType::fromType<DateTime>() &&
        current.value<DateTime>().toQDateTime() == value.toDateTime())
        return true;
    *unchanged = false;
    return true;
}

bool WriteBack::setEditedFields(int row, const QVariantMap &edited, const QVariantMap &stored)
{
    if (!d.connection || row < 0 || row >= d.store.size())
        return false;
    const QVariantMap before = d.store.recordAt(row);
    QVariantMap changes;
    for (auto it = edited.cbegin(); it != edited.cend(); ++it) {
        if (!isEditable(row, it.key()))
            return false;
        QVariant converted;
        bool unchanged = false;
        if (!convertEdited(before, it.key(), it.value(), &converted, &unchanged))
            return false;
        if (!unchanged)
            changes.insert(it.key(), converted);
    }
    for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
        if (!isEditable(row, it.key()))
            return false;
        changes.insert(it.key(), it.value());
    }
    // Kept in the model (an unsubmitted row, or edits written later): no write to share.
    if (d.store.isPending(row) || strategy != QueryListModel::OnFieldChange) {
        bool all = true;
        for (auto it = changes.cbegin(); it != changes.cend(); ++it)
            all = writeField(row, it.key(), it.value()) && all;
        return all;
    }
    QVariantMap after = before;
    QVariantMap base;
    for (auto it = changes.begin(); it != changes.end();) {
        if (VariantCompare::equals(before.value(it.key()), it.value())) {
            it = changes.erase(it);
            continue;
        }
        base.insert(it.key(), before.contains(it.key()) ? before.value(it.key()) : QVariant());
        after.insert(it.key(), it.value());
        ++it;
    }
    if (changes.isEmpty())
        return true;
    d.store.place(row, d.store.makeRow(after), d.changedRoles(before, after));
    sendMerge(idOf(before), changes, base);
    return true;
}

bool WriteBack::writeField(int row, const QString &field, const QVariant &value)
{
    if (!d.connection || !isEditable(row, field))
        return false;
    RowStore &store = d.store;
    const QVariantMap before = store.recordAt(row);
    if (VariantCompare::equals(before.value(field), value))
        return true;
    if (store.isPending(row)) {
        // Kept until submit().
        QVariantMap &values = store.pendingValues[store.rows.at(row).serial];
        if (isNone(value))
            values.remove(field);
        else
            values.insert(field, value);
        store.notifyCells(row, before, values, d.changedRoles(before, values));
        return true;
    }
    const RecordId id = idOf(before);
    QVariantMap after = before;
    after.insert(field, value);
    const QVariant old = before.contains(field) ? before.value(field) : QVariant();
    if (strategy != QueryListModel::OnFieldChange) {
        // Kept in the model until submitted; the database's value is what a revert restores.
        Edits &e = edits[id];
        if (!e.base.contains(field))
            e.base.insert(field, old);
        const QVariant base = e.base.value(field);
        if (base.isValid() && VariantCompare::equals(base, value)) {
            // Back to the database's value: no longer an edit.
            e.base.remove(field);
            e.edited.remove(field);
            if (e.edited.isEmpty())
                edits.remove(id);
        } else {
            e.edited.insert(field, value);
        }
        store.place(row, store.makeRow(after), d.changedRoles(before, after));
        notifyDirty(store.findRow(id));
        return true;
    }
    store.place(row, store.makeRow(after), d.changedRoles(before, after));
    sendMerge(id, {{field, value}}, {{field, old}});
    return true;
}

void WriteBack::sendMerge(const RecordId &id, const QVariantMap &changes, const QVariantMap &base,
                          const Batch &batch)
{
    const auto queued = merging.find(id);
    if (queued == merging.end()) {
        merging.insert(id, {});
        startMerge(id, {changes, base, batch ? QList<Batch>{batch} : QList<Batch>{}});
        return;
    }
    // A write of this record is on its way: two MERGEs in flight may run, or be answered, in
    // either order (two sockets of a pool, or the server's own scheduling), and the earlier
    // edit could win. This one goes when that one is answered, with any others made meanwhile.
    Merge &next = queued->next;
    queued->waiting = true;
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        next.changes.insert(it.key(), it.value());
        if (!next.base.contains(it.key()))
            next.base.insert(it.key(), base.value(it.key()));
    }
    if (batch)
        next.batches.append(batch);
}

void WriteBack::startMerge(const RecordId &id, const Merge &merge)
{
    QueryListModel *q = d.q;
    // Merging fields of one record lands on the same state however often it runs, so a write
    // whose reply a dropped socket lost is sent again after the reconnect. Failed with
    // Connection instead, it was rolled back here although the server had applied it.
    RequestOptions resendable;
    resendable.idempotent = true;
    Internal::RecordWrite::merge(id, merge.changes)
        .inContext(u"QueryListModel::setData"_s)
        .send(d.connection, resendable)
        .then(QtFuture::Launch::Sync, later<Internal::RecordWrite::Outcome>(
                                          q,
                                          [this, id, merge](const Internal::RecordWrite::Outcome &outcome) {
                                              mergeAnswered(id, merge, outcome);
                                          }))
        .onFailed(laterOnError(q, [this, id, merge](const Error &e) {
            Internal::RecordWrite::Outcome failed;
            failed.id = id;
            failed.error = e;
            mergeAnswered(id, merge, failed);
        }));
}

void WriteBack::mergeAnswered(const RecordId &id, const Merge &merge,
                              const Internal::RecordWrite::Outcome &outcome)
{
    RowStore &store = d.store;
    Queued queued = merging.take(id);
    const int at = store.findRow(id);
    const QVariantMap now = at >= 0 ? store.recordAt(at) : QVariantMap();
    if (!outcome.isWritten()) {
        // Write conflicts were already sent again by RecordWrite. Only our own values are taken
        // back; a newer one (a later edit, a live change) stays.
        QVariantMap restored = now;
        for (auto it = merge.changes.cbegin(); it != merge.changes.cend(); ++it) {
            const QVariant old = merge.base.value(it.key());
            if (queued.waiting && VariantCompare::equals(queued.next.base.value(it.key()), it.value()))
                // The next write's rollback must restore the database's value, not this one.
                queued.next.base.insert(it.key(), old);
            if (at < 0 || !VariantCompare::equals(now.value(it.key()), it.value()))
                continue;
            if (old.isValid())
                restored.insert(it.key(), old);
            else
                restored.remove(it.key());
        }
        if (at >= 0) {
            const QList<int> roles = d.changedRoles(now, restored);
            if (!roles.isEmpty())
                store.place(at, store.makeRow(restored), roles);
        }
        Q_EMIT d.q->writeFailed(QVariant::fromValue(id), outcome.error);
    } else if (at >= 0) {
        // The record as this write left it; the fields of the next write keep the value the
        // user gave last, and the edits kept in the model (OnManualSubmit) theirs.
        QVariantMap server = outcome.record;
        if (queued.waiting) {
            for (auto it = queued.next.changes.cbegin(); it != queued.next.changes.cend(); ++it)
                server.insert(it.key(), it.value());
        }
        server = keepEdits(server);
        const QList<int> roles = d.changedRoles(now, server);
        if (!roles.isEmpty())
            store.place(at, store.makeRow(server), roles);
    }
    answered(merge.batches, outcome.isWritten());
    if (queued.waiting) {
        merging.insert(id, {});
        startMerge(id, queued.next);
    }
}

void WriteBack::answered(const Batch &batch, bool written)
{
    if (!batch)
        return;
    batch->ok = batch->ok && written;
    if (--batch->unanswered == 0)
        Q_EMIT d.q->submitAllFinished(batch->ok);
}

void WriteBack::answered(const QList<Batch> &batches, bool written)
{
    for (const Batch &b : batches)
        answered(b, written);
}

void WriteBack::notifyDirty(int row)
{
    if (row >= 0 && row < d.store.size())
        d.notifyChanged(d.q->index(row, 0), d.q->index(row, d.q->columnCount() - 1),
                        {QueryListModel::DirtyRole});
}

void WriteBack::recheck(const RecordId &id)
{
    d.reconciler.queueRecheck(id);
    d.nextRead();
}

void WriteBack::createRecord(const QVariantMap &data)
{
    QueryListModel *q = d.q;
    if (!d.connection || d.plan.table.isEmpty()) {
        Q_EMIT q->writeFailed({},
                              Error(Error::Kind::Validation, u"createRecord needs a connection and a table"_s,
                                    u"QueryListModel"_s));
        return;
    }
    const quint64 gen = d.generation;
    creation(data, u"QueryListModel::createRecord"_s)
        .send(d.connection)
        .then(QtFuture::Launch::Sync, later<Internal::RecordWrite::Outcome>(
                                          q,
                                          [this, gen](const Internal::RecordWrite::Outcome &outcome) {
                                              if (!outcome.isWritten()) {
                                                  Q_EMIT d.q->writeFailed({}, outcome.error);
                                                  return;
                                              }
                                              if (gen != d.generation || !d.started)
                                                  return;
                                              const QVariantMap &rec = outcome.record;
                                              if (!d.plan.filtered())
                                                  d.store.upsert(rec);
                                              else
                                                  recheck(idOf(rec));
                                              d.afterLiveChange();
                                          }))
        .onFailed(laterOnError(q, [this](const Error &e) { Q_EMIT d.q->writeFailed({}, e); }));
}

void WriteBack::insertPending(int row, int count)
{
    // Nothing is sent: the rows are created on the server by submit(), with the values set on
    // them meanwhile (a table whose ASSERTs refuse an empty record works, and a row removed
    // before submit() leaves no trace).
    RowStore &store = d.store;
    d.q->beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        store.rows.insert(row + i, store.makePendingRow());
    d.q->endInsertRows();
}

void WriteBack::submitPending(const Batch &batch)
{
    if (!d.connection)
        return;
    for (int row = 0; row < d.store.size(); ++row) {
        const RowStore::Row &r = d.store.rows.at(row);
        if (r.size != 0 || creating.contains(r.serial))
            continue;
        const quint32 serial = r.serial;
        creating.insert(serial);
        notifyDirty(row);
        if (batch)
            ++batch->unanswered;
        creation(d.store.pendingValues.value(serial), u"QueryListModel::submit"_s)
            .send(d.connection)
            .then(QtFuture::Launch::Sync,
                  later<Internal::RecordWrite::Outcome>(
                      d.q,
                      [this, serial, batch](const Internal::RecordWrite::Outcome &outcome) {
                          onCreated(serial, outcome);
                          answered(batch, outcome.isWritten());
                      }))
            .onFailed(laterOnError(d.q, [this, serial, batch](const Error &e) {
                creating.remove(serial);
                if (!abandoned.remove(serial)) {
                    notifyDirty(d.store.rowOfSerial(serial));
                    Q_EMIT d.q->writeFailed({}, e);
                }
                answered(batch, false);
            }));
    }
}

Internal::RecordWrite WriteBack::creation(const QVariantMap &data, const QString &context) const
{
    return Internal::RecordWrite::create(Table(d.plan.table), data).inContext(context);
}

void WriteBack::onCreated(quint32 serial, const Internal::RecordWrite::Outcome &outcome)
{
    RowStore &store = d.store;
    creating.remove(serial);
    const QVariantMap &rec = outcome.record;
    const RecordId id = outcome.isWritten() ? outcome.id : RecordId();
    if (abandoned.remove(serial)) {
        // Removed while it was being created: it must not outlive the row.
        if (id.isValid()) {
            store.removeById(id);
            Internal::RecordWrite::remove(id)
                .send(d.connection)
                .then(QtFuture::Launch::Sync,
                      [](const Internal::RecordWrite::Outcome &removed) {
                          if (!removed.isWritten())
                              qCWarning(lcViews) << "could not delete a record created for a removed row:"
                                                 << removed.error.toString();
                      })
                .onFailed([](const Exception &e) {
                    qCWarning(lcViews)
                        << "could not delete a record created for a removed row:" << e.error().toString();
                });
        }
        return;
    }
    const int at = store.rowOfSerial(serial);
    if (!id.isValid()) {
        // The row stays, unsubmitted, so its values can be corrected and submitted again.
        notifyDirty(at);
        Q_EMIT d.q->writeFailed({}, outcome.error);
        return;
    }
    store.pendingValues.remove(serial);
    if (at < 0)
        return;
    if (store.findRow(id) >= 0 || d.plan.filtered()) {
        // A live notification showed the record already, or the filter decides whether it shows:
        // the row gives way to what the server says.
        store.removeRow(at);
        if (store.findRow(id) < 0 && d.plan.filtered())
            recheck(id);
        return;
    }
    // Where the order puts it; beyond the loaded pages it leaves the view and comes with its page.
    store.place(at, store.makeRow(rec), d.changedRoles({}, rec), false);
    d.afterLiveChange();
}

bool WriteBack::removeRows(int row, int count)
{
    RowStore &store = d.store;
    QueryListModel *q = d.q;
    if (!d.connection) {
        for (int i = row; i < row + count; ++i) {
            if (!store.isPending(i))
                return false;
        }
    }
    QList<QVariantMap> removed;
    QList<RecordId> ids;
    for (int i = row; i < row + count; ++i) {
        if (store.isPending(i)) {
            // Never submitted: nothing to delete, or deleted once its creation answers.
            const quint32 serial = store.rows.at(i).serial;
            store.pendingValues.remove(serial);
            if (creating.contains(serial))
                abandoned.insert(serial);
            continue;
        }
        QVariantMap rec = store.recordAt(i);
        if (const auto e = edits.constFind(idOf(rec)); e != edits.cend())
            rec = withBase(rec, *e);
        if (idOf(rec).isValid()) {
            removed.append(rec);
            ids.append(idOf(rec));
        }
    }
    q->beginRemoveRows({}, row, row + count - 1);
    store.rows.remove(row, count);
    q->endRemoveRows();
    if (ids.isEmpty())
        return true;
    auto restore = [this](const QVariantMap &rec, const Error &e) {
        RowStore &store = d.store;
        if (store.findRow(idOf(rec)) < 0) {
            int to = store.targetRow(d.plan.sortKeyOf(rec), idOf(rec), -1);
            if (to < 0)
                to = store.size();
            store.insertRow(to, store.makeRow(rec));
        }
        Q_EMIT d.q->writeFailed(rec.value(u"id"_s), e);
    };
    Internal::RecordWrite::removeEach(ids)
        .inContext(u"QueryListModel::removeRows"_s)
        .sendEach(d.connection)
        .then(QtFuture::Launch::Sync,
              later<QList<Internal::RecordWrite::Outcome>>(
                  q,
                  [this, removed, restore](const QList<Internal::RecordWrite::Outcome> &outcomes) {
                      for (qsizetype i = 0; i < removed.size() && i < outcomes.size(); ++i) {
                          const Internal::RecordWrite::Outcome &o = outcomes.at(i);
                          if (o.status == Internal::RecordWrite::Outcome::Status::Missing)
                              // Gone already: the row stays away, and the caller hears why.
                              Q_EMIT d.q->writeFailed(removed.at(i).value(u"id"_s), o.error);
                          else if (!o.isWritten())
                              restore(removed.at(i), o.error);
                      }
                  }))
        .onFailed(laterOnError(q, [removed, restore](const Error &e) {
            for (const QVariantMap &rec : removed)
                restore(rec, e);
        }));
    return true;
}

QVariantMap WriteBack::withBase(QVariantMap record, const Edits &e)
{
    for (auto it = e.base.cbegin(); it != e.base.cend(); ++it) {
        if (it.value().isValid())
            record.insert(it.key(), it.value());
        else
            record.remove(it.key());
    }
    return record;
}

QVariantMap WriteBack::keepEdits(const QVariantMap &serverRecord)
{
    if (edits.isEmpty())
        return serverRecord;
    const auto e = edits.find(idOf(serverRecord));
    if (e == edits.end())
        return serverRecord;
    QVariantMap shown = serverRecord;
    for (auto it = e->edited.cbegin(); it != e->edited.cend(); ++it) {
        e->base.insert(it.key(), serverRecord.contains(it.key()) ? serverRecord.value(it.key()) : QVariant());
        shown.insert(it.key(), it.value());
    }
    return shown;
}

bool WriteBack::isUnsubmitted(int row) const
{
    return d.store.isPending(row) && !creating.contains(d.store.rows.at(row).serial);
}

bool WriteBack::submitAll()
{
    QueryListModel *q = d.q;
    auto finishLater = [q](bool ok) {
        QMetaObject::invokeMethod(
            q, [q, ok] { Q_EMIT q->submitAllFinished(ok); }, Qt::QueuedConnection);
    };
    if (!d.connection) {
        finishLater(false);
        return false;
    }
    // Counts one more until every write is sent, so an answer cannot finish the batch early.
    const Batch batch = std::make_shared<SubmitBatch>();
    batch->unanswered = 1;
    // Each row one MERGE of its edited fields; the edits are then in flight, no longer local.
    const QHash<RecordId, Edits> sending = std::exchange(edits, {});
    for (auto it = sending.cbegin(); it != sending.cend(); ++it) {
        const int row = d.store.findRow(it.key());
        if (row < 0)
            continue;
        ++batch->unanswered;
        sendMerge(it.key(), it->edited, it->base, batch);
        notifyDirty(row);
    }
    submitPending(batch);
    if (--batch->unanswered == 0)
        finishLater(batch->ok);
    return true;
}

void WriteBack::revertRow(int row)
{
    RowStore &store = d.store;
    if (row < 0 || row >= store.size())
        return;
    if (store.isPending(row)) {
        if (isUnsubmitted(row)) {
            store.pendingValues.remove(store.rows.at(row).serial);
            store.removeRow(row);
        }
        return;
    }
    const auto e = edits.constFind(store.idAt(row));
    if (e == edits.cend())
        return;
    const QVariantMap now = store.recordAt(row);
    const RecordId id = e.key();
    const QVariantMap restored = withBase(now, *e);
    edits.erase(e);
    store.place(row, store.makeRow(restored), d.changedRoles(now, restored));
    notifyDirty(store.findRow(id));
}

void WriteBack::revertAll()
{
    const QList<RecordId> ids = edits.keys();
    for (const RecordId &id : ids)
        revertRow(d.store.findRow(id));
    edits.clear();
    for (int row = d.store.size() - 1; row >= 0; --row) {
        if (isUnsubmitted(row))
            revertRow(row);
    }
}

bool WriteBack::isDirty() const
{
    if (!edits.isEmpty())
        return true;
    for (int row = 0; row < d.store.size(); ++row) {
        if (isUnsubmitted(row))
            return true;
    }
    return false;
}

bool WriteBack::isDirty(int row, const QString &field) const
{
    if (row < 0 || row >= d.store.size())
        return false;
    if (d.store.isPending(row))
        return isUnsubmitted(row);
    const auto e = edits.constFind(d.store.idAt(row));
    return e != edits.cend() && (field.isEmpty() || e->edited.contains(field));
}

} // namespace SurrealQt
