// SurrealQt widgets example: a contacts table that two instances edit side by side, live.
//
//   contacts [--url ws://127.0.0.1:8000] [--user root] [--pass root]
//            [--namespace examples] [--database contacts]
//            [--import FILE.csv] [--add-contact "NAME[,EMAIL[,PHONE[,COMPANY]]]"] [--wait-for NAME]
//            [--dump-rows] [--screenshot FILE.png] [--quit] [--timeout SECONDS]
//
// Once the table is loaded the command-line actions run in this order: --import (File > Import
// CSV…), --add-contact, --wait-for (until the table shows a contact of that name, e.g. one another
// instance added), then --dump-rows (the table as CSV on stdout, the format --import reads) and
// --screenshot. With --wait-for, --dump-rows, --screenshot or --quit the app exits after the last
// action; without them (only --import / --add-contact, or no action at all) the window stays open.
// When connecting fails, the window shows why in its connection bar (fix the URL or credentials
// there and press Retry); a run that would exit prints "connection failed: …" and exits 1 (no
// server at the URL) or 5 (the server refused: wrong password, no access), after saving the
// window for --screenshot.
//
// Exit codes: 0 done; 1 bad command line or no server; 2 screenshot not saved; 3 timed out;
// 4 import refused or incomplete (a malformed file is named with its line, before anything
// starts); 5 database error (e.g. a wrong password); 6 the contact was not added.
//
// Without --url it uses its own database (SurrealQt::LocalServer), kept across runs in its data
// folder; a second instance started the same way shares it, and shows the first one's edits live.

#include "contactswindow.h"
#include "csvreader.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/error.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/localserver.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>
#include <functional>
#include <memory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// Runs `then` once check() holds: now, or after the change of the table that makes it hold.
void whenTrue(QueryListModel *model, const std::function<bool()> &check, const std::function<void()> &then)
{
    if (check()) {
        then();
        return;
    }
    auto *guard = new QObject(model);
    auto done = std::make_shared<bool>(false);
    auto recheck = [guard, done, check, then] {
        if (*done || !check())
            return;
        *done = true;
        // Later, not now: deleting the guard would destroy this very slot while it runs.
        guard->deleteLater();
        then();
    };
    QObject::connect(model, &QAbstractItemModel::rowsInserted, guard, recheck);
    QObject::connect(model, &QAbstractItemModel::rowsRemoved, guard, recheck);
    QObject::connect(model, &QAbstractItemModel::rowsMoved, guard, recheck);
    QObject::connect(model, &QAbstractItemModel::dataChanged, guard, recheck);
    QObject::connect(model, &QAbstractItemModel::modelReset, guard, recheck);
    QObject::connect(model, &QueryListModel::statusChanged, guard, recheck);
    QObject::connect(model, &QueryListModel::fullyLoaded, guard, recheck);
    QObject::connect(model, &QueryListModel::liveChangesApplied, guard, recheck);
}

// The first row whose name column (the table's first) reads `name`, or -1.
int rowNamed(const QueryListModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->data(model->index(row, 0)).toString() == name)
            return row;
    return -1;
}

bool fullyLoaded(const QueryListModel *model)
{
    return model->status() == QueryListModel::Ready && !model->canFetchMore();
}

} // namespace

int main(int argc, char *argv[])
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Contacts on SurrealDB through SurrealQt::QueryListModel.\n"
        u"Once the table is loaded, the actions run in this order: --import, --add-contact, "
        u"--wait-for, --dump-rows, --screenshot. With --wait-for, --dump-rows, --screenshot or --quit the "
        u"app exits after the last one. Exit codes: 0 done, 1 bad command line or no server, 2 screenshot "
        u"not saved, 3 timed out, 4 import refused or incomplete, 5 database error (e.g. a wrong "
        u"password), 6 contact not added."_s);
    parser.addHelpOption();
    parser.addOption({u"url"_s,
                      u"SurrealDB WebSocket URL (default: the app's own database, kept across runs)"_s,
                      u"url"_s});
    parser.addOption({u"user"_s, u"Root user (default: root)"_s, u"user"_s, u"root"_s});
    parser.addOption({u"pass"_s, u"Root password (default: root)"_s, u"password"_s, u"root"_s});
    parser.addOption(
        {u"namespace"_s, u"Namespace of the contacts (default: examples)"_s, u"name"_s, u"examples"_s});
    parser.addOption(
        {u"database"_s, u"Database of the contacts (default: contacts)"_s, u"name"_s, u"contacts"_s});
    parser.addOption({u"import"_s,
                      u"Import a CSV file (header row = field names) as File > Import CSV… does; a "
                      u"malformed file is refused before anything starts, naming its line (exit 4)"_s,
                      u"file"_s});
    parser.addOption({u"add-contact"_s,
                      u"Add a contact, given as one CSV record: NAME[,EMAIL[,PHONE[,COMPANY]]] "
                      u"(quote a field that holds a comma)"_s,
                      u"record"_s});
    parser.addOption({u"wait-for"_s,
                      u"Wait until the table shows a contact named NAME (added here, by another "
                      u"instance or anyone else), print its row, then go on and exit"_s,
                      u"name"_s});
    parser.addOption({u"dump-rows"_s,
                      u"Print the table's rows as CSV (every page, the format --import reads) on "
                      u"stdout, then exit"_s});
    parser.addOption({u"screenshot"_s,
                      u"Save a PNG of the window once the table is loaded (or once connecting failed, "
                      u"showing why), then exit"_s,
                      u"file"_s});
    parser.addOption({u"quit"_s, u"Exit once the actions above are done (e.g. after --import)"_s});
    parser.addOption(
        {u"timeout"_s,
         u"With --wait-for, --dump-rows, --screenshot or --quit: give up after this many seconds "
         u"(exit 3; default: 60)"_s,
         u"seconds"_s, u"60"_s});
    {
        // Parsed before the GUI application exists: --help and a mistyped option answer without
        // a display (QApplication aborts without one).
        QCoreApplication cli(argc, argv);
        cli.setApplicationName(u"contacts"_s);
        parser.process(cli);
    }

    QApplication app(argc, argv);
    app.setApplicationName(u"contacts"_s);

    // Command-line input is checked before a server or a window starts.
    const QString importFile = parser.value(u"import"_s);
    if (!importFile.isEmpty()) {
        const CsvReader::Result csv = CsvReader::readFile(importFile);
        if (!csv.isOk()) {
            qCritical("import refused: %s", qPrintable(csv.error));
            return 4;
        }
    }
    QVariantMap newContact;
    if (parser.isSet(u"add-contact"_s)) {
        const QStringList columns = {u"name"_s, u"email"_s, u"phone"_s, u"company"_s};
        QString error;
        const QStringList fields = CsvReader::splitRecord(parser.value(u"add-contact"_s), &error);
        if (error.isEmpty() && fields.size() > columns.size())
            error = u"%1 fields, at most %2 (name, email, phone, company)"_s.arg(fields.size())
                        .arg(columns.size());
        if (error.isEmpty() && fields.value(0).trimmed().isEmpty())
            error = u"the name (the first field) is empty"_s;
        if (!error.isEmpty()) {
            qCritical("--add-contact: %s", qPrintable(error));
            return 1;
        }
        for (int i = 0; i < columns.size(); ++i)
            newContact.insert(columns.at(i), fields.value(i));
    }
    bool timeoutOk = false;
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt(&timeoutOk);
    // A day at most keeps the milliseconds in an int.
    if (!timeoutOk || timeoutSeconds <= 0 || timeoutSeconds > 86400) {
        qCritical("--timeout: seconds from 1 to 86400 expected, not \"%s\"",
                  qPrintable(parser.value(u"timeout"_s)));
        return 1;
    }
    const QString waitFor = parser.value(u"wait-for"_s);
    const bool dumpRows = parser.isSet(u"dump-rows"_s);
    const QString screenshot = parser.value(u"screenshot"_s);
    const bool exitsWhenDone =
        !waitFor.isEmpty() || dumpRows || !screenshot.isEmpty() || parser.isSet(u"quit"_s);

    ConnectionSettings settings{QUrl(parser.value(u"url"_s)), parser.value(u"namespace"_s),
                                parser.value(u"database"_s), parser.value(u"user"_s),
                                parser.value(u"pass"_s)};
    // No --url: the app's own database, kept across runs in its data folder
    // (<AppDataLocation>/surrealdb) and shared by every contacts process on this account.
    if (settings.url.isEmpty()) {
        auto *local = new SurrealQt::LocalServer(&app);
        local->start();
        if (!local->waitForReady(-1)) { // the server's own start timeout applies
            qCritical("%s", qPrintable(local->lastError().message()));
            return 1;
        }
        settings.url = local->url();
        settings.user = local->credentials().username();
        settings.password = local->credentials().password();
    }

    ContactsWindow window(settings);
    window.show();
    QueryListModel *model = window.model();

    // The actions, each calling the next one when it is done.
    std::function<void()> runImport, runAdd, runWaitFor, runDump, runScreenshot;

    // Saves the window (after a moment for the layout to settle), then exits with `code`, or 2
    // when the PNG could not be written.
    auto screenshotAndExit = [&](int code) {
        QTimer::singleShot(300, &app, [&, code] {
            const QPixmap pixmap = window.grab();
            app.exit(!pixmap.isNull() && pixmap.save(screenshot) ? code : 2);
        });
    };

    runScreenshot = [&] {
        if (!screenshot.isEmpty()) {
            screenshotAndExit(0);
            return;
        }
        // The actions are done: a scripted run ends here; an interactive one keeps its window.
        if (exitsWhenDone)
            app.exit(0);
    };

    runDump = [&] {
        if (!dumpRows) {
            runScreenshot();
            return;
        }
        model->fetchAll();
        whenTrue(
            model, [model] { return fullyLoaded(model); },
            [&, model] {
                say(CsvReader::joinRecord(model->columns()));
                for (int row = 0; row < model->rowCount(); ++row) {
                    QStringList fields;
                    for (int column = 0; column < model->columnCount(); ++column)
                        fields.append(model->data(model->index(row, column)).toString());
                    say(CsvReader::joinRecord(fields));
                }
                runScreenshot();
            });
    };

    runWaitFor = [&] {
        if (waitFor.isEmpty()) {
            runDump();
            return;
        }
        // A line a script (or a second instance's test) can wait for before it makes the change.
        const qint64 shown = model->totalCount() >= 0 ? model->totalCount() : model->rowCount();
        say(u"the table shows %1 contacts; waiting for \"%2\""_s.arg(shown).arg(waitFor));
        auto waited = std::make_shared<QElapsedTimer>();
        waited->start();
        // Every page, so a name that sorts after the first page counts too.
        model->fetchAll();
        whenTrue(
            model, [model, &waitFor] { return rowNamed(model, waitFor) >= 0; },
            [&, model, waited] {
                say(u"\"%1\" shown at row %2 after %3 ms"_s.arg(waitFor)
                        .arg(rowNamed(model, waitFor) + 1)
                        .arg(waited->elapsed()));
                runDump();
            });
    };

    runAdd = [&] {
        if (newContact.isEmpty()) {
            runWaitFor();
            return;
        }
        window.database()
            ->connection()
            ->create(Table(u"contact"_s), newContact)
            .then(&window,
                  [&, model](const QVariantMap &record) {
                      const QVariant id = record.value(u"id"_s);
                      say(u"added %1 \"%2\""_s.arg(id.value<RecordId>().toString(),
                                                   newContact.value(u"name"_s).toString()));
                      if (!exitsWhenDone)
                          return;
                      // What comes next reads this table: it shows the contact first.
                      model->fetchAll();
                      whenTrue(
                          model, [model, id] { return model->rowOf(id) >= 0; }, runWaitFor);
                  })
            .onFailed(&window, [&](const Exception &e) {
                qCritical("contact not added: %s", qPrintable(e.error().message()));
                app.exit(6);
            });
    };

    runImport = [&] {
        if (importFile.isEmpty()) {
            runAdd();
            return;
        }
        QObject::connect(
            &window, &ContactsWindow::importFinished, &app,
            [&, model](qint64 written, qint64 total, bool cancelled, const QString &error) {
                say(u"imported %1 of %2 contacts%3"_s.arg(written).arg(total).arg(
                    cancelled ? u" (cancelled)"_s : QString()));
                if (!error.isEmpty())
                    qCritical("import failed: %s", qPrintable(error));
                if (!error.isEmpty() || cancelled || written != total) {
                    // An open window shows what happened and stays.
                    if (exitsWhenDone)
                        app.exit(4);
                    return;
                }
                if (!exitsWhenDone) {
                    runAdd();
                    return;
                }
                // Done when the table shows what the database holds (the model follows the
                // import live; its total is recounted after bursts).
                window.database()
                    ->connection()
                    ->query(u"SELECT count() FROM contact GROUP ALL"_s)
                    .then(&window,
                          [&, model](const QueryResult &r) {
                              const qint64 inDb =
                                  r.last().toList().value(0).toMap().value(u"count"_s).toLongLong();
                              whenTrue(
                                  model,
                                  [model, inDb] {
                                      return model->status() == QueryListModel::Ready &&
                                             model->totalCount() == inDb;
                                  },
                                  [&, model] {
                                      say(u"the table shows %1 contacts, as the database"_s.arg(
                                          model->totalCount()));
                                      runAdd();
                                  });
                          })
                    .onFailed(&window, [&](const Exception &e) {
                        qCritical("count failed: %s", qPrintable(e.error().message()));
                        app.exit(5);
                    });
            },
            Qt::SingleShotConnection);
        // The same path as File > Import CSV…: the progress dialog, the bulk insert, Cancel.
        window.importCsv(importFile);
    };

    QObject::connect(
        &window, &ContactsWindow::ready, &app, [&] { runImport(); }, Qt::SingleShotConnection);

    // A scripted run cannot press Retry: it says why and exits (a screenshot shows the window
    // with the connection bar). An interactive one stays open on the bar.
    QObject::connect(&window, &ContactsWindow::connectionFailed, &app,
                     [&](const SurrealQt::Error &error, const QString &message) {
                         if (!exitsWhenDone)
                             return;
                         std::fprintf(stderr, "connection failed: %s\n", qPrintable(message));
                         const bool noServer = error.kind() == Error::Kind::Connection ||
                                               error.kind() == Error::Kind::Timeout ||
                                               error.kind() == Error::Kind::Protocol;
                         const int code = noServer ? 1 : 5;
                         if (screenshot.isEmpty())
                             app.exit(code);
                         else
                             screenshotAndExit(code);
                     });

    if (exitsWhenDone) {
        QTimer::singleShot(timeoutSeconds * 1000, &app, [&, model] {
            qCritical("timed out after %d s (table status %d, %d of %lld rows)", timeoutSeconds,
                      int(model->status()), model->count(), (long long)model->totalCount());
            app.exit(3);
        });
    }
    return app.exec();
}
