#include "recordwrite_p.h"

#include "codec/valueformatter_p.h"
#include "connectionlifeline_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/none.h>
#include <SurrealQt/queryinterface.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace SurrealQt::Internal {

namespace {

QVariantList rowsOf(const QVariant &value)
{
    if (!value.isValid() || isNone(value) || isNull(value))
        return {};
    if (value.metaType().id() == QMetaType::QVariantMap)
        return {value};
    if (value.metaType().id() == QMetaType::QVariantList)
        return value.toList();
    return {};
}

RecordId idOf(const QVariant &row)
{
    const QVariant id = row.toMap().value(u"id"_s);
    return id.metaType() == QMetaType::fromType<RecordId>() ? id.value<RecordId>() : RecordId();
}

// By RecordWrite::Op: the statement, and what a message says was not done.
struct OpWords
{
    QStringView statement;
    QStringView done;
};
constexpr OpWords opWords[] = {
    {u"CREATE $rw_target CONTENT $rw_data", u"created"},
    {u"UPDATE $rw_target MERGE $rw_data", u"updated"},
    {u"UPDATE $rw_target CONTENT $rw_data", u"updated"},
    {u"UPSERT $rw_target MERGE $rw_data", u"stored"},
    {u"DELETE $rw_target", u"deleted"},
    {u"RELATE $rw_from->%1->$rw_to CONTENT $rw_data", u"created"},
};

const OpWords &wordsOf(RecordWrite::Op op)
{
    return opWords[int(op)];
}

// As often as the RPC client sends a one-record write method again after a conflict.
constexpr int MaxConflictResends = 8;

// A one-record write outside a transaction is its own transaction on the server: refused with a
// transaction conflict (two clients writing one record, the first records of a new table) it
// changed nothing, so the request (the write and its read-back) simply runs again, as the RPC
// client does for the write methods. It goes through the connection's lifeline because the
// answer arrives on the I/O thread while the owner may delete the connection.
QFuture<QueryResult> sendResending(const std::shared_ptr<ConnectionLifeline> &line, const QString &text,
                                   const QVariantMap &vars, const RequestOptions &options, int attempt)
{
    QFuture<QueryResult> sent;
    if (!line->use([&](Connection *c) { sent = c->query(text, vars, options); }))
        return QtFuture::makeExceptionalFuture<QueryResult>(
            Exception(Error(Error::Kind::Cancelled, u"The connection was destroyed"_s)));
    return sent
        .then(QtFuture::Launch::Sync,
              [line, text, vars, options, attempt](const QueryResult &r) {
                  if (attempt < MaxConflictResends && !r.isEmpty() && !r.at(0).isOk() &&
                      r.at(0).error().isTransactionConflict())
                      return sendResending(line, text, vars, options, attempt + 1);
                  return QtFuture::makeReadyFuture(r);
              })
        .unwrap();
}

Error withContext(Error e, const QString &context)
{
    if (e.context().isEmpty() && !context.isEmpty())
        e.setContext(context);
    return e;
}

} // namespace

QVariantMap RecordWrite::Outcome::recordOrThrow() const
{
    if (status != Status::Written)
        throw Exception(error);
    return record;
}

RecordWrite::RecordWrite(Op op, const QVariant &target, const QVariantMap &data)
    : m_op(op)
    , m_target(target)
    , m_data(data)
{}

RecordWrite RecordWrite::create(const RecordId &id, const QVariantMap &data)
{
    return RecordWrite(Op::Create, QVariant::fromValue(id), data);
}

RecordWrite RecordWrite::create(const Table &table, const QVariantMap &data)
{
    return RecordWrite(Op::Create, QVariant::fromValue(table), data);
}

RecordWrite RecordWrite::merge(const RecordId &id, const QVariantMap &data)
{
    return RecordWrite(Op::Merge, QVariant::fromValue(id), data);
}

RecordWrite RecordWrite::replace(const RecordId &id, const QVariantMap &data)
{
    return RecordWrite(Op::Replace, QVariant::fromValue(id), data);
}

RecordWrite RecordWrite::upsert(const RecordId &id, const QVariantMap &data)
{
    return RecordWrite(Op::Upsert, QVariant::fromValue(id), data);
}

RecordWrite RecordWrite::remove(const RecordId &id)
{
    return RecordWrite(Op::Delete, QVariant::fromValue(id), {});
}

RecordWrite RecordWrite::removeEach(const QList<RecordId> &ids)
{
    QVariantList list;
    list.reserve(ids.size());
    for (const RecordId &id : ids)
        list.append(QVariant::fromValue(id));
    return RecordWrite(Op::Delete, list, {});
}

RecordWrite RecordWrite::mergeWhere(const Table &table, const QString &condition, const QVariantMap &vars,
                                    const QVariantMap &data)
{
    RecordWrite w(Op::Merge, QVariant::fromValue(table), data);
    w.m_filtered = true;
    return w.onlyIf(condition, vars);
}

RecordWrite RecordWrite::replaceWhere(const Table &table, const QString &condition, const QVariantMap &vars,
                                      const QVariantMap &data)
{
    RecordWrite w(Op::Replace, QVariant::fromValue(table), data);
    w.m_filtered = true;
    return w.onlyIf(condition, vars);
}

RecordWrite RecordWrite::removeWhere(const Table &table, const QString &condition, const QVariantMap &vars)
{
    RecordWrite w(Op::Delete, QVariant::fromValue(table), {});
    w.m_filtered = true;
    return w.onlyIf(condition, vars);
}

RecordWrite RecordWrite::relate(const RecordId &from, const QString &edge, const RecordId &to,
                                const QVariantMap &data)
{
    RecordWrite w(Op::Relate, QVariantList{QVariant::fromValue(from), QVariant::fromValue(to)}, data);
    w.m_edge = edge;
    return w;
}

RecordWrite &RecordWrite::returningIds()
{
    m_returnIds = true;
    return *this;
}

RecordWrite &RecordWrite::onlyIf(const QString &condition, const QVariantMap &vars)
{
    m_condition = condition;
    m_conditionVars = vars;
    return *this;
}

RecordWrite &RecordWrite::readingBack(const QStringList &fields)
{
    m_readBack = fields;
    return *this;
}

RecordWrite &RecordWrite::inContext(const QString &context)
{
    m_context = context;
    return *this;
}

QList<RecordId> RecordWrite::targets() const
{
    if (m_target.metaType().id() == QMetaType::QVariantList) {
        QList<RecordId> ids;
        for (const QVariant &v : m_target.toList())
            ids.append(v.value<RecordId>());
        return ids;
    }
    return {m_target.metaType() == QMetaType::fromType<RecordId>() ? m_target.value<RecordId>() : RecordId()};
}

QString RecordWrite::filteredText() const
{
    const QString table = m_target.value<Table>().toSurrealQL();
    const QString where = m_condition.isEmpty() ? QString() : u" WHERE ("_s + m_condition + u')';
    QString text = m_op == Op::Delete    ? u"DELETE "_s + table
                   : m_op == Op::Replace ? u"UPDATE "_s + table + u" CONTENT $rw_data"_s
                                         : u"UPDATE "_s + table + u" MERGE $rw_data"_s;
    // A delete's RETURN projects the record after it (nothing): ids come from BEFORE.
    text += where + (m_op == Op::Delete ? u" RETURN BEFORE;"_s
                     : m_returnIds      ? u" RETURN id;"_s
                                        : u" RETURN AFTER;"_s);
    // A record the write skipped still matches afterwards (a permission rule kept it as it
    // was): what matches now and was not written was refused.
    return text + u" SELECT id FROM "_s + table + where + u';';
}

QString RecordWrite::relateText() const
{
    // Nothing created: whether both ends are there tells refused from missing.
    return wordsOf(m_op).statement.toString().arg(ValueFormatter::escapeIdent(m_edge)) +
           u"; SELECT id FROM $rw_target[*];"_s;
}

QString RecordWrite::text() const
{
    if (m_filtered)
        return filteredText();
    if (m_op == Op::Relate)
        return relateText();
    const QString where = m_condition.isEmpty() ? QString() : u" WHERE ("_s + m_condition + u')';
    QString text = wordsOf(m_op).statement.toString() + where +
                   (m_op == Op::Delete ? u" RETURN BEFORE;"_s : u" RETURN AFTER;"_s);
    if (readsBack()) {
        // In the same request, so no other call of this connection runs between the two.
        QString fields = u"id"_s;
        for (const QString &f : m_readBack)
            fields += u", "_s + ValueFormatter::escapeIdent(f);
        // A list of ids as `FROM $list[*]`: on 3.0.2 `SELECT id FROM $list` fails with "Specify a
        // database to use" (SELECT * FROM $list does not).
        const bool many = m_target.metaType().id() == QMetaType::QVariantList;
        text += u" SELECT "_s + fields + (many ? u" FROM $rw_target[*];"_s : u" FROM $rw_target;"_s);
    }
    return text;
}

QVariantMap RecordWrite::vars() const
{
    QVariantMap vars = m_conditionVars;
    if (m_op == Op::Relate) {
        vars.insert(u"rw_from"_s, m_target.toList().value(0));
        vars.insert(u"rw_to"_s, m_target.toList().value(1));
    }
    if (!m_filtered)
        vars.insert(u"rw_target"_s, m_target);
    if (m_op != Op::Delete)
        vars.insert(u"rw_data"_s, m_data);
    return vars;
}

QList<RecordWrite::Outcome> RecordWrite::read(const QueryResult &reply) const
{
    if (m_filtered || m_op == Op::Relate) {
        // One outcome per record written or refused (a filtered write), or the edge.
        Outcome failed;
        if (reply.size() < 2)
            failed.error =
                Error(Error::Kind::Protocol,
                      u"The server sent %1 statement results, expected 2"_s.arg(reply.size()), m_context);
        else if (!reply.at(0).isOk())
            failed.error = withContext(reply.at(0).error(), m_context);
        if (failed.error.isValid())
            return {failed};
        const QVariantList written = rowsOf(reply.at(0).result());
        const QVariantList there = reply.at(1).isOk() ? rowsOf(reply.at(1).result()) : QVariantList();
        QList<Outcome> out;
        QSet<RecordId> writtenIds;
        for (const QVariant &row : written) {
            Outcome o;
            o.status = Outcome::Status::Written;
            o.id = idOf(row);
            o.record = row.toMap();
            writtenIds.insert(o.id);
            out.append(o);
        }
        if (m_op == Op::Relate) {
            if (!out.isEmpty())
                return out;
            const QVariantList ends = m_target.toList();
            Outcome o;
            const QString what =
                u"The %1 edge from %2 to %3"_s.arg(m_edge, ends.value(0).value<RecordId>().toString(),
                                                   ends.value(1).value<RecordId>().toString());
            QStringList absent;
            for (const QVariant &end : ends) {
                const RecordId id = end.value<RecordId>();
                if (std::none_of(there.cbegin(), there.cend(),
                                 [&](const QVariant &row) { return idOf(row) == id; }))
                    absent.append(id.toString());
            }
            if (absent.isEmpty()) {
                o.status = Outcome::Status::Refused;
                o.error = Error(
                    Error::Kind::NotAllowed,
                    u"%1 was not created: a permission rule refused the write (both records are there)"_s.arg(
                        what),
                    m_context);
            } else {
                o.status = Outcome::Status::Missing;
                o.error = Error(Error::Kind::NotFound,
                                u"%1 was not created: %2 does not exist, or a permission rule hides it"_s.arg(
                                    what, absent.join(u" and "_s)),
                                m_context);
            }
            return {o};
        }
        for (const QVariant &row : there) {
            const RecordId id = idOf(row);
            if (writtenIds.contains(id))
                continue;
            Outcome o;
            o.status = Outcome::Status::Refused;
            o.id = id;
            o.record = row.toMap();
            o.error = refused(m_op, id.toString(), m_context);
            out.append(o);
        }
        return out;
    }
    const QList<RecordId> ids = targets();
    const bool many = m_target.metaType().id() == QMetaType::QVariantList;
    QList<Outcome> out(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        out[i].id = ids.at(i);
    const int expected = readsBack() ? 2 : 1;
    if (reply.size() < expected) {
        for (Outcome &o : out)
            o.error =
                Error(Error::Kind::Protocol,
                      u"The server sent %1 statement results, expected %2"_s.arg(reply.size()).arg(expected),
                      m_context);
        return out;
    }
    if (!reply.at(0).isOk()) {
        for (Outcome &o : out)
            o.error = withContext(reply.at(0).error(), m_context);
        return out;
    }
    const QVariantList written = rowsOf(reply.at(0).result());
    // A read-back the server refused or failed reads as "not there".
    const QVariantList there =
        readsBack() && reply.at(1).isOk() ? rowsOf(reply.at(1).result()) : QVariantList();
    const auto find = [many](const QVariantList &rows, const RecordId &id) -> QVariantMap {
        if (!many)
            return rows.value(0).toMap();
        for (const QVariant &row : rows) {
            if (idOf(row) == id)
                return row.toMap();
        }
        return {};
    };
    for (Outcome &o : out) {
        const QString what = o.id.isValid() ? o.id.toString() : u"The new record"_s;
        if (QVariantMap record = find(written, o.id); !record.isEmpty()) {
            o.status = Outcome::Status::Written;
            if (!o.id.isValid())
                o.id = idOf(record);
            o.record = std::move(record);
        } else if (!readsBack()) {
            o.status = Outcome::Status::Refused;
            o.error = refused(m_op, what, m_context);
        } else if (QVariantMap row = find(there, o.id); !row.isEmpty()) {
            o.status = Outcome::Status::Refused;
            o.record = std::move(row);
            o.error = refused(m_op, what, m_context);
        } else {
            o.status = Outcome::Status::Missing;
            o.error = missing(m_op, what, m_context);
        }
    }
    return out;
}

RecordWrite::Outcome RecordWrite::readOne(const QueryResult &reply) const
{
    return read(reply).value(0);
}

QVariantList RecordWrite::writtenRows(const QueryResult &reply) const
{
    QVariantList written;
    qsizetype refusedCount = 0;
    for (const Outcome &o : read(reply)) {
        if (o.isWritten())
            written.append(o.record);
        else if (o.status == Outcome::Status::Refused)
            ++refusedCount;
        else
            throw Exception(o.error);
    }
    if (refusedCount > 0)
        throw Exception(
            Error(Error::Kind::NotAllowed,
                  u"%1 of %2 matching records were not %3: a permission rule refused the write (the "
                  "others were %3)"_s.arg(refusedCount)
                      .arg(refusedCount + written.size())
                      .arg(wordsOf(m_op).done),
                  m_context));
    return written;
}

QFuture<QueryResult> RecordWrite::request(QueryInterface *to, const RequestOptions &options) const
{
    auto *connection = qobject_cast<Connection *>(to);
    // Inside a transaction a conflict fails the whole transaction: its owner runs it again.
    if (!connection || !options.transaction.isNull())
        return to->query(text(), vars(), options);
    return sendResending(ConnectionLifeline::of(connection), text(), vars(), options, 0);
}

QFuture<RecordWrite::Outcome> RecordWrite::send(QueryInterface *to, const RequestOptions &options) const
{
    return request(to, options).then(QtFuture::Launch::Sync, [w = *this](const QueryResult &r) {
        return w.readOne(r);
    });
}

QFuture<QList<RecordWrite::Outcome>> RecordWrite::sendEach(QueryInterface *to,
                                                           const RequestOptions &options) const
{
    return request(to, options).then(QtFuture::Launch::Sync, [w = *this](const QueryResult &r) {
        return w.read(r);
    });
}

RecordWrite::Outcome RecordWrite::ofReply(Op op, const QVariant &reply, const QString &what,
                                          const QString &context)
{
    Outcome o;
    const QVariantMap record = rowsOf(reply).value(0).toMap();
    if (record.isEmpty()) {
        o.status = Outcome::Status::Refused;
        o.error = refused(op, what, context);
        return o;
    }
    o.status = Outcome::Status::Written;
    o.id = idOf(record);
    o.record = record;
    return o;
}

Error RecordWrite::refused(Op op, const QString &what, const QString &context)
{
    const bool readBack = op != Op::Create && op != Op::Upsert;
    return Error(Error::Kind::NotAllowed,
                 readBack ? u"%1 was not %2: a permission rule refused the write (the record is there)"_s.arg(
                                what, wordsOf(op).done)
                          : u"%1 was not %2: the server returned no record, so a permission rule refused "
                            "the write"_s.arg(what, wordsOf(op).done),
                 context);
}

Error RecordWrite::missing(Op op, const QString &what, const QString &context)
{
    return Error(Error::Kind::NotFound,
                 u"%1 was not %2: the record does not exist, or a permission rule hides it"_s.arg(
                     what, wordsOf(op).done),
                 context);
}

Error RecordWrite::notFound(const QString &what, const QString &context)
{
    return Error(Error::Kind::NotFound, u"%1 does not exist, or a permission rule hides it"_s.arg(what),
                 context);
}

} // namespace SurrealQt::Internal
