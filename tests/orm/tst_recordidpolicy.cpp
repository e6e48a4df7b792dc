// One meaning for record-id text everywhere a record id is expected (issue 14, item 2), against
// the real engine: "user:42" is the record user:42 in Query<T>::get, Model::setId/fromMap,
// Connection's untyped calls and the CRUD helpers; where the table is known a bare key stays a
// key, another table's id is a Validation error naming the expected table, and text with a ':'
// that is not a record id is refused as ambiguous.

#include "testmodels.h"

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/synccrudhelpers.h>

#include <QtTest/QTest>

#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// nullptr where a Connection * or a DatabaseManager * is taken picked neither (ambiguous).
template<typename M>
concept DefaultConnectionTakesNullptr = requires
{
    M::setDefaultConnection(nullptr);
};
template<typename M>
concept ObjectsTakesNullptr = requires
{
    M::objects(nullptr);
};

class tst_RecordIdPolicy : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseManager> m_db;
    Connection *c() { return m_db->connection(); }

    // The kind and message of a blocking call's failure.
    template<typename Fn>
    static Error thrownBy(Fn fn)
    {
        try {
            fn();
        } catch (const Exception &e) {
            return e.error();
        }
        return {};
    }

    static void verifyNamesExpectedTable(const Error &e, const QString &given)
    {
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"user"_s) && e.message().contains(given), qPrintable(e.toString()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("rid_"), u"p"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        m_db->openSync();
        // user:42 has an integer key; user:⟨user:42⟩ is the record the old reading found instead.
        const QueryResult setup =
            SyncConnection(c()).query(u"CREATE user:42 SET name = 'int', email = 'i@x';"
                                      "CREATE user:⟨user:42⟩ SET name = 'text', email = 't@x';"
                                      "CREATE user:ann SET name = 'ann', email = 'a@x';"
                                      "CREATE user:⟨a b⟩ SET name = 'spaced', email = 's@x';"
                                      "CREATE user:⟨42⟩ SET name = 'digits', email = 'd@x';"
                                      "CREATE post:1 SET title = 'p';"_s);
        QVERIFY2(setup.isOk(), qPrintable(setup.firstError().toString()));
    }

    void getParsesRecordIdText_data()
    {
        QTest::addColumn<QVariant>("given");
        QTest::addColumn<QString>("name");
        QTest::newRow("user:42") << QVariant(u"user:42"_s) << u"int"_s;
        QTest::newRow("user:⟨a b⟩") << QVariant(u"user:⟨a b⟩"_s) << u"spaced"_s;
        QTest::newRow("user:`a b`") << QVariant(u"user:`a b`"_s) << u"spaced"_s;
        QTest::newRow("user:⟨user:42⟩") << QVariant(u"user:⟨user:42⟩"_s) << u"text"_s;
        QTest::newRow("user:⟨42⟩") << QVariant(u"user:⟨42⟩"_s) << u"digits"_s;
        // A bare key stays a key, of the type it has.
        QTest::newRow("bare text") << QVariant(u"ann"_s) << u"ann"_s;
        QTest::newRow("bare text with space") << QVariant(u"a b"_s) << u"spaced"_s;
        QTest::newRow("bare digits text") << QVariant(u"42"_s) << u"digits"_s;
        QTest::newRow("bare int") << QVariant(42) << u"int"_s;
        QTest::newRow("RecordId") << QVariant::fromValue(RecordId(u"user"_s, 42)) << u"int"_s;
    }

    void getParsesRecordIdText()
    {
        QFETCH(QVariant, given);
        QFETCH(QString, name);
        const auto sync = User::objects(c()).getSync(given);
        QVERIFY(sync);
        QCOMPARE(sync->name(), name);
        const auto async = AWAIT(User::objects(c()).get(given));
        QVERIFY(async);
        QCOMPARE(async->name(), name);
        QCOMPARE(async->id(), sync->id());
    }

    void getRefusesAnotherTablesOrAmbiguousText_data()
    {
        QTest::addColumn<QString>("given");
        QTest::newRow("another table") << u"post:1"_s;
        QTest::newRow("another table, quoted key") << u"post:⟨user:42⟩"_s;
        QTest::newRow("two colons") << u"user:1:2"_s;
        QTest::newRow("a time") << u"12:30"_s;
        QTest::newRow("unquoted space") << u"user:a b"_s;
        QTest::newRow("range") << u"user:1..3"_s;
    }

    void getRefusesAnotherTablesOrAmbiguousText()
    {
        QFETCH(QString, given);
        const Error async = failureOf(User::objects(c()).get(given));
        verifyNamesExpectedTable(async, given);
        const Error sync = thrownBy([&] { (void)User::objects(c()).getSync(given); });
        verifyNamesExpectedTable(sync, given);
    }

    void setIdFollowsThePolicy()
    {
        User u;
        u.setId(QVariant(u"user:42"_s));
        QCOMPARE(u.id(), RecordId(u"user"_s, 42));
        u.setId(QVariant(u"ann"_s));
        QCOMPARE(u.id(), RecordId(u"user"_s, u"ann"_s));
        u.setId(QVariant(7));
        QCOMPARE(u.id(), RecordId(u"user"_s, 7));

        // Refused: the id stays what it was.
        User v;
        v.setId(QVariant(u"post:1"_s));
        QVERIFY2(!v.id().isValid(), qPrintable(v.id().toString()));
        v.setId(QVariant(u"user:1:2"_s));
        QVERIFY2(!v.id().isValid(), qPrintable(v.id().toString()));
        v.setId(QVariant::fromValue(RecordId(u"post"_s, 1)));
        QVERIFY2(!v.id().isValid(), qPrintable(v.id().toString()));

        // fromMap reads "id" the same way, and refuses another table's id like any bad field.
        User w;
        QVERIFY(!w.fromMap({{u"id"_s, u"user:42"_s}, {u"name"_s, u"n"_s}}).isValid());
        QCOMPARE(w.id(), RecordId(u"user"_s, 42));
        User x;
        const Error e =
            x.fromMap({{u"id"_s, QVariant::fromValue(RecordId(u"post"_s, 1))}, {u"name"_s, u"n"_s}});
        verifyNamesExpectedTable(e, u"post:1"_s);
        QVERIFY(!x.id().isValid());
        QCOMPARE(x.name(), QString()); // nothing changed

        // Saving a model whose id came from text writes the record that text names.
        User y;
        y.setConnection(c());
        y.setId(QVariant(u"user:43"_s));
        y.setName(u"y"_s);
        y.setEmail(u"y@x"_s);
        y.saveSync();
        QCOMPARE(SyncConnection(c()).select(RecordId(u"user"_s, 43)).value(u"name"_s).toString(), u"y"_s);
    }

    void connectionUntypedCallsParseRecordIdText()
    {
        QCOMPARE(SyncConnection(c()).select(QVariant(u"user:42"_s)).toMap().value(u"name"_s).toString(),
                 u"int"_s);
        QCOMPARE(
            SyncConnection(c()).select(QVariant(u"user:⟨user:42⟩"_s)).toMap().value(u"name"_s).toString(),
            u"text"_s);
        // A plain name is a table.
        QVERIFY(SyncConnection(c()).select(QVariant(u"post"_s)).toList().size() == 1);
        const Error e = thrownBy([&] { (void)SyncConnection(c()).select(QVariant(u"user:a b"_s)); });
        QCOMPARE(e.kind(), Error::Kind::Validation);
    }

    void crudHelpersFollowThePolicy()
    {
        SyncCrudHelpers h(c());
        // Text ids in the data of a table write name records of that table.
        const QVariantMap inserted = h.insertOne(u"user"_s, {{u"id"_s, u"user:77"_s}, {u"name"_s, u"i"_s}});
        QCOMPARE(inserted.value(u"id"_s).value<RecordId>(), RecordId(u"user"_s, 77));
        const QVariantMap bare = h.insertOne(u"user"_s, {{u"id"_s, u"bare"_s}, {u"name"_s, u"b"_s}});
        QCOMPARE(bare.value(u"id"_s).value<RecordId>(), RecordId(u"user"_s, u"bare"_s));
        const QVariantMap upserted =
            h.upsertOne(u"user"_s, u"id"_s, {{u"id"_s, u"user:78"_s}, {u"name"_s, u"u"_s}});
        QCOMPARE(upserted.value(u"id"_s).value<RecordId>(), RecordId(u"user"_s, 78));
        verifyNamesExpectedTable(thrownBy([&] {
                                     h.insertOne(u"user"_s, {{u"id"_s, u"post:9"_s}, {u"name"_s, u"x"_s}});
                                 }),
                                 u"post:9"_s);
        verifyNamesExpectedTable(thrownBy([&] {
                                     h.upsertOne(u"user"_s, u"id"_s, {{u"id"_s, u"post:9"_s}});
                                 }),
                                 u"post:9"_s);
        verifyNamesExpectedTable(
            thrownBy([&] {
                h.upsertMany(u"user"_s, QVariantList{QVariantMap{{u"id"_s, u"post:9"_s}}}, u"id"_s);
            }),
            u"post:9"_s);
        QVERIFY(SyncConnection(c()).select(Table(u"post"_s)).size() == 1); // nothing written to post

        // A record id as text: parsed, whatever the call.
        QCOMPARE(h.deleteOne(u"user:77"_s).value(u"name"_s).toString(), u"i"_s);
        QCOMPARE(thrownBy([&] { h.deleteOne(u"user:1:2"_s); }).kind(), Error::Kind::Validation);
    }

    void nullptrIsTheDefaultConnection()
    {
        QVERIFY(DefaultConnectionTakesNullptr<Model>);
        QVERIFY(DefaultConnectionTakesNullptr<User>);
        QVERIFY(ObjectsTakesNullptr<User>);
    }

    void cleanupTestCase() { m_db.reset(); }
};

QTEST_GUILESS_MAIN(tst_RecordIdPolicy)
#include "tst_recordidpolicy.moc"
