// A stand-in for an app that keeps its data in a LocalServer, run as a separate process by
// tst_localserver:   localserver_app DATA_DIR write VALUE | read | hold SECONDS VALUE
// Prints a line "owner=<0|1> child=<pid> values=<v1,v2,...>" after its action (hold: also at its end) and
// exits 0; any failure prints "error: ..." and exits 1.
#include <SurrealQt/SurrealQt>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    const QString action = args.at(2);
    auto *server = new SurrealQt::LocalServer(args.at(1), &app);
    auto *db = new SurrealQt::DatabaseManager(server, u"app"_s, u"main"_s, &app);
    auto fail = [](const QString &what) {
        QTextStream(stdout) << "error: " << what << Qt::endl;
        QCoreApplication::exit(1);
    };
    QObject::connect(server, &SurrealQt::LocalServer::errorOccurred, &app,
                     [fail](const SurrealQt::Error &e) { fail(e.message()); });
    QTimer::singleShot(90000, &app, [fail] { fail(u"timed out"_s); });

    auto report = [server, db, &app](auto done) {
        db->connection()
            ->query(u"SELECT VALUE v FROM note ORDER BY v"_s)
            .then(&app,
                  [server, done](const SurrealQt::QueryResult &r) {
                      QStringList values;
                      for (const QVariant &v : r.value(0).toList())
                          values << v.toString();
                      QTextStream(stdout)
                          << "owner=" << int(server->isOwner()) << " child=" << server->processId()
                          << " values=" << values.join(u',') << Qt::endl;
                      done();
                  })
            .onFailed(&app, [](const SurrealQt::Exception &e) {
                QTextStream(stdout) << "error: " << e.error().message() << Qt::endl;
                QCoreApplication::exit(1);
            });
    };
    auto write = [db, &app](const QString &value, auto next) {
        db->connection()
            ->query(u"CREATE note SET v = $v"_s, {{u"v"_s, value}})
            .then(&app, [next](const SurrealQt::QueryResult &) { next(); })
            .onFailed(&app, [](const SurrealQt::Exception &e) {
                QTextStream(stdout) << "error: " << e.error().message() << Qt::endl;
                QCoreApplication::exit(1);
            });
    };

    db->open()
        .then(&app,
              [=, &app] {
                  if (action == u"write") {
                      write(args.value(3), [report] { report([] { QCoreApplication::exit(0); }); });
                  } else if (action == u"read") {
                      report([] { QCoreApplication::exit(0); });
                  } else if (action == u"hold") {
                      const int seconds = args.value(3).toInt();
                      // Reports after writing and again before leaving: a process that used
                      // another's server must have taken it over by then.
                      write(args.value(4), [report, seconds, &app] {
                          report([report, seconds, &app] {
                              QTimer::singleShot(seconds * 1000, &app,
                                                 [report] { report([] { QCoreApplication::exit(0); }); });
                          });
                      });
                  }
              })
        .onFailed(&app, [fail](const SurrealQt::Exception &e) { fail(e.error().message()); });
    return app.exec();
}
