// The code examples of docs/connections.md, docs/pooling.md, docs/errors.md, docs/threading.md and of the
// connection layer's header comments, compiled as part of tst_api so that they cannot rot.
// The functions are never called. Each page block is the body of one [name] snippet here,
// verbatim (tests/docs/check-doc-snippets.mjs). A page block may start with the #include it needs:
// inside a function it expands to nothing, because the file includes that header at the top.

#include <SurrealQt/SurrealQt>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QDebug>

using namespace Qt::StringLiterals;

namespace DocSnippets {

// docs/connections.md (top), include/SurrealQt/databasemanager.h
void openAndQuery(QObject *context)
{
    QObject *const self = context;
    // [manager]
    auto *db = new SurrealQt::DatabaseManager(QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
                                              SurrealQt::Credentials::root(u"root"_s, u"root"_s), self);
    db->open()
        .then(self, [db] { return db->connection()->select(SurrealQt::Table(u"item"_s)); })
        .unwrap()
        .then(self, [](const QVariantList &items) { qInfo() << items.size() << "items"; })
        .onFailed(self, [](const SurrealQt::Exception &e) { qWarning() << e.error(); });
    // [manager]
}

// docs/connections.md "Construction", docs/pooling.md
void construction(QObject *self)
{
    // Defaults: a pool of ConnectionOptions::DefaultPoolSize WebSockets.
    SurrealQt::DatabaseManager a(QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
                                 SurrealQt::Credentials::root(u"root"_s, u"root"_s));
    // One socket.
    // [construction-single]
    SurrealQt::DatabaseManager b(
        QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
        SurrealQt::Credentials::root(u"root"_s, u"root"_s),
        SurrealQt::ConnectionOptions{.sockets = SurrealQt::ConnectionOptions::Sockets::Single}, self);
    // [construction-single]
    // A pool spread over the nodes of a cluster.
    // [construction-cluster]
    SurrealQt::DatabaseManager c(QList<QUrl>{QUrl(u"ws://node-a:8000"_s), QUrl(u"ws://node-b:8000"_s)},
                                 u"shop"_s, u"main"_s, SurrealQt::Credentials::root(u"root"_s, u"root"_s),
                                 SurrealQt::ConnectionOptions{.poolSize = 4});
    // [construction-cluster]
    // Or set it before the first open()/connection().
    a.setPoolSize(3);
    a.setRequestTimeout(std::chrono::seconds(10));
}

// docs/connections.md "RPC methods"
void typedCalls(SurrealQt::DatabaseManager *db, QObject *self)
{
    // [typed-calls]
    using namespace SurrealQt;
    Connection *c = db->connection();
    const RecordId ann(u"person"_s, u"ann"_s);
    const Table person(u"person"_s);

    c->create(ann, {{u"age"_s, 30}}).then(self, [](const QVariantMap &record) { qDebug() << record; });
    c->create(person, {{u"age"_s, 5}}); // QVariantMap: one record, generated id
    c->select(person).then(self, [](const QVariantList &rows) { qDebug() << rows.size(); });
    c->select(ann).then(self, [](const QVariantMap &r) { qDebug() << (r.isEmpty() ? "absent" : "found"); });
    c->insert(person, QVariantList{QVariantMap{{u"age"_s, 1}}, QVariantMap{{u"age"_s, 2}}});
    c->merge(ann, {{u"city"_s, u"Oslo"_s}});
    c->update(ann, {{u"age"_s, 31}}); // replaces the content
    c->upsert(RecordId(u"person"_s, 7), {{u"age"_s, 40}});
    c->patch(ann, {QVariantMap{{u"op"_s, u"replace"_s}, {u"path"_s, u"/age"_s}, {u"value"_s, 41}}});
    c->relate(ann, Table(u"knows"_s), RecordId(u"person"_s, 7), {{u"since"_s, 2020}});
    c->insertRelation(QVariant::fromValue(Table(u"knows"_s)),
                      QVariantMap{{u"in"_s, QVariant::fromValue(ann)},
                                  {u"out"_s, QVariant::fromValue(RecordId(u"person"_s, 7))}});
    c->run(u"string::uppercase"_s, {u"abc"_s}); // params [name, NONE, args]
    c->remove(ann);                             // the `delete` RPC
    // [typed-calls]

    // Per-call options on every call.
    RequestOptions quick;
    quick.timeout = std::chrono::milliseconds(500);
    c->select(person, quick);

    // A string that looks like a record id where a table is expected fails with Validation.
    c->select(QVariant(u"person:1"_s)); // -> "... pass SurrealQt::RecordId(table, key) ..."
}

// docs/connections.md "Blocking calls (SyncConnection)"
QVariantMap onWorkerThread(SurrealQt::Connection *c)
{
    // [sync-connection]
    SurrealQt::SyncConnection(c).merge(SurrealQt::RecordId(u"person"_s, u"ann"_s), {{u"seen"_s, true}});
    SurrealQt::SyncConnection quiet(c, SurrealQt::SyncConnection::ErrorMode::Report);
    const QVariantMap ann = quiet.select(SurrealQt::RecordId(u"person"_s, u"ann"_s));
    if (quiet.lastError().isValid())
        qWarning() << quiet.lastError().toString();
    // [sync-connection]
    return ann;
}

// docs/connections.md "Session state"
void variables(SurrealQt::Connection *c)
{
    // [variables]
    c->let(u"min"_s, 400); // visible to every later query on every socket
    c->query(u"SELECT * FROM book WHERE pages > $min AND genre = $genre"_s, {{u"genre"_s, u"sf"_s}});
    // [variables]
}

// docs/connections.md "Attached sessions"
void attachedSession(SurrealQt::DatabaseManager *db, QObject *self)
{
    // [attached-session]
    using namespace SurrealQt;
    Connection *c = db->singleConnection(); // a pinned connection: sessions live on one socket
    RequestOptions in;
    in.session = QUuid::createUuid();
    c->call(u"attach"_s, {}, in)
        .then(self,
              [c, in](const QVariant &) { return c->signin(Credentials::root(u"root"_s, u"root"_s), in); })
        .unwrap()
        .then(self, [c, in](const QString &) { return c->use(u"shop"_s, u"archive"_s, in); })
        .unwrap()
        .then(self, [c, in] { return c->query(u"RETURN $session.db"_s, {}, in); })
        .unwrap()
        .then(self, [](const QueryResult &r) { qDebug() << r.value(0); }) // "archive"
        .onFailed(self, [](const Exception &e) { qWarning() << e.error(); });
    // later: c->sessions(), c->call(u"detach"_s, {}, in)
    // [attached-session]
}

// docs/connections.md "query() results"
void queryResults(SurrealQt::Connection *c, QObject *self)
{
    // [query-results]
    c->query(u"CREATE type::table($tb) SET n = $n; THROW 'boom'; RETURN 7;"_s,
             {{u"tb"_s, u"t"_s}, {u"n"_s, 42}})
        .then(self, [](const SurrealQt::QueryResult &r) {
            for (int i = 0; i < r.size(); ++i) {
                const SurrealQt::StatementResult &s = r.at(i);
                qDebug() << i << s.isOk() << s.time() << s.timeNanoseconds()
                         << (s.isOk() ? s.result() : QVariant(s.error().message()));
            }
            // r.isOk() is false (statement 1 threw); r.last() is 7; r.firstError() is the THROW.
        });
    // [query-results]
}

// docs/connections.md "Live queries"
void liveQueries(SurrealQt::Connection *c, QObject *self)
{
    // [live-queries]
    using namespace SurrealQt;
    LiveQuery *live = c->live(Table(u"book"_s), self); // parent = self; records, not diffs
    QObject::connect(live, &LiveQuery::created, self, [](const QVariant &record) { qDebug() << record; });
    QObject::connect(live, &LiveQuery::deleted, self,
                     [](const QVariant &id, const QVariant &before) { qDebug() << id << before; });
    QObject::connect(live, &LiveQuery::resyncRequired, self, [] { /* re-read and reconcile */ });
    QObject::connect(live, &LiveQuery::errorOccurred, self, [](const Error &e) { qWarning() << e; });

    LiveQuery *patches = c->live(Table(u"book"_s), LiveOptions{LiveOptions::Mode::Diff}, self);

    // With a filter: LIVE SELECT through `query`, values as variables.
    LiveQuery *expensive =
        c->liveQuery(u"LIVE SELECT * FROM book WHERE price > $min"_s, {{u"min"_s, 50}}, self);
    // [live-queries]
    Q_UNUSED(patches);
    Q_UNUSED(expensive);
}

// docs/connections.md "Ordering", include/SurrealQt/channel.h
void channel(SurrealQt::DatabaseManager *db, QObject *self)
{
    // [channel]
    using namespace SurrealQt;
    Channel *ch = db->connection()->channel(self);
    ch->select(Table(u"task"_s)).then(self, [](const QVariantList &rows) { qDebug() << rows.size(); });
    LiveQuery *live = ch->live(Table(u"task"_s), self); // registered after the select answered
    ch->query(u"UPDATE task SET seen = true"_s);        // sent after the live query is registered
    // [channel]
    Q_UNUSED(live);
}

// docs/connections.md "Interactive transactions"
void transactions(SurrealQt::Connection *c, QObject *self)
{
    // [transactions]
    using namespace SurrealQt;
    Transaction *tx = c->transaction(self);
    tx->create(RecordId(u"item"_s, 1), {{u"n"_s, 1}});
    tx->create(RecordId(u"item"_s, 2), {{u"n"_s, 2}});
    tx->commit().onFailed(self, [](const Exception &e) { qWarning() << e.error(); });
    // [transactions]

    // [transactions-order]
    Transaction *order = c->transaction(self);
    order->create(RecordId(u"order"_s, 1), {{u"total"_s, 10}})
        .then(self,
              [order](const QVariantMap &) {
                  // UPDATE as a statement runs inside the transaction; the update() RPC would not.
                  return order->query(u"UPDATE stock:widget SET count -= 1"_s);
              })
        .unwrap()
        .then(self, [order](const QueryResult &r) { return r.isOk() ? order->commit() : order->cancel(); })
        .unwrap()
        .onFailed(self, [order](const Exception &e) {
            qWarning() << e.error() << "conflict:" << (e.error().kind() == Error::Kind::Conflict);
            if (!order->isFinished())
                order->cancel();
        });
    // [transactions-order]
}

// docs/connections.md "Export and import"
void exportImport(SurrealQt::Connection *c, QObject *self, const QString &dump)
{
    // [export-import]
    c->exportDatabase().then(self, [](const QString &surrealql) { qDebug() << surrealql.size(); });
    c->importDatabase(dump);
    // [export-import]
}

// docs/pooling.md "Acquiring a socket"
void acquire(SurrealQt::DatabaseManager *db, QObject *self)
{
    // [pool-acquire]
    SurrealQt::ConnectionPool *pool = db->pool();
    // Exclusive use of one socket, once one is free (never shared, never blocking).
    pool->acquire().then(self, [](const SurrealQt::ConnectionPool::Handle &h) {
        h->query(u"RETURN 1"_s); // released when the last copy of h goes
    });
    // Or only if a socket is free right now.
    if (SurrealQt::ConnectionPool::Handle h = pool->tryAcquire(); h.isValid())
        h->query(u"RETURN 2"_s);
    QFuture<QVariant> max = pool->executeWithConnection<QVariant>([](SurrealQt::Connection *c) {
        return c->run(u"math::max"_s, {QVariant(QVariantList{1, 9, 3})});
    });
    // [pool-acquire]
    Q_UNUSED(max);
}

// docs/pooling.md "Wrapping a connection you already have"
void wrapExisting(SurrealQt::Connection *signedIn, QObject *self)
{
    // [pool-wrap]
    // Made, signed in and use()d elsewhere; the wrapper keeps its socket and session.
    auto *single = new SurrealQt::SingleConnection(signedIn, self);
    SurrealQt::CrudHelpers helpers(single);
    helpers.selectMany(SurrealQt::Table(u"person"_s), {}, {}, 10).then(self, [](const QVariantList &rows) {
        qDebug() << rows.size();
    });
    // [pool-wrap]
}

// docs/pooling.md "Blocking forms"
void blocking(SurrealQt::DatabaseManager *db)
{
    // On a worker thread or in a console tool, never on the GUI thread.
    // [pool-blocking]
    SurrealQt::SyncConnectionPool pool(db->pool());
    const qint64 n = pool.executeWithConnection([](SurrealQt::Connection *c) {
        return SurrealQt::SyncConnection(c).query(u"RETURN 41 + 1"_s).last().toLongLong();
    });
    SurrealQt::SyncSingleConnection single(db->singleConnection());
    single.ensureConnected();
    const QVariant row = single.executeWithRetry([](SurrealQt::Connection *c) {
        return QVariant(SurrealQt::SyncConnection(c).select(SurrealQt::RecordId(u"person"_s, u"ann"_s)));
    });
    // [pool-blocking]
    qDebug() << n << row;
    pool.closeAll();
}

// docs/pooling.md "Single connection"
void retry(SurrealQt::DatabaseManager *db, QObject *self)
{
    // [pool-retry]
    SurrealQt::SingleConnection *single = db->singleConnection(); // ConnectionOptions::Sockets::Single
    single->setMaxRetries(3);
    single
        ->executeWithRetry([](SurrealQt::Connection *c) {
            return c->select(QVariant::fromValue(SurrealQt::RecordId(u"person"_s, u"ann"_s)));
        })
        .then(self, [](const QVariant &row) { qDebug() << row; })
        .onFailed(self, [](const SurrealQt::Exception &e) { qWarning() << e.error(); });
    // [pool-retry]
}

// docs/errors.md
void errors(SurrealQt::DatabaseManager *db, QObject *self)
{
    using namespace SurrealQt;
    // [errors]
    db->connection()
        ->create(RecordId(u"person"_s, u"ann"_s), {{u"email"_s, u"ann@example.com"_s}})
        .then(self, [](const QVariantMap &created) { qDebug() << created; })
        .onFailed(self, [](const Exception &e) {
            const Error &err = e.error();
            switch (err.kind()) {
            case Error::Kind::AlreadyExists: // that id, or a UNIQUE index value, is taken
                break;
            case Error::Kind::Validation: // the schema refused a value (type, ASSERT)
                break;
            case Error::Kind::NotAllowed: // permission denied
                break;
            case Error::Kind::Conflict: // run the whole transaction again
                break;
            default:
                qWarning() << err.toString() << err.serverKind() << err.details() << err.context();
            }
        });

    try {
        SyncConnection(db->connection()).query(u"SELEC oops"_s); // worker thread
    } catch (const Exception &e) {
        // e.error().kind() == Error::Kind::Parse, e.what() == e.error().toString()
    }
    // [errors]
}

// docs/errors.md "Mapping from the Python seed"
void errorsBulk()
{
    // [errors-bulk]
    SurrealQt::Error bulk(SurrealQt::Error::Kind::BulkOperation, u"2 of 10 rows failed"_s);
    bulk.setItemErrors(
        {SurrealQt::Error(SurrealQt::Error::Kind::Validation, u"row 3: age must be a number"_s),
         SurrealQt::Error(SurrealQt::Error::Kind::Validation, u"row 7: name is required"_s)});
    for (const SurrealQt::Error &item : bulk.itemErrors())
        qWarning() << item.message();
    // [errors-bulk]
}

// docs/threading.md "Where results arrive"
void whereResultsArrive(SurrealQt::DatabaseManager *db, QObject *self, QStringList *titles)
{
    // [context]
    // Runs in self's thread (e.g. the GUI thread): safe to touch widgets and models.
    db->connection()
        ->query(u"SELECT VALUE title FROM book"_s)
        .then(self, [titles](const SurrealQt::QueryResult &r) { *titles = r.last().toStringList(); })
        .onFailed(self, [](const SurrealQt::Exception &e) { qWarning() << e.error(); });
    // [context]
    // [no-context]
    // No context: runs on the I/O thread.
    db->connection()->select(SurrealQt::Table(u"book"_s)).then([](const QVariantList &rows) {
        return rows.size();
    });
    // [no-context]
}

// docs/threading.md "Synchronous calls"
qint64 onWorkers(SurrealQt::DatabaseManager *db)
{
    // [sync-workers]
#include <QtConcurrent/QtConcurrent>

    SurrealQt::Connection *c = db->connection();
    QFuture<qint64> total = QtConcurrent::mappedReduced(
        QList<int>{1, 2, 3, 4},
        [c](int i) {
            return SurrealQt::SyncConnection(c).query(u"RETURN $i"_s, {{u"i"_s, i}}).last().toLongLong();
        },
        [](qint64 &acc, qint64 v) { acc += v; });
    // [sync-workers]
    return total.result();
}

} // namespace DocSnippets
