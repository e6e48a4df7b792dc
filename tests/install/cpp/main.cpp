// An outside program built against the installed package: the umbrella header, the typed API
// without a server, then (given a server URL) one write and its read-back through the engine.
#include <SurrealQt/SurrealQt>
#include <SurrealQt/widgets/surrealitemdelegate.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

static bool offlineChecks()
{
    const SurrealQt::RecordId id(u"person"_s, u"tobie"_s);
    SurrealQt::DatabaseManager db(QUrl(u"ws://127.0.0.1:1"_s), u"ns"_s, u"db"_s, SurrealQt::Credentials(),
                                  SurrealQt::ConnectionOptions{.poolSize = 1});
    // Refused before anything is sent: a record id where a table is expected.
    QFuture<QVariantList> rows = db.connection()->select(SurrealQt::Table(u"person:1"_s));
    bool refused = false;
    try {
        // waitForFinished() already rethrows the stored exception.
        rows.waitForFinished();
    } catch (const SurrealQt::Exception &e) {
        refused = e.error().kind() == SurrealQt::Error::Kind::Validation;
    }
    // A Decimal converts to a number through QVariant.
    const double d = QVariant::fromValue(SurrealQt::Decimal::fromString(u"2.5"_s)).toDouble();
    // SurrealQt::Widgets (COMPONENTS Widgets): a duration shown as people read it.
    const SurrealQt::SurrealItemDelegate delegate;
    const QString took =
        delegate.displayText(QVariant::fromValue(SurrealQt::Duration::fromString(u"1h30m"_s)), QLocale::c());
    QTextStream(stdout) << id.toString() << ' ' << refused << ' ' << d << ' ' << took << Qt::endl;
    return id.toString() == u"person:tobie"_s && refused && d == 2.5 && took == u"1h 30m"_s;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (!offlineChecks())
        return 1;
    if (argc < 2)
        return 0;

    // usage: consumer --local DATA_DIR: the installed surreal-local, through LocalServer.
    if (qstrcmp(argv[1], "--local") == 0 && argc >= 3) {
        auto *server = new SurrealQt::LocalServer(QString::fromLocal8Bit(argv[2]), &app);
        auto *db = new SurrealQt::DatabaseManager(server, u"install"_s, u"local"_s, &app);
        QTimer::singleShot(60000, &app, [] {
            QTextStream(stderr) << "the local server did not answer in 60 s" << Qt::endl;
            QCoreApplication::exit(3);
        });
        db->open()
            .then(&app,
                  [db] {
                      return db->connection()->query(u"CREATE note SET n = 1; SELECT VALUE n FROM note"_s);
                  })
            .unwrap()
            .then(&app,
                  [](const SurrealQt::QueryResult &r) {
                      QTextStream(stdout)
                          << "local server holds " << r.value(1).toList().size() << " notes" << Qt::endl;
                      QCoreApplication::exit(r.value(1).toList().size() == 1 ? 0 : 1);
                  })
            .onFailed(&app, [](const SurrealQt::Exception &e) {
                QTextStream(stderr) << "failed: " << e.error().message() << Qt::endl;
                QCoreApplication::exit(2);
            });
        return app.exec();
    }

    // usage: consumer URL USER PASS [SURQL-FILE]: with a file, runs it instead of the check.
    QString script;
    if (argc >= 5) {
        QFile file(QString::fromLocal8Bit(argv[4]));
        if (!file.open(QIODevice::ReadOnly))
            return 4;
        script = QString::fromUtf8(file.readAll());
    }
    auto *db = new SurrealQt::DatabaseManager(
        QUrl(QString::fromLocal8Bit(argv[1])), u"install"_s, u"cpp"_s,
        SurrealQt::Credentials::root(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3])), &app);
    QTimer::singleShot(30000, &app, [] {
        QTextStream(stderr) << "no answer from the server in 30 s" << Qt::endl;
        QCoreApplication::exit(3);
    });
    if (!script.isEmpty()) {
        db->open()
            .then(&app, [db, script] { return db->connection()->query(script); })
            .unwrap()
            .then(&app,
                  [](const SurrealQt::QueryResult &r) {
                      if (!r.isOk())
                          QTextStream(stderr)
                              << "the script failed: " << r.firstError().message() << Qt::endl;
                      QCoreApplication::exit(r.isOk() ? 0 : 5);
                  })
            .onFailed(&app, [](const SurrealQt::Exception &e) {
                QTextStream(stderr) << "failed: " << e.error().message() << Qt::endl;
                QCoreApplication::exit(2);
            });
        return app.exec();
    }
    db->open()
        .then(&app,
              [db] {
                  return db->connection()->query(
                      u"DELETE consumer; CREATE consumer:one SET n = $n RETURN VALUE n"_s, {{u"n"_s, 7}});
              })
        .unwrap()
        .then(&app,
              [](const SurrealQt::QueryResult &r) {
                  const QVariantList created = r.value(1).toList();
                  QTextStream(stdout) << "stored " << created.value(0).toInt() << Qt::endl;
                  QCoreApplication::exit(created.value(0).toInt() == 7 ? 0 : 1);
              })
        .onFailed(&app, [](const SurrealQt::Exception &e) {
            QTextStream(stderr) << "failed: " << e.error().message() << Qt::endl;
            QCoreApplication::exit(2);
        });
    return app.exec();
}
