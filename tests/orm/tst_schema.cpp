// Schema generation and migration: the statements a model produces, and plans and applies
// against the real engine — idempotent, exact about what differs, and safe with data present.
#include "futurewait.h"
#include "testmodels.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/schema.h>

#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// The same table as User, as a later version of the program declares it: name may be longer,
// nickname is new, age is gone (and so is its index).
class UserV2 : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(UserV2)
    Q_CLASSINFO("table", "user")
    Q_CLASSINFO("name", "required maxLength=80 description='Full name'")
    Q_CLASSINFO("email", "required unique")
    Q_CLASSINFO("createdAt", "autoNowAdd optional")
    Q_CLASSINFO("updatedAt", "autoNow optional")
    Q_CLASSINFO("nickname", "optional maxLength=12")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(QVariantMap, address, setAddress)
    SURREALQT_FIELD(QStringList, tags, setTags)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
    SURREALQT_FIELD(SurrealQt::DateTime, updatedAt, setUpdatedAt)
    SURREALQT_FIELD(QString, nickname, setNickname)
};

// A table name that is not a plain identifier, and a hostile description.
class OddTable : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(OddTable)
    Q_CLASSINFO("table", "odd-table`x")
    Q_CLASSINFO("label", "description='x\\'; REMOVE TABLE user; --'")
    SURREALQT_FIELD(QString, label, setLabel)
};

namespace {
QStringList kinds(const QList<SchemaChange> &changes)
{
    QStringList out;
    for (const SchemaChange &c : changes)
        out << u"%1 %2"_s.arg(
            QLatin1String(QMetaEnum::fromType<SchemaChange::Kind>().valueToKey(int(c.kind()))), c.name());
    out.sort();
    return out;
}
} // namespace

class tst_Schema : public QObject
{
    Q_OBJECT
    std::unique_ptr<DatabaseManager> m_db;

    Connection *conn() { return m_db->connection(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("schema_"), u"s"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db->open());
    }

    void init()
    {
        // Every test starts from an empty database.
        AWAIT(conn()->query(u"REMOVE TABLE IF EXISTS user; REMOVE TABLE IF EXISTS post; "
                            u"REMOVE TABLE IF EXISTS `odd-table\\`x`;"_s));
    }

    void statementsOfAModel()
    {
        const QStringList s = Schema::statements<User>();
        QCOMPARE(s.first(), u"DEFINE TABLE IF NOT EXISTS user TYPE NORMAL SCHEMALESS"_s);
        QVERIFY2(s.contains(u"DEFINE FIELD OVERWRITE name ON user TYPE string ASSERT string::len($value) > 0 "
                            u"AND string::len($value) <= 40 COMMENT 'Full name'"_s),
                 qPrintable(s.join(u'\n')));
        QVERIFY(s.contains(u"DEFINE INDEX OVERWRITE user_email ON user FIELDS email UNIQUE"_s));
        QVERIFY(s.contains(u"DEFINE INDEX OVERWRITE user_age ON user FIELDS age"_s));
        QVERIFY(s.contains(u"DEFINE FIELD OVERWRITE age ON user TYPE int DEFAULT 18"_s));
        // Not required and no default: a row may leave it out.
        QVERIFY(s.contains(u"DEFINE FIELD OVERWRITE tags ON user TYPE option<array<string>>"_s));
        QVERIFY(s.contains(
            u"DEFINE FIELD OVERWRITE createdAt ON user TYPE option<datetime> DEFAULT time::now()"_s));
        const QStringList post = Schema::statements<blog::BlogPost>(SchemaOptions{.schemafull = true});
        QVERIFY(post.contains(u"ALTER TABLE post SCHEMAFULL"_s));
        QVERIFY2(post.contains(u"DEFINE FIELD OVERWRITE author ON post TYPE option<record<user>>"_s),
                 qPrintable(post.join(u'\n')));
    }

    void applyIsIdempotent()
    {
        Schema schema(conn());
        const QList<SchemaChange> planned = AWAIT(schema.plan<User>());
        QVERIFY(kinds(planned).contains(u"CreateTable user"_s));
        QVERIFY(kinds(planned).contains(u"AddField name"_s));
        QVERIFY(kinds(planned).contains(u"AddIndex user_email"_s));
        QVERIFY(kinds(planned).contains(u"AddIndex user_age"_s));
        // Nothing was written by planning, and the scratch table is gone again.
        const QVariantMap dbInfo = AWAIT(conn()->query(u"INFO FOR DB"_s)).value(0).toMap();
        QVERIFY2(dbInfo.value(u"tables"_s).toMap().isEmpty(), qPrintable(QVariant(dbInfo).toString()));

        const QList<SchemaChange> applied = AWAIT(schema.apply<User>());
        QCOMPARE(kinds(applied), kinds(planned));
        AWAIT(conn()->query(u"CREATE user:ann SET name = 'Ann', email = 'ann@example.com', age = 30"_s));

        QCOMPARE(AWAIT(schema.apply<User>()).size(), 0);
        QCOMPARE(schema.applySync(ModelInfo::of<User>()).size(), 0);
        QCOMPARE(schema.planSync(ModelInfo::of<User>()).size(), 0);
        QCOMPARE(schema.planSync<User>().size(), 0);
        const QVariant ann = AWAIT(conn()->query(u"SELECT VALUE name FROM ONLY user:ann"_s)).value(0);
        QCOMPARE(ann.toString(), u"Ann"_s);
    }

    void appliedSchemaIsEnforced()
    {
        Schema(conn()).applySync(ModelInfo::of<User>());
        const auto insert = [this](const QVariantMap &row) {
            return failureOf(conn()
                                 ->query(u"CREATE user CONTENT $row"_s, {{u"row"_s, row}})
                                 .then([](const QueryResult &r) {
                                     if (const Error e = r.firstError(); e.isValid())
                                         throw Exception(e);
                                 }));
        };
        QVERIFY(!insert({{u"name"_s, u"Bo"_s}, {u"email"_s, u"bo@x"_s}, {u"age"_s, 3}}).isValid());
        // maxLength=40
        QVERIFY(insert({{u"name"_s, QString(41, u'x')}, {u"email"_s, u"long@x"_s}, {u"age"_s, 3}}).isValid());
        // required: an empty name
        QVERIFY(insert({{u"name"_s, QString()}, {u"email"_s, u"empty@x"_s}, {u"age"_s, 3}}).isValid());
        // unique email
        const Error duplicate = insert({{u"name"_s, u"Bo2"_s}, {u"email"_s, u"bo@x"_s}, {u"age"_s, 4}});
        QVERIFY(duplicate.isValid());
        QVERIFY2(duplicate.message().contains(u"user_email"_s), qPrintable(duplicate.toString()));
        // wrong type
        QVERIFY(insert({{u"name"_s, u"Cy"_s}, {u"email"_s, u"cy@x"_s}, {u"age"_s, u"old"_s}}).isValid());
        // the default applies to a row that leaves the field out
        AWAIT(conn()->query(u"CREATE user:dee SET name = 'Dee', email = 'dee@x'"_s));
        QCOMPARE(AWAIT(conn()->query(u"SELECT VALUE age FROM ONLY user:dee"_s)).value(0).toInt(), 18);
    }

    void migrationOfAChangedModel()
    {
        Schema schema(conn());
        schema.applySync(ModelInfo::of<User>());
        AWAIT(conn()->query(u"CREATE user:eve SET name = 'Eve', email = 'eve@x', age = 41"_s));

        const QList<SchemaChange> plan = AWAIT(schema.plan<UserV2>());
        QCOMPARE(kinds(plan), (QStringList{u"AddField nickname"_s, u"ChangeField name"_s,
                                           u"RemoveField age"_s, u"RemoveIndex user_age"_s}));
        for (const SchemaChange &c : plan) {
            if (c.kind() == SchemaChange::Kind::ChangeField) {
                QVERIFY(c.current().contains(u"<= 40"_s));
                QVERIFY(c.desired().contains(u"<= 80"_s));
            }
        }
        // Without removeUndeclared, nothing destructive happens.
        const QList<SchemaChange> applied = AWAIT(schema.apply<UserV2>());
        QCOMPARE(kinds(applied), (QStringList{u"AddField nickname"_s, u"ChangeField name"_s}));
        QCOMPARE(kinds(AWAIT(schema.plan<UserV2>())),
                 (QStringList{u"RemoveField age"_s, u"RemoveIndex user_age"_s}));
        QCOMPARE(AWAIT(conn()->query(u"SELECT VALUE age FROM ONLY user:eve"_s)).value(0).toInt(), 41);

        const QList<SchemaChange> removed =
            AWAIT(schema.apply<UserV2>(SchemaOptions{.removeUndeclared = true}));
        QCOMPARE(kinds(removed), (QStringList{u"RemoveField age"_s, u"RemoveIndex user_age"_s}));
        QVERIFY(AWAIT(schema.plan<UserV2>()).isEmpty());
        // The longer name now fits.
        AWAIT(conn()->query(u"UPDATE user:eve SET name = $n"_s, {{u"n"_s, QString(60, u'e')}}));
        QCOMPARE(AWAIT(conn()->query(u"SELECT VALUE name FROM ONLY user:eve"_s)).value(0).toString().size(),
                 60);
    }

    void schemafullSwitch()
    {
        Schema schema(conn());
        schema.applySync(ModelInfo::of<blog::BlogPost>());
        AWAIT(conn()->query(u"CREATE post:1 SET title = 'T', extra = 1"_s));
        const QList<SchemaChange> plan =
            AWAIT(schema.plan<blog::BlogPost>(SchemaOptions{.schemafull = true}));
        QCOMPARE(kinds(plan), QStringList{u"MakeSchemafull post"_s});
        AWAIT(schema.apply<blog::BlogPost>(SchemaOptions{.schemafull = true}));
        QVERIFY(AWAIT(schema.plan<blog::BlogPost>(SchemaOptions{.schemafull = true})).isEmpty());
        // An undeclared field is now refused.
        const QueryResult r = AWAIT(conn()->query(u"CREATE post:2 SET title = 'U', extra = 2"_s));
        const QVariantMap row = r.value(0).toList().value(0).toMap();
        QVERIFY2(!r.firstError().isValid() ? !row.contains(u"extra"_s) : true, "extra must not be stored");
    }

    void oddNamesAreEscaped()
    {
        Schema schema(conn());
        const QList<SchemaChange> applied = AWAIT(schema.apply<OddTable>());
        QVERIFY(kinds(applied).contains(u"CreateTable odd-table`x"_s));
        QVERIFY(AWAIT(schema.plan<OddTable>()).isEmpty());
        // The hostile description is a comment, not a statement: user still exists afterwards.
        schema.applySync(ModelInfo::of<User>());
        AWAIT(schema.apply<OddTable>());
        const QVariantMap tables =
            AWAIT(conn()->query(u"INFO FOR DB"_s)).value(0).toMap().value(u"tables"_s).toMap();
        QVERIFY(tables.contains(u"user"_s));
        QVERIFY(tables.contains(u"odd-table`x"_s));
    }

    void refusedMigrationChangesNothing()
    {
        Schema schema(conn());
        // Duplicate emails before the UNIQUE index exists: the index cannot be built.
        AWAIT(conn()->query(u"CREATE user:a SET name = 'A', email = 'same@x', age = 1; "
                            u"CREATE user:b SET name = 'B', email = 'same@x', age = 2;"_s));
        const Error e = failureOf(schema.apply<User>());
        QVERIFY(e.isValid());
        // The transaction rolled back: no field was defined either.
        const QVariantMap info = AWAIT(conn()->query(u"INFO FOR TABLE user"_s)).value(0).toMap();
        QVERIFY2(info.value(u"fields"_s).toMap().isEmpty(), qPrintable(QVariant(info).toString()));
    }

    void noConnectionIsAClearError()
    {
        const Error e = failureOf(Schema(nullptr).plan<User>());
        QCOMPARE(e.kind(), Error::Kind::Validation);
    }
};

QTEST_GUILESS_MAIN(tst_Schema)
#include "tst_schema.moc"
