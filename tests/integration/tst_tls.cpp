// wss:// and https:// against surreal-local started with --tls-cert/--tls-key, certificates made
// fresh by tools/surreal-local/make-test-certs.sh: one signed by a throw-away test CA, one
// self-signed. Trusted through ConnectionOptions (the CA added, or one exact error of one known
// certificate ignored) everything works as over ws/http; with Qt's default trust the connection
// fails at once with Error::Kind::Tls naming the certificate problem, without retries.
// The TlsDocs functions (doc_snippets_tls.cpp) are the code of docs/tls.md, run here.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#ifdef SURREALQT_TEST_QML_DATABASE
#include "qmldatabase.h"
#endif

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace TlsDocs {
SurrealQt::DatabaseManager *trustPrivateCa(const QUrl &url, const QString &caFile, QObject *parent);
SurrealQt::DatabaseManager *acceptKnownCertificate(const QUrl &url, const QString &certFile, QObject *parent);
void reportUntrusted(SurrealQt::DatabaseManager *db, QObject *context);
} // namespace TlsDocs

class tst_Tls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // Signed by the test CA (ca.pem) / self-signed.
    TestServer::LocalServer m_caSigned;
    TestServer::LocalServer m_selfSigned;

    QString file(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    // One row per TLS scheme, column "scheme".
    static void schemes()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("wss") << u"wss"_s;
        QTest::newRow("https") << u"https"_s;
    }

    QUrl url(const TestServer::LocalServer &server, const QString &scheme) const
    {
        return scheme == u"wss" ? server.wssUrl() : server.httpsUrl();
    }

    // A create read back by a select: the session (sign-in, namespace) works over the socket.
    static void roundTrip(DatabaseManager *db, const QString &table)
    {
        Connection *c = db->connection();
        QVERIFY(AWAIT(c->query(u"DEFINE TABLE %1 SCHEMALESS"_s.arg(table))).isOk());
        AWAIT(c->create(RecordId(table, 1), QVariantMap{{u"text"_s, u"over TLS"_s}}));
        const QVariantMap row = AWAIT(c->select(RecordId(table, 1)));
        QCOMPARE(row.value(u"text"_s).toString(), u"over TLS"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QFAIL("this Qt has no TLS backend (Debian: libssl3); wss/https cannot be tested");
        QVERIFY(m_dir.isValid());
        const QString js = QStringLiteral(SURREALQT_SERVER_JS);
        const QString script = js.left(js.lastIndexOf(u'/') + 1) + u"make-test-certs.sh"_s;
        QProcess make;
        make.start(u"bash"_s, {script, m_dir.path()});
        QVERIFY(make.waitForFinished(30000));
        QVERIFY2(make.exitStatus() == QProcess::NormalExit && make.exitCode() == 0,
                 make.readAllStandardError().constData());
        QVERIFY(m_caSigned.start(0, u"memory"_s,
                                 {u"--tls-cert"_s, file("server.pem"), u"--tls-key"_s, file("server.key")}));
        QVERIFY(m_selfSigned.start(0, u"memory"_s,
                                   {u"--tls-cert"_s, file("self.pem"), u"--tls-key"_s, file("self.key")}));
    }

    // The CA added to ConnectionOptions::sslConfiguration: a pool of WebSockets over wss://,
    // queries and a live query; /export goes over https:// with the same trust.
    void privateCaOverWss()
    {
        std::unique_ptr<DatabaseManager> db(
            TlsDocs::trustPrivateCa(m_caSigned.wssUrl(), file("ca.pem"), nullptr));
        QVERIFY(db->usePool());
        AWAIT_VOID(db->open());
        QCOMPARE(db->state(), DatabaseManager::State::Connected);
        roundTrip(db.get(), u"wss_note"_s);

        std::unique_ptr<LiveQuery> live(db->connection()->live(Table(u"wss_note"_s)));
        QSignalSpy notes(live.get(), &LiveQuery::notification);
        AWAIT(live->started());
        AWAIT(db->connection()->create(RecordId(u"wss_note"_s, 2), QVariantMap{{u"text"_s, u"live"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(notes.count(), 1, 10000);
        const auto note = notes.at(0).at(0).value<LiveNotification>();
        QCOMPARE(note.action(), LiveNotification::Action::Create);
        QCOMPARE(note.result().toMap().value(u"text"_s).toString(), u"live"_s);

        const QString dump = AWAIT(db->connection()->exportDatabase());
        QVERIFY2(dump.contains(u"wss_note"_s), qPrintable(dump.left(500)));
    }

    // One socket (ConnectionOptions::Sockets::Single) with the CA: the options travel together.
    void privateCaSingleSocket()
    {
        ConnectionOptions options{.sockets = ConnectionOptions::Sockets::Single};
        options.sslConfiguration.addCaCertificates(QSslCertificate::fromPath(file("ca.pem")));
        DatabaseManager db(m_caSigned.wssUrl(), u"shop"_s, u"single"_s,
                           Credentials::root(u"root"_s, u"root"_s), options);
        QVERIFY(!db.usePool());
        AWAIT_VOID(db.open());
        roundTrip(&db, u"single_note"_s);
        QCOMPARE(db.options().sslConfiguration.caCertificates(), options.sslConfiguration.caCertificates());
    }

    void privateCaOverHttps()
    {
        std::unique_ptr<DatabaseManager> db(
            TlsDocs::trustPrivateCa(m_caSigned.httpsUrl(), file("ca.pem"), nullptr));
        QVERIFY(!db->isWebSocket());
        AWAIT_VOID(db->open());
        QCOMPARE(db->state(), DatabaseManager::State::Connected);
        roundTrip(db.get(), u"https_note"_s);
        const QString dump = AWAIT(db->connection()->exportDatabase());
        QVERIFY2(dump.contains(u"https_note"_s), qPrintable(dump.left(500)));
    }

#ifdef SURREALQT_TEST_QML_DATABASE
    // QML's Database with caCertificates: the files' CAs are trusted besides the system's, over
    // wss:// and https://; without them the connection fails with a Tls error; a file that
    // cannot be read or holds no certificate fails it with a Tls error naming the file.
    void qmlDatabaseCaCertificates_data()
    {
        schemes();
    }
    void qmlDatabaseCaCertificates()
    {
        QFETCH(QString, scheme);
        const auto makeDatabase = [&](const QList<QUrl> &files) {
            auto db = std::make_unique<QmlDatabase>();
            db->classBegin();
            db->setUrl(url(m_caSigned, scheme));
            db->setNamespaceName(u"shop"_s);
            db->setDatabaseName(u"qml"_s);
            db->setUser(u"root"_s);
            db->setPassword(u"root"_s);
            db->setCaCertificates(files);
            db->componentComplete();
            return db;
        };

        auto trusted = makeDatabase({QUrl::fromLocalFile(file("ca.pem"))});
        QTRY_COMPARE_WITH_TIMEOUT(trusted->status(), QmlDatabase::Ready, 15000);
        QCOMPARE(trusted->caCertificates(), QList<QUrl>{QUrl::fromLocalFile(file("ca.pem"))});
        const QueryResult r = AWAIT(trusted->connection()->query(u"RETURN 7"_s));
        QCOMPARE(r.last().toInt(), 7);

        auto untrusted = makeDatabase({});
        QTRY_COMPARE_WITH_TIMEOUT(untrusted->status(), QmlDatabase::Failed, 15000);
        QCOMPARE(untrusted->lastError().kind(), Error::Kind::Tls);

        // Given later, the CA takes effect with the reconnect.
        untrusted->setCaCertificates({QUrl::fromLocalFile(file("ca.pem"))});
        QTRY_COMPARE_WITH_TIMEOUT(untrusted->status(), QmlDatabase::Ready, 15000);

        const QString missing = file("no-such-ca.pem");
        auto unreadable = makeDatabase({QUrl::fromLocalFile(file("ca.pem")), QUrl::fromLocalFile(missing)});
        QTRY_COMPARE_WITH_TIMEOUT(unreadable->status(), QmlDatabase::Failed, 15000);
        QCOMPARE(unreadable->lastError().kind(), Error::Kind::Tls);
        QVERIFY2(unreadable->lastError().message().contains(missing),
                 qPrintable(unreadable->lastError().toString()));
        QCOMPARE(unreadable->lastError().context(), u"Database.caCertificates[1]"_s);

        auto notPem = makeDatabase({QUrl::fromLocalFile(file("server.key"))});
        QTRY_COMPARE_WITH_TIMEOUT(notPem->status(), QmlDatabase::Failed, 15000);
        QVERIFY2(notPem->lastError().message().contains(u"holds no PEM certificate"_s),
                 qPrintable(notPem->lastError().toString()));
    }
#endif

    void untrustedIsATlsError_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<bool>("selfSigned");
        QTest::addColumn<int>("expected"); // QSslError::SslError
        QTest::newRow("wss, unknown CA")
            << u"wss"_s << false << int(QSslError::UnableToGetLocalIssuerCertificate);
        QTest::newRow("https, unknown CA")
            << u"https"_s << false << int(QSslError::UnableToGetLocalIssuerCertificate);
        QTest::newRow("wss, self-signed") << u"wss"_s << true << int(QSslError::SelfSignedCertificate);
        QTest::newRow("https, self-signed") << u"https"_s << true << int(QSslError::SelfSignedCertificate);
    }

    // Qt's default trust (the system CAs) does not know either certificate: open() and a request
    // queued before it fail with Kind::Tls and Qt's text for the problem, at once, and nothing
    // is tried again afterwards.
    void untrustedIsATlsError()
    {
        QFETCH(QString, scheme);
        QFETCH(bool, selfSigned);
        QFETCH(int, expected);
        const QUrl target = url(selfSigned ? m_selfSigned : m_caSigned, scheme);
        DatabaseManager db(target, u"shop"_s, u"main"_s, Credentials::root(u"root"_s, u"root"_s),
                           ConnectionOptions{});
        QSignalSpy errors(&db, &DatabaseManager::errorOccurred);
        QSignalSpy states(&db, &DatabaseManager::stateChanged);
        QElapsedTimer timer;
        timer.start();
        const QFuture<QueryResult> queued = db.connection()->query(u"RETURN 1"_s);
        const Error e = failureOf(db.open(), 20000);
        const qint64 elapsed = timer.elapsed();
        qInfo("failed after %lld ms: %s", elapsed, qPrintable(e.toString()));
        QCOMPARE(e.kind(), Error::Kind::Tls);
        const QString problem = QSslError(QSslError::SslError(expected)).errorString();
        QVERIFY2(e.message().contains(problem), qPrintable(e.toString() + u" lacks: "_s + problem));
        QVERIFY2(e.message().contains(u"TLS"_s), qPrintable(e.toString()));
        QVERIFY(!e.isRetryable());
        // The reconnect backoff starts at 100 ms and doubles over 5 attempts: a retried
        // handshake would take well over this.
        QVERIFY2(elapsed < 1500, qPrintable(u"took %1 ms"_s.arg(elapsed)));
        const Error queuedError = failureOf(queued, 5000);
        QCOMPARE(queuedError.kind(), Error::Kind::Tls);
        QCOMPARE(db.lastError().kind(), Error::Kind::Tls);

        // No retry storm: the sockets stay down, and the failure was reported once.
        const qsizetype stateChanges = states.count();
        QTest::qWait(1200);
        QCOMPARE(states.count(), stateChanges);
        QCOMPARE(db.state(), DatabaseManager::State::Disconnected);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<Error>().kind(), Error::Kind::Tls);
    }

    void knownCertificateAccepted_data()
    {
        schemes();
    }

    // The exact error of the self-signed certificate ignored: it connects and works. The same
    // error for another certificate lets nothing through.
    void knownCertificateAccepted()
    {
        QFETCH(QString, scheme);
        {
            std::unique_ptr<DatabaseManager> db(
                TlsDocs::acceptKnownCertificate(url(m_selfSigned, scheme), file("self.pem"), nullptr));
            AWAIT_VOID(db->open());
            roundTrip(db.get(), scheme + u"_known"_s);
        }
        std::unique_ptr<DatabaseManager> other(
            TlsDocs::acceptKnownCertificate(url(m_selfSigned, scheme), file("server.pem"), nullptr));
        const Error e = failureOf(other->open(), 20000);
        QCOMPARE(e.kind(), Error::Kind::Tls);
        QVERIFY2(e.message().contains(QSslError(QSslError::SelfSignedCertificate).errorString()),
                 qPrintable(e.toString()));
    }

    // The docs' handler sees Kind::Tls.
    void untrustedHandlerFromTheDocs()
    {
        DatabaseManager db(m_selfSigned.wssUrl(), u"shop"_s, u"main"_s,
                           Credentials::root(u"root"_s, u"root"_s));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^the server's certificate is not trusted: .*TLS"_s));
        TlsDocs::reportUntrusted(&db, this);
        QTRY_COMPARE_WITH_TIMEOUT(db.lastError().kind(), Error::Kind::Tls, 10000);
        // The continuation runs in this thread's event loop, after the error is recorded.
        QTest::qWait(200);
    }
};

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
