// The HTTP transport against a real SurrealDB (surreal-local) and small local stand-ins for
// what a real network puts between client and server: a proxy, a redirecting server, a TLS
// server whose certificate does not verify, a server that never answers.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslServer>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <atomic>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// Valid until 2126; only ever used by this test's local TLS server.
const char selfSignedCert[] = R"(
-----BEGIN CERTIFICATE-----
MIIDJzCCAg+gAwIBAgIUBImAfq2qpC0a+HEtgWb/sWPGbIswDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyOTA1NTAxOFoYDzIxMjYx
MTA1MDU1MDE4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDg2O8P7UNEJ0OK7vsRMf3KuqekMEyKAgP2/OjWf/hz
gNeB5TzVV4vZ0yFMzIeHfcmAKPBSi0B4/XoEVYslnpB39dNvfDD2m46xWRPYuTfv
DcoEasY1QybUTymHJFXqgTCgDUF93Xe5/nUsKI5+iPTdjJ08no0Tv7GsQCH42vNo
VfwrkVC0cYPGDyVX490DRqhgDodcb9YzhvYdlXe5CI1cABIwVoXrYM2572oKmNQE
8c+MjhlAn86qzsCJieNlOT9SKSFMAWkUaykRai097FhCseMIndLM8xdAUZQH7dOo
WH7RzZjeTJPRyhI35IILu94Kghcb32gVZndMW5OcC5B3AgMBAAGjbzBtMB0GA1Ud
DgQWBBR/yPFFFwjrAbHHI9/9xE5ejQSVpjAfBgNVHSMEGDAWgBR/yPFFFwjrAbHH
I9/9xE5ejQSVpjAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGHBH8AAAGCCWxv
Y2FsaG9zdDANBgkqhkiG9w0BAQsFAAOCAQEANWHYBcYMeYHpvTxWdcrQFherlULz
UHB9qg8cFnrUDl15YK+FtHe38mSmjbNsTByUEdVv3Yb6NihTQE040Y+QYil0sAkC
muN04dUYlYwZDQ5Nk2Fx2RMLQEJ4ROD1H5o22PX/YoonLxC3FnAYO3wTtagh5CQn
pPUKmUYN0zlx+lKxUF2mqXg+iKv3sVGbSHGahfqibizrX2D/0PTIDXppCR+jw7l1
duOMniLUleosTA5IN7+PgRM+qzdx/Xtnz7pGvqMVy0WhjTWhnNaCtDtbABYrd7a7
UlHD/rfTMulngw8rTsF0DqAuJRaaFGKW8xpIFj30F1zXd0wNCfgJU8NQmA==
-----END CERTIFICATE-----
)";
const char selfSignedKey[] = R"(
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDg2O8P7UNEJ0OK
7vsRMf3KuqekMEyKAgP2/OjWf/hzgNeB5TzVV4vZ0yFMzIeHfcmAKPBSi0B4/XoE
VYslnpB39dNvfDD2m46xWRPYuTfvDcoEasY1QybUTymHJFXqgTCgDUF93Xe5/nUs
KI5+iPTdjJ08no0Tv7GsQCH42vNoVfwrkVC0cYPGDyVX490DRqhgDodcb9YzhvYd
lXe5CI1cABIwVoXrYM2572oKmNQE8c+MjhlAn86qzsCJieNlOT9SKSFMAWkUaykR
ai097FhCseMIndLM8xdAUZQH7dOoWH7RzZjeTJPRyhI35IILu94Kghcb32gVZndM
W5OcC5B3AgMBAAECggEAOvGTxjSYUDsM0VSx+8GDu0wwW3IP9pPtryeA8I5utvTd
Sh+q0XDYaDuZfLUXiHT4yICy86iut6kXfiBg0HVfgRswGQdRHK0N/L8R3Vw85g3S
2lKVcGwQt1KjW9qyLT493Y9sDk9rLhafZ/qf1FsZ+iR9KeGUsUstDC9p2H+plL2L
z5gtN3wTLYkMW2iDzXtJPNIXVA0qYHCxTBaRMhZ68CXMPft3isU3dkqORnN91Moc
Yxvx4kOGw/gzcio/AuE9fa/47B/OndgNOxQS3YKYzEk7URLBQUnGtvK3M3BS70UK
vtbKf79gRAWWTHv2HLqr62jX67eerllgA/sHtTKL0QKBgQD+zKH/7cyJUKGjE6bT
6z/07OsamvnQ8TUTMowwZRHsC11oYh/VII6VUvyq+DHiruq8oHODv8Lq4/5Z60ZR
tesPi+CVF0IR82QrgtFdEg8HacLg+LU05ksa++f/AasG0qiUULZpfyotP+Rzve6E
3a5St4FilDriyllEwrcWHhaEcQKBgQDh6CtvU8daBat3mxartjWzomnCzfwt5h8M
popGxjvMZAhRIp9cDm+xqcjf6ajtBoxyWZiXVUHuLWPwx1l6UZlibiWU7c1btW1u
Wkx2mFWHhP2WNuM5r6/286rDPIVqS6nDCMhPoYDqQW+SVNMev4X70pmpm1c12duz
GEkSdwg3ZwKBgF7oI/NrRQNkuEBBAqPu/WyijtPjI+gy4D0dV+By1SEh/pHx8r91
GAcA2UJpnlM8Kg1GiqBpXhYWBFjD7PZkl4C77lQ6TI7ZJNecK5XKMzTkrQUVPpHM
se8EI571pRmuf8J26esTxccDBHokJeLxm4wN9DCe2+w7yNJ24LFpVaPRAoGAIXv6
RCwU1mEUw0u3logReajPKFLD2EHNxGBDCq6DWo5RNUV+fXSeVaUm4xmNMmTQGHrz
RSsb9KPBtoS13I2PwKk25NZCpB9GMx8rSkDWHJo3xDYqg/hoiqAfZYTo+ZJxfTkm
B7eWliJQ2U29ZUdaIrNal2sxCAhcqjUlT5lZHG0CgYEAiLgehHXsKSHhDwG2xaXS
MYNdjnXbgPKBSgNSzDnMZkLZqX68hHXcKO44zY9X0Wq20cIi4kgpPevRGjKtbX8E
zUUqTHjiamAc9zvpfMpEscTIqEZ9+gJ+kk7l9/Ahyzo31TJyelvN3RMmAp2n9pF0
q6yksKem6LbtvdoAesS0pPk=
-----END PRIVATE KEY-----
)";

// A plain-HTTP proxy as HTTP clients use one: requests arrive in absolute form
// ("POST http://host:port/rpc") and are passed on to the target unchanged (Node accepts them).
class ForwardProxy : public QTcpServer
{
public:
    explicit ForwardProxy(const QUrl &target)
        : m_target(target)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = nextPendingConnection()) {
                auto *upstream = new QTcpSocket(client);
                upstream->setProxy(QNetworkProxy::NoProxy);
                upstream->connectToHost(m_target.host(), quint16(m_target.port()));
                connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
                    const QByteArray data = client->readAll();
                    if (data.startsWith("POST http://"))
                        ++absoluteRequests;
                    else if (data.startsWith("CONNECT "))
                        ++tunnelRequests;
                    upstream->write(data);
                });
                connect(upstream, &QTcpSocket::readyRead, client,
                        [client, upstream] { client->write(upstream->readAll()); });
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }
    int absoluteRequests = 0;
    int tunnelRequests = 0;

private:
    QUrl m_target;
};

// Answers every request with the same canned bytes (or never, when empty).
class CannedServer : public QTcpServer
{
public:
    // Only requests containing `only` are answered, when given.
    explicit CannedServer(QByteArray answer, QByteArray only = {})
        : m_answer(std::move(answer))
        , m_only(std::move(only))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    const QByteArray request = s->readAll();
                    if (!m_answer.isEmpty() && request.contains("\r\n\r\n") &&
                        (m_only.isEmpty() || request.contains(m_only)))
                        s->write(m_answer);
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    int connections = 0;

private:
    QByteArray m_answer;
    QByteArray m_only;
};

std::unique_ptr<DatabaseManager>
httpManager(const QUrl &url, const QString &ns, const QString &db = u"test"_s,
            const Credentials &credentials = Credentials::root(TestServer::user(), TestServer::pass()))
{
    auto m = std::make_unique<DatabaseManager>(url, ns, db, credentials);
    m->setRequestTimeout(std::chrono::seconds(15));
    return m;
}

QUrl withPath(QUrl url, const QString &path)
{
    url.setPath(path);
    return url;
}

QUrl localUrl(const QString &scheme, quint16 port)
{
    return QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(port));
}

} // namespace

class tst_Http : public QObject
{
    Q_OBJECT

private:
    QString m_ns;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("http_");
    }

    // "/rpc/" is the /rpc endpoint, not "/rpc/rpc" (which the server does not know).
    void trailingSlashAfterRpc_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::newRow("ws /rpc/") << withPath(TestServer::url(), u"/rpc/"_s);
        QTest::newRow("http /rpc/") << withPath(TestServer::httpUrl(), u"/rpc/"_s);
        QTest::newRow("http /rpc//") << withPath(TestServer::httpUrl(), u"/rpc//"_s);
        QTest::newRow("ws /") << withPath(TestServer::url(), u"/"_s);
        QTest::newRow("http bare") << withPath(TestServer::httpUrl(), QString());
    }
    void trailingSlashAfterRpc()
    {
        QFETCH(QUrl, url);
        auto m = httpManager(url, m_ns);
        m->setMaxRetries(1);
        AWAIT_VOID(m->open());
        const QueryResult r = AWAIT(m->connection()->query(u"RETURN $x"_s, {{u"x"_s, 7}}));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.last().toInt(), 7);
        // The plain endpoints next to /rpc come from the same URL: /export, never /rpc/export.
        QFuture<QString> dump = m->connection()->exportDatabase();
        const Error e = failureOf(dump);
        QVERIFY2(!e.isValid(), qPrintable(e.toString()));
        QVERIFY(dump.result().contains(u"OPTION IMPORT"_s));
    }

    // Over HTTP the namespace and database travel in headers, which carry visible ASCII only.
    void nonAsciiNamespaceRefusedBeforeSending_data()
    {
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("db");
        QTest::addColumn<QString>("header");
        QTest::newRow("namespace") << m_ns + u"_café"_s << u"test"_s << u"Surreal-NS"_s;
        QTest::newRow("database") << m_ns << u"données"_s << u"Surreal-DB"_s;
    }
    void nonAsciiNamespaceRefusedBeforeSending()
    {
        QFETCH(QString, ns);
        QFETCH(QString, db);
        QFETCH(QString, header);
        auto m = httpManager(TestServer::httpUrl(), ns, db);
        m->setMaxRetries(1);
        QElapsedTimer t;
        t.start();
        const Error e = failureOf(m->open());
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(header), qPrintable(e.toString()));
        QVERIFY2(e.message().contains(u"WebSocket"_s), qPrintable(e.toString()));
        QVERIFY2(t.elapsed() < 5000, "refused at once, not after retries");

        // use() on an open HTTP connection: refused, and the session stays where it was.
        auto ok = httpManager(TestServer::httpUrl(), m_ns);
        AWAIT_VOID(ok->open());
        const Error useError = failureOf(ok->connection()->use(ns, db));
        QCOMPARE(useError.kind(), Error::Kind::Validation);
        QVERIFY2(useError.message().contains(header), qPrintable(useError.toString()));
        const QueryResult where = AWAIT(ok->connection()->query(u"RETURN [$session.ns, $session.db]"_s));
        QVERIFY2(where.isOk(), qPrintable(where.firstError().toString()));
        QCOMPARE(where.last().toList().value(0).toString(), m_ns);
        QCOMPARE(where.last().toList().value(1).toString(), u"test"_s);

        // Over WebSocket the names go inside the request and arrive intact.
        auto ws = std::make_unique<DatabaseManager>(
            TestServer::url(), ns, db, Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(ws->open());
        const QueryResult there = AWAIT(ws->connection()->query(u"RETURN [$session.ns, $session.db]"_s));
        QVERIFY2(there.isOk(), qPrintable(there.firstError().toString()));
        QCOMPARE(there.last().toList().value(0).toString(), ns);
        QCOMPARE(there.last().toList().value(1).toString(), db);
    }

    // HTTP answers an expired Bearer token with a bare 401 ("There was a problem with
    // authentication"); the client signs in again with its credentials and resends.
    void expiredTokenSignsInAgain()
    {
        const QString user = u"shortlived"_s;
        auto root = httpManager(TestServer::httpUrl(), m_ns);
        AWAIT_VOID(root->open());
        const QueryResult defined = AWAIT(root->connection()->query(
            u"DEFINE USER OVERWRITE shortlived ON NAMESPACE PASSWORD 'pw-1' ROLES EDITOR DURATION FOR TOKEN 2s, FOR SESSION 1h"_s));
        QVERIFY2(defined.isOk(), qPrintable(defined.firstError().toString()));

        auto m = httpManager(TestServer::httpUrl(), m_ns, u"test"_s,
                             Credentials::namespaceUser(m_ns, user, u"pw-1"_s));
        AWAIT_VOID(m->open());
        QVERIFY(AWAIT(m->connection()->query(u"RETURN 1"_s)).isOk());

        // A laptop lid closed past the token's end: nothing on the I/O thread runs meanwhile, so
        // no renewal happens; the request made on waking carries the expired token.
        QThread *const testThread = QThread::currentThread();
        std::atomic<bool> onIoThread{false};
        QFuture<QueryResult> afterWake;
        Connection *const c = m->connection();
        // The continuation runs where the reply completes it, the I/O thread, unless the reply
        // beat the attaching; then try again.
        for (int attempt = 0; attempt < 10 && !onIoThread; ++attempt) {
            QFuture<QueryResult> slow = c->query(u"SLEEP 300ms; RETURN 1"_s);
            QFuture<void> blocked = slow.then(QtFuture::Launch::Sync, [&](QFuture<QueryResult>) {
                if (QThread::currentThread() == testThread)
                    return;
                onIoThread = true;
                QThread::sleep(4);
                afterWake = c->query(u"RETURN $v"_s, {{u"v"_s, u"after"_s}});
            });
            QVERIFY(settle(blocked, 30000));
        }
        QVERIFY2(onIoThread, "the continuation must run on the I/O thread for this test to mean anything");
        const Error e = failureOf(afterWake);
        QVERIFY2(!e.isValid(), qPrintable(e.toString()));
        QCOMPARE(afterWake.result().last().toString(), u"after"_s);
    }

    // A plain-HTTP proxy set for the application carries the requests, as with QNAM. (Qt never
    // proxies loopback addresses, so the URL names a host only the proxy knows how to reach.)
    void applicationProxyIsUsed()
    {
        ForwardProxy proxy(TestServer::httpUrl());
        QVERIFY(proxy.listen(QHostAddress::LocalHost));
        QNetworkProxy::setApplicationProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, proxy.serverPort()));
        const auto restore = qScopeGuard([] { QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy); });
        QUrl url = TestServer::httpUrl();
        url.setHost(u"surreal-behind-proxy.invalid"_s);
        auto m = httpManager(url, m_ns);
        AWAIT_VOID(m->open());
        const QueryResult r = AWAIT(m->connection()->query(u"RETURN 'via proxy'"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.last().toString(), u"via proxy"_s);
        QVERIFY2(proxy.absoluteRequests >= 2, qPrintable(QString::number(proxy.absoluteRequests)));
    }

    // A redirect is refused, with the target in the error, at once rather than after retries:
    // following it would carry the credentials wherever it points.
    void redirectsAreRefused()
    {
        CannedServer redirecting(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://elsewhere.invalid:8000/rpc\r\n"
            "Content-Length: 0\r\n\r\n");
        QVERIFY(redirecting.listen(QHostAddress::LocalHost));
        auto m = httpManager(localUrl(u"http"_s, redirecting.serverPort()), m_ns);
        m->setReconnectBackoff(std::chrono::milliseconds(200), std::chrono::milliseconds(200));
        QElapsedTimer t;
        t.start();
        const Error e = failureOf(m->open());
        QCOMPARE(e.kind(), Error::Kind::Connection);
        QVERIFY2(e.message().contains(u"redirect"_s, Qt::CaseInsensitive), qPrintable(e.toString()));
        QVERIFY2(e.message().contains(u"elsewhere.invalid"_s), qPrintable(e.toString()));
        QCOMPARE(redirecting.connections, 1);
        QVERIFY(t.elapsed() < 5000);
    }

    // A server that answers the connection's version probe and then goes silent: a request
    // fails with a Timeout in the configured time, and nothing waits beyond it.
    void silentServerTimesOut()
    {
        const QByteArray version = "\xa1\x66result\x6fsurrealdb-3.0.2";
        CannedServer silent("HTTP/1.1 200 OK\r\nContent-Type: application/cbor\r\nContent-Length: " +
                                QByteArray::number(version.size()) + "\r\n\r\n" + version,
                            "version");
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto m = httpManager(localUrl(u"http"_s, silent.serverPort()), m_ns, u"test"_s, Credentials());
        AWAIT_VOID(m->open());
        RequestOptions quick;
        quick.timeout = std::chrono::milliseconds(600);
        QElapsedTimer t;
        t.start();
        const Error e = failureOf(m->connection()->query(u"RETURN 1"_s, {}, quick), 30000);
        QCOMPARE(e.kind(), Error::Kind::Timeout);
        QVERIFY2(t.elapsed() >= 500 && t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    }

    // After a request timed out, its connection is not reused: a late answer must never be
    // taken for the next request's.
    void lateAnswerNeverAnswersTheNextRequest()
    {
        auto m = httpManager(TestServer::httpUrl(), m_ns);
        AWAIT_VOID(m->open());
        RequestOptions quick;
        quick.timeout = std::chrono::milliseconds(500);
        const Error e = failureOf(m->connection()->query(u"SLEEP 1500ms; RETURN 'late'"_s, {}, quick));
        QCOMPARE(e.kind(), Error::Kind::Timeout);
        QTest::qWait(1500);
        for (int i = 0; i < 12; ++i) {
            const QueryResult r = AWAIT(m->connection()->query(u"RETURN $i"_s, {{u"i"_s, i}}));
            QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
            QCOMPARE(r.last().toInt(), i);
        }
    }

    // Connection refused: a Connection error naming the address.
    void refusedConnectionIsAClearError()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        auto m = httpManager(localUrl(u"http"_s, port), m_ns);
        m->setMaxRetries(0);
        const Error e = failureOf(m->open(), 30000);
        QCOMPARE(e.kind(), Error::Kind::Connection);
        QVERIFY2(e.toString().contains(QString::number(port)), qPrintable(e.toString()));
    }

    // https:// verifies the server's certificate: a self-signed one is refused with the reason,
    // at once; trusted explicitly (as a private CA), the same server is accepted.
    void tlsCertificateIsVerified()
    {
        if (!QSslSocket::supportsSsl())
            QFAIL("this Qt has no TLS backend; https cannot be tested");
        const QSslCertificate cert{QByteArray(selfSignedCert)};
        const QSslKey key{QByteArray(selfSignedKey), QSsl::Rsa};
        QVERIFY(!cert.isNull());
        QVERIFY(!key.isNull());
        QSslServer server;
        QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
        serverConfig.setLocalCertificate(cert);
        serverConfig.setPrivateKey(key);
        serverConfig.setPeerVerifyMode(QSslSocket::VerifyNone);
        server.setSslConfiguration(serverConfig);
        // Speaks just enough of the RPC: every POST gets the version.
        const QByteArray version = "\xa1\x66result\x6fsurrealdb-3.0.2";
        QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server, version] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, s, [s, version] {
                    if (s->readAll().contains("\r\n\r\n"))
                        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/cbor\r\nContent-Length: " +
                                 QByteArray::number(version.size()) + "\r\n\r\n" + version);
                });
            }
        });
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl url = localUrl(u"https"_s, server.serverPort());
        {
            auto m = httpManager(url, m_ns, u"test"_s, Credentials());
            QElapsedTimer t;
            t.start();
            const Error e = failureOf(m->open(), 30000);
            QCOMPARE(e.kind(), Error::Kind::Tls);
            QVERIFY(!e.isRetryable());
            QVERIFY2(e.message().contains(u"TLS"_s), qPrintable(e.toString()));
            QVERIFY2(e.message().contains(u"self signed"_s, Qt::CaseInsensitive) ||
                         e.message().contains(u"self-signed"_s, Qt::CaseInsensitive),
                     qPrintable(e.toString()));
            QVERIFY2(t.elapsed() < 5000, "a certificate that does not verify is not retried");
        }
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        const auto restore = qScopeGuard([saved] { QSslConfiguration::setDefaultConfiguration(saved); });
        QSslConfiguration trusting = saved;
        trusting.addCaCertificate(cert);
        QSslConfiguration::setDefaultConfiguration(trusting);
        auto m = httpManager(url, m_ns, u"test"_s, Credentials());
        AWAIT_VOID(m->open());
        QCOMPARE(m->state(), DatabaseManager::State::Connected);
    }
};

QTEST_GUILESS_MAIN(tst_Http)
#include "tst_http.moc"
