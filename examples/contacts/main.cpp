// SurrealQt widgets example: a contacts table that two instances edit side by side, live.
//
//   contacts [--url ws://127.0.0.1:8000] [--user root] [--pass root] [--import FILE.csv]
//            [--screenshot FILE.png]
//
// --import runs File > Import CSV… on FILE once the table is loaded; with --screenshot the PNG
// is taken once the import is done and the table shows every row, and the exit code is 0 only
// when every contact was written (4 otherwise; a malformed file is named with its line).
//
// Without --url it starts a surreal-local of its own (needs Node.js, like tools/demo.sh);
// point a second instance at the first one's URL (shown in the title bar) to see live edits.

#include "contactswindow.h"
#include "localserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    app.setApplicationName(u"contacts"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Contacts on SurrealDB through SurrealQt::QueryListModel"_s);
    parser.addHelpOption();
    parser.addOption({u"url"_s, u"SurrealDB WebSocket URL (default: start a local server)"_s, u"url"_s});
    parser.addOption({u"user"_s, u"Root user"_s, u"user"_s, u"root"_s});
    parser.addOption({u"pass"_s, u"Root password"_s, u"password"_s, u"root"_s});
    parser.addOption(
        {u"import"_s, u"Import a CSV file (header row = field names) once the table is loaded"_s, u"file"_s});
    parser.addOption(
        {u"screenshot"_s, u"Save a PNG of the window once the table is loaded, then exit"_s, u"file"_s});
    parser.process(app);

    LocalServer server;
    QUrl url(parser.value(u"url"_s));
    if (url.isEmpty()) {
        QString error;
        url = server.start(parser.value(u"user"_s), parser.value(u"pass"_s), &error);
        if (url.isEmpty()) {
            qCritical("%s", qPrintable(error));
            return 1;
        }
    }

    DatabaseManager db(url, u"examples"_s, u"contacts"_s,
                       Credentials::root(parser.value(u"user"_s), parser.value(u"pass"_s)));
    db.setPoolSize(2);
    ContactsWindow window(&db);
    window.show();

    const QString screenshot = parser.value(u"screenshot"_s);
    auto takeScreenshot = [&] {
        // One more turn of the event loop lets the view lay out the new rows.
        QTimer::singleShot(300, &app, [&] {
            const QPixmap pixmap = window.grab();
            app.exit(!pixmap.isNull() && pixmap.save(screenshot) ? 0 : 2);
        });
    };

    if (parser.isSet(u"import"_s)) {
        // The same path as File > Import CSV…: the progress dialog, the bulk insert, Cancel.
        QObject::connect(
            &window, &ContactsWindow::ready, &window,
            [&window, file = parser.value(u"import"_s)] { window.importCsv(file); },
            Qt::SingleShotConnection);
        QObject::connect(
            &window, &ContactsWindow::importFinished, &app,
            [&](qint64 written, qint64 total, bool cancelled, const QString &error) {
                std::printf("imported %lld of %lld contacts%s\n", (long long)written, (long long)total,
                            cancelled ? " (cancelled)" : "");
                std::fflush(stdout);
                if (!error.isEmpty())
                    qCritical("import failed: %s", qPrintable(error));
                if (screenshot.isEmpty())
                    return;
                if (!error.isEmpty() || cancelled || written != total) {
                    app.exit(4);
                    return;
                }
                // Done when the table shows what the database holds (the model follows the
                // import live; its total is recounted after bursts).
                db.connection()
                    ->query(u"SELECT count() FROM contact GROUP ALL"_s)
                    .then(&window,
                          [&](const QueryResult &r) {
                              const qint64 inDb =
                                  r.last().toList().value(0).toMap().value(u"count"_s).toLongLong();
                              auto *poll = new QTimer(&window);
                              QObject::connect(poll, &QTimer::timeout, &window, [&, poll, inDb] {
                                  QueryListModel *model = window.model();
                                  if (model->status() != QueryListModel::Ready || model->totalCount() != inDb)
                                      return;
                                  poll->stop();
                                  std::printf("the table shows %lld contacts, as the database\n",
                                              (long long)model->totalCount());
                                  std::fflush(stdout);
                                  takeScreenshot();
                              });
                              poll->start(50);
                          })
                    .onFailed(&window, [&](const Exception &e) {
                        qCritical("count failed: %s", qPrintable(e.error().message()));
                        app.exit(5);
                    });
            });
    }

    if (!screenshot.isEmpty()) {
        if (!parser.isSet(u"import"_s))
            QObject::connect(&window, &ContactsWindow::ready, &app, takeScreenshot, Qt::SingleShotConnection);
        QTimer::singleShot(60000, &app, [&] {
            qCritical("timed out waiting for the contacts table (status %d, %d of %lld rows)",
                      int(window.model()->status()), window.model()->count(),
                      (long long)window.model()->totalCount());
            app.exit(3);
        });
    }
    return app.exec();
}
