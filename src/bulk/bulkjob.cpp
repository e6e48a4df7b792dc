#include "bulkjob_p.h"

#include "codec/cborcodec_p.h"
#include "codec/variantcompare_p.h"
#include "connection/recordwrite_p.h"
#include "helpers/keyfieldindex_p.h"
#include "helpers/validation_p.h"

#include <SurrealQt/bulkquery.h>
#include <SurrealQt/bulkupdateitem.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/transaction.h>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Q_LOGGING_CATEGORY(lcBulk, "surrealqt.bulk", QtWarningMsg)

namespace {

using Status = BulkResult::ItemStatus;

// The marker an atomic bulkUpdate throws for a record that does not exist, so that the batch
// rolls back instead of committing around a silent no-op.
constexpr auto kNotFoundMarker = "surrealqt:bulk:not-found"_L1;

// Same alphabet and length as the ids the server generates, so records look alike whoever
// named them; 20 characters of 36 leave collisions out of reach.
QString randomKey()
{
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString key(20, Qt::Uninitialized);
    auto *gen = QRandomGenerator::global();
    for (QChar &c : key)
        c = QLatin1Char(alphabet[gen->bounded(36)]);
    return key;
}

bool isRollbackNoise(const Error &error)
{
    // Statements the server skipped because an earlier one failed the transaction.
    const QString kind = error.details().value(u"kind"_s).toString();
    return kind == u"NotExecuted" || kind == u"Cancelled";
}

QVariant firstRecord(const QVariant &statementResult)
{
    if (statementResult.typeId() == QMetaType::QVariantList) {
        const QVariantList list = statementResult.toList();
        return list.isEmpty() ? QVariant() : list.first();
    }
    if (statementResult.typeId() == QMetaType::QVariantMap)
        return statementResult;
    return {};
}

RecordId recordIdOf(const QVariant &record)
{
    return record.toMap().value(u"id"_s).value<RecordId>();
}

QVariant valueAtPath(const QVariantMap &map, const QString &path)
{
    QVariant v = map;
    for (const QString &part : path.split(u'.')) {
        if (v.typeId() != QMetaType::QVariantMap)
            return {};
        const QVariantMap m = v.toMap();
        auto it = m.constFind(part);
        if (it == m.constEnd())
            return {};
        v = *it;
    }
    return v;
}

// Equal as stored. What comes back has the codec's decoded types, not the ones sent: a QDateTime
// returns as SurrealQt::DateTime, a QStringList as a QVariantList, a QVariantHash as a map. Both
// sides' wire form (the CBOR they encode to) is what the server compared and stored.
bool sameStoredValue(const QVariant &stored, const QVariant &sent)
{
    if (VariantCompare::equals(stored, sent))
        return true;
    const QByteArray a = CborCodec::encode(stored);
    return !a.isEmpty() && a == CborCodec::encode(sent);
}

// The record as sent is contained in the record as stored: the server may add defaults.
bool storedMatches(const QVariantMap &stored, const QVariantMap &sent)
{
    for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
        auto s = stored.constFind(it.key());
        if (s == stored.constEnd() || !sameStoredValue(*s, it.value()))
            return false;
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------

void AdaptiveBatchSizer::configure(const BulkOptions &options)
{
    m_enabled = options.adaptiveBatchSize;
    m_fixed = options.batchSize;
    m_probeInterval = kFirstProbeInterval;
    m_sizes.clear();
    if (!m_enabled)
        return;
    for (int s = options.minBatchSize; s <= options.maxBatchSize; s *= 2)
        m_sizes.append(s);
    if (m_sizes.isEmpty())
        m_sizes.append(options.minBatchSize);
    m_scores = QList<Score>(m_sizes.size());
    // Start on the rung closest to the configured size.
    m_current = 0;
    for (int i = 0; i < m_sizes.size(); ++i)
        if (std::abs(m_sizes[i] - options.batchSize) < std::abs(m_sizes[m_current] - options.batchSize))
            m_current = i;
}

int AdaptiveBatchSizer::next()
{
    if (!m_enabled)
        return m_fixed;
    if (m_probe >= 0 && m_probeLeft > 0) {
        --m_probeLeft;
        return m_sizes[m_probe];
    }
    return m_sizes[m_current];
}

void AdaptiveBatchSizer::record(int size, qint64 latencyNs)
{
    if (!m_enabled || latencyNs <= 0)
        return;
    const int idx = int(m_sizes.indexOf(size));
    if (idx < 0)
        return;
    const double rate = double(size) * 1e9 / double(latencyNs);
    Score &s = m_scores[idx];
    // The first samples of a rung carry warm-up noise: average them, then smooth.
    s.rate = s.samples < 3 ? (s.rate * s.samples + rate) / (s.samples + 1) : s.rate * 0.7 + rate * 0.3;
    ++s.samples;
    ++m_sinceDecision;
    decide();
}

void AdaptiveBatchSizer::decide()
{
    constexpr int kSamples = 4;
    if (m_probe >= 0) {
        if (m_scores[m_probe].samples < kSamples || m_probeLeft > 0)
            return;
        // A probe wins only by a clear margin, or the size would wander on noise. Probes that
        // lose are spaced out more and more: on a steady server the size found first is kept,
        // and exploring costs a few percent at most.
        if (m_scores[m_probe].rate > m_scores[m_current].rate * 1.10) {
            m_current = m_probe;
            m_probeInterval = kFirstProbeInterval;
        } else {
            m_direction = -m_direction;
            m_probeInterval = std::min(m_probeInterval * 2, kMaxProbeInterval);
        }
        m_probe = -1;
        m_sinceDecision = 0;
        return;
    }
    if (m_scores[m_current].samples < kSamples)
        return;
    // Probe a neighbour right away while unexplored, then now and then to follow drift.
    const int candidate = m_current + m_direction;
    const bool explored =
        candidate < 0 || candidate >= m_sizes.size() || m_scores[candidate].samples >= kSamples;
    if (explored && m_sinceDecision < m_probeInterval)
        return;
    if (candidate < 0 || candidate >= m_sizes.size()) {
        m_direction = -m_direction;
        return;
    }
    m_probe = candidate;
    m_probeLeft = kSamples;
    m_scores[candidate].samples = 0;
    m_scores[candidate].rate = 0;
}

// ---------------------------------------------------------------------------------------------

BulkJob::BulkJob(Connection *connection, Op op, const BulkOptions &options, BulkSource source,
                 Callbacks callbacks)
    : m_connection(Internal::ConnectionLifeline::of(connection))
    , m_op(op)
    , m_options(options)
    , m_source(std::move(source))
    , m_callbacks(std::move(callbacks))
{}

BulkJob::~BulkJob() = default;

QFuture<QueryResult> BulkJob::sendQuery(const QString &text, const QVariantMap &vars) const
{
    QFuture<QueryResult> sent;
    if (m_connection->use([&](Connection *c) { sent = c->query(text, vars); }))
        return sent;
    return QtFuture::makeExceptionalFuture<QueryResult>(
        Exception(Error(Error::Kind::Cancelled, u"The connection is gone"_s)));
}

Error BulkJob::checkArguments() const
{
    const QString where = u"bulk operation"_s;
    auto bad = [&](const QString &what) { return Error(Error::Kind::Validation, what, where); };
    if (!m_connection->isAlive())
        return bad(u"no connection"_s);
    if (m_source.isNull())
        return bad(u"no input: pass a list, a range or a generator"_s);
    if (m_options.batchSize < 1)
        return bad(u"BulkOptions::batchSize must be at least 1, got %1"_s.arg(m_options.batchSize));
    if (m_options.parallelism < 1)
        return bad(u"BulkOptions::parallelism must be at least 1, got %1"_s.arg(m_options.parallelism));
    if (m_options.maxRetries < 0)
        return bad(u"BulkOptions::maxRetries must not be negative, got %1"_s.arg(m_options.maxRetries));
    if (m_options.adaptiveBatchSize &&
        (m_options.minBatchSize < 1 || m_options.maxBatchSize < m_options.minBatchSize))
        return bad(u"BulkOptions: minBatchSize (%1) must be at least 1 and at most maxBatchSize (%2)"_s
                       .arg(m_options.minBatchSize)
                       .arg(m_options.maxBatchSize));
    if (m_op == Op::Insert || m_op == Op::Upsert) {
        const Error e = Internal::checkTableName(m_table, where);
        if (e.isValid())
            return e;
    }
    if (m_op == Op::Upsert) {
        const Error e = Internal::checkFieldPath(m_keyField, where + u" key field"_s);
        if (e.isValid())
            return e;
    }
    bool webSocket = false;
    m_connection->use([&](Connection *c) { webSocket = c->isWebSocket(); });
    if (m_op == Op::Query && m_options.atomic && !webSocket)
        return bad(u"an atomic bulkQuery needs interactive transactions, which need a WebSocket "
                   "connection (ws:// or wss://)"_s);
    return {};
}

QFuture<BulkResult> BulkJob::start()
{
    const Error error = checkArguments();
    if (error.isValid())
        return QtFuture::makeExceptionalFuture<BulkResult>(Exception(error));
    m_promise.start();
    QFuture<BulkResult> future = m_promise.future();
    m_clock.start();
    m_sizer.configure(m_options);
    if (m_op == Op::Upsert)
        m_keyExpr = Internal::escapedFieldPath(m_keyField);
    if (m_op == Op::Upsert && m_keyField != u"id") {
        auto self = shared_from_this();
        QFuture<void> indexed = QtFuture::makeExceptionalFuture<void>(
            Exception(Error(Error::Kind::Cancelled, u"The connection is gone"_s)));
        m_connection->use([&](Connection *c) {
            indexed =
                Internal::ensureKeyFieldIndexed(c, Table(m_table), m_keyField, m_options.createKeyIndex);
        });
        indexed.then(QtFuture::Launch::Sync, [self] { self->begin(); })
            .onFailed([self](const Exception &e) {
                QMutexLocker lock(&self->m_mutex);
                self->m_finished = true;
                self->m_promise.setException(e);
                self->m_promise.finish();
            })
            .onFailed([self] {
                QMutexLocker lock(&self->m_mutex);
                self->m_finished = true;
                self->m_promise.setException(
                    Exception(Error(Error::Kind::BulkOperation, u"checking the key index failed"_s)));
                self->m_promise.finish();
            });
    } else {
        begin();
    }
    return future;
}

void BulkJob::begin()
{
    pump();
}

void BulkJob::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_finished)
        return;
    m_cancelled = true;
    m_stopping = true;
    if (m_inFlight == 0 && m_promise.future().isStarted())
        finishLocked();
}

void BulkJob::prepare(Item &item, qint64 index) const
{
    const QString where = u"input %1"_s.arg(index);
    auto invalid = [&](const QString &what) { item.error = Error(Error::Kind::Validation, what, where); };
    switch (m_op) {
    case Op::Insert:
    case Op::Upsert: {
        if (item.input.typeId() != QMetaType::QVariantMap) {
            invalid(u"expected a record (QVariantMap), got %1"_s.arg(
                QString::fromLatin1(item.input.metaType().name())));
            return;
        }
        QVariantMap record = item.input.toMap();
        const QVariant id = record.value(u"id"_s);
        RecordId rid;
        if (!id.isValid() || id.isNull()) {
            if (m_op == Op::Upsert && m_keyField == u"id") {
                invalid(u"upsert by id: the record has no id"_s);
                return;
            }
            // A known id makes a resend checkable: it is what keeps retries from duplicating.
            if (m_op == Op::Insert)
                rid = RecordId(m_table, randomKey());
        } else if (id.canConvert<RecordId>() && id.metaType() == QMetaType::fromType<RecordId>()) {
            rid = id.value<RecordId>();
            if (rid.table() != m_table) {
                invalid(u"the record id %1 names table '%2', not '%3'"_s.arg(rid.toString(), rid.table(),
                                                                             m_table));
                return;
            }
        } else {
            rid = RecordId(m_table, id);
        }
        if (rid.isValid()) {
            const Error e = Internal::checkRecordId(rid, where);
            if (e.isValid()) {
                item.error = e;
                return;
            }
            record.insert(u"id"_s, QVariant::fromValue(rid));
        }
        if (m_op == Op::Upsert && m_keyField != u"id") {
            const QVariant key = valueAtPath(record, m_keyField);
            if (!key.isValid() || key.isNull()) {
                invalid(u"the record has no value for the key field '%1'"_s.arg(m_keyField));
                return;
            }
        }
        item.wire = record;
        return;
    }
    case Op::Update: {
        if (item.input.metaType() != QMetaType::fromType<BulkUpdateItem>()) {
            invalid(u"expected a BulkUpdateItem"_s);
            return;
        }
        const auto u = item.input.value<BulkUpdateItem>();
        const Error e = Internal::checkRecordId(u.recordId, where);
        if (e.isValid()) {
            item.error = e;
            return;
        }
        item.wire = item.input;
        return;
    }
    case Op::Delete: {
        RecordId rid;
        if (item.input.metaType() == QMetaType::fromType<RecordId>()) {
            rid = item.input.value<RecordId>();
            const Error e = Internal::checkRecordId(rid, where);
            if (e.isValid()) {
                item.error = e;
                return;
            }
        } else if (item.input.typeId() == QMetaType::QString) {
            Error e;
            rid = Internal::parseRecordId(item.input.toString(), where, &e);
            if (e.isValid()) {
                item.error = e;
                return;
            }
        } else {
            invalid(u"expected a RecordId or 'table:key' text"_s);
            return;
        }
        item.wire = QVariant::fromValue(rid);
        return;
    }
    case Op::Query: {
        if (item.input.metaType() != QMetaType::fromType<BulkQuery>() ||
            item.input.value<BulkQuery>().surrealql.trimmed().isEmpty()) {
            invalid(u"expected a BulkQuery with a non-empty query"_s);
            return;
        }
        item.wire = item.input;
        return;
    }
    }
}

namespace {
thread_local const void *tl_pumping = nullptr;
}

void BulkJob::pump()
{
    // Completions can arrive inline from inside send(); loop here instead of recursing, so a
    // long stream of batches failing at once cannot grow the stack.
    if (tl_pumping == this)
        return;
    const void *outer = tl_pumping;
    tl_pumping = this;
    for (;;) {
        QList<BatchPtr> toSend;
        {
            QMutexLocker lock(&m_mutex);
            if (m_finished)
                break;
            // The first batch goes alone: on a table that does not exist yet, concurrent first
            // writes all try to define it and fail with transaction conflicts.
            const int limit = m_firstDone ? m_options.parallelism : 1;
            while (!m_stopping && !m_sourceDone && m_inFlight < limit) {
                auto batch = std::make_shared<Batch>();
                batch->first = m_next;
                const int size = m_sizer.next();
                batch->items.reserve(size);
                while (batch->items.size() < size) {
                    std::optional<QVariant> v = m_source.next();
                    if (!v) {
                        m_sourceDone = true;
                        break;
                    }
                    Item item;
                    item.input = std::move(*v);
                    prepare(item, m_next);
                    batch->items.append(std::move(item));
                    ++m_next;
                }
                if (batch->items.isEmpty())
                    break;
                if (m_options.collectResults)
                    m_result.m_results.resize(m_next);
                ++m_inFlight;
                toSend.append(batch);
            }
            if (toSend.isEmpty()) {
                if (m_inFlight == 0)
                    finishLocked();
                break;
            }
        }
        for (const BatchPtr &batch : std::as_const(toSend)) {
            batch->timer.start();
            send(batch);
        }
    }
    tl_pumping = outer;
}

QString BulkJob::describe(const BatchPtr &batch) const
{
    return u"bulk batch of inputs %1..%2"_s.arg(batch->first).arg(batch->first + batch->items.size() - 1);
}

void BulkJob::send(const BatchPtr &batch)
{
    QList<int> pendingIdx;
    for (int i = 0; i < batch->items.size(); ++i)
        if (batch->items[i].pending())
            pendingIdx.append(i);
    if (m_options.atomic && pendingIdx.size() < batch->items.size() &&
        std::any_of(batch->items.cbegin(), batch->items.cend(), [](const Item &item) {
            return item.status == Status::NotAttempted && item.error.isValid();
        })) {
        // All or nothing: an input refused before sending keeps its whole batch from being sent.
        QStringList names;
        for (int i = 0; i < batch->items.size(); ++i)
            if (batch->items[i].error.isValid())
                names.append(QString::number(batch->first + i));
        failPending(batch, Status::Failed,
                    Error(Error::Kind::BulkOperation, u"not sent: its atomic %1 holds invalid input %2"_s.arg(
                                                          describe(batch), names.join(u", "_s))));
        complete(batch);
        return;
    }
    if (pendingIdx.isEmpty()) {
        complete(batch);
        return;
    }
    if (!m_connection->isAlive()) {
        failPending(batch, Status::Failed, Error(Error::Kind::Cancelled, u"The connection is gone"_s));
        complete(batch);
        return;
    }
    if (m_op == Op::Query) {
        sendQueries(batch);
        return;
    }

    QString text;
    QVariantMap vars;
    const bool singleStatement = !batch->perItem && (m_op == Op::Insert || m_op == Op::Delete);
    if (singleStatement) {
        QVariantList list;
        list.reserve(pendingIdx.size());
        for (int i : std::as_const(pendingIdx))
            list.append(batch->items[i].wire);
        if (m_op == Op::Insert) {
            // Ids are all a written record needs to be recognised; without results to collect,
            // the server need not send (nor the client decode) the records it stored.
            text =
                m_options.collectResults ? u"INSERT INTO $tb $rows"_s : u"INSERT INTO $tb $rows RETURN id"_s;
            vars.insert(u"tb"_s, m_table);
            vars.insert(u"rows"_s, list);
        } else {
            text = u"DELETE $rows RETURN BEFORE"_s;
            vars.insert(u"rows"_s, list);
        }
    } else {
        const bool txn = m_options.atomic;
        text.reserve(pendingIdx.size() * 48 + 16);
        if (txn)
            text += u"BEGIN;\n"_s;
        if (m_op == Op::Insert || m_op == Op::Upsert)
            vars.insert(u"tb"_s, m_table);
        for (int k = 0; k < pendingIdx.size(); ++k) {
            const Item &item = batch->items[pendingIdx[k]];
            const QString n = QString::number(k);
            switch (m_op) {
            case Op::Insert:
                text += u"INSERT INTO $tb $r"_s + n + u";\n"_s;
                vars.insert(u"r"_s + n, item.wire);
                break;
            case Op::Delete:
                text += u"DELETE $r"_s + n + u" RETURN BEFORE;\n"_s;
                vars.insert(u"r"_s + n, item.wire);
                break;
            case Op::Update: {
                const auto u = item.wire.value<BulkUpdateItem>();
                const QString verb = u.merge ? u" MERGE $d"_s : u" CONTENT $d"_s;
                if (txn)
                    text += u"IF record::exists($i"_s + n + u") { UPDATE $i"_s + n + verb + n +
                            u" } ELSE { THROW '"_s + kNotFoundMarker + u"' };\n"_s;
                else
                    text += u"UPDATE $i"_s + n + verb + n + u";\n"_s;
                vars.insert(u"i"_s + n, QVariant::fromValue(u.recordId));
                vars.insert(u"d"_s + n, u.data);
                break;
            }
            case Op::Upsert: {
                QVariantMap data = item.wire.toMap();
                if (m_keyField == u"id") {
                    const QVariant id = data.take(u"id"_s);
                    text += u"UPSERT $i"_s + n + u" MERGE $d"_s + n + u";\n"_s;
                    vars.insert(u"i"_s + n, id);
                } else {
                    text += u"UPSERT type::table($tb) MERGE $d"_s + n + u" WHERE "_s + m_keyExpr +
                            u" = $d"_s + n + u"."_s + m_keyExpr + u";\n"_s;
                }
                vars.insert(u"d"_s + n, data);
                break;
            }
            case Op::Query:
                break;
            }
        }
        if (txn)
            text += u"COMMIT;"_s;
    }

    auto self = shared_from_this();
    sendQuery(text, vars)
        .then(QtFuture::Launch::Sync,
              [self, batch](const QueryResult &reply) { self->onReply(batch, reply); })
        .onFailed([self, batch](const Exception &e) { self->onFailure(batch, e.error()); })
        .onFailed([self, batch] {
            self->onFailure(batch,
                            Error(Error::Kind::Protocol, u"unexpected exception"_s, self->describe(batch)));
        });
}

void BulkJob::onReply(const BatchPtr &batch, const QueryResult &reply)
{
    QList<int> pendingIdx;
    for (int i = 0; i < batch->items.size(); ++i)
        if (batch->items[i].pending())
            pendingIdx.append(i);

    const bool singleStatement = !batch->perItem && (m_op == Op::Insert || m_op == Op::Delete);
    if (singleStatement) {
        if (reply.isEmpty()) {
            onFailure(batch, Error(Error::Kind::Protocol, u"empty reply"_s, describe(batch)));
            return;
        }
        const StatementResult &st = reply.at(0);
        if (!st.isOk()) {
            if (st.error().isRetryable()) {
                retryLater(batch, st.error());
                return;
            }
            // One statement carries the batch, so its error names at most one culprit: run the
            // batch again one statement per record to attribute every failure.
            batch->perItem = true;
            send(batch);
            return;
        }
        QHash<RecordId, QVariant> byId;
        for (const QVariant &r : st.result().toList())
            byId.insert(recordIdOf(r), r);
        for (int i : std::as_const(pendingIdx)) {
            Item &item = batch->items[i];
            const RecordId id = m_op == Op::Insert ? recordIdOf(item.wire) : item.wire.value<RecordId>();
            auto it = byId.constFind(id);
            if (it != byId.constEnd()) {
                item.status = Status::Written;
                item.result = *it;
            } else if (m_op == Op::Delete && batch->resent) {
                // Gone, perhaps by the attempt whose reply was lost: deleting is idempotent.
                item.status = Status::Written;
            } else if (m_op == Op::Delete) {
                item.status = Status::Failed;
                item.unwritten = true;
                item.error = Internal::RecordWrite::missing(Internal::RecordWrite::Op::Delete, id.toString(),
                                                            u"input %1"_s.arg(batch->first + i));
            } else {
                item.status = Status::Failed;
                item.error = Internal::RecordWrite::refused(Internal::RecordWrite::Op::Create, id.toString(),
                                                            u"input %1"_s.arg(batch->first + i));
            }
        }
        classifyUnwritten(batch);
        return;
    }

    const int offset = m_options.atomic ? 1 : 0;
    bool anyFailed = false;
    bool retryable = false;
    bool exists = false;
    Error retryError;
    for (int k = 0; k < pendingIdx.size(); ++k) {
        if (offset + k < reply.size() && !reply.at(offset + k).isOk() &&
            reply.at(offset + k).error().kind() == Error::Kind::AlreadyExists)
            exists = true;
        if (offset + k >= reply.size() || !reply.at(offset + k).isOk()) {
            anyFailed = true;
            if (offset + k < reply.size() && reply.at(offset + k).error().isRetryable()) {
                retryable = true;
                retryError = reply.at(offset + k).error();
            }
        }
    }
    // A resent insert can meet its own earlier attempt: batches in flight on a connection that
    // dropped may still be running on the server when the recheck reads, so the resend finds
    // records it wrote itself. Read again, comparing content, before calling them AlreadyExists.
    if (exists && m_op == Op::Insert && batch->resent && batch->lateRechecks < MaxLateRechecks) {
        ++batch->lateRechecks;
        qCInfo(lcBulk) << "rechecking" << describe(batch) << "after AlreadyExists on a resend";
        recheckInserted(batch);
        return;
    }
    if (m_options.atomic && anyFailed) {
        if (retryable) {
            retryLater(batch, retryError);
            return;
        }
        rollBackAtomic(batch, pendingIdx, reply, offset);
        complete(batch);
        return;
    }
    applyStatements(batch, pendingIdx, reply, offset);
    bool again = false;
    for (const Item &item : std::as_const(batch->items))
        again = again || item.pending();
    if (again)
        retryLater(batch, retryError);
    else
        classifyUnwritten(batch);
}

void BulkJob::applyStatements(const BatchPtr &batch, const QList<int> &pendingIdx, const QueryResult &reply,
                              int offset)
{
    for (int k = 0; k < pendingIdx.size(); ++k) {
        Item &item = batch->items[pendingIdx[k]];
        const QString where = u"input %1"_s.arg(batch->first + pendingIdx[k]);
        if (offset + k >= reply.size()) {
            item.status = Status::Unknown;
            item.error =
                Error(Error::Kind::Protocol, u"the server sent no result for this statement"_s, where);
            continue;
        }
        const StatementResult &st = reply.at(offset + k);
        if (!st.isOk()) {
            if (st.error().isRetryable())
                continue; // stays pending: sent again with the retry
            item.status = Status::Failed;
            item.error = st.error();
            item.error.setContext(where);
            continue;
        }
        const QVariant record = firstRecord(st.result());
        if (record.isValid() && !record.isNull()) {
            item.status = Status::Written;
            item.result = record;
            continue;
        }
        if (m_op == Op::Delete && batch->resent) {
            item.status = Status::Written;
            continue;
        }
        item.status = Status::Failed;
        if (m_op == Op::Update || m_op == Op::Delete) {
            item.unwritten = true;
            item.error = Internal::RecordWrite::missing(m_op == Op::Delete ? Internal::RecordWrite::Op::Delete
                                                                           : Internal::RecordWrite::Op::Merge,
                                                        targetOf(item).toString(), where);
        } else {
            item.error = Internal::RecordWrite::refused(
                m_op == Op::Upsert ? Internal::RecordWrite::Op::Upsert : Internal::RecordWrite::Op::Create,
                u"The record"_s, where);
        }
    }
}

void BulkJob::rollBackAtomic(const BatchPtr &batch, const QList<int> &pendingIdx, const QueryResult &reply,
                             int offset)
{
    QList<qint64> culprits;
    for (int k = 0; k < pendingIdx.size(); ++k) {
        if (offset + k < reply.size() && !reply.at(offset + k).isOk() &&
            !isRollbackNoise(reply.at(offset + k).error()))
            culprits.append(batch->first + pendingIdx[k]);
    }
    QStringList names;
    for (qint64 c : std::as_const(culprits))
        names.append(QString::number(c));
    for (int k = 0; k < pendingIdx.size(); ++k) {
        Item &item = batch->items[pendingIdx[k]];
        const QString where = u"input %1"_s.arg(batch->first + pendingIdx[k]);
        item.status = Status::Failed;
        item.result = {};
        const bool culprit = culprits.contains(batch->first + pendingIdx[k]);
        if (culprit) {
            item.error = reply.at(offset + k).error();
            if (item.error.message().contains(kNotFoundMarker))
                item.error = Error(Error::Kind::NotFound, u"the record does not exist"_s);
            item.error.setContext(where);
        } else {
            item.error = Error(Error::Kind::BulkOperation,
                               u"rolled back with its atomic %1 (failed input: %2)"_s.arg(
                                   describe(batch), names.isEmpty() ? u"unknown"_s : names.join(u", "_s)),
                               where);
        }
    }
}

void BulkJob::sendQueries(const BatchPtr &batch)
{
    struct Gather
    {
        QMutex mutex;
        int remaining = 0;
        QList<std::pair<int, QFuture<QueryResult>>> futures;
    };
    auto gather = std::make_shared<Gather>();
    QList<int> pendingIdx;
    for (int i = 0; i < batch->items.size(); ++i)
        if (batch->items[i].pending())
            pendingIdx.append(i);
    gather->remaining = int(pendingIdx.size());

    QPointer<Transaction> txn;
    if (m_options.atomic)
        m_connection->use([&](Connection *c) { txn = c->transaction(); });
    auto self = shared_from_this();
    auto settle = [self, batch, gather, txn]() {
        // Every query of the batch answered: decide per item.
        Error retryError;
        for (const auto &[i, f] : std::as_const(gather->futures)) {
            Item &item = batch->items[i];
            const QString where = u"input %1"_s.arg(batch->first + i);
            try {
                const QueryResult r = f.result();
                if (r.isOk()) {
                    item.result = QVariant::fromValue(r);
                    item.status = Status::Written;
                } else {
                    item.error = r.firstError();
                    item.error.setContext(where);
                    item.status = Status::Failed;
                    if (item.error.isRetryable() &&
                        (self->m_options.idempotentQueries || self->m_options.atomic)) {
                        item.status = Status::NotAttempted;
                        retryError = item.error;
                        item.error = {};
                    }
                }
            } catch (const Exception &e) {
                item.error = e.error();
                item.error.setContext(where);
                const bool mayHaveRun =
                    e.error().kind() == Error::Kind::Connection || e.error().kind() == Error::Kind::Timeout;
                if (e.error().isRetryable() &&
                    (self->m_options.idempotentQueries || self->m_options.atomic)) {
                    item.status = Status::NotAttempted;
                    retryError = item.error;
                    item.error = {};
                } else {
                    item.status = mayHaveRun && !self->m_options.atomic ? Status::Unknown : Status::Failed;
                }
            }
        }
        if (!txn) {
            bool again = false;
            for (const Item &item : std::as_const(batch->items))
                again = again || item.pending();
            if (again)
                self->retryLater(batch, retryError);
            else
                self->complete(batch);
            return;
        }
        // Atomic: the batch's queries ran in one transaction. Commit only if every one
        // succeeded; otherwise cancel, and either retry the whole batch (a retryable failure
        // and no query refused outright) or report it as rolled back.
        bool hardFailure = false;
        bool retryWhole = false;
        for (const Item &item : std::as_const(batch->items)) {
            hardFailure = hardFailure || item.status == Status::Failed;
            retryWhole = retryWhole || item.pending();
        }
        auto rollBack = [self, batch](const Error &why) {
            QStringList names;
            for (int i = 0; i < batch->items.size(); ++i)
                if (batch->items[i].status == Status::Failed)
                    names.append(QString::number(batch->first + i));
            for (int i = 0; i < batch->items.size(); ++i) {
                Item &item = batch->items[i];
                item.result = {};
                if (item.status == Status::Failed)
                    continue;
                item.status = Status::Failed;
                item.error = why.isValid() ? why
                                           : Error(Error::Kind::BulkOperation,
                                                   u"rolled back with its atomic %1 (failed input: %2)"_s.arg(
                                                       self->describe(batch), names.join(u", "_s)));
                item.error.setContext(u"input %1"_s.arg(batch->first + i));
            }
        };
        auto resetAll = [batch] {
            for (Item &item : batch->items) {
                item.status = Status::NotAttempted;
                item.error = {};
                item.result = {};
            }
        };
        if (!txn) {
            rollBack(Error(Error::Kind::Cancelled, u"the transaction object is gone"_s));
            self->complete(batch);
            return;
        }
        // Deleted only after its last request answered: deleteLater() posts to the thread the
        // transaction lives on, which could delete it before this thread's next call on it.
        auto release = [txn] {
            if (txn)
                txn->deleteLater();
        };
        if (hardFailure || retryWhole) {
            auto after = [self, batch, hardFailure, retryError, rollBack, resetAll, release] {
                release();
                if (!hardFailure) {
                    resetAll();
                    self->retryLater(batch, retryError);
                    return;
                }
                rollBack({});
                self->complete(batch);
            };
            txn->cancel().then(QtFuture::Launch::Sync, after).onFailed(after);
            return;
        }
        txn->commit()
            .then(QtFuture::Launch::Sync,
                  [self, batch, release] {
                      release();
                      self->complete(batch);
                  })
            .onFailed([self, batch, rollBack, resetAll, release](const Exception &e) {
                release();
                const Error err = e.error();
                const bool mayHaveRun =
                    err.kind() == Error::Kind::Connection || err.kind() == Error::Kind::Timeout;
                if (err.isRetryable() && self->m_options.idempotentQueries) {
                    resetAll();
                    self->retryLater(batch, err);
                    return;
                }
                for (Item &item : batch->items) {
                    item.status = mayHaveRun ? Status::Unknown : Status::Failed;
                    item.error = err;
                }
                if (!mayHaveRun)
                    rollBack(err);
                self->complete(batch);
            });
    };
    if (pendingIdx.isEmpty()) {
        complete(batch);
        return;
    }
    for (int i : std::as_const(pendingIdx)) {
        const auto q = batch->items[i].wire.value<BulkQuery>();
        QFuture<QueryResult> f = txn ? txn->query(q.surrealql, q.vars) : sendQuery(q.surrealql, q.vars);
        {
            QMutexLocker lock(&gather->mutex);
            gather->futures.append({i, f});
        }
    }
    QList<QFuture<QueryResult>> all;
    {
        QMutexLocker lock(&gather->mutex);
        for (const auto &p : std::as_const(gather->futures))
            all.append(p.second);
    }
    for (QFuture<QueryResult> f : all) {
        f.then(QtFuture::Launch::Sync, [gather, settle](const QueryResult &) {
             QMutexLocker lock(&gather->mutex);
             if (--gather->remaining == 0) {
                 lock.unlock();
                 settle();
             }
         }).onFailed([gather, settle] {
            QMutexLocker lock(&gather->mutex);
            if (--gather->remaining == 0) {
                lock.unlock();
                settle();
            }
        });
    }
}

void BulkJob::onFailure(const BatchPtr &batch, const Error &error)
{
    if (error.isRetryable()) {
        retryLater(batch, error);
        return;
    }
    // Refused before it ran (bad request, permissions on the query, closed connection).
    failPending(batch, Status::Failed, error);
    complete(batch);
}

void BulkJob::retryLater(const BatchPtr &batch, const Error &error)
{
    if (batch->attempt >= m_options.maxRetries) {
        const bool mayHaveRun =
            error.kind() == Error::Kind::Connection || error.kind() == Error::Kind::Timeout;
        Error final = error.isValid() ? error : Error(Error::Kind::Connection, u"retries exhausted"_s);
        final.setMessage(final.message() +
                         (mayHaveRun
                              ? u" (gave up after %1 retries; the write may or may not have been applied)"_s
                              : u" (gave up after %1 retries)"_s)
                             .arg(m_options.maxRetries));
        final.setContext(describe(batch));
        failPending(batch, mayHaveRun ? Status::Unknown : Status::Failed, final);
        complete(batch);
        return;
    }
    ++batch->attempt;
    batch->resent = true;
    const qint64 base = m_options.retryDelay.count();
    const qint64 delay =
        std::min<qint64>(m_options.maxRetryDelay.count(), base << std::min(batch->attempt - 1, 16));
    qCInfo(lcBulk) << "retrying" << describe(batch) << "in" << delay << "ms after" << error.toString();
    auto self = shared_from_this();
    // A pool thread sleeps instead of a timer: the job may run while its starter's thread is
    // blocked in a sync call, and the I/O thread must not wait.
    QtConcurrent::run([delay] {
        QThread::msleep(static_cast<unsigned long>(delay));
    }).then(QtFuture::Launch::Sync, [self, batch] {
        if (self->m_op == Op::Insert)
            self->recheckInserted(batch);
        else
            self->send(batch);
    });
}

void BulkJob::recheckInserted(const BatchPtr &batch)
{
    // The lost attempt may have been committed: look before resending, so that nothing is
    // inserted twice, and compare content so that a record that existed before is not taken
    // for ours.
    QVariantList ids;
    QList<int> pendingIdx;
    for (int i = 0; i < batch->items.size(); ++i)
        if (batch->items[i].pending()) {
            pendingIdx.append(i);
            ids.append(batch->items[i].wire.toMap().value(u"id"_s));
        }
    if (pendingIdx.isEmpty() || !m_connection->isAlive()) {
        send(batch);
        return;
    }
    auto self = shared_from_this();
    sendQuery(u"SELECT * FROM $ids"_s, {{u"ids"_s, ids}})
        .then(QtFuture::Launch::Sync,
              [self, batch, pendingIdx](const QueryResult &reply) {
                  if (reply.isEmpty() || !reply.at(0).isOk()) {
                      self->onFailure(batch, reply.isEmpty() ? Error(Error::Kind::Protocol, u"empty reply"_s)
                                                             : reply.at(0).error());
                      return;
                  }
                  QHash<RecordId, QVariantMap> stored;
                  for (const QVariant &r : reply.at(0).result().toList())
                      stored.insert(recordIdOf(r), r.toMap());
                  for (int i : pendingIdx) {
                      Item &item = batch->items[i];
                      const QVariantMap sent = item.wire.toMap();
                      auto it = stored.constFind(sent.value(u"id"_s).value<RecordId>());
                      if (it == stored.constEnd())
                          continue;
                      if (storedMatches(*it, sent)) {
                          item.status = Status::Written;
                          item.result = *it;
                      } else {
                          item.status = Status::Failed;
                          item.error = Error(Error::Kind::AlreadyExists,
                                             u"a different record with this id already exists"_s,
                                             u"input %1"_s.arg(batch->first + i));
                      }
                  }
                  self->send(batch);
              })
        .onFailed([self, batch](const Exception &e) { self->onFailure(batch, e.error()); })
        .onFailed([self, batch] {
            self->onFailure(batch, Error(Error::Kind::Protocol, u"unexpected exception"_s));
        });
}

void BulkJob::failPending(const BatchPtr &batch, Status status, const Error &error)
{
    for (int i = 0; i < batch->items.size(); ++i) {
        Item &item = batch->items[i];
        if (!item.pending())
            continue;
        item.status = status;
        item.error = error;
        if (item.error.context().isEmpty())
            item.error.setContext(u"input %1"_s.arg(batch->first + i));
    }
}

RecordId BulkJob::targetOf(const Item &item)
{
    if (item.wire.metaType() == QMetaType::fromType<BulkUpdateItem>())
        return item.wire.value<BulkUpdateItem>().recordId;
    return item.wire.value<RecordId>();
}

void BulkJob::classifyUnwritten(const BatchPtr &batch)
{
    QList<int> unwritten;
    QVariantList ids;
    for (int i = 0; i < batch->items.size(); ++i) {
        if (batch->items[i].unwritten) {
            unwritten.append(i);
            ids.append(QVariant::fromValue(targetOf(batch->items[i])));
        }
    }
    if (unwritten.isEmpty() || !m_connection->isAlive()) {
        complete(batch);
        return;
    }
    const auto op = m_op == Op::Delete ? Internal::RecordWrite::Op::Delete : Internal::RecordWrite::Op::Merge;
    auto self = shared_from_this();
    // Without an answer the items stay NotFound, the reading of a record that cannot be seen.
    sendQuery(u"SELECT VALUE id FROM $ids"_s, {{u"ids"_s, ids}})
        .then(QtFuture::Launch::Sync,
              [self, batch, unwritten, op](const QueryResult &reply) {
                  QSet<RecordId> there;
                  if (!reply.isEmpty() && reply.at(0).isOk()) {
                      for (const QVariant &id : reply.at(0).result().toList())
                          there.insert(id.value<RecordId>());
                  }
                  for (int i : unwritten) {
                      Item &item = batch->items[i];
                      const RecordId id = targetOf(item);
                      if (there.contains(id))
                          item.error =
                              Internal::RecordWrite::refused(op, id.toString(), item.error.context());
                  }
                  self->complete(batch);
              })
        .onFailed([self, batch](const Exception &) { self->complete(batch); })
        .onFailed([self, batch] { self->complete(batch); });
}

void BulkJob::complete(const BatchPtr &batch)
{
    {
        QMutexLocker lock(&m_mutex);
        qint64 failed = 0;
        for (int i = 0; i < batch->items.size(); ++i) {
            Item &item = batch->items[i];
            const qint64 index = batch->first + i;
            // Items refused before sending carry their error with no status yet.
            if (item.status == Status::NotAttempted && item.error.isValid())
                item.status = Status::Failed;
            m_result.mark(index, 1, item.status);
            if (item.status == Status::Failed || item.status == Status::Unknown) {
                ++failed;
                m_result.m_errors.append({index, handedBack(item), item.error});
            }
            if (m_options.collectResults && item.status == Status::Written)
                m_result.m_results[index] = item.result;
        }
        --m_inFlight;
        m_firstDone = true;
        m_done += batch->items.size();
        if (failed > 0 && !m_options.ignoreErrors && !m_stopping) {
            m_stopping = true;
            m_result.m_stopped = true;
        }
        if (batch->attempt == 0)
            m_sizer.record(int(batch->items.size()), batch->timer.nsecsElapsed());
        if (m_callbacks.batchFinished)
            m_callbacks.batchFinished(batch->first, batch->items.size(), failed);
        if (m_callbacks.progress)
            m_callbacks.progress(m_done, m_source.sizeHint());
    }
    pump();
}

QVariant BulkJob::handedBack(const Item &item) const
{
    // A bulkInsert record without an id was given one before its first send. Handing the input
    // back without it would make the documented retry insert a second copy of a record the
    // lost attempt may have stored; with it, that retry fails as AlreadyExists instead.
    if (m_op != Op::Insert || item.input.typeId() != QMetaType::QVariantMap)
        return item.input;
    QVariantMap record = item.input.toMap();
    const QVariant id = record.value(u"id"_s);
    const QVariant generated = item.wire.toMap().value(u"id"_s);
    if ((id.isValid() && !id.isNull()) || !generated.isValid())
        return item.input;
    record.insert(u"id"_s, generated);
    return record;
}

void BulkJob::finishLocked()
{
    if (m_finished)
        return;
    m_finished = true;
    qint64 total = m_next;
    if (!m_sourceDone && m_source.sizeHint() > m_next)
        total = m_source.sizeHint();
    if (total > m_next)
        m_result.mark(m_next, total - m_next, Status::NotAttempted);
    m_result.m_total = total;
    if (m_options.collectResults)
        m_result.m_results.resize(total);
    std::sort(m_result.m_errors.begin(), m_result.m_errors.end(),
              [](const BulkItemError &a, const BulkItemError &b) { return a.index < b.index; });
    m_result.m_cancelled = m_cancelled;
    m_result.m_elapsed = std::chrono::milliseconds(m_clock.elapsed());
    if (m_source.sizeHint() < 0 && m_sourceDone && m_callbacks.progress)
        m_callbacks.progress(m_done, m_done);
    m_promise.addResult(m_result);
    m_promise.finish();
}

} // namespace SurrealQt
