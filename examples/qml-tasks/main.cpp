// SurrealQt QML example: a task list that stays live across instances.
//
//   qml-tasks [--url ws://127.0.0.1:8000] [--user root] [--pass root] [--namespace examples]
//             [--database tasks] [--screenshot FILE.png] [--add-task TITLE] [--list-tasks]
//             [--timeout 60]
//
// Without --url it uses its own database (SurrealQt::LocalServer), kept across runs in its data
// folder (needs a `surreal` binary or Node.js for surreal-local, like tools/demo.sh).
// When connecting fails, the window says why in its connection bar (fix the settings there and
// press Retry). With --screenshot the app saves the window once the tasks are shown, or once
// connecting failed (showing why), then exits. --add-task stores one task and exits once the
// server has it; --list-tasks prints the titles, one a line, and exits.
//
// Exit codes: 0 done; 1 bad command line or no server; 2 screenshot not saved; 3 timed out;
// 5 database error (e.g. a wrong password).

#include <SurrealQt/localserver.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Task list on SurrealDB through the SurrealQt QML module.\n"
        u"Exit codes: 0 done, 1 bad command line or no server, 2 screenshot not saved, 3 timed out, "
        u"5 database error (e.g. a wrong password)."_s);
    parser.addHelpOption();
    parser.addOption({u"url"_s, u"SurrealDB WebSocket URL (default: start a local server)"_s, u"url"_s});
    parser.addOption({u"user"_s, u"Root user (default: root)"_s, u"user"_s, u"root"_s});
    parser.addOption({u"pass"_s, u"Root password (default: root)"_s, u"password"_s, u"root"_s});
    parser.addOption(
        {u"namespace"_s, u"Namespace of the tasks (default: examples)"_s, u"name"_s, u"examples"_s});
    parser.addOption({u"database"_s, u"Database of the tasks (default: tasks)"_s, u"name"_s, u"tasks"_s});
    parser.addOption({u"screenshot"_s,
                      u"Save a PNG of the window once the tasks are shown (or once connecting failed, "
                      u"showing why), then exit"_s,
                      u"file"_s});
    parser.addOption({u"add-task"_s, u"Add a task with this title, exit once it is stored"_s, u"title"_s});
    parser.addOption({u"list-tasks"_s, u"Print the tasks' titles, one a line, then exit"_s});
    parser.addOption({u"timeout"_s,
                      u"With --screenshot, --add-task or --list-tasks: give up after this many seconds "
                      u"(exit 3; default: 60)"_s,
                      u"seconds"_s, u"60"_s});
    {
        // Parsed before the GUI application exists: --help and a mistyped option answer without
        // a display (QGuiApplication aborts without one).
        QCoreApplication cli(argc, argv);
        cli.setApplicationName(u"qml-tasks"_s);
        parser.process(cli);
    }
    bool timeoutOk = false;
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt(&timeoutOk);
    if (!timeoutOk || timeoutSeconds <= 0 || timeoutSeconds > 86400) {
        std::fprintf(stderr, "--timeout: seconds from 1 to 86400 expected, not \"%s\"\n",
                     qPrintable(parser.value(u"timeout"_s)));
        return 1;
    }

    QGuiApplication app(argc, argv);
    app.setApplicationName(u"qml-tasks"_s);

    QUrl url(parser.value(u"url"_s));
    QString user = parser.value(u"user"_s);
    QString password = parser.value(u"pass"_s);
    // No --url: the app's own database, kept across runs in its data folder
    // (<AppDataLocation>/surrealdb) and shared by every qml-tasks process on this account.
    if (url.isEmpty()) {
        auto *local = new SurrealQt::LocalServer(&app);
        local->start();
        if (!local->waitForReady(-1)) { // the server's own start timeout applies
            qCritical("%s", qPrintable(local->lastError().message()));
            return 1;
        }
        url = local->url();
        user = local->credentials().username();
        password = local->credentials().password();
    }
    const QString screenshot = parser.value(u"screenshot"_s);

    QQmlApplicationEngine engine;
    // The build tree's copy of the SurrealQt module; an installed one is found on the default path.
    // [import-path]
    engine.addImportPath(QStringLiteral(SURREALQT_QML_IMPORT_PATH));
    // [import-path]
    engine.setInitialProperties({{u"url"_s, url},
                                 {u"user"_s, user},
                                 {u"password"_s, password},
                                 {u"databaseNamespace"_s, parser.value(u"namespace"_s)},
                                 {u"databaseName"_s, parser.value(u"database"_s)},
                                 {u"seedDemoData"_s, !screenshot.isEmpty()},
                                 {u"addOnStart"_s, parser.value(u"add-task"_s)}});
    engine.load(QUrl(u"qrc:/qt/qml/Tasks/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    const QString addTitle = parser.value(u"add-task"_s).trimmed();
    const bool listTasks = parser.isSet(u"list-tasks"_s);
    if (!screenshot.isEmpty() || !addTitle.isEmpty() || listTasks) {
        // Main.qml's "loaded" turns true once the model is Ready with rows, "listed" once it is
        // Ready (rows or not), "lastAdded" names the task the server stored last, "failed" once
        // connecting or the setup failed for good; a screenshot waits one more frame.
        auto saveAndExit = [&](int code) {
            if (screenshot.isEmpty()) {
                app.exit(code);
                return;
            }
            QTimer::singleShot(300, &app, [&, code] {
                const QImage image = window->grabWindow();
                app.exit(!image.isNull() && image.save(screenshot) ? code : 2);
            });
        };
        auto done = [&] {
            if (!addTitle.isEmpty() && window->property("lastAdded").toString() != addTitle)
                return false;
            if (listTasks && !window->property("listed").toBool())
                return false;
            return !screenshot.isEmpty() ? window->property("loaded").toBool() : true;
        };
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, poll, saveAndExit, done] {
            if (done()) {
                poll->stop();
                if (listTasks) {
                    QVariant titles;
                    QMetaObject::invokeMethod(window, "taskTitles", Q_RETURN_ARG(QVariant, titles));
                    const QStringList lines = titles.toStringList();
                    for (const QString &title : lines)
                        std::printf("%s\n", qPrintable(title));
                    std::fflush(stdout);
                }
                saveAndExit(0);
            } else if (window->property("failed").toBool()) {
                poll->stop();
                std::fprintf(stderr, "connection failed: %s\n",
                             qPrintable(window->property("failureText").toString()));
                const QString kind = window->property("failureKind").toString();
                const bool noServer =
                    kind == u"Connection"_s || kind == u"Timeout"_s || kind == u"Protocol"_s;
                saveAndExit(noServer ? 1 : 5);
            }
        });
        poll->start(100);
        QTimer::singleShot(timeoutSeconds * 1000, &app, [&] {
            std::fprintf(stderr, "timed out after %d s waiting for the task list (%s)\n", timeoutSeconds,
                         qPrintable(window->property("statusText").toString()));
            app.exit(3);
        });
    }
    return app.exec();
}
