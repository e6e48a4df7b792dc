// Models against the real engine: every operation async and sync, every lookup, hostile input,
// dirty-only saves, auto timestamps, validation, a round trip of every type, signal order,
// optimistic locking and paging.

#include "testmodels.h"

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// A note whose writes a permission rule restricts to its owner (see refusedWrites...).
class Note : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Note)
    Q_CLASSINFO("owner", "link=member")
    SURREALQT_FIELD(SurrealQt::RecordId, owner, setOwner)
    SURREALQT_FIELD(QString, text, setText)
};

// Defined in doc_snippets.cpp: runs the documentation's examples against db.
void runDocSnippets(SurrealQt::DatabaseManager *db);

class tst_Models : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_db;
    std::unique_ptr<DatabaseManager> m_other; // a second client
    QString m_ns;
    Connection *c() { return m_db->connection(); }

    QSharedPointer<User> makeUser(const QString &name, int age, const QString &city = u"Oslo"_s,
                                  const QStringList &tags = {})
    {
        return User::objects(c()).createSync({{u"name"_s, name},
                                              {u"email"_s, name.toLower() + u"@example.org"_s},
                                              {u"age"_s, age},
                                              {u"address"_s, QVariantMap{{u"city"_s, city}}},
                                              {u"tags"_s, tags}});
    }

    static QStringList names(const QList<QSharedPointer<User>> &users)
    {
        QStringList out;
        for (const auto &u : users)
            out.append(u->name());
        out.sort();
        return out;
    }

    void seedUsers()
    {
        SyncConnection(c()).query(u"DELETE user"_s);
        makeUser(u"Ann"_s, 31, u"Oslo"_s, {u"admin"_s, u"dev"_s});
        makeUser(u"Bob"_s, 17, u"Bergen"_s, {u"dev"_s});
        makeUser(u"Cleo"_s, 45, u"Oslo"_s);
        // Raw rows: one without an email (isnull), created past the model's validation.
        SyncConnection(c()).query(
            u"CREATE user CONTENT $d"_s,
            {{u"d"_s, QVariantMap{{u"name"_s, u"dan"_s}, {u"age"_s, 18}, {u"tags"_s, QVariantList{}}}}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        const QString ns = TestServer::uniqueName("orm_");
        m_ns = ns;
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"m"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        m_db->openSync();
        m_other = std::make_unique<DatabaseManager>(
            TestServer::url(), ns, u"m"_s, Credentials::root(TestServer::user(), TestServer::pass()));
        m_other->openSync();
        SyncConnection(c()).query(
            u"DEFINE TABLE user SCHEMALESS; DEFINE INDEX user_age ON user FIELDS age;"_s);
    }

    void createAndGet()
    {
        // Async create through the class's default connection.
        User::setDefaultConnection(m_db.get());
        auto ann = AWAIT(User::objects().create({{u"name"_s, u"Ann"_s}, {u"email"_s, u"ann@example.org"_s}}));
        QVERIFY(ann);
        QVERIFY(!ann->isNew());
        QCOMPARE(ann->id().table(), u"user"_s);
        QCOMPARE(ann->age(), 18); // default
        QVERIFY(ann->createdAt().isValid());
        QCOMPARE(ann->thread(), QThread::currentThread());

        auto same = AWAIT(User::objects().get(ann->id()));
        QVERIFY(same);
        QCOMPARE(same->name(), u"Ann"_s);
        QCOMPARE(same->createdAt(), ann->createdAt());
        QVERIFY(!same->isDirty());
        auto byKey = User::objects().getSync(ann->id().id());
        QCOMPARE(byKey->email(), u"ann@example.org"_s);
        QVERIFY(!AWAIT(User::objects().get(u"nobody"_s)));
        QVERIFY(!User::objects().getSync(u"nobody"_s));

        // A chosen id.
        User fixed;
        fixed.setId(QVariant(u"fixed"_s));
        fixed.setName(u"F"_s);
        fixed.setEmail(u"f@x"_s);
        fixed.saveSync();
        QCOMPARE(fixed.id(), RecordId(u"user"_s, u"fixed"_s));
        // Creating it twice is an error, not a silent overwrite.
        User again;
        again.setId(QVariant(u"fixed"_s));
        again.setName(u"G"_s);
        again.setEmail(u"g@x"_s);
        QCOMPARE(failureOf(again.save()).kind(), Error::Kind::AlreadyExists);
        Model::setDefaultConnection(static_cast<Connection *>(nullptr));
        User::setDefaultConnection(static_cast<Connection *>(nullptr));
    }

    void lookupsAgainstEngine_data()
    {
        QTest::addColumn<Condition>("condition");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("exact") << Condition(u"name"_s, u"Ann"_s) << QStringList{u"Ann"_s};
        QTest::newRow("iexact") << Condition(u"name__iexact"_s, u"ANN"_s) << QStringList{u"Ann"_s};
        QTest::newRow("ne") << Condition(u"name__ne"_s, u"Ann"_s)
                            << QStringList{u"Bob"_s, u"Cleo"_s, u"dan"_s};
        QTest::newRow("gt") << Condition(u"age__gt"_s, 31) << QStringList{u"Cleo"_s};
        QTest::newRow("gte") << Condition(u"age__gte"_s, 31) << QStringList{u"Ann"_s, u"Cleo"_s};
        QTest::newRow("lt") << Condition(u"age__lt"_s, 18) << QStringList{u"Bob"_s};
        QTest::newRow("lte") << Condition(u"age__lte"_s, 18) << QStringList{u"Bob"_s, u"dan"_s};
        QTest::newRow("in") << Condition(u"age__in"_s, QVariantList{17, 45})
                            << QStringList{u"Bob"_s, u"Cleo"_s};
        QTest::newRow("contains string")
            << Condition(u"name__contains"_s, u"o"_s) << QStringList{u"Bob"_s, u"Cleo"_s};
        QTest::newRow("contains list")
            << Condition(u"tags__contains"_s, u"dev"_s) << QStringList{u"Ann"_s, u"Bob"_s};
        QTest::newRow("icontains") << Condition(u"name__icontains"_s, u"AN"_s)
                                   << QStringList{u"Ann"_s, u"dan"_s};
        QTest::newRow("startswith") << Condition(u"name__startswith"_s, u"C"_s) << QStringList{u"Cleo"_s};
        QTest::newRow("endswith") << Condition(u"name__endswith"_s, u"n"_s)
                                  << QStringList{u"Ann"_s, u"dan"_s};
        QTest::newRow("isnull") << Condition(u"email__isnull"_s, true) << QStringList{u"dan"_s};
        QTest::newRow("not isnull") << Condition(u"email__isnull"_s, false)
                                    << QStringList{u"Ann"_s, u"Bob"_s, u"Cleo"_s};
        QTest::newRow("nested") << Condition(u"address__city"_s, u"Oslo"_s)
                                << QStringList{u"Ann"_s, u"Cleo"_s};
        QTest::newRow("nested op") << Condition(u"address__city__startswith"_s, u"Ber"_s)
                                   << QStringList{u"Bob"_s};
        QTest::newRow("and") << (Condition(u"address__city"_s, u"Oslo"_s) && Condition(u"age__lt"_s, 40))
                             << QStringList{u"Ann"_s};
        QTest::newRow("or") << (Condition(u"name"_s, u"Bob"_s) || Condition(u"age__gt"_s, 40))
                            << QStringList{u"Bob"_s, u"Cleo"_s};
        QTest::newRow("not") << !Condition(u"address__city"_s, u"Oslo"_s) << QStringList{u"Bob"_s, u"dan"_s};
        QTest::newRow("hostile value") << Condition(u"name"_s, u"Ann' OR true; --"_s) << QStringList{};
        QTest::newRow("hostile nested key") << Condition(u"address__c`i)ty"_s, u"Oslo"_s) << QStringList{};
    }

    void lookupsAgainstEngine()
    {
        QFETCH(Condition, condition);
        QFETCH(QStringList, expected);
        if (QTest::currentDataTag() == QByteArray("exact"))
            seedUsers();
        const auto q = User::objects(c()).filter(condition);
        // Async and sync give the same rows.
        QCOMPARE(names(AWAIT(q.all())), expected);
        QCOMPARE(names(q.allSync()), expected);
        QCOMPARE(AWAIT(q.count()), qint64(expected.size()));
        QCOMPARE(q.countSync(), qint64(expected.size()));
        QCOMPARE(AWAIT(q.exists()), !expected.isEmpty());
        QCOMPARE(q.existsSync(), !expected.isEmpty());
    }

    void excludeOrderLimitOffsetFirstValues()
    {
        const auto all = User::objects(c());
        QCOMPARE(names(all.exclude(u"age__lt"_s, 18).allSync()),
                 (QStringList{u"Ann"_s, u"Cleo"_s, u"dan"_s}));
        QCOMPARE(names(AWAIT(all.exclude({{u"name"_s, u"Ann"_s}}).all())),
                 (QStringList{u"Bob"_s, u"Cleo"_s, u"dan"_s}));
        const auto byAge = all.orderBy(u"-age"_s);
        QList<QSharedPointer<User>> page = byAge.limit(2).offset(1).allSync();
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.at(0)->name(), u"Ann"_s);
        QCOMPARE(page.at(1)->name(), u"dan"_s);
        QCOMPARE(AWAIT(byAge.first())->name(), u"Cleo"_s);
        QCOMPARE(byAge.firstSync()->name(), u"Cleo"_s);
        QVERIFY(!all.filter(u"age__gt"_s, 1000).firstSync());

        const QList<QVariantMap> rows =
            all.filter(u"name"_s, u"Bob"_s).valuesSync({u"name"_s, u"address__city"_s});
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().value(u"name"_s), QVariant(u"Bob"_s));
        QCOMPARE(rows.first().value(u"address"_s).toMap().value(u"city"_s), QVariant(u"Bergen"_s));
        QVERIFY(!rows.first().contains(u"age"_s));
        QCOMPARE(AWAIT(all.orderBy(u"age"_s).values({u"age"_s})).first().value(u"age"_s).toInt(), 17);
    }

    void updateManyAndDeleteMany()
    {
        const auto q = User::objects(c());
        QCOMPARE(AWAIT(q.updateMany(Condition(u"address__city"_s, u"Oslo"_s), {{u"age"_s, 50}})), qint64(2));
        QCOMPARE(q.filter(u"age"_s, 50).countSync(), qint64(2));
        QCOMPARE(q.filter(u"name"_s, u"Bob"_s).updateManySync({{u"tags"_s, QStringList{u"x"_s}}}), qint64(1));
        QCOMPARE(q.getSync(q.filter(u"name"_s, u"Bob"_s).firstSync()->id())->tags(), QStringList{u"x"_s});
        QCOMPARE(q.updateManySync(Condition(u"age__gt"_s, 1000), {{u"age"_s, 1}}), qint64(0));
        // Validation before sending: nothing changes.
        QCOMPARE(failureOf(q.updateMany({{u"age"_s, u"old"_s}})).kind(), Error::Kind::Validation);
        QVERIFY_THROWS_EXCEPTION(Exception, q.updateManySync({{u"nosuch"_s, 1}}));
        QCOMPARE(q.filter(u"age"_s, 50).countSync(), qint64(2));

        QCOMPARE(AWAIT(q.deleteMany(Condition(u"name"_s, u"dan"_s))), qint64(1));
        QCOMPARE(q.deleteManySync(Condition(u"age"_s, 50)), qint64(2));
        QCOMPARE(q.countSync(), qint64(1));
        QCOMPARE(q.filter(u"name"_s, u"nobody"_s).deleteManySync(), qint64(0));
    }

    void hostileFieldNamesAreRefusedBeforeSending()
    {
        const auto q = User::objects(c());
        const QString evil = u"name = 1; REMOVE TABLE user; --"_s;
        Error e = failureOf(q.filter(evil, 1).all());
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"REMOVE TABLE"_s), qPrintable(e.message()));
        QVERIFY_THROWS_EXCEPTION(Exception, q.orderBy(u"-"_s + evil).allSync());
        QVERIFY_THROWS_EXCEPTION(Exception, q.valuesSync({evil}));
        QVERIFY_THROWS_EXCEPTION(Exception,
                                 q.createSync({{evil, 1}, {u"name"_s, u"x"_s}, {u"email"_s, u"y"_s}}));
        QCOMPARE(failureOf(q.filter(u"age__regex"_s, u"x"_s).count()).kind(), Error::Kind::Validation);
        QVERIFY(q.countSync() >= 1); // the table is still there

        // Hostile strings as values are stored and read back unchanged.
        const QString nasty = u"Robert'); DROP TABLE user;-- ⟨x⟩ `y` $z \\ \" \u0000 end"_s;
        auto u = q.createSync({{u"name"_s, nasty.left(40)}, {u"email"_s, nasty}});
        QCOMPARE(q.filter(u"email"_s, nasty).firstSync()->id(), u->id());
        QCOMPARE(q.getSync(u->id())->email(), nasty);
    }

    void saveSendsOnlyDirtyFields()
    {
        auto mine = makeUser(u"Eve"_s, 20);
        // Another client changes a field this object does not touch.
        auto theirs = User::objects(m_other->connection()).getSync(mine->id());
        theirs->setName(u"Eve (theirs)"_s);
        theirs->saveSync();

        // Watch the table as a second client, in diff mode: each save shows what it changed.
        std::unique_ptr<LiveQuery> live(
            m_other->connection()->live(Table(u"user"_s), LiveOptions{LiveOptions::Mode::Diff}));
        (void)AWAIT(live->started());
        QSignalSpy notes(live.get(), &LiveQuery::notification);

        mine->setAge(21);
        QCOMPARE(mine->dirtyFields(), QStringList{u"age"_s});
        AWAIT_VOID(mine->save());
        QVERIFY(!mine->isDirty());
        QCOMPARE(mine->name(), u"Eve (theirs)"_s); // reloaded from the server's answer
        QCOMPARE(User::objects(c()).getSync(mine->id())->name(), u"Eve (theirs)"_s);

        QTRY_COMPARE(notes.size(), 1);
        const QVariantList ops = notes.first().first().value<LiveNotification>().result().toList();
        QStringList paths;
        for (const QVariant &op : ops)
            paths.append(op.toMap().value(u"path"_s).toString());
        paths.sort();
        // age, and updatedAt (autoNow); never name or email.
        QCOMPARE(paths, (QStringList{u"/age"_s, u"/updatedAt"_s}));

        // Nothing dirty, no autoNow change needed beyond the stamp: still one saved().
        QSignalSpy saved(mine.get(), &Model::saved);
        mine->saveSync();
        QCOMPARE(saved.size(), 1);
    }

    void autoNowAndAutoNowAdd()
    {
        User u;
        u.setConnection(c());
        u.setName(u"Tim"_s);
        u.setEmail(u"tim@x"_s);
        QVERIFY(!u.createdAt().isValid());
        const DateTime before = DateTime::currentDateTime();
        u.saveSync();
        const DateTime created = u.createdAt();
        QVERIFY(created.isValid());
        QVERIFY(created >= before);
        QCOMPARE(u.updatedAt(), created);
        QTest::qWait(5);
        u.setAge(40);
        AWAIT_VOID(u.save());
        QCOMPARE(u.createdAt(), created); // only on create
        QVERIFY(u.updatedAt() > created); // on every save
        auto stored = User::objects(c()).getSync(u.id());
        QCOMPARE(stored->createdAt(), created);
        QCOMPARE(stored->updatedAt(), u.updatedAt());
    }

    void validationErrorsWriteNothing()
    {
        const qint64 before = User::objects(c()).countSync();
        User u;
        u.setConnection(c());
        u.setEmail(u"x@y"_s);
        QSignalSpy errors(&u, &Model::errorOccurred);
        Error e = failureOf(u.save());
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"User.name"_s), qPrintable(e.message()));
        QCOMPARE(errors.size(), 1); // refused before sending: signalled at once
        u.setName(QString(41, u'n'));
        try {
            u.saveSync();
            QFAIL("saveSync accepted a name over maxLength");
        } catch (const Exception &ex) {
            QVERIFY(ex.error().message().contains(u"longer than 40"_s));
        }
        QCOMPARE(errors.size(), 2);
        QCOMPARE(failureOf(User::objects(c()).create({{u"name"_s, 5}, {u"email"_s, u"e"_s}})).kind(),
                 Error::Kind::Validation);
        QCOMPARE(User::objects(c()).countSync(), before);
    }

    void roundTripOfEveryType()
    {
        auto owner = makeUser(u"Owner"_s, 60);
        Everything e;
        e.setConnection(c());
        e.setText(u"tëxt ⟨⟩"_s);
        e.setNumber(Q_INT64_C(9007199254740993));
        e.setReal(0.1);
        e.setFlag(true);
        e.setWhen(DateTime(1700000000, 123456789));
        e.setWhenMs(QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC));
        e.setSpan(Duration::fromString(u"1h2m3s4ns"));
        e.setPrice(Decimal::fromString(u"1234567890.0123456789"));
        e.setUuid(QUuid::createUuid());
        e.setPlace(Geometry::fromPoint(10.75, 59.91));
        e.setBlob(QByteArray("\x00\x01\xff", 3));
        e.setOwner(owner->id());
        e.setItems({u"a"_s, u"b"_s});
        e.setNumbers({1, -2, 3});
        e.setDict({{u"k"_s, QVariantMap{{u"deep"_s, QVariantList{1, u"two"_s}}}}});
        e.setAnything(QVariant::fromValue(Duration::fromString(u"5s")));
        e.setMaybe(7);
        // nickname stays empty: optional, stored as NONE (absent)
        e.saveSync();

        auto back = Everything::objects(c()).getSync(e.id());
        QVERIFY(back);
        const QVariantMap a = e.toMap(), b = back->toMap();
        for (auto it = a.begin(); it != a.end(); ++it)
            QVERIFY2(b.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(b, a);
        const QVariant raw = SyncConnection(c())
                                 .query(u"SELECT * FROM ONLY $id"_s, {{u"id"_s, QVariant::fromValue(e.id())}})
                                 .value(0);
        QVERIFY(!raw.toMap().contains(u"nickname"_s));
        QCOMPARE(raw.toMap().value(u"price"_s).metaType(), QMetaType::fromType<Decimal>());
        QCOMPARE(raw.toMap().value(u"owner"_s).value<RecordId>(), owner->id());
    }

    void signalsOncePerOperationInOrder()
    {
        User u;
        u.setConnection(c());
        u.setName(u"Sig"_s);
        u.setEmail(u"sig@x"_s);
        QStringList events;
        connect(&u, &Model::saved, this, [&] { events << u"saved"_s; });
        connect(&u, &Model::removed, this, [&] { events << u"removed"_s; });
        connect(&u, &Model::refreshed, this, [&] { events << u"refreshed"_s; });
        connect(&u, &Model::errorOccurred, this, [&](const Error &) { events << u"error"_s; });
        connect(&u, &Model::isNewChanged, this, [&] { events << (u.isNew() ? u"new"_s : u"stored"_s); });
        connect(&u, &User::ageChanged, this, [&] { events << u"age"_s; });

        AWAIT_VOID(u.save());
        u.setAge(33);
        u.saveSync();
        SyncConnection(c()).query(u"UPDATE $id SET age = 34"_s, {{u"id"_s, QVariant::fromValue(u.id())}});
        AWAIT_VOID(u.refresh());
        u.refreshSync(); // unchanged: no age signal
        AWAIT_VOID(u.remove());
        QCOMPARE(failureOf(u.refresh()).kind(), Error::Kind::Model); // not stored any more
        u.setId(u.id());                                             // still the old id; saving re-creates it
        AWAIT_VOID(u.save());
        u.removeSync();
        // A write the server did not perform is an error, never "saved" or "removed".
        auto ghost = makeUser(u"Ghost"_s, 1);
        SyncConnection(c()).query(u"DELETE $id"_s, {{u"id"_s, QVariant::fromValue(ghost->id())}});
        QSignalSpy ghostSaved(ghost.get(), &Model::saved);
        QSignalSpy ghostRemoved(ghost.get(), &Model::removed);
        QCOMPARE(failureOf(ghost->remove()).kind(), Error::Kind::NotFound);
        ghost->setAge(2);
        QCOMPARE(failureOf(ghost->save()).kind(), Error::Kind::NotFound);
        QVERIFY_THROWS_EXCEPTION(Exception, ghost->saveSync());
        QCOMPARE(ghostSaved.size(), 0);
        QCOMPARE(ghostRemoved.size(), 0);
        QVERIFY(ghost->isDirty(u"age"_s)); // still unsaved
        QTest::qWait(20);                  // let any stray queued signal arrive
        QCOMPARE(events.join(u' '), (QStringList{u"stored"_s, u"saved"_s, u"age"_s, u"saved"_s, u"age"_s,
                                                 u"refreshed"_s, u"refreshed"_s, u"new"_s, u"removed"_s,
                                                 u"error"_s, u"stored"_s, u"saved"_s, u"new"_s, u"removed"_s})
                                        .join(u' '));
    }

    void optimisticLocking()
    {
        Doc d;
        d.setConnection(c());
        d.setBody(u"v1"_s);
        d.saveSync();
        QCOMPARE(d.version(), 0);
        auto other = Doc::objects(m_other->connection()).getSync(d.id());
        other->setBody(u"theirs"_s);
        other->saveSync();
        QCOMPARE(other->version(), 1);
        d.setBody(u"mine"_s);
        const Error e = failureOf(d.save());
        QCOMPARE(e.kind(), Error::Kind::Conflict);
        QCOMPARE(Doc::objects(c()).getSync(d.id())->body(), u"theirs"_s);
        d.refreshSync();
        d.setBody(u"mine"_s);
        d.saveSync();
        QCOMPARE(d.version(), 2);
    }

    void pagingWholeTable()
    {
        SyncConnection(c()).query(u"DELETE user"_s);
        // Ids 1..250 inserted out of order, ages with ties.
        QVariantList rows;
        for (int i = 250; i >= 1; --i)
            rows.append(QVariantMap{{u"id"_s, i},
                                    {u"name"_s, u"n%1"_s.arg(i)},
                                    {u"email"_s, u"e%1"_s.arg(i)},
                                    {u"age"_s, i % 7}});
        SyncConnection(c()).query(u"INSERT INTO user $rows"_s, {{u"rows"_s, rows}});

        // id; an indexed field with ties, both ways; a unique field; a field without an index.
        for (const QString &order : {QString(), u"-age"_s, u"age"_s, u"email"_s, u"name"_s}) {
            auto q = User::objects(c()).limit(40);
            if (!order.isEmpty())
                q = q.orderBy(order);
            QList<QSharedPointer<User>> seen;
            PageToken token;
            int pages = 0;
            while (!token.isEnd()) {
                const Page<User> page = (pages % 2) ? q.pageSync(token) : AWAIT(q.page(token));
                seen += page.items;
                token = page.next;
                QVERIFY(++pages < 20);
            }
            QCOMPARE(seen.size(), 250);
            QSet<qint64> ids;
            for (const auto &u : seen)
                ids.insert(u->id().id().toLongLong());
            QCOMPARE(ids.size(), 250);
            if (order.isEmpty())
                QCOMPARE(seen.first()->id().id().toLongLong(), 1);
            for (qsizetype i = 1; i < seen.size(); ++i) {
                if (order == u"-age"_s)
                    QVERIFY(seen.at(i - 1)->age() >= seen.at(i)->age());
                if (order == u"age"_s)
                    QVERIFY(seen.at(i - 1)->age() <= seen.at(i)->age());
                if (order == u"email"_s)
                    QVERIFY(seen.at(i - 1)->email() < seen.at(i)->email());
            }
        }
    }

    // The engine answers a write that a permission rule refuses exactly like one on a missing
    // record: nothing, no error. A model must fail instead of reporting "saved" or "removed":
    // NotAllowed when the record is still there (readable), NotFound when it cannot be seen;
    // errorOccurred once per operation, never saved()/removed(), the object left as it was.
    void refusedWritesFailWithTheirReason()
    {
        const QString db = TestServer::uniqueName("perm_");
        const auto root = Credentials::root(TestServer::user(), TestServer::pass());
        const ConnectionOptions single{ConnectionOptions::Sockets::Single, 1};
        DatabaseManager admin(TestServer::url(), m_ns, db, root, single);
        admin.openSync();
        SyncConnection(admin.connection())
            .query(
                u"DEFINE TABLE member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
                "DEFINE ACCESS member ON DATABASE TYPE RECORD SIGNUP (CREATE member SET name = $name)"
                " SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;"
                "DEFINE TABLE note SCHEMALESS PERMISSIONS FOR select WHERE owner = $auth.id OR shared = true,"
                " FOR create, update, delete WHERE owner = $auth.id;"
                "DEFINE TABLE doc SCHEMALESS PERMISSIONS FOR select FULL, FOR create, update, delete NONE;"
                "CREATE note:theirs SET owner = member:other, text = 'keep', shared = true;"
                "CREATE note:hidden SET owner = member:other, text = 'secret';"
                "CREATE doc:locked SET body = 'b', version = 0;"_s);
        DatabaseManager user(TestServer::url(), m_ns, db, Credentials(), single);
        SyncConnection(user.connection())
            .signup(Credentials::recordAccess(m_ns, db, u"member"_s, {{u"name"_s, u"zoe"_s}}));
        Connection *zoe = user.connection();
        const auto keptText = [&](const QString &key) {
            return SyncConnection(admin.connection())
                .query(u"SELECT VALUE text FROM ONLY $id"_s,
                       {{u"id"_s, QVariant::fromValue(RecordId(u"note"_s, key))}})
                .value(0)
                .toString();
        };

        struct Spies
        {
            QSignalSpy saved, removed, errors;
            explicit Spies(Model *m)
                : saved(m, &Model::saved)
                , removed(m, &Model::removed)
                , errors(m, &Model::errorOccurred)
            {}
        };
        const auto syncKind = [](auto call) {
            try {
                call();
            } catch (const Exception &e) {
                return e.error().kind();
            }
            return Error::Kind::NoError;
        };

        // Readable, not writable: refused.
        auto theirs = Note::objects(zoe).getSync(u"theirs"_s);
        QVERIFY(theirs);
        Spies s1(theirs.get());
        theirs->setText(u"mine now"_s);
        const Error e = failureOf(theirs->save());
        QCOMPARE(e.kind(), Error::Kind::NotAllowed);
        QVERIFY2(e.message().contains(u"permission"_s), qPrintable(e.message()));
        QCOMPARE(s1.errors.size(), 1);
        QCOMPARE(s1.errors.first().first().value<Error>().kind(), Error::Kind::NotAllowed);
        QCOMPARE(syncKind([&] { theirs->saveSync(); }), Error::Kind::NotAllowed);
        QCOMPARE(s1.errors.size(), 2);
        QVERIFY(theirs->isDirty(u"text"_s)); // still unsaved
        QCOMPARE(failureOf(theirs->remove()).kind(), Error::Kind::NotAllowed);
        QCOMPARE(s1.errors.size(), 3);
        QCOMPARE(syncKind([&] { theirs->removeSync(); }), Error::Kind::NotAllowed);
        QCOMPARE(s1.errors.size(), 4);
        QVERIFY(!theirs->isNew());
        QCOMPARE(s1.saved.size(), 0);
        QCOMPARE(s1.removed.size(), 0);
        QCOMPARE(keptText(u"theirs"_s), u"keep"_s);

        // Neither readable nor writable: indistinguishable from a missing record.
        auto hidden = Note::objects(admin.connection()).getSync(u"hidden"_s);
        QVERIFY(hidden);
        hidden->setConnection(zoe);
        Spies s2(hidden.get());
        hidden->setText(u"x"_s);
        QCOMPARE(failureOf(hidden->save()).kind(), Error::Kind::NotFound);
        QCOMPARE(syncKind([&] { hidden->saveSync(); }), Error::Kind::NotFound);
        QCOMPARE(failureOf(hidden->remove()).kind(), Error::Kind::NotFound);
        QCOMPARE(syncKind([&] { hidden->removeSync(); }), Error::Kind::NotFound);
        QCOMPARE(s2.errors.size(), 4);
        QCOMPARE(s2.saved.size() + s2.removed.size(), 0);
        QCOMPARE(keptText(u"hidden"_s), u"secret"_s);

        // A create the rule refuses.
        Note forged;
        forged.setConnection(zoe);
        forged.setOwner(RecordId(u"member"_s, u"other"_s));
        forged.setText(u"forged"_s);
        Spies s3(&forged);
        QCOMPARE(failureOf(forged.save()).kind(), Error::Kind::NotAllowed);
        QCOMPARE(syncKind([&] { forged.saveSync(); }), Error::Kind::NotAllowed);
        QVERIFY(forged.isNew());
        QCOMPARE(s3.errors.size(), 2);
        QCOMPARE(s3.saved.size(), 0);

        // A versioned record whose update is refused: NotAllowed, not a version conflict.
        auto locked = Doc::objects(zoe).getSync(u"locked"_s);
        QVERIFY(locked);
        locked->setBody(u"changed"_s);
        QCOMPARE(failureOf(locked->save()).kind(), Error::Kind::NotAllowed);

        // The owner's own note: every operation goes through, once each.
        const RecordId me = SyncConnection(zoe)
                                .query(u"SELECT VALUE id FROM member"_s)
                                .value(0)
                                .toList()
                                .value(0)
                                .value<RecordId>();
        QVERIFY(me.isValid());
        Note mine;
        mine.setConnection(zoe);
        mine.setOwner(me);
        mine.setText(u"mine"_s);
        Spies s4(&mine);
        AWAIT_VOID(mine.save());
        mine.setText(u"edited"_s);
        mine.saveSync();
        AWAIT_VOID(mine.remove());
        QCOMPARE(s4.saved.size(), 2);
        QCOMPARE(s4.removed.size(), 1);
        QCOMPARE(s4.errors.size(), 0);
    }

    void pagingFilteredByIndexedField()
    {
        // pagingWholeTable's rows: ages 0..6 with ties, paged ascending by age under a filter.
        const auto q = User::objects(c()).filter(u"age__gte"_s, 3).orderBy(u"age"_s).limit(30);
        const qint64 expected = q.countSync();
        QVERIFY(expected > 100);
        QList<QSharedPointer<User>> seen;
        PageToken token;
        while (!token.isEnd()) {
            const Page<User> page = AWAIT(q.page(token));
            seen += page.items;
            token = page.next;
        }
        QCOMPARE(seen.size(), expected);
        QSet<RecordId> ids;
        for (qsizetype i = 0; i < seen.size(); ++i) {
            ids.insert(seen.at(i)->id());
            QVERIFY(seen.at(i)->age() >= 3);
            if (i > 0) // by age, then id
                QVERIFY(seen.at(i - 1)->age() < seen.at(i)->age() ||
                        (seen.at(i - 1)->age() == seen.at(i)->age() &&
                         seen.at(i - 1)->id().id().toLongLong() < seen.at(i)->id().id().toLongLong()));
        }
        QCOMPARE(ids.size(), seen.size());

        // The same filter in id order: the filter uses the age index, the pages still follow ids.
        const auto byId = User::objects(c()).filter(u"age__gte"_s, 3).limit(30);
        QList<qint64> keys;
        token = {};
        while (!token.isEnd()) {
            const Page<User> page = byId.pageSync(token);
            for (const auto &u : page.items)
                keys.append(u->id().id().toLongLong());
            token = page.next;
        }
        QCOMPARE(keys.size(), expected);
        QVERIFY(std::is_sorted(keys.begin(), keys.end()));
        QCOMPARE(QSet<qint64>(keys.begin(), keys.end()).size(), keys.size());
    }

    void docSnippets() { runDocSnippets(m_db.get()); }

    void cleanupTestCase()
    {
        m_other.reset();
        m_db.reset();
    }
};

QTEST_GUILESS_MAIN(tst_Models)
#include "tst_models.moc"
