// SurrealQt model-layer example: a library of authors and books.
//
//   library [--url ws://127.0.0.1:8000] [--user root] [--pass root] [--namespace examples]
//           [--database library] [--import N] [--screenshot FILE.png] [--quit] [--timeout 60]
//
// Author and Book (author.h, book.h) are SURREALQT_MODEL classes; Book links to its Author. At
// start-up the schema is generated from them, an empty database gets a few authors and books,
// and two live ModelListModels fill the views. Once loaded: --import N writes N generated books
// with BulkOperations (progress in the status bar), --screenshot saves the window; with
// --screenshot or --quit the app exits after them, otherwise the window stays open.
//
// Exit codes: 0 done; 1 bad command line or no server; 2 screenshot not saved; 3 timed out;
// 4 import incomplete; 5 database error (e.g. a wrong password).
//
// Without --url it starts a surreal-local of its own (needs Node.js, like tools/demo.sh).

#include "librarywindow.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/error.h>
#include <SurrealQt/modellistmodel.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Authors and books on SurrealDB through the SurrealQt model layer.\n"
        u"Exit codes: 0 done, 1 bad command line or no server, 2 screenshot not saved, 3 timed out, "
        u"4 import incomplete, 5 database error (e.g. a wrong password)."_s);
    parser.addHelpOption();
    parser.addOption({u"url"_s, u"SurrealDB WebSocket URL (default: start a local server)"_s, u"url"_s});
    parser.addOption({u"user"_s, u"Root user (default: root)"_s, u"user"_s, u"root"_s});
    parser.addOption({u"pass"_s, u"Root password (default: root)"_s, u"password"_s, u"root"_s});
    parser.addOption({u"namespace"_s, u"Namespace (default: examples)"_s, u"name"_s, u"examples"_s});
    parser.addOption({u"database"_s, u"Database (default: library)"_s, u"name"_s, u"library"_s});
    parser.addOption({u"import"_s, u"Once loaded, write N generated books (bulk, with progress)"_s, u"N"_s});
    parser.addOption(
        {u"screenshot"_s, u"Save a PNG of the window once loaded (after --import), then exit"_s, u"file"_s});
    parser.addOption({u"quit"_s, u"Exit once the actions are done"_s});
    parser.addOption({u"timeout"_s,
                      u"With --screenshot or --quit: give up after this many seconds (exit 3)"_s,
                      u"seconds"_s, u"60"_s});
    {
        // Parsed before the GUI application exists: --help answers without a display.
        QCoreApplication cli(argc, argv);
        cli.setApplicationName(u"library"_s);
        parser.process(cli);
    }
    bool ok = false;
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 86400) {
        std::fprintf(stderr, "--timeout: seconds from 1 to 86400 expected\n");
        return 1;
    }
    int importCount = 0;
    if (parser.isSet(u"import"_s)) {
        importCount = parser.value(u"import"_s).toInt(&ok);
        if (!ok || importCount <= 0 || importCount > 1000000) {
            std::fprintf(stderr, "--import: a number of books from 1 to 1000000 expected\n");
            return 1;
        }
    }
    const QString screenshot = parser.value(u"screenshot"_s);
    const bool exitsWhenDone = !screenshot.isEmpty() || parser.isSet(u"quit"_s);

    QApplication app(argc, argv);
    app.setApplicationName(u"library"_s);

    // The in-memory helper of the examples and benchmarks (tools/surreal-local/localserver.h).
    SurrealLocalProcess server;
    QUrl url(parser.value(u"url"_s));
    if (url.isEmpty()) {
        QString error;
        url = server.start(parser.value(u"user"_s), parser.value(u"pass"_s), &error);
        if (url.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }

    DatabaseManager db(url, parser.value(u"namespace"_s), parser.value(u"database"_s),
                       Credentials::root(parser.value(u"user"_s), parser.value(u"pass"_s)));
    db.setPoolSize(2);
    LibraryWindow window(&db);
    window.show();

    auto finish = [&](int code) {
        if (screenshot.isEmpty()) {
            app.exit(code);
            return;
        }
        // A moment for the views to lay out what arrived last.
        QTimer::singleShot(300, &app, [&, code] {
            const QPixmap pixmap = window.grab();
            app.exit(!pixmap.isNull() && pixmap.save(screenshot) ? code : 2);
        });
    };
    // Prints the selected author's summary (three Query<T> lookups), computed afresh, then
    // finishes a run that exits.
    auto summaryThenFinish = [&] {
        QObject::connect(
            &window, &LibraryWindow::summaryChanged, &app,
            [&](const QString &summary) {
                std::printf("%s\n", qPrintable(summary));
                std::fflush(stdout);
                if (exitsWhenDone)
                    finish(0);
            },
            Qt::SingleShotConnection);
        window.refreshSummary();
    };

    QObject::connect(
        &window, &LibraryWindow::ready, &app,
        [&] {
            std::printf("loaded: %d authors\n", window.authors()->count());
            std::fflush(stdout);
            if (importCount == 0) {
                summaryThenFinish();
                return;
            }
            QObject::connect(
                &window, &LibraryWindow::importFinished, &app,
                [&](qint64 written, qint64 total, const QString &error) {
                    std::printf("imported %lld of %lld books\n", (long long)written, (long long)total);
                    std::fflush(stdout);
                    if (!error.isEmpty())
                        std::fprintf(stderr, "import: %s\n", qPrintable(error));
                    if (written != total) {
                        if (exitsWhenDone)
                            finish(4);
                        return;
                    }
                    summaryThenFinish();
                },
                Qt::SingleShotConnection);
            window.importCatalogue(importCount);
        },
        Qt::SingleShotConnection);

    QObject::connect(&window, &LibraryWindow::startFailed, &app,
                     [&](const SurrealQt::Error &error, const QString &message) {
                         std::fprintf(stderr, "start failed: %s\n", qPrintable(message));
                         if (!exitsWhenDone)
                             return;
                         const bool noServer =
                             error.kind() == Error::Kind::Connection || error.kind() == Error::Kind::Timeout;
                         finish(noServer ? 1 : 5);
                     });

    if (exitsWhenDone) {
        QTimer::singleShot(timeoutSeconds * 1000, &app, [&] {
            std::fprintf(stderr, "timed out after %d s\n", timeoutSeconds);
            app.exit(3);
        });
    }
    return app.exec();
}
