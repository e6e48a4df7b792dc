// Code shown in docs/views/querylistmodel.md. Compiled with the views tests so the examples
// cannot drift from the API; each function is one snippet.

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>

#include <QtCore/QDebug>
#include <QtCore/QSortFilterProxyModel>

using namespace Qt::StringLiterals;

namespace DocSnippets {

// [table]
SurrealQt::QueryListModel *customersModel(SurrealQt::DatabaseManager *db, QObject *parent)
{
    auto *model = new SurrealQt::QueryListModel(db->connection(), parent);
    model->setTable(u"customer"_s);
    model->setFilter(u"city = $city AND active = true"_s); // SurrealQL condition, values bound
    model->setBindings({{u"city"_s, u"Lyon"_s}});
    model->setOrderBy(u"name"_s); // with DEFINE INDEX ... FIELDS name: constant-time pages
    model->setPageSize(200);
    model->setLive(true); // follow inserts, changes, deletes and rows leaving the filter
    model->setColumns({u"name"_s, u"email"_s, u"city"_s}); // for a QTableView
    return model;                                          // loads on the next turn of the event loop
}
// [table]

// [query]
SurrealQt::QueryListModel *topOrders(SurrealQt::Connection *connection, QObject *parent)
{
    auto *model = new SurrealQt::QueryListModel(connection, parent);
    // $limit and $start make it paged (by START); without them the result is one page.
    model->setQuery(u"SELECT id, total, customer.name AS customer FROM order "
                    "WHERE total > $min ORDER BY total DESC LIMIT $limit START $start"_s);
    model->setBindings({{u"min"_s, 100}});
    return model;
}
// [query]

// [signals]
void watch(SurrealQt::QueryListModel *model)
{
    QObject::connect(model, &SurrealQt::QueryListModel::statusChanged, model,
                     [model](SurrealQt::QueryListModel::Status status) {
                         if (status == SurrealQt::QueryListModel::Failed)
                             qWarning() << "list failed:" << model->errorString();
                     });
    // An edit the database did not apply (refused by a permission rule, a failed ASSERT, ...):
    // the row already shows the database's value again.
    QObject::connect(model, &SurrealQt::QueryListModel::writeFailed, model,
                     [](const QVariant &recordId, const SurrealQt::Error &error) {
                         qWarning() << "not saved:" << recordId << error.toString();
                     });
}
// [signals]

// [proxy]
QSortFilterProxyModel *searchable(SurrealQt::QueryListModel *model, QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setFilterRole(model->roleForField(u"name"_s));
    // The proxy filters only the rows loaded so far. Either load everything first ...
    model->fetchAll();
    // ... or, better for big tables, filter on the server: model->setFilter(...) + bindings.
    return proxy;
}
// [proxy]

// [edit]
void rename(SurrealQt::QueryListModel *model, int row)
{
    // Shown at once; written back with UPDATE ... MERGE; rolled back with writeFailed() when the
    // database answers without a record (that is how a refused write looks).
    model->setField(row, u"name"_s, u"Ada Lovelace"_s);
    model->setData(model->index(row, 0), u"Ada"_s, model->roleForField(u"nickname"_s));
    model->createRecord({{u"name"_s, u"New customer"_s}, {u"city"_s, u"Lyon"_s}});
    model->removeRows(row, 1); // DELETE; a row whose delete was refused comes back
}
// [edit]

// [strategy]
void editThenSave(SurrealQt::QueryListModel *model)
{
    model->setEditStrategy(SurrealQt::QueryListModel::OnManualSubmit);
    // ... the user edits cells: the view shows the new values, nothing is written
    if (model->isDirty())
        model->submitAll(); // or model->revertAll() to drop the edits
}
// [strategy]

// [submitAllFinished]
void saveThenClose(SurrealQt::QueryListModel *model, QObject *dialog)
{
    QObject::connect(
        model, &SurrealQt::QueryListModel::submitAllFinished, dialog,
        [dialog](bool ok) {
            if (ok)
                dialog->deleteLater(); // else writeFailed() named each row not written
        },
        Qt::SingleShotConnection);
    model->submitAll();
}
// [submitAllFinished]

} // namespace DocSnippets
