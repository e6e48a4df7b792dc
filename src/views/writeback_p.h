#pragma once

// Not public API: writes made through a QueryListModel — an edited value converted back to the
// field's stored type, shown at once and rolled back with writeFailed() when the server did not
// apply it; rows made by insertRows created on submit(); removed rows deleted and restored when
// the delete did not happen.

#include <SurrealQt/error.h>
#include <SurrealQt/global.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>

#include "connection/recordwrite_p.h"
#include "views/storedtype_p.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QVariantMap>

#include <memory>

namespace SurrealQt {

class QueryListModelPrivate;
class QueryResult;

class SURREALQT_EXPORT WriteBack
{
public:
    // One submitAll() call: how many of its writes are unanswered, and whether all so far were
    // written; submitAllFinished() when the last one answers.
    struct SubmitBatch
    {
        int unanswered = 0;
        bool ok = true;
    };
    using Batch = std::shared_ptr<SubmitBatch>;

    explicit WriteBack(QueryListModelPrivate &d);
    // Forgets the edits of rows that leave the model.
    void init();

    QueryListModel::EditStrategy strategy = QueryListModel::OnFieldChange;

    // Field types and read-only fields per table (INFO FOR TABLE), for converting edits back.
    QHash<QString, StoredType::TableSchema> schemas;
    QSet<QString> schemaRequested;

    // Forgets the schemas and the rows being created (a reload).
    void reset();
    [[nodiscard]] StoredType::Kind storedKind(const QVariantMap &record, const QString &field) const;
    [[nodiscard]] bool isEditable(int row, const QString &field) const;
    void noteSchemas(const QVariantList &records);

    // An editor's value (setData, setField): converted to the field's stored type, then written;
    // false, with writeFailed(Validation), when it does not convert.
    bool setEdited(int row, const QString &field, const QVariant &value);
    // Writes a value already in the field's stored type: shown at once, rolled back with
    // writeFailed() when the server did not apply it.
    bool writeField(int row, const QString &field, const QVariant &value);
    // Several fields of one row as one write (one MERGE, rolled back whole when refused), so
    // the fields of one record do not race each other in the engine (a write conflict).
    // `edited` are editor values, converted as setEdited() converts them; `stored` are already
    // in the form to store (QML's typed roles). Nothing is written, and false returned, when a
    // field cannot be written or a value does not convert (that one with writeFailed).
    bool setEditedFields(int row, const QVariantMap &edited, const QVariantMap &stored);
    // insertRows: empty rows that exist in the model alone until submitPending().
    void insertPending(int row, int count);
    void submitPending(const Batch &batch = {});
    void createRecord(const QVariantMap &data);
    bool removeRows(int row, int count);

    // Edits kept in the model (OnRowChange, OnManualSubmit) until submitAll().
    bool submitAll();
    void revertAll();
    void revertRow(int row);
    [[nodiscard]] bool isDirty() const;
    // Empty field: any field of the row.
    [[nodiscard]] bool isDirty(int row, const QString &field) const;
    // A record from the server for a row with edits not written yet: the edited fields keep the
    // user's value, and the server's values become what a revert restores.
    [[nodiscard]] QVariantMap keepEdits(const QVariantMap &serverRecord);

private:
    // A row's edits not written yet: the values shown, and the database's values for those
    // fields (an invalid QVariant: the field is absent), which a revert restores.
    struct Edits
    {
        QVariantMap edited;
        QVariantMap base;
    };

    void requestSchema(const QString &table);
    // An editor's value in the field's stored type. False, with writeFailed(Validation), when it
    // does not convert; *unchanged when it leaves the stored value as it is.
    bool convertEdited(const QVariantMap &before, const QString &field, const QVariant &value,
                       QVariant *converted, bool *unchanged);
    void answered(const Batch &batch, bool written);
    void answered(const QList<Batch> &batches, bool written);
    // A MERGE of some fields of one record: the values, and the database's values for those
    // fields (an invalid QVariant: absent) that a rollback restores.
    struct Merge
    {
        QVariantMap changes;
        QVariantMap base;
        QList<Batch> batches;
    };
    // Writes `changes` to a loaded record (one MERGE), already shown; when it is not applied the
    // fields that still show the written value get `base` back, with writeFailed(). Writes of
    // one record go one at a time: edits made while one is on its way are sent together once it
    // is answered, so the last edit is what the database keeps and what the row shows, in
    // whatever order the server would have run or answered them.
    void sendMerge(const RecordId &id, const QVariantMap &changes, const QVariantMap &base,
                   const Batch &batch = {});
    void startMerge(const RecordId &id, const Merge &merge);
    void mergeAnswered(const RecordId &id, const Merge &merge, const Internal::RecordWrite::Outcome &outcome);
    // dataChanged(DirtyRole) for the row of id (or of a pending row's serial).
    void notifyDirty(int row);
    [[nodiscard]] bool isUnsubmitted(int row) const;
    // The record with the edits of `e` undone.
    [[nodiscard]] static QVariantMap withBase(QVariantMap record, const Edits &e);
    // A create of one row's record in the model's table.
    [[nodiscard]] Internal::RecordWrite creation(const QVariantMap &data, const QString &context) const;
    void onCreated(quint32 serial, const Internal::RecordWrite::Outcome &outcome);
    // A created or changed record whose place the filter decides: re-read before it shows.
    void recheck(const RecordId &id);

    QueryListModelPrivate &d;
    // By record: the edits waiting for the write on its way to be answered (see sendMerge()).
    // A record is a key while one of its writes is on its way.
    struct Queued
    {
        bool waiting = false;
        Merge next;
    };
    QHash<RecordId, Queued> merging;
    QSet<quint32> creating;  // submitted, the server has not answered yet
    QSet<quint32> abandoned; // removed while being created: deleted when the answer comes
    QHash<RecordId, Edits> edits;
};

} // namespace SurrealQt
