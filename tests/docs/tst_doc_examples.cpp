// Runs the examples of docs/examples/basic-usage.md, advanced-patterns.md
// (doc_snippets_examples.cpp) and docs/migration.md (doc_snippets_migration.cpp) against the
// test server and checks what each one did: the records it wrote, the rows its models show, the
// messages it printed.

#include "doc_snippets_examples.h"
#include "doc_snippets_values.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QMutex>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <functional>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace DocSnippets {
void runQuery(DatabaseManager *db, QObject *window);
void typedCalls(Connection *c, QObject *window);
void helpers(DatabaseManager *db, QObject *window);
void models(DatabaseManager *db, QObject *window);
void views(DatabaseManager *db, QObject *window);
void errors(Connection *c, QObject *window);
void moveStock(Connection *c, QObject *context, int quantity, int attempt = 1);
void oneRoundTrip(Connection *c, QObject *context);
void cache(DatabaseManager *db, QObject *context);
void liveSignals(Connection *c, QObject *context, QHash<QString, QVariantMap> *open);
void exportEvents(PageCursor cursor, QObject *context, std::function<void(const QVariantList &rows)> write);
void startExport(Connection *c, QObject *context);
void visitTasks(QObject *context, const PageToken &after = {});
void importReadings(Connection *c, QObject *context, const QList<QVariantMap> &readings);
QFuture<qint64> countOpenTasks(Connection *c);
Indexer *startIndexer(DatabaseManager *db, QThread *thread);
void ordered(DatabaseManager *db, QObject *context);
// docs/migration.md (doc_snippets_migration.cpp)
void queries(Connection *c, QObject *app);
void records(Connection *c, QObject *app);
void rangesAndGraph(Connection *c, QObject *app);
void live(Connection *c, QObject *app);
void transaction(Connection *c, QObject *app);
void session(Connection *c, QObject *app);
void orm(DatabaseManager *db, QObject *app);
} // namespace DocSnippets

namespace {

// What the examples print (they report through qInfo/qWarning), kept for the checks below and
// passed on to QTest's own handler.
QMutex logMutex;
QStringList logged;
QtMessageHandler testHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logged.append(message);
    }
    testHandler(type, context, message);
}

QStringList messages(const QRegularExpression &pattern)
{
    QMutexLocker lock(&logMutex);
    QStringList out;
    for (const QString &m : std::as_const(logged))
        if (pattern.match(m).hasMatch())
            out.append(m);
    return out;
}

void clearLog()
{
    QMutexLocker lock(&logMutex);
    logged.clear();
}

bool wasLogged(const QString &message)
{
    QMutexLocker lock(&logMutex);
    return logged.contains(message);
}

qint64 scalar(Connection *c, const QString &surrealql)
{
    return AWAIT(c->query(surrealql)).last().toLongLong();
}

// Invalid while the record (or its table) does not exist yet.
QVariant fieldOf(Connection *c, const RecordId &id, const QString &field)
{
    QFuture<QVariantMap> record = c->select(id);
    if (!settle(record))
        return {};
    try {
        return record.result().value(field);
    } catch (const Exception &) {
        return {};
    }
}

} // namespace

class tst_DocExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server");
        testHandler = qInstallMessageHandler(recordMessage);
    }

    void init()
    {
        QMutexLocker lock(&logMutex);
        logged.clear();
        // Every example reports a failure with qWarning: none may fail.
        QTest::failOnWarning(QRegularExpression(u".*"_s));
    }

    void valuesPage()
    {
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        AWAIT(c->query(u"CREATE item:1 SET price = 0"_s));
        const DocSnippets::ValuesPage v = DocSnippets::values(c);
        QVERIFY(v.none && v.null);
        QVERIFY(isNone(v.patch.value(u"nickname"_s)) && isNull(v.patch.value(u"middle"_s)));
        QCOMPARE(v.ids.size(), 6);
        QCOMPARE(v.ids.at(0).toString(), u"person:42"_s);
        QCOMPARE(v.ids.at(1).toString(), u"person:tobie"_s);
        QVERIFY(v.ids.at(2) != v.ids.at(0)); // the text key "42" is not the integer 42
        QCOMPARE(v.ids.at(3).table(), u"temp"_s);
        QVERIFY2(v.ids.at(4).isValid(), qPrintable(v.err));
        QCOMPARE(v.ids.at(4).id(), QVariant(u"a b"_s));
        QCOMPARE(v.ids.at(5), v.ids.at(0));
        QCOMPARE(v.price.toString(), u"19.99"_s);
        // The page's UPDATE stored the decimal (the query is not awaited by the example).
        QTRY_VERIFY(AWAIT(c->query(u"RETURN item:1.price == 19.99dec"_s)).last().toBool());
    }

    void basicUsage()
    {
        QObject window; // outlives the manager: continuations may still be queued to it
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        QVERIFY(AWAIT(c->query(u"DEFINE TABLE task SCHEMALESS;"
                               "DEFINE INDEX task_priority ON task FIELDS priority;"
                               "CREATE task:urgent SET title = 'Fix the build', priority = 5, done = false;"
                               "CREATE task:tmp1 SET title = 'tmp one', priority = 0, done = false;"
                               "CREATE task:old SET title = 'Old', priority = 0, done = true;"_s))
                    .isOk());

        DocSnippets::typedCalls(c, &window);
        QTRY_COMPARE(fieldOf(c, RecordId(u"task"_s, u"report"_s), u"done"_s), QVariant(true));
        QTRY_VERIFY(wasLogged(u"removed task:old"_s));
        QTRY_VERIFY(wasLogged(u"done: QVariant(bool, true)"_s));

        DocSnippets::helpers(&db, &window);
        QTRY_COMPARE(scalar(c, u"RETURN count(SELECT id FROM task WHERE title = 'Call Ann')"_s), qint64(1));
        QTRY_COMPARE(fieldOf(c, RecordId(u"task"_s, u"report"_s), u"archived"_s), QVariant(true));
        QTRY_COMPARE(messages(QRegularExpression(u"^\\d+ open tasks$"_s)).size(), qsizetype(1));

        DocSnippets::runQuery(&db, &window);
        QTRY_VERIFY(wasLogged(u"\"Fix the build\""_s));

        DocSnippets::models(&db, &window);
        QTRY_COMPARE(scalar(c, u"RETURN count(SELECT id FROM task WHERE title = 'Review pull request')"_s),
                     qint64(1));
        QTRY_COMPARE(fieldOf(c, RecordId(u"task"_s, u"urgent"_s), u"done"_s), QVariant(true));
        QTRY_COMPARE(
            scalar(c, u"RETURN count(SELECT id FROM task WHERE string::starts_with(title, 'tmp'))"_s),
            qint64(0));
        QTRY_VERIFY(wasLogged(u"1 temporary tasks removed"_s));

        DocSnippets::views(&db, &window);
        auto *tasks = window.findChild<ModelListModel *>(QString(), Qt::FindDirectChildrenOnly);
        auto *report = window.findChild<QueryListModel *>(QString(), Qt::FindDirectChildrenOnly);
        QVERIFY(tasks && report);
        QTRY_COMPARE(tasks->status(), ModelListModel::Ready);
        QTRY_COMPARE(qint64(tasks->rowCount()),
                     scalar(c, u"RETURN count(SELECT id FROM task WHERE done = false)"_s));
        const int before = tasks->rowCount();
        AWAIT(c->create(RecordId(u"task"_s, u"late"_s), {{u"title"_s, u"Late"_s}, {u"done"_s, false}}));
        QTRY_COMPARE(tasks->rowCount(), before + 1); // live
        QTRY_COMPARE(report->status(), QueryListModel::Ready);
        QVERIFY(report->rowCount() > 0);

        DocSnippets::errors(c, &window);
        QTRY_VERIFY(wasLogged(u"exists already"_s));
    }

    void transactions()
    {
        QObject context;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        QVERIFY(AWAIT(c->query(u"CREATE stock:shelf SET count = 10; CREATE stock:store SET count = 0;"
                               "CREATE stock:widget SET count = 5;"_s))
                    .isOk());

        DocSnippets::moveStock(c, &context, 3);
        QTRY_COMPARE(fieldOf(c, RecordId(u"stock"_s, u"shelf"_s), u"count"_s).toInt(), 7);
        QCOMPARE(fieldOf(c, RecordId(u"stock"_s, u"store"_s), u"count"_s).toInt(), 3);
        // Four at once on the same records: the ones that conflict run again until all are in.
        for (int i = 0; i < 4; ++i)
            DocSnippets::moveStock(c, &context, 1);
        QTRY_COMPARE(fieldOf(c, RecordId(u"stock"_s, u"shelf"_s), u"count"_s).toInt(), 3);
        QTRY_COMPARE(fieldOf(c, RecordId(u"stock"_s, u"store"_s), u"count"_s).toInt(), 7);

        DocSnippets::oneRoundTrip(c, &context);
        QTRY_COMPARE(fieldOf(c, RecordId(u"order"_s, 1001), u"total"_s).toInt(), 42);
        QCOMPARE(fieldOf(c, RecordId(u"stock"_s, u"widget"_s), u"count"_s).toInt(), 4);
    }

    void liveData()
    {
        QObject context;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        QVERIFY(AWAIT(c->query(u"CREATE user:ann SET name = 'Ann';"
                               "CREATE task:a SET done = false; CREATE task:b SET done = false;"
                               "CREATE task:c SET done = true;"_s))
                    .isOk());

        DocSnippets::cache(&db, &context);
        auto *users = context.findChild<RecordCache *>();
        QVERIFY(users);
        QTRY_VERIFY(wasLogged(u"QVariant(QString, \"Ann\")"_s));
        // Once the table is watched, a record read twice is asked for once.
        AWAIT_VOID(users->watch(Table(u"user"_s)));
        users->resetCounters();
        AWAIT(users->get(RecordId(u"user"_s, u"ann"_s)));
        AWAIT(users->get(RecordId(u"user"_s, u"ann"_s)));
        QCOMPARE(users->misses() + users->hits(), qint64(2));
        QVERIFY(users->hits() >= 1);
        AWAIT(c->query(u"UPDATE user:ann SET name = 'Annie'"_s));
        QTRY_COMPARE(users->cached(RecordId(u"user"_s, u"ann"_s)).value_or(QVariantMap()).value(u"name"_s),
                     QVariant(u"Annie"_s));
        QTRY_VERIFY(wasLogged(u"\"user:ann\" changed"_s));

        QHash<QString, QVariantMap> open;
        DocSnippets::liveSignals(c, &context, &open);
        QTRY_COMPARE(QSet<QString>(open.keyBegin(), open.keyEnd()),
                     QSet<QString>({u"task:a"_s, u"task:b"_s}));
        AWAIT(c->query(u"UPDATE task:a SET done = true"_s)); // leaves the set
        QTRY_VERIFY(!open.contains(u"task:a"_s));
        AWAIT(c->query(u"CREATE task:d SET done = false"_s));
        QTRY_VERIFY(open.contains(u"task:d"_s));
        AWAIT(c->query(u"DELETE task:b"_s));
        QTRY_VERIFY(!open.contains(u"task:b"_s));
        AWAIT(c->query(u"UPDATE task:c SET done = false"_s)); // enters the set
        QTRY_COMPARE(QSet<QString>(open.keyBegin(), open.keyEnd()),
                     QSet<QString>({u"task:c"_s, u"task:d"_s}));
    }

    void paging()
    {
        QObject context;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        QVariantList events;
        for (int i = 0; i < 1200; ++i)
            events.append(QVariantMap{{u"kind"_s, i % 2 ? u"logout"_s : u"login"_s}, {u"n"_s, i}});
        QCOMPARE(AWAIT(c->insert(Table(u"event"_s), events)).size(), qsizetype(1200));

        QVariantList logins;
        DocSnippets::exportEvents(
            PageCursor(c, Table(u"event"_s), 500).where(u"kind = $kind"_s, {{u"kind"_s, u"login"_s}}),
            &context, [&logins](const QVariantList &rows) { logins += rows; });
        QTRY_COMPARE(logins.size(), qsizetype(600));
        QSet<RecordId> ids;
        for (const QVariant &row : std::as_const(logins))
            ids.insert(row.toMap().value(u"id"_s).value<RecordId>());
        QCOMPARE(ids.size(), qsizetype(600));

        DocSnippets::startExport(c, &context);
        auto exported = [] {
            qint64 sum = 0;
            for (const QString &m : messages(QRegularExpression(u"^\\d+ rows$"_s)))
                sum += m.section(u' ', 0, 0).toLongLong();
            return sum;
        };
        QTRY_COMPARE(exported(), qint64(600));

        QVERIFY(AWAIT(c->query(u"DEFINE INDEX task_priority ON task FIELDS priority"_s)).isOk());
        QVariantList tasks;
        for (int i = 0; i < 450; ++i)
            tasks.append(QVariantMap{{u"title"_s, u"t%1"_s.arg(449 - i)}, {u"priority"_s, 449 - i}});
        QCOMPARE(AWAIT(c->insert(Table(u"task"_s), tasks)).size(), qsizetype(450));
        Task::setDefaultConnection(&db);
        DocSnippets::visitTasks(&context);
        const QRegularExpression title(u"^\"t(\\d+)\"$"_s);
        QTRY_COMPARE(messages(title).size(), qsizetype(450));
        const QStringList seen = messages(title);
        for (int i = 0; i < seen.size(); ++i)
            QCOMPARE(title.match(seen.at(i)).captured(1).toInt(), i); // in priority order, each once
        Task::setDefaultConnection(nullptr);
    }

    void bulkAndThreads()
    {
        QObject context;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();

        QList<QVariantMap> readings;
        for (int i = 0; i < 2000; ++i)
            readings.append(QVariantMap{{u"sensor"_s, i % 7}, {u"value"_s, i * 0.5}});
        DocSnippets::importReadings(c, &context, readings);
        QTRY_COMPARE_WITH_TIMEOUT(scalar(c, u"RETURN count(SELECT id FROM reading)"_s), qint64(2000), 30000);
        QTRY_VERIFY(wasLogged(u"2000 / 2000"_s));

        QVERIFY(AWAIT(c->query(u"CREATE task:x SET done = false; CREATE task:y SET done = true;"
                               "DEFINE INDEX task_priority ON task FIELDS priority;"_s))
                    .isOk());
        QFuture<qint64> open = DocSnippets::countOpenTasks(c);
        QVERIFY(settle(open));
        QCOMPARE(open.result(), qint64(1));

        QThread thread;
        thread.start();
        Indexer *indexer = DocSnippets::startIndexer(&db, &thread);
        bool finished = false;
        bool ok = false;
        connect(indexer, &Indexer::finished, &context, [&](bool result) {
            finished = true;
            ok = result;
        });
        QTRY_VERIFY(finished);
        QVERIFY(ok);
        thread.quit();
        QVERIFY(thread.wait(10000));

        DocSnippets::ordered(&db, &context);
        QTRY_VERIFY(wasLogged(u"QVariant(QString, \"running\")"_s));
        QCOMPARE(fieldOf(c, RecordId(u"job"_s, 7), u"state"_s), QVariant(u"running"_s));
    }
    void migration()
    {
        QObject app;
        DatabaseManager db(TestServer::url(), TestServer::uniqueName("docs_"), u"test"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        Connection *c = db.connection();
        // The engine fails concurrent first writes to a table that does not exist yet with a
        // retryable write conflict (the example's independent insert raced the channel's create and
        // was lost 1 run in 5): the table exists first, as it would in an application.
        QVERIFY(AWAIT(c->query(u"DEFINE TABLE person SCHEMALESS"_s)).isOk());

        // The ordered calls on person:tobie, then the independent ones.
        DocSnippets::records(c, &app);
        QTRY_COMPARE(messages(QRegularExpression(u"^deleted QMap"_s)).size(), qsizetype(1));
        const QString deleted = messages(QRegularExpression(u"^deleted QMap"_s)).constFirst();
        QVERIFY2(deleted.contains(u"QVariant(qlonglong, 35)"_s) && deleted.contains(u"\"London\""_s),
                 qPrintable(deleted)); // created, replaced, merged and patched, in that order
        QTRY_COMPARE(scalar(c, u"RETURN count(SELECT id FROM person WHERE name = 'Ann')"_s), qint64(1));
        QTRY_COMPARE(fieldOf(c, RecordId(u"person"_s, u"jaime"_s), u"name"_s), QVariant(u"Jaime"_s));
        QVERIFY(!fieldOf(c, RecordId(u"person"_s, u"tobie"_s), u"name"_s).isValid());

        QVERIFY(AWAIT(c->query(u"CREATE person:1 SET name = 'Ada', age = 20, city = 'London';"
                               "CREATE person:2 SET name = 'Bo', age = 10, city = 'Lutetia';"
                               "CREATE person:3 SET name = 'Al', age = 40, city = 'London';"_s))
                    .isOk());
        clearLog();
        DocSnippets::queries(c, &app);
        QTRY_VERIFY(wasLogged(u"2 of 5"_s));

        QVERIFY(AWAIT(c->query(u"DEFINE FUNCTION fn::greet($name: string) { RETURN 'Hello, ' + $name; };"
                               "CREATE person:tobie SET name = 'Tobie'; CREATE post:1 SET title = 'Hi';"_s))
                    .isOk());
        clearLog();
        DocSnippets::rangesAndGraph(c, &app);
        QTRY_VERIFY(wasLogged(u"QVariant(QString, \"Hello, Tobie\")"_s));
        QTRY_VERIFY(wasLogged(u"3"_s)); // person:1..100 holds person:1, 2 and 3
        QTRY_COMPARE(scalar(c, u"RETURN count(SELECT id FROM likes WHERE weight = 2)"_s), qint64(1));

        DocSnippets::live(c, &app);
        const QList<LiveQuery *> lives = app.findChildren<LiveQuery *>();
        QCOMPARE(lives.size(), qsizetype(2));
        for (LiveQuery *live : lives)
            QVERIFY(settle(live->started())); // the killed one's fails with Cancelled
        clearLog();
        AWAIT(c->create(RecordId(u"person"_s, u"new"_s), {{u"name"_s, u"New"_s}}));
        QTRY_COMPARE(messages(QRegularExpression(u"Create"_s)).size(), qsizetype(1));

        AWAIT(c->create(RecordId(u"account"_s, u"b"_s), {{u"balance"_s, 0}}));
        DocSnippets::transaction(c, &app);
        QTRY_COMPARE(fieldOf(c, RecordId(u"account"_s, u"a"_s), u"balance"_s).toInt(), 100);
        QCOMPARE(fieldOf(c, RecordId(u"account"_s, u"b"_s), u"balance"_s).toInt(), 100);

        clearLog();
        DocSnippets::orm(&db, &app);
        QTRY_COMPARE(scalar(c, u"RETURN count(SELECT id FROM person WHERE city = 'Lutetia')"_s), qint64(0));
        QCOMPARE(scalar(c, u"RETURN count(SELECT id FROM person WHERE city = 'Paris')"_s), qint64(1));
        QTRY_VERIFY(wasLogged(u"2"_s)); // Ada and Al: 18 or older, in London
        QTRY_VERIFY(wasLogged(u"3"_s)); // Ann, Ada and Al start with 'A'
    }

    void migrationSession()
    {
        // The page's record access lives on shop/main; define it there.
        QObject app;
        DatabaseManager root(TestServer::url(), u"shop"_s, u"main"_s,
                             Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(root.open());
        QVERIFY(
            AWAIT(root.connection()->query(
                      u"DEFINE ACCESS OVERWRITE account ON DATABASE TYPE RECORD "
                      "SIGNUP (CREATE user SET email = $email, pass = crypto::argon2::generate($pass)) "
                      "SIGNIN (SELECT * FROM user WHERE email = $email AND crypto::argon2::compare(pass, "
                      "$pass)) "
                      "DURATION FOR SESSION 1h;"
                      "DEFINE TABLE OVERWRITE user SCHEMALESS PERMISSIONS FOR select WHERE id = $auth;"_s))
                .isOk());
        DatabaseManager db(TestServer::url(), u"shop"_s, u"main"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(db.open());
        DocSnippets::session(db.connection(), &app);
        QTRY_COMPARE(messages(QRegularExpression(u"^token of \\d+ bytes$"_s)).size(), qsizetype(1));
        QTRY_COMPARE(messages(QRegularExpression(u"ann@example.com"_s)).size(), qsizetype(1)); // info: $auth
        QTRY_COMPARE(messages(QRegularExpression(u"^\"surrealdb-"_s)).size(), qsizetype(1));
        AWAIT(root.connection()->query(u"REMOVE ACCESS account ON DATABASE; REMOVE TABLE user;"_s));
    }
};

QTEST_GUILESS_MAIN(tst_DocExamples)
#include "tst_doc_examples.moc"
