// Record links, graph edges and the record cache against the real engine: relate and traverse
// in both directions, lazy loads of present, empty and dangling links, FETCH in one reply,
// hostile edge data, names checked before sending, and cache coherence through a live query
// while a second client changes the records.

#include "testmodels.h"

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/relations.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// Defined in doc_snippets_relations.cpp: runs docs/models/relations.md's examples against db.
void runRelationsDocSnippets(SurrealQt::DatabaseManager *db);

namespace {
const QString hostile = u"'); DELETE user; -- \" `x` $from ⟨⟩ \\ \n"_s;

QStringList titles(const QList<QSharedPointer<blog::BlogPost>> &posts)
{
    QStringList out;
    for (const auto &p : posts)
        out.append(p->title());
    out.sort();
    return out;
}
} // namespace

class tst_Relations : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_db;
    std::unique_ptr<DatabaseManager> m_other; // a second client
    Connection *c() { return m_db->connection(); }

    QSharedPointer<User> makeUser(const QString &name)
    {
        return User::objects(c()).createSync(
            {{u"name"_s, name}, {u"email"_s, name.toLower() + u"@example.org"_s}});
    }
    QSharedPointer<blog::BlogPost> makePost(const QString &title, const RecordId &author = {})
    {
        QVariantMap fields{{u"title"_s, title}};
        if (author.isValid())
            fields.insert(u"author"_s, QVariant::fromValue(author));
        return blog::BlogPost::objects(c()).createSync(fields);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        const QString ns = TestServer::uniqueName("rel_");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"r"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        m_db->openSync();
        m_other = std::make_unique<DatabaseManager>(
            TestServer::url(), ns, u"r"_s, Credentials::root(TestServer::user(), TestServer::pass()));
        m_other->openSync();
        SyncConnection(c()).query(u"DEFINE TABLE user SCHEMALESS; DEFINE TABLE post SCHEMALESS;"_s);
    }

    void relateAndTraverseBothWays()
    {
        auto ann = makeUser(u"Ann"_s);
        auto bob = makeUser(u"Bob"_s);
        auto p1 = makePost(u"First"_s, ann->id());
        auto p2 = makePost(u"Second"_s, ann->id());
        auto p3 = makePost(u"Third"_s, bob->id());
        Relations rel(c());

        // Edge data reaches the server as a variable: hostile text is stored as it is.
        const QVariantMap edge = AWAIT(rel.relate(*ann, u"wrote"_s, *p1, {{u"note"_s, hostile}}));
        QCOMPARE(edge.value(u"note"_s).toString(), hostile);
        QCOMPARE(edge.value(u"in"_s).value<RecordId>(), ann->id());
        QCOMPARE(edge.value(u"out"_s).value<RecordId>(), p1->id());
        QCOMPARE(edge.value(u"id"_s).value<RecordId>().table(), u"wrote"_s);
        rel.relateSync(ann->id(), u"wrote"_s, p2->id());
        rel.relateSync(*bob, u"wrote"_s, *p3);
        rel.relateSync(*bob, u"wrote"_s, *p1, {{u"role"_s, u"co-author"_s}});
        QCOMPARE(User::objects(c()).countSync(), 2); // the hostile data deleted nothing

        // Forward: the posts Ann wrote, as typed, persisted objects.
        const auto annPosts = AWAIT(rel.traverse<blog::BlogPost>(ann->id(), u"->wrote->post"_s));
        QCOMPARE(titles(annPosts), (QStringList{u"First"_s, u"Second"_s}));
        for (const auto &p : annPosts) {
            QVERIFY(!p->isNew());
            QVERIFY(!p->isDirty());
            QCOMPARE(p->author(), ann->id());
            QCOMPARE(p->id().table(), u"post"_s);
            QCOMPARE(p->thread(), QThread::currentThread());
        }
        QCOMPARE(titles(rel.traverseSync<blog::BlogPost>(bob->id(), u"->wrote->post"_s)),
                 (QStringList{u"First"_s, u"Third"_s}));

        // Backward: the authors of a post.
        auto authors = AWAIT(rel.traverse<User>(p1->id(), u"<-wrote<-user"_s));
        QStringList names;
        for (const auto &u : authors) {
            QVERIFY(!u->isNew());
            names.append(u->name());
        }
        names.sort();
        QCOMPARE(names, (QStringList{u"Ann"_s, u"Bob"_s}));
        QCOMPARE(rel.traverseSync<User>(p2->id(), u"<-wrote<-user"_s).size(), 1);
        QCOMPARE(rel.traverseSync<User>(p2->id(), u"<-wrote<-user"_s).first()->email(), u"ann@example.org"_s);

        // Two hops: co-authors of Ann's posts (Ann included).
        QCOMPARE(rel.traverseSync<User>(ann->id(), u"->wrote->post<-wrote<-user"_s).size(), 3);

        // A found-nothing traversal is an empty list, not an error.
        auto cleo = makeUser(u"Cleo"_s);
        QVERIFY(rel.traverseSync<blog::BlogPost>(cleo->id(), u"->wrote->post"_s).isEmpty());

        // unrelate removes only that edge.
        QCOMPARE(AWAIT(rel.unrelate(bob->id(), u"wrote"_s, p1->id())), 1);
        QCOMPARE(rel.unrelateSync(bob->id(), u"wrote"_s, p1->id()), 0);
        QCOMPARE(titles(rel.traverseSync<blog::BlogPost>(bob->id(), u"->wrote->post"_s)),
                 QStringList{u"Third"_s});
    }

    void invalidNamesFailBeforeSending()
    {
        // No connection at all: a Validation error proves the check ran before any request.
        Model::setDefaultConnection(static_cast<Connection *>(nullptr));
        Relations offline(static_cast<Connection *>(nullptr));
        const RecordId a(u"user"_s, u"a"_s);
        const RecordId b(u"post"_s, u"b"_s);
        for (const QString &edge : {u"wrote; DELETE user"_s, u""_s, u"wr-ote"_s, u"1abc"_s, u"a`b"_s}) {
            const Error e = failureOf(offline.relate(a, edge, b));
            QCOMPARE(e.kind(), Error::Kind::Validation);
            try {
                offline.relateSync(a, edge, b);
                QFAIL("relateSync accepted an invalid edge name");
            } catch (const Exception &ex) {
                QCOMPARE(ex.error().kind(), Error::Kind::Validation);
            }
        }
        QVERIFY(failureOf(offline.relate(a, u"wrote; DELETE user"_s, b))
                    .message()
                    .contains(u"wrote; DELETE user"_s));
        for (const QString &path : {u"->wrote->post; DELETE post"_s, u"wrote->post"_s, u"->wrote->"_s,
                                    u"->wrote->(SELECT * FROM post)"_s, u""_s, u"->wrote->user"_s}) {
            QCOMPARE(failureOf(offline.traverse<blog::BlogPost>(a, path)).kind(), Error::Kind::Validation);
        }
        QVERIFY(!Relations::validatePath(u"->wrote->post"_s).isValid());
        QVERIFY(!Relations::validatePath(u"<-wrote<-user"_s).isValid());
        QCOMPARE(Relations::validatePath(u"->a b"_s).kind(), Error::Kind::Validation);

        blog::BlogPost post;
        QCOMPARE(failureOf(offline.load<User>(post, u"title"_s)).kind(), Error::Kind::Validation);
        QCOMPARE(failureOf(offline.load<User>(post, u"nope"_s)).kind(), Error::Kind::Validation);
        post.setAuthor(RecordId(u"post"_s, 1));
        QCOMPARE(failureOf(offline.load<User>(post, u"author"_s)).kind(), Error::Kind::Validation);
        QCOMPARE(failureOf(offline.fetch(blog::BlogPost::objects(), {u"title"_s})).kind(),
                 Error::Kind::Validation);
        QCOMPARE(failureOf(offline.fetch(blog::BlogPost::objects(), {u"author; DELETE user"_s})).kind(),
                 Error::Kind::Validation);
    }

    void loadLinks()
    {
        auto dan = makeUser(u"Dan"_s);
        auto post = makePost(u"Dan's"_s, dan->id());
        auto orphan = makePost(u"Nobody's"_s);
        Relations rel(c());

        auto author = AWAIT(rel.load<User>(*post, u"author"_s));
        QVERIFY(author);
        QCOMPARE(author->id(), dan->id());
        QCOMPARE(author->name(), u"Dan"_s);
        QVERIFY(!author->isNew());
        QCOMPARE(author->thread(), QThread::currentThread());
        QCOMPARE(rel.loadSync<User>(*post, u"author"_s)->email(), u"dan@example.org"_s);

        // An empty link is a null pointer without a request.
        QVERIFY(!AWAIT(rel.load<User>(*orphan, u"author"_s)));
        QVERIFY(!rel.loadSync<User>(*orphan, u"author"_s));

        // A link whose target is gone is a null pointer too.
        dan->removeSync();
        QVERIFY(!AWAIT(rel.load<User>(*post, u"author"_s)));
        QVERIFY(!rel.loadSync<User>(*post, u"author"_s));
    }

    void fetchInTheSameQuery()
    {
        auto eve = makeUser(u"Eve"_s);
        auto fay = makeUser(u"Fay"_s);
        makePost(u"Fx1"_s, eve->id());
        makePost(u"Fx2"_s, fay->id());
        makePost(u"Fx3"_s, eve->id());
        makePost(u"Fx4"_s);
        Relations rel(c());
        const auto query =
            blog::BlogPost::objects(c()).filter(u"title__startswith"_s, u"Fx"_s).orderBy(u"title"_s);

        const FetchResult<blog::BlogPost> r = AWAIT(rel.fetch(query, {u"author"_s}));
        QCOMPARE(r.items.size(), 4);
        QCOMPARE(r.linked.size(), 2);
        QCOMPARE(r.items.at(0)->author(), eve->id()); // links stay RecordIds in the objects
        QVERIFY(!r.items.at(0)->isNew());
        QVERIFY(!r.items.at(0)->isDirty());
        QCOMPARE(r.record(r.items.at(0)->author()).value(u"name"_s).toString(), u"Eve"_s);
        QCOMPARE(r.record(r.items.at(1)->author()).value(u"name"_s).toString(), u"Fay"_s);
        QVERIFY(!r.items.at(3)->author().isValid());
        auto asUser = Relations::object<User>(r.record(fay->id()));
        QVERIFY(asUser);
        QCOMPARE(asUser->email(), u"fay@example.org"_s);
        QVERIFY(!asUser->isNew());

        // The records came in the same reply: deleting the authors afterwards changes nothing
        // in the result already held, and a sync fetch now finds no linked records.
        SyncConnection(c()).query(u"DELETE $a, $b"_s, {{u"a"_s, QVariant::fromValue(eve->id())},
                                                       {u"b"_s, QVariant::fromValue(fay->id())}});
        QCOMPARE(r.record(eve->id()).value(u"name"_s).toString(), u"Eve"_s);
        const auto after = rel.fetchSync(query, {u"author"_s});
        QCOMPARE(after.items.size(), 4);
        QVERIFY(after.linked.isEmpty());
        QCOMPARE(after.items.at(0)->author(), eve->id()); // dangling now, but kept as stored

        // Without link fields it is the plain query.
        QCOMPARE(rel.fetchSync(query, {}).items.size(), 4);
    }

    // Lists of links: FETCH replaces every link of the list, loadAll reads them on demand, and
    // lookups and validation know the list's target table.
    void listsOfLinks()
    {
        SyncConnection(c()).query(u"DEFINE TABLE team SCHEMALESS;"_s);
        const FieldInfo members = ModelInfo::of<Team>().field(u"members"_s);
        QVERIFY(members.isLinkList());
        QCOMPARE(members.surrealType(), u"array<record<user>>"_s);
        auto g1 = makeUser(u"Gil"_s);
        auto g2 = makeUser(u"Gus"_s);
        auto g3 = makeUser(u"Gwen"_s);
        const RecordId ghost(u"user"_s, u"ghost"_s);
        auto make = [&](const QString &name, const QList<RecordId> &ids) {
            Team t;
            t.setConnection(c());
            t.setName(name);
            t.setMembers(ids);
            t.saveSync();
            return t.id();
        };
        make(u"A"_s, {g1->id(), g2->id()});
        make(u"B"_s, {g3->id(), ghost, g2->id()});
        make(u"C"_s, {});

        // Validation before sending: a link to the wrong table, a field that is not a link.
        Team wrong;
        wrong.setConnection(c());
        wrong.setName(u"W"_s);
        wrong.setMembers({RecordId(u"post"_s, 1)});
        QCOMPARE(wrong.validate().kind(), Error::Kind::Validation);
        QCOMPARE(failureOf(wrong.save()).kind(), Error::Kind::Validation);
        Relations rel(c());
        QCOMPARE(failureOf(rel.fetch(Team::objects(c()), {u"name"_s})).kind(), Error::Kind::Validation);

        const auto query = Team::objects(c()).orderBy(u"name"_s);
        for (int sync = 0; sync < 2; ++sync) {
            const FetchResult<Team> r =
                sync ? rel.fetchSync(query, {u"members"_s}) : AWAIT(rel.fetch(query, {u"members"_s}));
            QCOMPARE(r.items.size(), 3);
            QCOMPARE(r.linked.size(), 3); // Gil, Gus, Gwen; the ghost has no record
            // The objects keep RecordIds, in order, unchanged and not dirty.
            QCOMPARE(r.items.at(0)->members(), (QList<RecordId>{g1->id(), g2->id()}));
            QVERIFY(!r.items.at(0)->isDirty());
            QCOMPARE(r.record(r.items.at(0)->members().at(1)).value(u"name"_s).toString(), u"Gus"_s);
            QCOMPARE(r.record(g3->id()).value(u"email"_s).toString(), u"gwen@example.org"_s);
            QVERIFY(r.items.at(2)->members().isEmpty());
            // A dangling link stays in the object as stored; it just has no record.
            QCOMPARE(r.items.at(1)->members(), (QList<RecordId>{g3->id(), ghost, g2->id()}));
            QVERIFY(!r.linked.contains(ghost));
        }

        // On demand: one request, in the list's order, the dangling link left out.
        const auto teamB = Team::objects(c()).filter(u"name"_s, u"B"_s).firstSync();
        const QList<QSharedPointer<User>> users = AWAIT(rel.loadAll<User>(*teamB, u"members"_s));
        QCOMPARE(users.size(), 2);
        QCOMPARE(users.at(0)->name(), u"Gwen"_s);
        QCOMPARE(users.at(1)->name(), u"Gus"_s);
        QVERIFY(!users.at(0)->isNew());
        QCOMPARE(users.at(0)->thread(), QThread::currentThread());
        QCOMPARE(rel.loadAllSync<User>(*teamB, u"members"_s).size(), 2);
        const auto teamC = Team::objects(c()).filter(u"name"_s, u"C"_s).firstSync();
        QVERIFY(rel.loadAllSync<User>(*teamC, u"members"_s).isEmpty());
        QCOMPARE(failureOf(rel.loadAll<User>(*teamB, u"name"_s)).kind(), Error::Kind::Validation);
        QVERIFY_THROWS_EXCEPTION(Exception, rel.loadAllSync<blog::BlogPost>(*teamB, u"members"_s));

        // Lookups: a bare key in a list of links means a user record.
        QCOMPARE(Team::objects(c()).filter(u"members__contains"_s, g2->id().id()).countSync(), qint64(2));
        QCOMPARE(Team::objects(c()).filter(u"members__contains"_s, QVariant::fromValue(g1->id())).countSync(),
                 qint64(1));
    }

    void cacheStaysCoherent()
    {
        auto gus = makeUser(u"Gus"_s);
        auto hal = makeUser(u"Hal"_s);
        RecordCache cache(c());
        AWAIT_VOID(cache.watch(Table(u"user"_s)));
        QVERIFY(cache.isWatched(Table(u"user"_s)));

        QCOMPARE(AWAIT(cache.get(gus->id())).value(u"name"_s).toString(), u"Gus"_s);
        QCOMPARE(cache.misses(), 1);
        QCOMPARE(cache.getSync(gus->id()).value(u"name"_s).toString(), u"Gus"_s);
        QCOMPARE(cache.hits(), 1);
        QCOMPARE(cache.getSync(hal->id()).value(u"name"_s).toString(), u"Hal"_s);
        QCOMPARE(cache.size(), 2);

        // A second client renames Gus: the live notification replaces the cached record.
        QSignalSpy changed(&cache, &RecordCache::recordChanged);
        SyncConnection(m_other->connection())
            .query(u"UPDATE $id SET name = $n"_s,
                   {{u"id"_s, QVariant::fromValue(gus->id())}, {u"n"_s, u"Gustav"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
        QCOMPARE(changed.first().first().value<RecordId>(), gus->id());
        QCOMPARE(cache.cached(gus->id())->value(u"name"_s).toString(), u"Gustav"_s);
        QCOMPARE(cache.getSync(gus->id()).value(u"name"_s).toString(), u"Gustav"_s);

        // Relations::load reads through the cache.
        auto post = makePost(u"Gus's"_s, gus->id());
        Relations rel(c());
        rel.setCache(&cache);
        const qint64 hitsBefore = cache.hits();
        auto author = AWAIT(rel.load<User>(*post, u"author"_s));
        QCOMPARE(author->name(), u"Gustav"_s);
        QVERIFY(!author->isNew());
        QCOMPARE(cache.hits(), hitsBefore + 1);
        QCOMPARE(rel.loadSync<User>(*post, u"author"_s)->name(), u"Gustav"_s);

        // The second client deletes Gus: evicted, and the cache reports it gone.
        QSignalSpy evicted(&cache, &RecordCache::recordEvicted);
        SyncConnection(m_other->connection())
            .query(u"DELETE $id"_s, {{u"id"_s, QVariant::fromValue(gus->id())}});
        QTRY_COMPARE_WITH_TIMEOUT(evicted.size(), 1, 10000);
        QVERIFY(!cache.contains(gus->id()));
        QVERIFY(cache.getSync(gus->id()).isEmpty());
        QVERIFY(!cache.contains(gus->id())); // absence is not cached
        QVERIFY(!AWAIT(rel.load<User>(*post, u"author"_s)));
        QVERIFY(cache.contains(hal->id()));

        // Records of tables nobody watches are never kept (nothing would evict them).
        QCOMPARE(cache.getSync(post->id()).value(u"title"_s).toString(), u"Gus's"_s);
        QVERIFY(!cache.contains(post->id()));

        cache.unwatch(Table(u"user"_s));
        QVERIFY(!cache.contains(hal->id()));
        QVERIFY(!cache.isWatched(Table(u"user"_s)));

        // The blocking twin: once it returns the subscription is active, so reads are kept and
        // a second client's change reaches the cache.
        cache.watchSync(Table(u"post"_s));
        QVERIFY(cache.isWatched(Table(u"post"_s)));
        QCOMPARE(cache.getSync(post->id()).value(u"title"_s).toString(), u"Gus's"_s);
        QVERIFY(cache.contains(post->id()));
        SyncConnection(m_other->connection())
            .query(u"UPDATE $id SET title = 'renamed'"_s, {{u"id"_s, QVariant::fromValue(post->id())}});
        QTRY_COMPARE_WITH_TIMEOUT(cache.cached(post->id())->value(u"title"_s).toString(), u"renamed"_s,
                                  10000);
        cache.watchSync(Table(u"post"_s)); // twice is harmless
        QVERIFY(cache.contains(post->id()));
    }

    void docSnippets() { runRelationsDocSnippets(m_db.get()); }

    void cleanupTestCase()
    {
        Model::setDefaultConnection(static_cast<Connection *>(nullptr));
        m_other.reset();
        m_db.reset();
    }
};

QTEST_MAIN(tst_Relations)
#include "tst_relations.moc"
