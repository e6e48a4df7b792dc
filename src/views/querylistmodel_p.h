#pragma once

// Not public API: the state behind SurrealQt::QueryListModel (and ModelListModel, which derives
// from it). It loads pages and ties together the parts, one job each:
//  * PagePlan: the source, the paging strategy, the loaded range, the SurrealQL of every read;
//  * RowStore: the rows, compact, and where each goes (with the item-model signals);
//  * LiveReconciler: following the database (notifications, re-checks, resyncs, resubscribing);
//  * WriteBack: edits, inserted rows and deletes written to the database, with rollback.
// The item-model surface is QueryListModel itself (querylistmodel.cpp).

#include <SurrealQt/querylistmodel.h>

#include "views/listmodelsupport_p.h"
#include "views/livereconciler_p.h"
#include "views/pageplan_p.h"
#include "views/rowstore_p.h"
#include "views/writeback_p.h"

#include <QtCore/QPointer>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace SurrealQt {

class QueryResult;

class SURREALQT_EXPORT QueryListModelPrivate
{
public:
    QueryListModelPrivate();
    virtual ~QueryListModelPrivate();
    Q_DISABLE_COPY_MOVE(QueryListModelPrivate)

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

    [[nodiscard]] static QueryListModelPrivate *get(QueryListModel *model) { return model->d.get(); }

    QueryListModel *q = nullptr;
    QPointer<Connection> connection;
    PagePlan plan;
    RowStore store{*this};
    LiveReconciler reconciler{*this};
    WriteBack writer{*this};

    // Presentation
    bool live = false;
    QStringList userRoles;
    QStringList columns;
    QString displayField;
    QStringList fields;
    QHash<QString, int> fieldIndex;

    // State
    QueryListModel::Status status = QueryListModel::Null;
    Error error;
    qint64 totalCount = -1;
    quint64 generation = 0; // a reload makes every answer to an older read stale
    bool started = false;
    // Reads (pages, re-checks, resyncs) run one at a time.
    bool reading = false;
    bool wantMore = false; // fetchMore() asked while a read was running
    bool fetchAllRequested = false;
    // fetchAll() called before the load it is meant for started.
    bool fetchAllOnStart = false;
    bool reloadPending = false;
    // Reads lost with their socket, or timed out, since the last one that succeeded.
    int lostReads = 0;
    static constexpr int MaxLostReads = 6;
    QTimer *recountTimer = nullptr;

    // Called once q is set: the timers and the count signal.
    void init();

    // Presentation
    void discoverFields(const QVariantList &records);
    // The roles a change from `before` to `after` touches.
    [[nodiscard]] QList<int> changedRoles(const QVariantMap &before, const QVariantMap &after) const;
    [[nodiscard]] QString fieldOfColumn(int column) const;
    // The field setData() writes for a role (empty: none).
    [[nodiscard]] virtual QString fieldOfRole(int role, int column) const;
    // Every dataChanged() of the model goes through here (ModelListModel maps the roles and
    // updates its row objects first).
    virtual void notifyChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                               const QList<int> &roles);
    // setField() / setData() with the editor's value: converted, checked and written.
    virtual bool setField(int row, const QString &field, const QVariant &value);

    // Loading
    void setStatus(QueryListModel::Status s);
    void setError(const Error &e);
    void setTotal(qint64 total);
    void fail(const Error &e);
    // A read (page, resync, recheck) failed: lost with its socket while live, it is read again.
    void readFailed(const Error &e);
    // The error handler of a read (readFailed) unless a reload made the read stale.
    [[nodiscard]] auto failIfCurrent(quint64 gen)
    {
        return ListModelSupport::inThreadOnError(q, [this, gen](const Error &e) {
            if (gen == generation)
                readFailed(e);
        });
    }
    void start();
    void scheduleReload();
    void detectIndexThenLoad(quint64 gen);
    void nextRead();
    // proof: the page again in a form the engine answers fully (a short page is then the end).
    void requestPage();
    void onPage(const QVariantList &records);
    void finishRead();
    void recount();
    // The table does not exist: an empty, Ready list.
    void showEmpty();
    void afterLiveChange();
    // The last statement's rows; the first ownLeading statements are the model's own (INFO FOR
    // TABLE sent with the first page) and their failure is not the query's.
    static QVariantList rowsOf(const QueryResult &result, Error *error, int ownLeading = 0);
};

} // namespace SurrealQt
