// docs/README.md's minimal program, compiled (not linked: it has its own main()) in every build.
// [minimal-program]
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    SurrealQt::DatabaseManager db(QUrl(u"ws://127.0.0.1:8000"_s), u"demo"_s, u"demo"_s,
                                  SurrealQt::Credentials::root(u"root"_s, u"root"_s));
    db.open()
        .then(&app,
              [&db] {
                  return db.connection()->query(u"RETURN $x * 2"_s, {{u"x"_s, 21}});
              })
        .unwrap()
        .then(&app,
              [&app](const SurrealQt::QueryResult &r) {
                  qInfo() << r.last(); // 42
                  app.quit();
              })
        .onFailed(&app, [&app](const SurrealQt::Exception &e) {
            qWarning() << e.error();
            app.exit(1);
        });
    return app.exec();
}
// [minimal-program]
