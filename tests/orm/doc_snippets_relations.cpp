// The examples of docs/models/relations.md, compiled and run by tst_relations.
// Each block between "// [name]" markers is quoted in the document.

#include "futurewait.h"
#include "testmodels.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/relations.h>

#include <QtCore/QCoreApplication>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;
using blog::BlogPost;

namespace {
template<typename T>
void waitFor(const QFuture<T> &f)
{
    settle(f);
}
} // namespace

void runRelationsDocSnippets(DatabaseManager *db)
{
    Model::setDefaultConnection(db);

    // [relate]
    auto ann = User::objects().createSync({{u"name"_s, u"Ann"_s}, {u"email"_s, u"ann@doc.example"_s}});
    auto post = BlogPost::objects().createSync(
        {{u"title"_s, u"Graphs"_s}, {u"author"_s, QVariant::fromValue(ann->id())}});

    Relations relations; // the default connection; or Relations(db)
    // RELATE $from->wrote->$to CONTENT $data: the edge name is checked, the data is a variable.
    QVariantMap edge = relations.relateSync(*ann, u"wrote"_s, *post, {{u"at"_s, u"2026-01-01"_s}});
    // edge: {id: wrote:..., in: user:..., out: post:..., at: "2026-01-01"}
    // [relate]
    QVERIFY(edge.value(u"in"_s).value<RecordId>() == ann->id());

    // [traverse]
    // The posts Ann wrote and, the other way round, who wrote a post: typed, persisted objects.
    QList<QSharedPointer<BlogPost>> posts = relations.traverseSync<BlogPost>(ann->id(), u"->wrote->post"_s);
    QFuture<QList<QSharedPointer<User>>> authors = relations.traverse<User>(post->id(), u"<-wrote<-user"_s);
    // [traverse]
    QVERIFY(posts.size() == 1);
    waitFor(authors);
    QVERIFY(authors.result().size() == 1);

    // [load]
    // A link loads only when asked for; null when the link is empty or its record is gone.
    QSharedPointer<User> author = relations.loadSync<User>(*post, u"author"_s);
    relations.load<User>(*post, u"author"_s).then(qApp, [](const QSharedPointer<User> &user) {
        if (user)
            qInfo("written by %s", qPrintable(user->name()));
    });
    // [load]
    QVERIFY(author && author->name() == u"Ann"_s);

    // [fetch]
    // The posts and their authors in one round trip (SurrealQL FETCH).
    FetchResult<BlogPost> result =
        relations.fetchSync(BlogPost::objects().orderBy(u"title"_s), {u"author"_s});
    for (const auto &p : std::as_const(result.items)) {
        const QVariantMap authorRecord = result.record(p->author()); // p->author() stays a RecordId
        QSharedPointer<User> asObject = Relations::object<User>(authorRecord);
        Q_UNUSED(asObject);
    }
    // [fetch]
    QVERIFY(!result.linked.isEmpty());

    // [links]
    // A list of links: QList<RecordId> with link=User, array<record<user>> in the schema.
    Team team;
    team.setName(u"Core"_s);
    team.setMembers({ann->id()});
    team.saveSync();
    // On demand, one request for the whole list:
    QList<QSharedPointer<User>> members = relations.loadAllSync<User>(team, u"members"_s);
    // Or with the query, in the same reply; team->members() stays a list of RecordIds:
    FetchResult<Team> teams = relations.fetchSync(Team::objects(), {u"members"_s});
    for (const auto &t : std::as_const(teams.items)) {
        for (const RecordId &member : t->members())
            qInfo("%s: %s", qPrintable(t->name()),
                  qPrintable(teams.record(member).value(u"name"_s).toString()));
    }
    // [links]
    QVERIFY(members.size() == 1 && teams.linked.contains(ann->id()));

    // [cache]
    // Off by default: create a cache, say which tables it keeps, and hand it to Relations.
    auto *cache = new RecordCache(db, qApp);
    QFuture<void> watching = cache->watch(Table(u"user"_s)); // a live query keeps entries coherent
    relations.setCache(cache);
    // ... later, once watching has finished (the event loop ran):
    // [cache]
    waitFor(watching);
    // [cache-use]
    QSharedPointer<User> first = relations.loadSync<User>(*post, u"author"_s); // miss: fetched
    QSharedPointer<User> again = relations.loadSync<User>(*post, u"author"_s); // hit: no request
    qInfo("cache: %lld hits, %lld misses", cache->hits(), cache->misses());
    // [cache-use]
    QVERIFY(first && again && cache->hits() == 1 && cache->misses() == 1);
    delete cache;

    Model::setDefaultConnection(static_cast<Connection *>(nullptr));
}
