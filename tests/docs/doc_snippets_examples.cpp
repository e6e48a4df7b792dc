// The code of docs/examples/basic-usage.md and docs/examples/advanced-patterns.md, compiled by
// every CI build so the pages cannot drift from the API. Each block between "// [name]" markers
// is one code block of a page, verbatim; the CTests doc_snippets_match_* check that every C++
// block of those pages is one of these blocks (or of doc_snippets_examples.h). tst_doc_examples
// runs them against the test server and checks what they did.

#include "doc_snippets_examples.h"

#include <SurrealQt/SurrealQt>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QDebug>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QThread>

#include <chrono>
#include <functional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace DocSnippets {

// ---- docs/examples/basic-usage.md ---------------------------------------------------------

void connectToServer(QObject *window)
{
    // [connect]
    auto *db = new SurrealQt::DatabaseManager(QUrl(u"ws://127.0.0.1:8000"_s), u"app"_s, u"main"_s,
                                              SurrealQt::Credentials::root(u"root"_s, u"root"_s),
                                              window); // the window owns the manager
    QObject::connect(db, &SurrealQt::DatabaseManager::errorOccurred, window,
                     [](const SurrealQt::Error &e) { qWarning() << "database:" << e.toString(); });
    db->open()
        .then(window, [] { qInfo() << "connected and signed in"; })
        .onFailed(window, [](const SurrealQt::Exception &e) {
            // Wrong password: Authentication; nobody listening: Connection (after the retries).
            qWarning() << "cannot open:" << e.error().kind() << e.error().message();
        });
    // [connect]
}

void runQuery(SurrealQt::DatabaseManager *db, QObject *window)
{
    // [query]
    db->connection()
        ->query(u"SELECT title, priority FROM task WHERE priority >= $min ORDER BY priority DESC"_s,
                {{u"min"_s, 2}})
        .then(window, [](const SurrealQt::QueryResult &result) {
            if (!result.isOk()) { // a statement failed; the others may have run
                qWarning() << result.firstError().toString();
                return;
            }
            for (const QVariant &row : result.last().toList())
                qInfo() << row.toMap().value(u"title"_s).toString();
        });
    // [query]
}

void typedCalls(SurrealQt::Connection *c, QObject *window)
{
    // [crud]
    using SurrealQt::RecordId;
    using SurrealQt::Table;
    // Calls made one after another may run in any order: chain what depends on an earlier call.
    c->create(RecordId(u"task"_s, u"report"_s), {{u"title"_s, u"Write the report"_s}, {u"priority"_s, 3}})
        .then(window,
              [c](const QVariantMap &created) {
                  qInfo() << "created" << created.value(u"id"_s).value<RecordId>().toString();
                  return c->merge(RecordId(u"task"_s, u"report"_s), {{u"done"_s, true}});
              })
        .unwrap()
        .then(window, [](const QVariantMap &merged) { qInfo() << "done:" << merged.value(u"done"_s); })
        .onFailed(window, [](const SurrealQt::Exception &e) { qWarning() << e.error().toString(); });

    c->select(Table(u"task"_s)).then(window, [](const QVariantList &rows) { qInfo() << rows.size(); });
    c->remove(RecordId(u"task"_s, u"old"_s)).then(window, [](const QVariantMap &removed) {
        qInfo() << (removed.isEmpty() ? "there was no task:old" : "removed task:old");
    });
    // [crud]
}

void helpers(SurrealQt::DatabaseManager *db, QObject *window)
{
    // [helpers]
    auto *crud = new SurrealQt::CrudHelpers(db->connection(), window);
    crud->insertOne(u"task"_s, {{u"title"_s, u"Call Ann"_s}, {u"priority"_s, 1}});
    crud->selectMany(u"task"_s, u"done = false AND priority >= $min"_s, {{u"min"_s, 1}},
                     /*limit*/ 20, /*offset*/ 0, /*orderBy*/ u"priority"_s, Qt::DescendingOrder)
        .then(window, [](const QVariantList &rows) { qInfo() << rows.size() << "open tasks"; });
    crud->updateMany(u"task"_s, u"done = true"_s, {}, {{u"archived"_s, true}},
                     SurrealQt::CrudHelpers::UpdateMode::Merge);
    // Every call also ends in one signal: inserted, selected, updated, ... or errorOccurred.
    QObject::connect(crud, &SurrealQt::CrudHelpers::errorOccurred, window,
                     [](const SurrealQt::Error &e) { qWarning() << e.toString(); });
    // [helpers]
}

void models(SurrealQt::DatabaseManager *db, QObject *window)
{
    // [model-use]
    Task::setDefaultConnection(db); // Task::objects() and save() use it

    auto task = QSharedPointer<Task>::create();
    task->setTitle(u"Review pull request"_s);
    task->setPriority(2);
    task->save().then(window, [task] { qInfo() << "saved as" << task->id().toString(); });

    Task::objects()
        .filter(u"done"_s, false)
        .filter(u"priority__gte"_s, 2)
        .orderBy(u"-priority"_s)
        .all()
        .then(window, [](const QList<QSharedPointer<Task>> &tasks) {
            for (const QSharedPointer<Task> &t : tasks) {
                t->setDone(true);
                t->save(); // sends only the changed field
            }
        });

    Task::objects().filter(u"title__startswith"_s, u"tmp"_s).deleteMany().then(window, [](qint64 n) {
        qInfo() << n << "temporary tasks removed";
    });
    // [model-use]
}

void views(SurrealQt::DatabaseManager *db, QObject *window)
{
    // [views]
    // Rows are Task objects; the roles are the fields; live: follows inserts, edits and deletes.
    SurrealQt::ModelListModel *tasks = SurrealQt::ModelListModel::of<Task>(db->connection(), window);
    tasks->setFilter(u"done = false"_s);
    tasks->setOrderBy(u"priority"_s);
    tasks->setDescending(true);
    tasks->setLive(true);

    // Any SurrealQL, rows as maps: for reports, joins and projections.
    auto *report = new SurrealQt::QueryListModel(db->connection(), window);
    report->setQuery(u"SELECT priority, count() AS n FROM task GROUP BY priority"_s);
    report->setColumns({u"priority"_s, u"n"_s}); // for a QTableView
    // view->setModel(tasks); in QML: ListView { model: tasks }
    // [views]
}

void errors(SurrealQt::Connection *c, QObject *window)
{
    // [errors]
    using SurrealQt::Error;
    c->create(SurrealQt::RecordId(u"task"_s, u"report"_s), {{u"title"_s, u"Again"_s}})
        .then(window, [](const QVariantMap &) { qInfo() << "created"; })
        .onFailed(window, [](const SurrealQt::Exception &e) {
            switch (e.error().kind()) {
            case Error::Kind::AlreadyExists: // that id (or a UNIQUE value) is taken
                qInfo() << "exists already";
                break;
            case Error::Kind::Validation: // refused by the schema (type, ASSERT) or by our checks
            case Error::Kind::NotAllowed: // a permission rule
                qWarning() << "refused:" << e.error().message();
                break;
            default:
                qWarning() << e.error().toString() << "retry?" << e.error().isRetryable();
            }
        });
    // [errors]
}

// [blocking]
// A console tool, or any thread that may wait: the blocking calls (SyncConnection) throw.
int printOpenTasks()
{
    SurrealQt::DatabaseManager db(QUrl(u"ws://127.0.0.1:8000"_s), u"app"_s, u"main"_s,
                                  SurrealQt::Credentials::root(u"root"_s, u"root"_s));
    try {
        db.openSync();
        const SurrealQt::QueryResult r = SurrealQt::SyncConnection(db.connection())
                                             .query(u"SELECT VALUE title FROM task WHERE done = false"_s);
        for (const QString &title : r.last().toStringList())
            qInfo().noquote() << title;
        return 0;
    } catch (const SurrealQt::Exception &e) {
        qCritical().noquote() << e.error().toString();
        return 1;
    }
}
// [blocking]

// ---- docs/examples/advanced-patterns.md ------------------------------------------------------

// [transaction-retry]
// Moves stock in one interactive transaction. Conflict means another transaction touched the
// same records first: nothing of this one was applied, so running it again is safe.
void moveStock(SurrealQt::Connection *c, QObject *context, int quantity, int attempt = 1)
{
    using namespace SurrealQt;
    Transaction *tx = c->transaction(context);
    tx->query(u"UPDATE stock:shelf SET count -= $n; UPDATE stock:store SET count += $n;"_s,
              {{u"n"_s, quantity}})
        .then(context,
              [tx](const QueryResult &r) {
                  if (!r.isOk())
                      throw Exception(r.firstError()); // e.g. an ASSERT count >= 0 refused it
                  return tx->commit();
              })
        .unwrap()
        .then(context, [tx] { tx->deleteLater(); })
        .onFailed(context, [c, context, tx, quantity, attempt](const Exception &e) {
            tx->deleteLater(); // an unfinished transaction is cancelled when destroyed
            if (e.error().kind() == Error::Kind::Conflict && attempt < 5)
                moveStock(c, context, quantity, attempt + 1);
            else
                qWarning() << "stock not moved:" << e.error().toString();
        });
}
// [transaction-retry]

void oneRoundTrip(SurrealQt::Connection *c, QObject *context)
{
    // [transaction-block]
    // All or nothing in one request: no round trip per statement, no transaction object.
    c->query(u"BEGIN; "
             "CREATE order:1001 SET total = $total; "
             "UPDATE stock:widget SET count -= 1; "
             "COMMIT;"_s,
             {{u"total"_s, 42}})
        .then(context, [](const SurrealQt::QueryResult &r) {
            if (!r.isOk()) // every statement of a failed block reports the error
                qWarning() << "rolled back:" << r.firstError().message();
        });
    // [transaction-block]
}

void cache(SurrealQt::DatabaseManager *db, QObject *context)
{
    // [cache]
    auto *users = new SurrealQt::RecordCache(db, context);
    users->watch(SurrealQt::Table(u"user"_s)); // a live query keeps the entries current
    // Later, anywhere on this thread: the first get() of a record asks the server, the next
    // ones are answered from memory until the server announces a change or a deletion.
    users->get(SurrealQt::RecordId(u"user"_s, u"ann"_s)).then(context, [](const QVariantMap &user) {
        qInfo() << user.value(u"name"_s);
    });
    QObject::connect(users, &SurrealQt::RecordCache::recordChanged, context,
                     [](const SurrealQt::RecordId &id) { qInfo() << id.toString() << "changed"; });
    // [cache]
}

void liveSignals(SurrealQt::Connection *c, QObject *context, QHash<QString, QVariantMap> *open)
{
    // [live]
    using namespace SurrealQt;
    // A filtered LIVE SELECT says nothing when a row stops matching (SurrealDB issue 2912), so
    // the whole table is followed and the filter is applied here.
    auto keep = [open](const QVariant &row) {
        const QVariantMap task = row.toMap();
        const QString id = task.value(u"id"_s).value<RecordId>().toString();
        if (task.value(u"done"_s).toBool())
            open->remove(id);
        else
            open->insert(id, task);
    };
    auto reload = [c, context, open, keep] {
        c->select(Table(u"task"_s)).then(context, [open, keep](const QVariantList &rows) {
            open->clear();
            for (const QVariant &row : rows)
                keep(row);
        });
    };
    LiveQuery *live = c->live(Table(u"task"_s), context);
    live->started().then(context, [reload](const QUuid &) { reload(); }); // subscribe, then read
    QObject::connect(live, &LiveQuery::created, context, keep);
    QObject::connect(live, &LiveQuery::updated, context, keep);
    QObject::connect(live, &LiveQuery::deleted, context, [open](const QVariant &id, const QVariant &) {
        open->remove(id.value<RecordId>().toString());
    });
    // Changes made while the socket was down were never announced: read everything again.
    QObject::connect(live, &LiveQuery::resyncRequired, context, reload);
    // [live]
}

// [paging-cursor]
// Walks a whole table, 500 rows per request, each page as cheap as the first.
void exportEvents(SurrealQt::PageCursor cursor, QObject *context,
                  std::function<void(const QVariantList &rows)> write)
{
    cursor.fetch().then(context, [context, write](const SurrealQt::PageCursor::Page &page) {
        write(page.rows);
        if (!page.next.atEnd())
            exportEvents(page.next, context, write);
    });
}
// [paging-cursor]

void startExport(SurrealQt::Connection *c, QObject *context)
{
    // [paging-start]
    SurrealQt::PageCursor events(c, SurrealQt::Table(u"event"_s), 500);
    events.where(u"kind = $kind"_s, {{u"kind"_s, u"login"_s}});
    exportEvents(events, context, [](const QVariantList &rows) { qInfo() << rows.size() << "rows"; });
    // [paging-start]
}

// [paging-models]
// The same with model objects: orderBy a field with the `index` option pages by key set.
void visitTasks(QObject *context, const SurrealQt::PageToken &after = {})
{
    Task::objects()
        .orderBy(u"priority"_s)
        .limit(200)
        .page(after)
        .then(context, [context](const SurrealQt::Page<Task> &page) {
            for (const QSharedPointer<Task> &task : page.items)
                qInfo() << task->title();
            if (!page.isLast())
                visitTasks(context, page.next);
        });
}
// [paging-models]

// [bulk-retries]
// Imports readings; batches whose request failed retryably (dropped connection, timeout,
// conflict) are resent up to five times by the job itself. What is still unsettled afterwards
// is tried once more in a second job: every record carries its id by then, so a record that
// was in fact stored comes back as AlreadyExists instead of being stored twice.
void importReadings(SurrealQt::Connection *c, QObject *context, const QList<QVariantMap> &readings)
{
    using namespace SurrealQt;
    BulkOptions options;
    options.maxRetries = 5;
    options.retryDelay = 200ms;  // doubles per attempt ...
    options.maxRetryDelay = 5s;  // ... up to this
    options.ignoreErrors = true; // report refused records, write all the others
    auto *bulk = new BulkOperations(c, options, context);
    QObject::connect(bulk, &BulkOperations::progress, context,
                     [](qint64 done, qint64 total) { qInfo() << done << "/" << total; });
    bulk->bulkInsert(u"reading"_s, readings)
        .then(context,
              [bulk](const BulkResult &result) {
                  QVariantList again;
                  for (const BulkItemError &failure : result.errors()) {
                      if (failure.error.isRetryable() ||
                          result.status(failure.index) == BulkResult::ItemStatus::Unknown)
                          again.append(failure.record); // with the id generated for it
                      else
                          qWarning() << "reading" << failure.index << failure.error.message();
                  }
                  return bulk->bulkInsert(u"reading"_s, again);
              })
        .unwrap()
        .then(context,
              [bulk](const BulkResult &second) {
                  for (const BulkItemError &failure : second.errors())
                      if (failure.error.kind() != Error::Kind::AlreadyExists) // stored the first time
                          qWarning() << "still not stored:" << failure.record;
                  bulk->deleteLater();
              })
        .onFailed(context, [bulk](const Exception &e) {
            qWarning() << "import could not start:" << e.error().toString();
            bulk->deleteLater();
        });
}
// [bulk-retries]

// [threads-concurrent]
// Blocking calls belong on worker threads; QtConcurrent provides them.
QFuture<qint64> countOpenTasks(SurrealQt::Connection *c)
{
    return QtConcurrent::run([c] {
        return SurrealQt::SyncConnection(c)
            .query(u"RETURN count(SELECT id FROM task WHERE done = false)"_s)
            .last()
            .toLongLong();
    });
}
// [threads-concurrent]

// [threads-worker-start]
// Indexer (in doc_snippets_examples.h) is a QObject that lives in a thread of its own.
Indexer *startIndexer(SurrealQt::DatabaseManager *db, QThread *thread)
{
    auto *indexer = new Indexer(db->connection());
    indexer->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, indexer, &QObject::deleteLater);
    QMetaObject::invokeMethod(indexer, &Indexer::reindex, Qt::QueuedConnection);
    return indexer; // connect to finished() from any thread
}
// [threads-worker-start]

void ordered(SurrealQt::DatabaseManager *db, QObject *context)
{
    // [threads-channel]
    // One socket, one call after the other: each is sent once the previous one was answered.
    SurrealQt::Channel *ordered = db->connection()->channel(context);
    ordered->create(SurrealQt::RecordId(u"job"_s, 7), {{u"state"_s, u"queued"_s}});
    ordered->merge(SurrealQt::RecordId(u"job"_s, 7), {{u"state"_s, u"running"_s}});
    ordered->select(SurrealQt::RecordId(u"job"_s, 7)).then(context, [](const QVariantMap &job) {
        qInfo() << job.value(u"state"_s); // "running"
    });
    // [threads-channel]
}

} // namespace DocSnippets
