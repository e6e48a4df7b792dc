// The code of docs/migration.md, compiled by every CI build so the page cannot drift from the
// API. Each block between "// [name]" markers is one code block of the page, verbatim (the CTest
// doc_snippets_match_docs_migration_md checks it). tst_doc_examples runs them (all but
// connectAndSignIn, which names a fixed address) and checks what they did.

#include <SurrealQt/SurrealQt>

#include <QtCore/QDebug>
#include <QtCore/QObject>

using namespace Qt::StringLiterals;

// [person]
class Person : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Person)
    Q_CLASSINFO("name", "required")
    Q_CLASSINFO("age", "index")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(QString, city, setCity)
};
// [person]

namespace DocSnippets {

void connectAndSignIn(QObject *app)
{
    // [connect]
    // JS:     await db.connect(url, { namespace, database, authentication: { username, password } })
    // Python: db = Surreal(url); db.signin({...}); db.use(ns, db)
    auto *db = new SurrealQt::DatabaseManager(QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
                                              SurrealQt::Credentials::root(u"root"_s, u"root"_s), app);
    db->open().then(app, [] { qInfo() << "ready"; }).onFailed(app, [](const SurrealQt::Exception &e) {
        qWarning() << e.error().toString();
    });
    // [connect]
}

void queries(SurrealQt::Connection *c, QObject *app)
{
    // [query]
    // JS:     const [adults, n] = await db.query(sql, { min: 18 }).collect()
    // Python: adults = db.query(sql, {"min": 18})   # the first statement's result
    c->query(u"SELECT * FROM person WHERE age >= $min; RETURN count(SELECT id FROM person);"_s,
             {{u"min"_s, 18}})
        .then(app, [](const SurrealQt::QueryResult &r) {
            const QVariantList adults = r.value(0).toList(); // statement 0
            const qint64 n = r.last().toLongLong();          // statement 1
            qInfo() << adults.size() << "of" << n;
        });
    // [query]
}

void records(SurrealQt::Connection *c, QObject *app)
{
    // [crud]
    using SurrealQt::RecordId;
    using SurrealQt::Table;
    const RecordId tobie(u"person"_s, u"tobie"_s); // JS new RecordId(...), Python RecordID(...)
    // JS and Python code awaits each call before the next one. Calls here do not wait, and on a
    // pool they may run in any order: a Channel sends each one after the previous answer.
    SurrealQt::Channel *inOrder = c->channel(app);
    inOrder->create(tobie, {{u"name"_s, u"Tobie"_s}, {u"age"_s, 33}}); // create(id).content(data)
    inOrder->update(tobie, {{u"name"_s, u"Tobie"_s}, {u"age"_s, 34}}); // update(id).content(data)
    inOrder->merge(tobie, {{u"city"_s, u"London"_s}});                 // update(id).merge(data)
    inOrder->patch(tobie, {QVariantMap{{u"op"_s, u"replace"_s}, {u"path"_s, u"/age"_s}, {u"value"_s, 35}}});
    inOrder->remove(tobie).then(app, [](const QVariantMap &before) { qInfo() << "deleted" << before; });

    // Independent calls need no order.
    c->insert(Table(u"person"_s), QVariantList{QVariantMap{{u"name"_s, u"Ann"_s}}}); // insert(table, [..])
    c->upsert(RecordId(u"person"_s, u"jaime"_s), {{u"name"_s, u"Jaime"_s}}); // upsert(id).content(data)
    c->select(Table(u"person"_s)).then(app, [](const QVariantList &people) { qInfo() << people.size(); });
    // [crud]
}

void rangesAndGraph(SurrealQt::Connection *c, QObject *app)
{
    // [ranges]
    using namespace SurrealQt;
    // person:1..100 (JS new RecordIdRange("person", 1, 100)): the untyped call takes any target.
    const RecordId range(u"person"_s, QVariant::fromValue(Range(Bound::included(1), Bound::excluded(100))));
    c->select(QVariant::fromValue(range)).then(app, [](const QVariant &rows) {
        qInfo() << rows.toList().size();
    });
    // RELATE person:tobie->likes->post:1 CONTENT { weight: 2 } (JS db.relate(from, table, to, data))
    c->relate(RecordId(u"person"_s, u"tobie"_s), Table(u"likes"_s), RecordId(u"post"_s, 1),
              {{u"weight"_s, 2}});
    // fn::greet("Tobie") (JS db.run("fn::greet", ["Tobie"]))
    c->run(u"fn::greet"_s, {u"Tobie"_s}).then(app, [](const QVariant &greeting) { qInfo() << greeting; });
    // [ranges]
}

void live(SurrealQt::Connection *c, QObject *app)
{
    // [live]
    using namespace SurrealQt;
    // JS:     const live = await db.live(new Table("person")); live.subscribe(message => ...)
    // Python: uuid = db.live("person"); for change in db.subscribe_live(uuid): ...
    LiveQuery *people = c->live(Table(u"person"_s), app); // re-registered after a reconnect
    QObject::connect(people, &LiveQuery::notification, app,
                     [](const LiveNotification &n) { qInfo() << n.action() << n.record() << n.result(); });
    // JS .diff(), Python live(table, diff=True): JSON Patch operations instead of records.
    LiveQuery *patches = c->live(Table(u"person"_s), LiveOptions{LiveOptions::Mode::Diff}, app);
    patches->kill(); // JS await live.kill(), Python db.kill(uuid); deleting the object kills too
    // [live]
}

void transaction(SurrealQt::Connection *c, QObject *app)
{
    // [transaction]
    // JS: const txn = await db.beginTransaction(); await txn.create(...); await txn.commit()
    SurrealQt::Transaction *txn = c->transaction(app);
    txn->create(SurrealQt::RecordId(u"account"_s, u"a"_s), {{u"balance"_s, 100}});
    txn->query(u"UPDATE account:b SET balance += 100"_s);
    txn->commit()
        .then(app, [txn] { txn->deleteLater(); })
        .onFailed(app, [txn](const SurrealQt::Exception &e) {
            qWarning() << e.error().toString(); // Conflict: run the whole transaction again
            txn->deleteLater();
        });
    // [transaction]
}

void session(SurrealQt::Connection *c, QObject *app)
{
    // [session]
    using SurrealQt::Credentials;
    // JS db.signup({ namespace, database, access, variables }), Python db.signup({...})
    c->signup(Credentials::recordAccess(u"shop"_s, u"main"_s, u"account"_s,
                                        {{u"email"_s, u"ann@example.com"_s}, {u"pass"_s, u"secret"_s}}))
        .then(app, [c, app](const QString &token) {
            qInfo() << "token of" << token.size() << "bytes";
            // After the signup has answered: on a pool, the other sockets take the new user on with
            // its token, and a call sent before that may still run as the previous one.
            // The record user's own record; NONE unless its table's PERMISSIONS let it select itself.
            c->info().then(app, [](const QVariant &me) { qInfo() << me; });
        });
    c->let(u"currency"_s, u"EUR"_s); // JS db.set(...), Python db.let(...): $currency in later queries
    c->version().then(app, [](const QString &v) { qInfo() << v; });
    // [session]
}

void orm(SurrealQt::DatabaseManager *db, QObject *app)
{
    // [orm]
    // SELECT * FROM person WHERE age >= 18 AND city = 'London' ORDER BY age DESC LIMIT 10
    Person::objects(db)
        .filter({{u"age__gte"_s, 18}, {u"city"_s, u"London"_s}})
        .orderBy(u"-age"_s)
        .limit(10)
        .all()
        .then(app, [](const QList<QSharedPointer<Person>> &people) { qInfo() << people.size(); });

    // UPDATE person SET city = 'Paris' WHERE city = 'Lutetia'
    Person::objects(db).filter(u"city"_s, u"Lutetia"_s).updateMany({{u"city"_s, u"Paris"_s}});

    // SELECT count() FROM person WHERE name STARTS WITH 'A' ... GROUP ALL
    Person::objects(db).filter(u"name__startswith"_s, u"A"_s).count().then(app, [](qint64 n) {
        qInfo() << n;
    });
    // [orm]
}

} // namespace DocSnippets

#include "doc_snippets_migration.moc"
