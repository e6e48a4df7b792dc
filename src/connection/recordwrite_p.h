#pragma once

// Not public API. The one write path for single records, under Model, CrudHelpers, the list
// models' write-back and (through CrudHelpers) QML: it builds the request and reads the answer
// into written / refused / missing.
//
// SurrealDB 3.x answers a write that a permission rule refused exactly like one whose record
// does not exist: nothing, and no error (surrealdb-rpc.md section 13). An update or delete
// therefore reads the record back in the same request: still readable, the write was refused
// (NotAllowed); not there, the record is missing or hidden from this user (NotFound). A create
// or upsert cannot meet a missing record, so nothing back means refused.

#include <SurrealQt/error.h>
#include <SurrealQt/global.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/requestoptions.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class QueryInterface;
class QueryResult;

namespace Internal {

class SURREALQT_EXPORT RecordWrite
{
public:
    enum class Op { Create, Merge, Replace, Upsert, Delete, Relate };

    struct Outcome
    {
        enum class Status { Written, Refused, Missing, Failed };
        Status status = Status::Failed;
        RecordId id;
        // Written: the record as stored (as it was, for a delete). Refused: the record as read
        // back (id and the readingBack() fields), empty when a create or upsert was refused.
        QVariantMap record;
        // Everything but Written: NotAllowed (Refused), NotFound (Missing), the server's error.
        Error error;

        [[nodiscard]] bool isWritten() const { return status == Status::Written; }
        // The stored record, or throws Exception(error).
        [[nodiscard]] QVariantMap recordOrThrow() const;
    };

    // A record with this id, or one the table names (the engine picks the id).
    static RecordWrite create(const RecordId &id, const QVariantMap &data);
    static RecordWrite create(const Table &table, const QVariantMap &data);
    // Sets the fields of data, keeping the others.
    static RecordWrite merge(const RecordId &id, const QVariantMap &data);
    // data becomes the whole record.
    static RecordWrite replace(const RecordId &id, const QVariantMap &data);
    // merge(), creating the record when it is missing.
    static RecordWrite upsert(const RecordId &id, const QVariantMap &data);
    static RecordWrite remove(const RecordId &id);
    // Deletes these records in one statement; read() gives one Outcome per id, in this order.
    static RecordWrite removeEach(const QList<RecordId> &ids);

    // Every record of table where condition holds (SurrealQL, values as $name in vars; empty:
    // every record), in one statement. The records that still match are read back in the same
    // request: one the write left as it was was refused by a permission rule (writtenRows()).
    static RecordWrite mergeWhere(const Table &table, const QString &condition, const QVariantMap &vars,
                                  const QVariantMap &data);
    static RecordWrite replaceWhere(const Table &table, const QString &condition, const QVariantMap &vars,
                                    const QVariantMap &data);
    static RecordWrite removeWhere(const Table &table, const QString &condition, const QVariantMap &vars);
    // An edge of table `edge` from one record to another. Nothing created: both ends are read
    // back; there, a permission rule refused it (Refused), else an end is missing (Missing).
    static RecordWrite relate(const RecordId &from, const QString &edge, const RecordId &to,
                              const QVariantMap &data);

    // Updated records come back as their id alone (the caller counts them).
    RecordWrite &returningIds();

    // Writes only where condition (SurrealQL over the record, values as $name in vars) holds;
    // a record it excludes reads as Refused, with readingBack() telling the caller why.
    RecordWrite &onlyIf(const QString &condition, const QVariantMap &vars);
    // Fields read back, besides id, when an update or delete wrote nothing.
    RecordWrite &readingBack(const QStringList &fields);
    // The context of the errors in the outcome ("save note:1", "QueryListModel::setData").
    RecordWrite &inContext(const QString &context);

    [[nodiscard]] Op op() const { return m_op; }
    [[nodiscard]] QString text() const;
    [[nodiscard]] QVariantMap vars() const;
    // The answer to text() read: one Outcome per target.
    [[nodiscard]] QList<Outcome> read(const QueryResult &reply) const;
    [[nodiscard]] Outcome readOne(const QueryResult &reply) const;
    // The answer to a filtered write (mergeWhere(), replaceWhere(), removeWhere()): the records
    // written (as they were, for a delete). Throws Exception with the server's error, or with
    // NotAllowed when a permission rule kept some matching records from the write (the others
    // were written).
    [[nodiscard]] QVariantList writtenRows(const QueryResult &reply) const;
    // Sends text(); outside a transaction, again when the write was refused with a transaction
    // conflict (it changed nothing). The answer is for read().
    [[nodiscard]] QFuture<QueryResult> request(QueryInterface *to, const RequestOptions &options = {}) const;
    // request() and read(); the future fails only when no answer came.
    [[nodiscard]] QFuture<Outcome> send(QueryInterface *to, const RequestOptions &options = {}) const;
    [[nodiscard]] QFuture<QList<Outcome>> sendEach(QueryInterface *to,
                                                   const RequestOptions &options = {}) const;

    // The one reading of a write's reply that has no read-back (an RPC insert, an UPSERT by a
    // key field): the record, or Refused.
    static Outcome ofReply(Op op, const QVariant &reply, const QString &what, const QString &context);
    // The one wording of "not written": what (a record id, or "The record"), and why.
    static Error refused(Op op, const QString &what, const QString &context);
    static Error missing(Op op, const QString &what, const QString &context);
    // A record that is not there to read (what: its id).
    static Error notFound(const QString &what, const QString &context);

private:
    RecordWrite(Op op, const QVariant &target, const QVariantMap &data);
    [[nodiscard]] bool readsBack() const { return m_op != Op::Create && m_op != Op::Upsert; }
    [[nodiscard]] bool filtered() const { return m_filtered; }
    [[nodiscard]] QList<RecordId> targets() const;
    [[nodiscard]] QString filteredText() const;
    [[nodiscard]] QString relateText() const;

    Op m_op;
    // RecordId, Table (a create, or a filtered write), a list of RecordId, or the two ends of a
    // relation (a list of two RecordId)
    QVariant m_target;
    bool m_filtered = false;
    bool m_returnIds = false;
    QString m_edge;
    QVariantMap m_data;
    QString m_condition;
    QVariantMap m_conditionVars;
    QStringList m_readBack;
    QString m_context;
};

} // namespace Internal
} // namespace SurrealQt
