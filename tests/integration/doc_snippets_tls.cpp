// The code examples of docs/tls.md, compiled into tst_tls and run there against surreal-local
// behind test certificates (doc_snippets_match_docs_tls_md checks the page against them).

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>

#include <QtCore/QDebug>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslError>

using namespace Qt::StringLiterals;

namespace TlsDocs {

// docs/tls.md "Trusting a private CA"
SurrealQt::DatabaseManager *trustPrivateCa(const QUrl &url, const QString &caFile, QObject *parent)
{
    // [tls-private-ca]
    SurrealQt::ConnectionOptions options;
    options.sslConfiguration.addCaCertificates(QSslCertificate::fromPath(caFile));
    auto *db = new SurrealQt::DatabaseManager(
        url, u"shop"_s, u"main"_s, SurrealQt::Credentials::root(u"root"_s, u"root"_s), options, parent);
    // [tls-private-ca]
    return db;
}

// docs/tls.md "Accepting one known certificate"
SurrealQt::DatabaseManager *acceptKnownCertificate(const QUrl &url, const QString &certFile, QObject *parent)
{
    // [tls-known-certificate]
    // The server's own certificate, obtained out of band. Only this error, for this certificate,
    // is let through; any other problem still fails the connection.
    const QSslCertificate known = QSslCertificate::fromPath(certFile).value(0);
    SurrealQt::ConnectionOptions options;
    options.ignoredSslErrors = {QSslError(QSslError::SelfSignedCertificate, known)};
    auto *db = new SurrealQt::DatabaseManager(
        url, u"shop"_s, u"main"_s, SurrealQt::Credentials::root(u"root"_s, u"root"_s), options, parent);
    // [tls-known-certificate]
    return db;
}

// docs/tls.md "When the certificate is not trusted"
void reportUntrusted(SurrealQt::DatabaseManager *db, QObject *context)
{
    // [tls-error]
    db->open().onFailed(context, [](const SurrealQt::Exception &e) {
        // Not retried: nothing changes until the trust settings do.
        if (e.error().kind() == SurrealQt::Error::Kind::Tls)
            qWarning() << "the server's certificate is not trusted:" << e.error().message();
    });
    // [tls-error]
}

} // namespace TlsDocs
