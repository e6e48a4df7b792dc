#pragma once

// Not public API: the state behind SurrealQt::QueryListModel.

#include <SurrealQt/livenotification.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>

#include "views/storedtype_p.h"

#include <QtCore/QCache>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QTimer>

namespace SurrealQt {

Q_DECLARE_LOGGING_CATEGORY(lcViews)

class LiveQuery;
class QueryResult;

class SURREALQT_EXPORT QueryListModelPrivate
{
public:
    // One row: its CBOR encoding, a slice of a buffer shared by the rows of one page (or its own
    // buffer after a change). 40 bytes plus the encoding.
    struct Row
    {
        QByteArray bytes;
        quint32 offset = 0;
        quint32 size = 0; // 0: a row inserted by insertRows, not submitted yet (pendingValues)
        quint32 serial = 0;
        size_t idHash = 0;
    };

    // How the next page continues (see the class comment in querylistmodel.h).
    enum class Paging { IdRange, IndexedField, Offset, Single };

    explicit QueryListModelPrivate(QueryListModel *q);

    // What the live re-checks cost, for bench/bench_listmodel (counted only when enabled).
    struct RecheckStats
    {
        bool enabled = false;
        qint64 queries = 0;
        qint64 idsSent = 0;
        qint64 bytesSent = 0;     // CBOR of the id lists
        qint64 bytesReceived = 0; // CBOR of the records that came back
    };
    static RecheckStats &recheckStats();

    QueryListModel *q;
    QPointer<Connection> connection;

    // Source
    QString query;
    QVariantMap bindings;
    QString table;
    QString filter;
    QString orderBy;
    bool descending = false;
    bool live = false;
    int pageSize = 100;
    QStringList userRoles;
    QStringList columns;
    QString displayField;

    // State
    QueryListModel::Status status = QueryListModel::Null;
    Error error;
    qint64 totalCount = -1;
    QList<Row> rows;
    QStringList fields;
    QHash<QString, int> fieldIndex;
    mutable QCache<quint32, QVariantMap> decoded{512};
    quint32 nextSerial = 1;

    // Paging
    Paging paging = Paging::Single;
    bool orderIndexed = false;
    bool atEnd = false;
    bool started = false;
    QVariant cursor;        // last id key (IdRange) or last sort value (IndexedField)
    QList<QVariant> tieIds; // ids already loaded whose sort value equals cursor (IndexedField)
    bool wantMore = false;  // fetchMore() asked while a read was running
    // A short page of the index walk and whether the proof form found more (see requestPage).
    int shortFastPage = -1;
    bool indexWalkDropsRows = false;
    bool fetchAllRequested = false;

    // Reads (pages, re-checks, resyncs) run one at a time; live notifications that arrive
    // meanwhile wait in `buffered` and are applied after the read, so none is lost.
    quint64 generation = 0;
    bool reading = false;
    QPointer<LiveQuery> liveQuery; // the first of liveQueries
    QList<QPointer<LiveQuery>> liveQueries;
    int startsPending = 0;
    QStringList liveTables;
    // The table does not exist (yet): an empty Ready list, subscribing again by retryTimer.
    bool tableMissing = false;
    bool resubscribing = false; // the live query was killed: subscribing again by retryTimer
    int missingRetry = 0;
    QTimer *retryTimer = nullptr;
    QList<LiveNotification> buffered;
    QList<RecordId> recheckIds;
    QSet<RecordId> recheckSet;
    bool resyncWanted = false;
    // Reads lost with their socket since the last one that succeeded.
    int lostReads = 0;
    bool reloadPending = false;
    // fetchAll() called before the load it is meant for started.
    bool fetchAllOnStart = false;
    QTimer *recountTimer = nullptr;
    QTimer *resyncTimer = nullptr;

    // Field writes sent and not answered yet, by record.
    QHash<RecordId, int> writesInFlight;

    // Rows made by insertRows: their values by row serial until submit() creates the records.
    // They exist only here (nothing on the server), and are not part of the loaded range.
    QHash<quint32, QVariantMap> pendingValues;
    QSet<quint32> creating;  // submitted, the server has not answered yet
    QSet<quint32> abandoned; // removed while being created: deleted when the answer comes
    [[nodiscard]] int loadedRows() const { return int(rows.size() - pendingValues.size()); }
    [[nodiscard]] bool isPending(int row) const { return rows.at(row).size == 0; }
    [[nodiscard]] int rowOfSerial(quint32 serial) const;
    void submitPending();
    void onCreated(quint32 serial, const QueryResult &result);

    // Field types and read-only fields per table (INFO FOR TABLE), for converting edits back.
    QHash<QString, StoredType::TableSchema> schemas;
    QSet<QString> schemaRequested;
    // Query mode: names the query computes (`… AS n`); they are no fields of the record.
    QSet<QString> computedFields;

    [[nodiscard]] static QueryListModelPrivate *get(QueryListModel *model) { return model->d.get(); }

    // Source helpers
    [[nodiscard]] bool tableMode() const { return query.isEmpty() && !table.isEmpty(); }
    [[nodiscard]] bool hasSource() const { return !query.isEmpty() || !table.isEmpty(); }
    [[nodiscard]] bool positional() const { return tableMode(); }
    [[nodiscard]] QVariantMap vars() const;
    [[nodiscard]] QString fromTable() const;
    [[nodiscard]] QString whereFilter(const QString &extra = {}) const;
    [[nodiscard]] QString orderClause() const;
    bool validateSource(Error *error) const;

    // Rows
    [[nodiscard]] QVariantMap recordAt(int row) const;
    [[nodiscard]] RecordId idAt(int row) const;
    [[nodiscard]] QVariant sortKeyOf(const QVariantMap &record) const;
    [[nodiscard]] int compareOrder(const QVariant &keyA, const RecordId &idA, const QVariant &keyB,
                                   const RecordId &idB) const;
    [[nodiscard]] int findRow(const RecordId &id) const;
    // Where a row with this key belongs, leaving out row `skip`; -1 when it lies beyond the
    // loaded part (it will come with a later page).
    [[nodiscard]] int targetRow(const QVariant &key, const RecordId &id, int skip) const;
    Row makeRow(const QVariantMap &record);
    static QList<int> changedRoles(const QueryListModelPrivate *d, const QVariantMap &before,
                                   const QVariantMap &after);
    void discoverFields(const QVariantList &records);

    // Editing
    [[nodiscard]] StoredType::Kind storedKind(const QVariantMap &record, const QString &field) const;
    [[nodiscard]] bool isEditable(int row, const QString &field) const;
    void requestSchema(const QString &table);
    void noteSchemas(const QVariantList &records);
    // Writes a value already in the field's stored type: shown at once, rolled back with
    // writeFailed() when the server did not apply it.
    bool writeField(int row, const QString &field, const QVariant &value);
    QList<int> allRoles() const;

    // Live application
    void upsert(const QVariantMap &record);
    void removeById(const RecordId &id);
    // Moves row `from` (or inserts when -1) to where `row` belongs and emits the signals. A row
    // that belongs beyond the loaded range stays where it is when keepBeyond (an edit under the
    // user's hands), or leaves the view (it comes with its page).
    void place(int from, Row row, const QList<int> &roles, bool keepBeyond = true);
    void reconcile(const QVariantList &records);
    void reconcileLoaded(const QVariantList &records);

    // Loading
    void setStatus(QueryListModel::Status s);
    void setError(const Error &e);
    void setTotal(qint64 total);
    void start();
    void scheduleReload();
    void detectIndexThenLoad(quint64 gen);
    void nextRead();
    // proof: the page again in a form the engine answers fully (a short page is then the end).
    void requestPage(bool proof = false);
    void onPage(const QVariantList &records);
    void requestRecheck();
    void requestResync();
    void finishRead();
    void recount();
    void subscribe(quint64 gen);
    void subscribeTo(const QStringList &tables, quint64 gen);
    void onSubscribed(quint64 gen);
    void onLiveError(const Error &e);
    void resubscribeLater();
    void dropLiveQueries();
    void showEmpty();
    static bool isMissingTable(const Error &e);
    void onNotification(const LiveNotification &n);
    void applyNotification(const LiveNotification &n);
    void afterLiveChange();
    void fail(const Error &e);
    // A read (page, resync, recheck) failed: lost with its socket while live, it is read again.
    void readFailed(const Error &e);
    // The last statement's rows; the first ownLeading statements are the model's own (INFO FOR TABLE sent
    // with the first page) and their failure is not the query's.
    static QVariantList rowsOf(const QueryResult &result, Error *error, int ownLeading = 0);
};

} // namespace SurrealQt
