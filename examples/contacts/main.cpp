// SurrealQt widgets example: a contacts table that two instances edit side by side, live.
//
//   contacts [--url ws://127.0.0.1:8000] [--user root] [--pass root] [--import FILE.csv]
//            [--screenshot FILE.png]
//
// Without --url it starts a surreal-local of its own (needs Node.js, like tools/demo.sh);
// point a second instance at the first one's URL (shown in the title bar) to see live edits.

#include "contactswindow.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

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
    parser.addOption({u"import"_s, u"Import a CSV file (header row = field names) at start"_s, u"file"_s});
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
    if (parser.isSet(u"import"_s))
        QObject::connect(
            &window, &ContactsWindow::ready, &window,
            [&window, file = parser.value(u"import"_s)] { window.importCsv(file); },
            Qt::SingleShotConnection);

    const QString screenshot = parser.value(u"screenshot"_s);
    if (!screenshot.isEmpty()) {
        QObject::connect(
            &window, &ContactsWindow::ready, &app,
            [&] {
                // One more turn of the event loop lets the view lay out the new rows.
                QTimer::singleShot(300, &app, [&] {
                    const QPixmap pixmap = window.grab();
                    app.exit(!pixmap.isNull() && pixmap.save(screenshot) ? 0 : 2);
                });
            },
            Qt::SingleShotConnection);
        QTimer::singleShot(60000, &app, [&] {
            qCritical("timed out waiting for the contacts table (status %d)", int(window.model()->status()));
            app.exit(3);
        });
    }
    return app.exec();
}
