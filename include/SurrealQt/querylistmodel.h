#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <memory>

namespace SurrealQt {

class Connection;
class QueryListModelPrivate;

/*! Rows of a SurrealDB table or query for item views (QListView, QTableView, QML ListView and
    TableView), loaded page by page and, with `live` on, kept in step with the database.

    Two sources, the table form being the one that pages in constant time and follows changes
    exactly:
     * table + filter + orderBy (+ descending): `filter` is a SurrealQL condition whose values
       come from `bindings` as $name, `orderBy` a field name (empty: record id). The filter is
       code: write it in the program (or the QML file), never from what a user typed; put the
       user's values into `bindings` (filter "name CONTAINS $q", bindings {q: searchField.text}).
     * query: any SurrealQL with $name bindings; the last statement's result are the rows. It is
       paged only when it uses $limit and $start (the model binds them); otherwise it is one page.

    Paging (see docs/views/querylistmodel.md for the measurements). The table form is ordered by
    (orderBy, id), both ascending or both descending, and every page continues after the last
    row's (value, id), so rows inserted or deleted elsewhere never shift a page:
     * ordered by id, ascending: each page is a record-id range scan bound as a variable
       (`t:last>..`), constant cost wherever it starts;
     * ordered by a field that starts an index (found with INFO FOR TABLE): the rest of the last
       value's ties in id order, then the next values from the index: constant cost;
     * id descending, a field without an index: the same (value, id) continuation, which the
       engine answers by sorting the rows after it;
     * queries: START ($limit / $start), which grows with the offset.

    Roles: Qt::DisplayRole ("display"), Qt::EditRole ("edit"), RecordRole ("record", the whole
    row as a QVariantMap), DirtyRole ("dirty", an edit not written yet), then one role per field,
    named after it. Fields come from `roles` if
    set, else from the keys of the first page's rows. With `columns` set the model has one column
    per listed field (for QTableView / TableView); display and edit then read that column's field.

    Rows are kept as their CBOR encoding (one shared buffer per page), not as one QObject or
    QVariantMap per row; data() decodes on demand behind a small cache. */
class SURREALQT_EXPORT QueryListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(SurrealQt::Connection *connection READ connection WRITE setConnection NOTIFY connectionChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(SurrealQt::Error error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(QVariantMap bindings READ bindings WRITE setBindings NOTIFY bindingsChanged)
    Q_PROPERTY(QString table READ table WRITE setTable NOTIFY tableChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(QString orderBy READ orderBy WRITE setOrderBy NOTIFY orderByChanged)
    Q_PROPERTY(bool descending READ descending WRITE setDescending NOTIFY descendingChanged)
    Q_PROPERTY(bool live READ isLive WRITE setLive NOTIFY liveChanged)
    Q_PROPERTY(QStringList liveTables READ liveTables WRITE setLiveTables NOTIFY liveTablesChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)
    Q_PROPERTY(QStringList roles READ roles WRITE setRoles NOTIFY rolesChanged)
    Q_PROPERTY(QStringList columns READ columns WRITE setColumns NOTIFY columnsChanged)
    Q_PROPERTY(QString displayField READ displayField WRITE setDisplayField NOTIFY displayFieldChanged)
    Q_PROPERTY(bool pagedInConstantTime READ isPagedInConstantTime NOTIFY statusChanged)
    Q_PROPERTY(EditStrategy editStrategy READ editStrategy WRITE setEditStrategy NOTIFY editStrategyChanged)

public:
    /*! Null: nothing to load (no connection or no source); Loading: a page or a reload is on its way;
        Ready: the loaded rows are current; Failed: the last load failed (error()). Failed was named
        `Error` before: inside the list models that name hid the class SurrealQt::Error; Failed is
        LiveQuery::State's name for the same state. */
    enum Status { Null, Loading, Ready, Failed };
    Q_ENUM(Status)

    /*! RecordRole: the whole row as a QVariantMap; DirtyRole ("dirty"): true while the cell holds
        an edit not written yet, as isDirty(const QModelIndex &) (for QML delegates and styled
        views; it changes with dataChanged()); FirstFieldRole + i: field i of fieldNames(). */
    enum Role { RecordRole = Qt::UserRole, DirtyRole, FirstFieldRole };
    Q_ENUM(Role)

    /*! When edits made through the model (setData(), setField()) are written to the database,
        as QSqlTableModel::EditStrategy. Rows made by insertRows() are created by submit() with
        OnFieldChange and OnRowChange, by submitAll() with OnManualSubmit. removeRows() deletes
        at once with every strategy. */
    enum EditStrategy {
        OnFieldChange, //!< Each edit is written at once (the default).
        OnRowChange,   //!< Edits are written by submit(): views call it when the current row changes,
                       //!< QDataWidgetMapper::submit() calls it.
        OnManualSubmit //!< Edits stay in the model (shown, isDirty()) until submitAll(); revertAll() drops
                       //!< them.
    };
    Q_ENUM(EditStrategy)

    /*! A model without a connection (Status Null until setConnection()). */
    explicit QueryListModel(QObject *parent = nullptr);
    /*! A model reading through connection (not owned); it loads once a source is set. */
    explicit QueryListModel(Connection *connection, QObject *parent = nullptr);
    /*! `new QueryListModel(nullptr)` would match both constructors above: no connection, no parent. */
    explicit QueryListModel(std::nullptr_t, QObject *parent = nullptr);
    ~QueryListModel() override;

    /*! The connection it reads through; null when none or deleted. */
    [[nodiscard]] Connection *connection() const;
    /*! Reads through connection from now on (not owned); reloads. */
    void setConnection(Connection *connection);

    /*! Where loading stands. */
    [[nodiscard]] Status status() const;
    /*! The error of the last failed load; invalid otherwise. */
    [[nodiscard]] SurrealQt::Error error() const;
    /*! error()'s message; empty without an error. */
    [[nodiscard]] QString errorString() const;
    /*! Rows loaded so far (rowCount()). */
    [[nodiscard]] int count() const;
    /*! Rows the source holds, -1 until known. Counted with `SELECT count() ... GROUP ALL`. */
    [[nodiscard]] qint64 totalCount() const;

    /*! The query form's SurrealQL; empty in the table form. */
    [[nodiscard]] QString query() const;
    /*! Switches to the query form (see the class description); reloads on the next turn of the event loop. */
    void setQuery(const QString &surrealql);
    /*! The values of the `$name` variables of the filter or the query. */
    [[nodiscard]] QVariantMap bindings() const;
    /*! Sets the bind variables (names starting with `qlm_` are the model's own); reloads. */
    void setBindings(const QVariantMap &bindings);
    /*! The table form's table; empty in the query form. */
    [[nodiscard]] QString table() const;
    /*! Switches to the table form on table (a plain name; the model quotes it); reloads. */
    void setTable(const QString &table);
    /*! The table form's SurrealQL condition; empty for every record. */
    [[nodiscard]] QString filter() const;
    /*! Sets the condition: code written by the program, values as `$name` bindings (a `;` is refused);
     * reloads. */
    void setFilter(const QString &condition);
    /*! The ordering field; empty for the record id. */
    [[nodiscard]] QString orderBy() const;
    /*! Orders the table form by field (empty: record id); reloads. */
    void setOrderBy(const QString &field);
    /*! True for a descending order. */
    [[nodiscard]] bool descending() const;
    /*! Sets the order's direction; reloads. */
    void setDescending(bool descending);
    /*! True when the model follows changes through a live query. */
    [[nodiscard]] bool isLive() const;
    /*! Follows creates, updates and deletes (and rows entering or leaving the filter) with row
        signals; needs a WebSocket. Reloads. */
    void setLive(bool live);
    /*! Query form with live on: the tables whose changes re-run the query. Empty (the default):
        the tables in the server's plan for the query (EXPLAIN), its subqueries included; a query
        whose source the plan cannot name (type::table($t)) then needs them listed here. Rows of a
        live query must carry their record id (select `id`). */
    [[nodiscard]] QStringList liveTables() const;
    /*! Sets liveTables(); reloads. */
    void setLiveTables(const QStringList &tables);
    /*! Rows per page. */
    [[nodiscard]] int pageSize() const;
    /*! Rows per page loaded by fetchMore(). */
    void setPageSize(int rows);
    /*! The fields that get roles; empty: the keys of the first page's rows. */
    [[nodiscard]] QStringList roles() const;
    /*! Names the fields that get roles, in role order; reloads. */
    void setRoles(const QStringList &fields);
    /*! The fields shown as columns; empty: one column. */
    [[nodiscard]] QStringList columns() const;
    /*! One column per field (for QTableView / TableView); display and edit read the column's field. */
    void setColumns(const QStringList &fields);
    /*! The field DisplayRole shows in the one-column form. */
    [[nodiscard]] QString displayField() const;
    /*! Sets displayField(). */
    void setDisplayField(const QString &field);
    /*! True when the current source continues pages by a key range or an index (see the class
        comment). */
    [[nodiscard]] bool isPagedInConstantTime() const;

    /*! The edit strategy (OnFieldChange by default). */
    [[nodiscard]] EditStrategy editStrategy() const;
    /*! Sets when edits are written. Edits not written yet are dropped first (revertAll()), as
        QSqlTableModel::setEditStrategy() does. */
    void setEditStrategy(EditStrategy strategy);
    /*! True while the model holds edits not written yet: edited rows (OnRowChange,
        OnManualSubmit) or rows made by insertRows() and not submitted. */
    Q_INVOKABLE [[nodiscard]] bool isDirty() const;
    /*! True when the cell at \a index holds an edit not written yet (with `columns` set: that
        column's field; without: any field of the row), or its row is an unsubmitted inserted row. */
    Q_INVOKABLE [[nodiscard]] bool isDirty(const QModelIndex &index) const;

    /*! The fields behind the field roles, in role order (FirstFieldRole + i). */
    [[nodiscard]] QStringList fieldNames() const;
    /*! The role of field, or -1. */
    [[nodiscard]] int roleForField(const QString &field) const;

    /*! The whole row, its record id (a SurrealQt::RecordId), and the row of a record id (-1). */
    Q_INVOKABLE [[nodiscard]] QVariantMap get(int row) const;
    /*! The row's record id (a SurrealQt::RecordId); invalid for a row without one. */
    Q_INVOKABLE [[nodiscard]] QVariant recordId(int row) const;
    /*! The row holding recordId among the loaded rows, or -1. */
    Q_INVOKABLE [[nodiscard]] int rowOf(const QVariant &recordId) const;
    /*! The typed form of rowOf(const QVariant &) for C++: the row of \a id, or -1. */
    [[nodiscard]] int rowOf(const RecordId &id) const;
    /*! Writes one field of a row (merge), shown at once, rolled back with writeFailed() when the
        server did not apply it. Returns false for bad input (unknown row or field). */
    Q_INVOKABLE bool setField(int row, const QString &field, const QVariant &value);
    /*! Creates a record in `table`; it shows up where the order puts it once the server answers. */
    Q_INVOKABLE void createRecord(const QVariantMap &data);
    /*! Deletes the row's record (see removeRows()); false for a row that does not exist. */
    Q_INVOKABLE bool removeRecord(int row);

    /*! QAbstractItemModel */
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    /*! The number of columns() (1 without columns). */
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    /*! The value of a role (field roles, RecordRole, display, edit) for the row. */
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /*! Writes a field (as setField()), converting value to the field's type; false when the cell is not
     * editable. */
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    /*! Editable for fields that can be written (not the id, dotted fields, READONLY or computed ones). */
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    /*! The column's field name (the display field, or "id", without columns); rows show their number. */
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    /*! display, edit, record and one role per field, named after it (for QML). */
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    /*! True while pages remain. */
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent = {}) const override;
    /*! Loads the next page (views call it while scrolling). */
    void fetchMore(const QModelIndex &parent = {}) override;
    /*! Inserts empty rows (table form only) that exist in the model alone: set their fields with
        setData(), then submit() creates their records. Removing such a row before then leaves no
        trace. Unsubmitted rows are dropped by a reload. */
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    /*! Removes the rows at once and deletes their records; a row whose delete did not happen
        (refused by a permission rule, or an error) comes back with writeFailed(). */
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    /*! Creates the records of the rows insertRows() made (views call it when an edit ends with
        Return or the current row changes; QDataWidgetMapper::submit() calls it). Each created
        row takes its place in the order (or leaves the view when that lies beyond the loaded
        pages); one the server refuses stays, unsubmitted, with writeFailed(). With OnRowChange it
        is submitAll(); with OnManualSubmit it does nothing (submitAll() writes). */
    bool submit() override;
    /*! With OnRowChange, drops the edits not written yet (revertAll()), as a view calls it when
        the user cancels an edit; nothing with the other strategies. */
    void revert() override;

public Q_SLOTS:
    /*! Drops the rows and loads the first page again (and resubscribes when live). */
    void reload();
    /*! Loads every remaining page, one after the other. */
    void fetchAll();
    /*! Writes every edit not written yet, and creates the rows insertRows() made. Each edited
        row is one write (a MERGE of its edited fields, applied whole or not at all); rows are
        written independently, not in one transaction: a row the database refuses (an ASSERT, a
        permission rule) shows the database's values again and reports writeFailed(), the
        others are written. Returns false without a connection (nothing is sent). The writes are
        asynchronous, unlike QSqlTableModel::submitAll(): submitAllFinished() tells when every
        one has been answered and whether all were written; each row's outcome comes as it is
        answered (dataChanged with the stored record, or writeFailed). */
    bool submitAll();
    /*! Drops every edit not written yet (the rows show the database's values again) and the
        rows insertRows() made that were not submitted. */
    void revertAll();
    /*! Drops the edits of one row not written yet; an unsubmitted inserted row is removed. */
    void revertRow(int row);

Q_SIGNALS:
    /*! connection() changed. */
    void connectionChanged();
    /*! status() changed. */
    void statusChanged(SurrealQt::QueryListModel::Status status);
    /*! error() changed. */
    void errorChanged();
    /*! count() changed. */
    void countChanged();
    /*! totalCount() changed. */
    void totalCountChanged();
    /*! query() changed. */
    void queryChanged();
    /*! bindings() changed. */
    void bindingsChanged();
    /*! table() changed. */
    void tableChanged();
    /*! filter() changed. */
    void filterChanged();
    /*! orderBy() changed. */
    void orderByChanged();
    /*! descending() changed. */
    void descendingChanged();
    /*! isLive() changed. */
    void liveChanged();
    /*! liveTables() changed. */
    void liveTablesChanged();
    /*! pageSize() changed. */
    void pageSizeChanged();
    /*! roles() changed. */
    void rolesChanged();
    /*! columns() changed. */
    void columnsChanged();
    /*! displayField() changed. */
    void displayFieldChanged();
    /*! The edit strategy changed. */
    void editStrategyChanged();
    /*! A page arrived (rows first..last were inserted). */
    void pageLoaded(int first, int last);
    /*! Every page is in (canFetchMore() is false). */
    void fullyLoaded();
    /*! A write made through the model did not happen; the row shows the database's state again.
        recordId is invalid for a create that failed. */
    void writeFailed(const QVariant &recordId, const SurrealQt::Error &error);
    /*! Live changes have been applied (after each notification batch and after a resync). */
    void liveChangesApplied();
    /*! Every write started by one submitAll() call has been answered. ok is true when every
        edited row was written and every inserted row created; false when at least one was not
        (writeFailed() named each, and those rows show the database's values again, or stay
        unsubmitted) or when submitAll() returned false. Emitted once per call, after the call
        returned (on the next turn of the event loop when there was nothing to write). With
        OnRowChange, submit() is submitAll() and emits it too. */
    void submitAllFinished(bool ok);

protected:
    /*! For a subclass with its own private part (derived from QueryListModelPrivate), as Qt's
        own models do; the model owns \a dd. ModelListModel is made this way. */
    QueryListModel(QueryListModelPrivate &dd, QObject *parent);

    /*! The private part (not API), reachable by subclasses made through the constructor above. */
    std::unique_ptr<QueryListModelPrivate> d;

private:
    friend class QueryListModelPrivate;
    friend class RowStore;
    friend class LiveReconciler;
    friend class WriteBack;
};

} // namespace SurrealQt
