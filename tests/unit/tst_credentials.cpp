#include <SurrealQt/credentials.h>

#include <QtTest/QtTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class TestCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsEmpty();
    void rootParams();
    void namespaceParams();
    void databaseParams();
    void recordAccessParams();
    void recordAccessFixedKeysWin();
    void tokenParams();
    void fromSigninParams_data();
    void fromSigninParams();
    void fromSigninParamsUpperCase();
    void fromSigninParamsRecordAccessStripsKeys();
    void roundTrip_data();
    void roundTrip();
    void equality();
    void metaType();
};

void TestCredentials::defaultIsEmpty()
{
    const Credentials c;
    QVERIFY(c.isEmpty());
    QCOMPARE(c.level(), Credentials::Level::None);
    QVERIFY(c.toSigninParams().isEmpty());
}

void TestCredentials::rootParams()
{
    const Credentials c = Credentials::root(u"root"_s, u"rootpw"_s);
    QVERIFY(!c.isEmpty());
    QCOMPARE(c.level(), Credentials::Level::Root);
    QCOMPARE(c.username(), u"root"_s);
    QCOMPARE(c.password(), u"rootpw"_s);
    QVERIFY(c.namespaceName().isEmpty());
    QVERIFY(c.databaseName().isEmpty());
    const QVariantMap expected{{u"user"_s, u"root"_s}, {u"pass"_s, u"rootpw"_s}};
    QCOMPARE(c.toSigninParams(), expected);
}

void TestCredentials::namespaceParams()
{
    const Credentials c = Credentials::namespaceUser(u"shop"_s, u"alice"_s, u"pw"_s);
    QCOMPARE(c.level(), Credentials::Level::Namespace);
    QCOMPARE(c.namespaceName(), u"shop"_s);
    QVERIFY(c.databaseName().isEmpty());
    const QVariantMap expected{{u"ns"_s, u"shop"_s}, {u"user"_s, u"alice"_s}, {u"pass"_s, u"pw"_s}};
    QCOMPARE(c.toSigninParams(), expected);
}

void TestCredentials::databaseParams()
{
    const Credentials c = Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    QCOMPARE(c.level(), Credentials::Level::Database);
    QCOMPARE(c.namespaceName(), u"shop"_s);
    QCOMPARE(c.databaseName(), u"main"_s);
    QCOMPARE(c.username(), u"bob"_s);
    QCOMPARE(c.password(), u"secret"_s);
    const QVariantMap expected{
        {u"ns"_s, u"shop"_s}, {u"db"_s, u"main"_s}, {u"user"_s, u"bob"_s}, {u"pass"_s, u"secret"_s}};
    QCOMPARE(c.toSigninParams(), expected);
}

void TestCredentials::recordAccessParams()
{
    const QVariantMap vars{{u"email"_s, u"a@x.io"_s}, {u"pass"_s, u"pw1"_s}, {u"age"_s, 42}};
    const Credentials c = Credentials::recordAccess(u"shop"_s, u"main"_s, u"acc_refresh"_s, vars);
    QCOMPARE(c.level(), Credentials::Level::RecordAccess);
    QCOMPARE(c.access(), u"acc_refresh"_s);
    QCOMPARE(c.variables(), vars);
    QVERIFY(c.username().isEmpty());
    QVERIFY(c.password().isEmpty());
    const QVariantMap expected{{u"ns"_s, u"shop"_s},      {u"db"_s, u"main"_s},  {u"ac"_s, u"acc_refresh"_s},
                               {u"email"_s, u"a@x.io"_s}, {u"pass"_s, u"pw1"_s}, {u"age"_s, 42}};
    QCOMPARE(c.toSigninParams(), expected);
    // Variable types are kept, not stringified.
    QCOMPARE(c.toSigninParams().value(u"age"_s).metaType(), QMetaType::fromType<int>());
}

void TestCredentials::recordAccessFixedKeysWin()
{
    // A variable named like a routing key must not redirect the signin.
    const Credentials c = Credentials::recordAccess(u"shop"_s, u"main"_s, u"user"_s,
                                                    {{u"ns"_s, u"evil"_s}, {u"key"_s, u"k"_s}});
    const QVariantMap params = c.toSigninParams();
    QCOMPARE(params.value(u"ns"_s).toString(), u"shop"_s);
    QCOMPARE(params.value(u"db"_s).toString(), u"main"_s);
    QCOMPARE(params.value(u"ac"_s).toString(), u"user"_s);
    QCOMPARE(params.value(u"key"_s).toString(), u"k"_s);
    QCOMPARE(params.size(), 4);
}

void TestCredentials::tokenParams()
{
    const Credentials c = Credentials::token(u"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.sig"_s);
    QCOMPARE(c.level(), Credentials::Level::Token);
    QVERIFY(!c.isEmpty());
    QCOMPARE(c.tokenValue(), u"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.sig"_s);
    QVERIFY(c.toSigninParams().isEmpty());
}

void TestCredentials::fromSigninParams_data()
{
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<Credentials>("expected");

    QTest::newRow("root") << QVariantMap{{u"user"_s, u"root"_s}, {u"pass"_s, u"rootpw"_s}}
                          << Credentials::root(u"root"_s, u"rootpw"_s);
    QTest::newRow("namespace") << QVariantMap{{u"ns"_s, u"shop"_s},
                                              {u"user"_s, u"alice"_s},
                                              {u"pass"_s, u"pw"_s}}
                               << Credentials::namespaceUser(u"shop"_s, u"alice"_s, u"pw"_s);
    QTest::newRow("database") << QVariantMap{{u"ns"_s, u"shop"_s},
                                             {u"db"_s, u"main"_s},
                                             {u"user"_s, u"bob"_s},
                                             {u"pass"_s, u"secret"_s}}
                              << Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    QTest::newRow("record access") << QVariantMap{{u"ns"_s, u"shop"_s},
                                                  {u"db"_s, u"main"_s},
                                                  {u"ac"_s, u"acc_refresh"_s},
                                                  {u"email"_s, u"a@x.io"_s},
                                                  {u"pass"_s, u"pw1"_s}}
                                   << Credentials::recordAccess(
                                          u"shop"_s, u"main"_s, u"acc_refresh"_s,
                                          {{u"email"_s, u"a@x.io"_s}, {u"pass"_s, u"pw1"_s}});
    QTest::newRow("bearer access") << QVariantMap{{u"ns"_s, u"shop"_s},
                                                  {u"db"_s, u"main"_s},
                                                  {u"ac"_s, u"api"_s},
                                                  {u"key"_s, u"surreal-bearer-abc-def"_s}}
                                   << Credentials::recordAccess(u"shop"_s, u"main"_s, u"api"_s,
                                                                {{u"key"_s, u"surreal-bearer-abc-def"_s}});
    QTest::newRow("upper-case database")
        << QVariantMap{{u"NS"_s, u"shop"_s},
                       {u"DB"_s, u"main"_s},
                       {u"user"_s, u"bob"_s},
                       {u"pass"_s, u"secret"_s}}
        << Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    QTest::newRow("upper-case namespace")
        << QVariantMap{{u"NS"_s, u"shop"_s}, {u"user"_s, u"alice"_s}, {u"pass"_s, u"pw"_s}}
        << Credentials::namespaceUser(u"shop"_s, u"alice"_s, u"pw"_s);
    QTest::newRow("upper-case record access")
        << QVariantMap{{u"NS"_s, u"shop"_s},
                       {u"DB"_s, u"main"_s},
                       {u"AC"_s, u"acc"_s},
                       {u"email"_s, u"a@x.io"_s}}
        << Credentials::recordAccess(u"shop"_s, u"main"_s, u"acc"_s, {{u"email"_s, u"a@x.io"_s}});
    QTest::newRow("mixed case") << QVariantMap{{u"ns"_s, u"shop"_s},
                                               {u"DB"_s, u"main"_s},
                                               {u"user"_s, u"bob"_s},
                                               {u"pass"_s, u"secret"_s}}
                                << Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    QTest::newRow("empty") << QVariantMap{} << Credentials::root({}, {});
}

void TestCredentials::fromSigninParams()
{
    QFETCH(QVariantMap, params);
    QFETCH(Credentials, expected);
    const Credentials c = Credentials::fromSigninParams(params);
    QCOMPARE(c.level(), expected.level());
    QCOMPARE(c.username(), expected.username());
    QCOMPARE(c.password(), expected.password());
    QCOMPARE(c.namespaceName(), expected.namespaceName());
    QCOMPARE(c.databaseName(), expected.databaseName());
    QCOMPARE(c.access(), expected.access());
    QCOMPARE(c.variables(), expected.variables());
    QVERIFY(c == expected);
}

void TestCredentials::fromSigninParamsUpperCase()
{
    // Upper-case keys are read, and toSigninParams() normalises them to lower case.
    const Credentials c = Credentials::fromSigninParams(
        {{u"NS"_s, u"shop"_s}, {u"DB"_s, u"main"_s}, {u"user"_s, u"bob"_s}, {u"pass"_s, u"secret"_s}});
    QCOMPARE(c.level(), Credentials::Level::Database);
    const QVariantMap params = c.toSigninParams();
    QVERIFY(!params.contains(u"NS"_s));
    QVERIFY(!params.contains(u"DB"_s));
    QCOMPARE(params.value(u"ns"_s).toString(), u"shop"_s);
    QCOMPARE(params.value(u"db"_s).toString(), u"main"_s);

    // Lower case wins when both spellings are present.
    const Credentials both = Credentials::fromSigninParams(
        {{u"ns"_s, u"lower"_s}, {u"NS"_s, u"upper"_s}, {u"user"_s, u"u"_s}, {u"pass"_s, u"p"_s}});
    QCOMPARE(both.namespaceName(), u"lower"_s);
}

void TestCredentials::fromSigninParamsRecordAccessStripsKeys()
{
    const Credentials c = Credentials::fromSigninParams({{u"NS"_s, u"shop"_s},
                                                         {u"db"_s, u"main"_s},
                                                         {u"AC"_s, u"acc"_s},
                                                         {u"email"_s, u"a@x.io"_s},
                                                         {u"pass"_s, u"pw1"_s},
                                                         {u"user"_s, u"u"_s}});
    QCOMPARE(c.level(), Credentials::Level::RecordAccess);
    QCOMPARE(c.namespaceName(), u"shop"_s);
    QCOMPARE(c.databaseName(), u"main"_s);
    QCOMPARE(c.access(), u"acc"_s);
    // user/pass of a record access are plain SIGNIN variables.
    const QVariantMap vars{{u"email"_s, u"a@x.io"_s}, {u"pass"_s, u"pw1"_s}, {u"user"_s, u"u"_s}};
    QCOMPARE(c.variables(), vars);
    QVERIFY(c.username().isEmpty());
    QVERIFY(c.password().isEmpty());
}

void TestCredentials::roundTrip_data()
{
    QTest::addColumn<Credentials>("credentials");
    QTest::newRow("root") << Credentials::root(u"root"_s, u"rootpw"_s);
    QTest::newRow("namespace") << Credentials::namespaceUser(u"shop"_s, u"alice"_s, u"pw"_s);
    QTest::newRow("database") << Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    QTest::newRow("record access") << Credentials::recordAccess(
        u"shop"_s, u"main"_s, u"acc"_s, {{u"email"_s, u"a@x.io"_s}, {u"pass"_s, u"pw1"_s}, {u"n"_s, 3}});
    QTest::newRow("record access, no variables")
        << Credentials::recordAccess(u"shop"_s, u"main"_s, u"acc"_s, {});
}

void TestCredentials::roundTrip()
{
    QFETCH(Credentials, credentials);
    const Credentials back = Credentials::fromSigninParams(credentials.toSigninParams());
    QVERIFY(back == credentials);
    QCOMPARE(back.toSigninParams(), credentials.toSigninParams());
}

void TestCredentials::equality()
{
    QVERIFY(Credentials::root(u"a"_s, u"b"_s) == Credentials::root(u"a"_s, u"b"_s));
    QVERIFY(Credentials::root(u"a"_s, u"b"_s) != Credentials::root(u"a"_s, u"c"_s));
    QVERIFY(Credentials::root(u"a"_s, u"b"_s) != Credentials::namespaceUser(u""_s, u"a"_s, u"b"_s));
    QVERIFY(Credentials::token(u"t1"_s) != Credentials::token(u"t2"_s));
    QVERIFY(Credentials::recordAccess(u"n"_s, u"d"_s, u"a"_s, {{u"x"_s, 1}}) !=
            Credentials::recordAccess(u"n"_s, u"d"_s, u"a"_s, {{u"x"_s, 2}}));
    QVERIFY(Credentials() == Credentials());
}

void TestCredentials::metaType()
{
    const Credentials c = Credentials::databaseUser(u"shop"_s, u"main"_s, u"bob"_s, u"secret"_s);
    const QVariant v = QVariant::fromValue(c);
    QVERIFY(v.value<Credentials>() == c);
    const QMetaObject &mo = Credentials::staticMetaObject;
    QCOMPARE(mo.property(mo.indexOfProperty("databaseName")).readOnGadget(&c).toString(), u"main"_s);
    // The password is deliberately not a property.
    QCOMPARE(mo.indexOfProperty("password"), -1);
}

QTEST_APPLESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
