// An outside program: the umbrella header and the typed API, without a server.
#include <SurrealQt/SurrealQt>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const SurrealQt::RecordId id(u"person"_s, u"tobie"_s);
    SurrealQt::DatabaseManager db(QUrl(u"ws://127.0.0.1:1"_s), u"ns"_s, u"db"_s, SurrealQt::Credentials(),
                                  SurrealQt::ConnectionOptions{.poolSize = 1});
    SurrealQt::Connection *c = db.connection();
    // Refused before anything is sent: a record id where a table is expected.
    QFuture<QVariantList> rows = c->select(SurrealQt::Table(u"person:1"_s));
    bool refused = false;
    try {
        // waitForFinished() already rethrows the stored exception.
        rows.waitForFinished();
    } catch (const SurrealQt::Exception &e) {
        refused = e.error().kind() == SurrealQt::Error::Kind::Validation;
    }
    // A Decimal converts to a number through QVariant.
    const double d = QVariant::fromValue(SurrealQt::Decimal::fromString(u"2.5"_s)).toDouble();
    QTextStream(stdout) << id.toString() << ' ' << db.url().toString() << ' ' << refused << ' ' << d
                        << Qt::endl;
    return id.toString() == u"person:tobie"_s && refused && d == 2.5 ? 0 : 1;
}
