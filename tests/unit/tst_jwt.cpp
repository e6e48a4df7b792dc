#include "connection/jwt_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

QByteArray b64url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString makeToken(const QByteArray &payloadJson,
                  const QByteArray &headerJson = R"({"typ":"JWT","alg":"HS512"})"_ba)
{
    return QString::fromLatin1(b64url(headerJson) + '.' + b64url(payloadJson) + '.' +
                               b64url("not-a-real-signature"_ba));
}

QString makeToken(const QJsonObject &payload)
{
    return makeToken(QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rootToken();
    void recordAccessToken();
    void unpaddedLengths_data();
    void unpaddedLengths();
    void urlAlphabet();
    void paddedPayload();
    void noExp();
    void notAJwt_data();
    void notAJwt();
};

void TestJwt::rootToken()
{
    // The claims of a root signin (§2.4): iat, nbf, exp (+1h), iss, jti, ID.
    const QJsonObject payload{{u"iat"_s, 1735689600},        {u"nbf"_s, 1735689600},
                              {u"exp"_s, 1735693200},        {u"iss"_s, u"SurrealDB"_s},
                              {u"jti"_s, u"0f3e1c2a-jti"_s}, {u"ID"_s, u"root"_s}};
    const QString token = makeToken(payload);
    const QVariantMap claims = Jwt::claims(token);
    QCOMPARE(claims.size(), 6);
    QCOMPARE(claims.value(u"ID"_s).toString(), u"root"_s);
    QCOMPARE(claims.value(u"iss"_s).toString(), u"SurrealDB"_s);
    QCOMPARE(claims.value(u"iat"_s).toLongLong(), Q_INT64_C(1735689600));
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(1735693200));
}

void TestJwt::recordAccessToken()
{
    const QJsonObject payload{{u"exp"_s, 4102444800.0}, // 2100-01-01, beyond 32 bits
                              {u"NS"_s, u"shop"_s},
                              {u"DB"_s, u"main"_s},
                              {u"AC"_s, u"acc_refresh"_s},
                              {u"ID"_s, u"user:\u27e8a@x.io\u27e9"_s},
                              {u"RL"_s, QJsonArray{u"Viewer"_s}}};
    const QString token = makeToken(payload);
    const QVariantMap claims = Jwt::claims(token);
    QCOMPARE(claims.value(u"NS"_s).toString(), u"shop"_s);
    QCOMPARE(claims.value(u"DB"_s).toString(), u"main"_s);
    QCOMPARE(claims.value(u"AC"_s).toString(), u"acc_refresh"_s);
    QCOMPARE(claims.value(u"ID"_s).toString(), u"user:\u27e8a@x.io\u27e9"_s); // UTF-8 in the payload
    QCOMPARE(claims.value(u"RL"_s).toList(), QVariantList{u"Viewer"_s});
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(4102444800));
}

void TestJwt::unpaddedLengths_data()
{
    // Payloads whose base64 needs 0, 1 and 2 '=' of padding, which JWTs omit.
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("len%3==0") << R"({"exp":12345})"_ba.leftJustified(15, ' ');
    QTest::newRow("len%3==1") << R"({"exp":12345})"_ba.leftJustified(16, ' ');
    QTest::newRow("len%3==2") << R"({"exp":12345})"_ba.leftJustified(17, ' ');
}

void TestJwt::unpaddedLengths()
{
    QFETCH(QByteArray, json);
    const QString token = makeToken(json);
    QVERIFY(!token.contains(u'='));
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(12345));
}

void TestJwt::urlAlphabet()
{
    // "~~~" encodes to "fn5-" in base64url ('+' in plain base64) and "???" to "Pz8_" ('/').
    const QByteArray json = R"({"k":"~~~???","exp":77})"_ba;
    const QByteArray encoded = b64url(json);
    QVERIFY(encoded.contains("fn5-Pz8_"));
    const QString token = makeToken(json);
    QCOMPARE(Jwt::claims(token).value(u"k"_s).toString(), u"~~~???"_s);
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(77));
}

void TestJwt::paddedPayload()
{
    // Some encoders keep the padding; it must still be read.
    const QByteArray payload = QByteArray(R"({"exp":55})").toBase64(QByteArray::Base64UrlEncoding);
    QVERIFY(payload.endsWith('='));
    const QString token = u"eyJhbGciOiJIUzUxMiJ9."_s + QString::fromLatin1(payload) + u".sig"_s;
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(55));
}

void TestJwt::noExp()
{
    const QString token = makeToken(QJsonObject{{u"ID"_s, u"root"_s}});
    QCOMPARE(Jwt::claims(token).value(u"ID"_s).toString(), u"root"_s);
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(0));
}

void TestJwt::notAJwt_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("empty") << QString();
    QTest::newRow("no dots") << u"surreal-refresh-AKLJvpf8lD99"_s;
    QTest::newRow("two parts") << QString::fromLatin1(b64url("{}") + '.' + b64url(R"({"exp":1})"));
    QTest::newRow("four parts") << makeToken(R"({"exp":1})"_ba) + u".extra"_s;
    QTest::newRow("payload not json") << QString::fromLatin1(b64url("{}") + '.' + b64url("hello") + ".sig");
    QTest::newRow("payload json array") << QString::fromLatin1(b64url("{}") + '.' + b64url("[1,2]") + ".sig");
    QTest::newRow("payload json string")
        << QString::fromLatin1(b64url("{}") + '.' + b64url(R"("exp")") + ".sig");
    QTest::newRow("empty payload") << u"a..c"_s;
    QTest::newRow("dots only") << u".."_s;
}

void TestJwt::notAJwt()
{
    QFETCH(QString, token);
    QVERIFY(Jwt::claims(token).isEmpty());
    QCOMPARE(Jwt::expiry(token), Q_INT64_C(0));
}

QTEST_APPLESS_MAIN(TestJwt)
#include "tst_jwt.moc"
