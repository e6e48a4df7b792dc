// The examples of docs/models/*.md, compiled and run by tst_models (see runDocSnippets).
// Each [snippet-name] block is quoted in the docs; keep them short and self-contained.

#include "futurewait.h"
#include "testmodels.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/querycache.h>
#include <SurrealQt/schema.h>
#include <SurrealQt/values.h>

#include <QtCore/QCoreApplication>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// [define-user]
class Person : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Person)
    Q_CLASSINFO("table", "people")
    Q_CLASSINFO("name", "required maxLength=80")
    Q_CLASSINFO("email", "required unique")
    Q_CLASSINFO("createdAt", "autoNowAdd")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
};
// [define-user]

// [define-post]
class Article : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Article) // table "article"
    Q_CLASSINFO("title", "required maxLength=200 description='Shown in lists'")
    Q_CLASSINFO("author", "link=Person")
    Q_CLASSINFO("tags", "of=string")
    Q_CLASSINFO("price", "optional")
    Q_CLASSINFO("rating", "type=int optional")
    Q_CLASSINFO("views", "default=0 index")
    Q_CLASSINFO("updatedAt", "autoNow")
    Q_CLASSINFO("versionField", "version")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(SurrealQt::RecordId, author, setAuthor)
    SURREALQT_FIELD(QVariantList, tags, setTags)
    SURREALQT_FIELD(QVariantMap, meta, setMeta)
    SURREALQT_FIELD(SurrealQt::Decimal, price, setPrice)
    SURREALQT_FIELD(QVariant, rating, setRating)
    SURREALQT_FIELD(qint64, views, setViews)
    SURREALQT_FIELD(SurrealQt::Duration, readingTime, setReadingTime)
    SURREALQT_FIELD(SurrealQt::DateTime, updatedAt, setUpdatedAt)
    SURREALQT_FIELD(qint64, version, setVersion)
};
// [define-post]

namespace {

template<typename T>
T wait(QFuture<T> f)
{
    settle(f);
    if constexpr (std::is_void_v<T>)
        f.waitForFinished();
    else
        return f.result();
}

void introspection()
{
    // [introspect]
    const SurrealQt::ModelInfo &info = SurrealQt::ModelInfo::of<Article>();
    for (const SurrealQt::FieldInfo &field : info.fields())
        qInfo("%s.%s: %s", qPrintable(info.tableName()), qPrintable(field.name()),
              qPrintable(field.surrealType()));
    // article.title: string, article.author: record<people>, article.tags: array<string>, ...
    // [introspect]
    QVERIFY2(info.field(u"author").surrealType() == u"record<people>"_s, "link resolved to the table");
}

void seedUsage(SurrealQt::DatabaseManager *db)
{
    // [seed-usage]
    Person::setDefaultConnection(db);

    auto john = Person::objects().createSync(
        {{u"name"_s, u"John"_s}, {u"email"_s, u"john@example.com"_s}, {u"age"_s, 30}});
    QList<QSharedPointer<Person>> adults = Person::objects().filter(u"age__gte"_s, 18).allSync();
    john->setAge(31);
    john->saveSync(); // sends only "age"
    Person::objects().deleteManySync({{u"email__endswith"_s, u"@example.com"_s}});
    // [seed-usage]
    QVERIFY2(!adults.isEmpty(), "filter found John");
    Person::setDefaultConnection(static_cast<SurrealQt::Connection *>(nullptr));
}

void asyncUsage(SurrealQt::DatabaseManager *db, QObject *context)
{
    bool done = false;
    // [async-usage]
    using SurrealQt::Condition;
    auto people = Person::objects(db);
    auto query = people.filter(Condition(u"age__gte"_s, 18) && !Condition(u"name__startswith"_s, u"x"_s))
                     .orderBy(u"-age"_s)
                     .limit(20);
    query.all()
        .then(context,
              [&done](const QList<QSharedPointer<Person>> &found) {
                  for (const auto &p : found)
                      qInfo() << p->name() << p->age();
                  done = true;
              })
        .onFailed(context, [&done](const SurrealQt::Exception &e) {
            // Validation (an unknown field or lookup: nothing was sent), Connection, ...
            qInfo() << e.error().message();
            done = true;
        });
    // [async-usage]
    QVERIFY2(QTest::qWaitFor([&] { return done; }, 20000), "async snippet finished");
}

void signalUsage(SurrealQt::DatabaseManager *db, QObject *context)
{
    // [signal-usage]
    auto *person = new Person(context); // owned by its parent
    person->setConnection(db->connection());
    person->setName(u"Signal"_s);
    person->setEmail(u"signal@example.com"_s);
    QObject::connect(person, &SurrealQt::Model::saved, context,
                     [person] { qInfo() << "saved" << person->id(); });
    QObject::connect(person, &SurrealQt::Model::errorOccurred, context,
                     [](const SurrealQt::Error &error) { qWarning() << error.message(); });
    person->save(); // the result arrives as saved() or errorOccurred()
    // [signal-usage]
    wait(person->save());
    QVERIFY2(!person->isNew(), "saved through signals");
    person->removeSync();
    delete person;
}

void pagingUsage(SurrealQt::DatabaseManager *db)
{
    // [paging]
    auto everyone = Person::objects(db).limit(500); // 500 rows per page, in id order
    SurrealQt::PageToken token;
    do {
        SurrealQt::Page<Person> page = everyone.pageSync(token);
        for (const auto &p : page.items)
            Q_UNUSED(p); // ... process
        token = page.next;
    } while (!token.isEnd());
    // [paging]
}

void optimisticUsage(SurrealQt::DatabaseManager *db)
{
    // [optimistic]
    auto article = Article::objects(db).createSync({{u"title"_s, u"Draft"_s}});
    article->setTitle(u"Final"_s);
    try {
        article->saveSync(); // UPDATE ... WHERE version = <loaded version>
    } catch (const SurrealQt::Exception &e) {
        if (e.error().kind() == SurrealQt::Error::Kind::Conflict)
            article->refreshSync(); // someone else saved first: reload, re-apply, retry
    }
    // [optimistic]
    QVERIFY2(article->version() == 1, "version counted up");
}

void cacheUsage(SurrealQt::DatabaseManager *db)
{
    // [query-cache]
    SurrealQt::QueryCache cache(db);
    cache.watchSync(SurrealQt::Table(u"people"_s)); // Person's table: a live query on it
    auto adults = Person::objects(db).filter(u"age__gte"_s, 18).orderBy(u"name"_s);
    auto first = cache.allSync(adults); // asks the server, keeps the rows
    auto again = cache.allSync(adults); // from memory: no request, new objects
    // Any change of a person (by anyone) drops the kept result; the next call asks again.
    // [query-cache]
    QVERIFY2(first.size() == again.size() && cache.hits() == 1, "the second call was a hit");
}

// The examples of include/SurrealQt/query.h and condition.h.
void headerUsage(SurrealQt::DatabaseManager *db, QObject *context)
{
    User::setDefaultConnection(db);
    // [query-header]
    auto adults = User::objects().filter(u"age__gte"_s, 18).orderBy({u"-age"_s});
    adults.all().then(context, [](const QList<QSharedPointer<User>> &users) { qInfo() << users.size(); });
    qint64 n = adults.countSync();
    // [query-header]
    using SurrealQt::Condition;
    // [condition-header]
    const Condition grownUps = Condition(u"age__gte"_s, 18) && !Condition(u"name__startswith"_s, u"x"_s);
    // [condition-header]
    QVERIFY(User::objects().filter(grownUps).countSync() <= n);
    User::setDefaultConnection(static_cast<SurrealQt::Connection *>(nullptr));
}

// docs/models/schema.md, on the User of testmodels.h (the page's User). Runs last: the unique
// email index needs the table without the duplicate rows of the other tests.
void schemaUsage(SurrealQt::DatabaseManager *db, QObject *context)
{
    // [schema-statements]
    const QStringList ddl = SurrealQt::Schema::statements<User>();
    // [schema-statements]
    QVERIFY2(ddl.contains(u"DEFINE INDEX OVERWRITE user_email ON user FIELDS email UNIQUE"_s),
             "unique email index");
    wait(db->connection()->query(u"DELETE user"_s));
    // [schema-plan]
    SurrealQt::Schema schema(db->connection());
    auto applied = schema.plan<User>()
                       .then(context,
                             [schema](const QList<SurrealQt::SchemaChange> &plan) {
                                 // e.g. "ChangeField name: DEFINE FIELD OVERWRITE name ..."
                                 for (const auto &change : plan)
                                     qInfo() << change.toString();
                                 return schema.apply<User>(); // runs the non-destructive part of the plan
                             })
                       .unwrap();
    // [schema-plan]
    QVERIFY2(!wait(applied).isEmpty(), "the schema was applied");
    QVERIFY2(schema.planSync<User>().isEmpty(), "nothing left to change");
    {
        // include/SurrealQt/schema.h
        // [schema-header]
        SurrealQt::Schema schema(db->connection());
        schema.apply<User>().then(context,
                                  [](const QList<SurrealQt::SchemaChange> &done) { qInfo() << done.size(); });
        // [schema-header]
    }
}

} // namespace

void runDocSnippets(SurrealQt::DatabaseManager *db)
{
    QObject context;
    introspection();
    seedUsage(db);
    asyncUsage(db, &context);
    signalUsage(db, &context);
    pagingUsage(db);
    optimisticUsage(db);
    cacheUsage(db);
    headerUsage(db, &context);
    schemaUsage(db, &context);
}

#include "doc_snippets.moc"
