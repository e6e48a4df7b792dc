// SurrealQt QML example: a task list that stays live across instances.
//
//   qml-tasks [--url ws://127.0.0.1:8000] [--user root] [--pass root] [--screenshot FILE.png]
//
// Without --url it starts a surreal-local of its own (needs Node.js, like tools/demo.sh).

#include "localserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    app.setApplicationName(u"qml-tasks"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Task list on SurrealDB through the SurrealQt QML module"_s);
    parser.addHelpOption();
    parser.addOption({u"url"_s, u"SurrealDB WebSocket URL (default: start a local server)"_s, u"url"_s});
    parser.addOption({u"user"_s, u"Root user"_s, u"user"_s, u"root"_s});
    parser.addOption({u"pass"_s, u"Root password"_s, u"password"_s, u"root"_s});
    parser.addOption(
        {u"screenshot"_s, u"Save a PNG of the window once the tasks are shown, then exit"_s, u"file"_s});
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
    const QString screenshot = parser.value(u"screenshot"_s);

    QQmlApplicationEngine engine;
    // The build tree's copy of the SurrealQt module; an installed one is found on the default path.
    engine.addImportPath(QStringLiteral(SURREALQT_QML_IMPORT_PATH));
    engine.setInitialProperties({{u"url"_s, url},
                                 {u"user"_s, parser.value(u"user"_s)},
                                 {u"password"_s, parser.value(u"pass"_s)},
                                 {u"seedDemoData"_s, !screenshot.isEmpty()}});
    engine.load(QUrl(u"qrc:/qt/qml/Tasks/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    if (!screenshot.isEmpty()) {
        // Main.qml's "loaded" turns true once the model is Ready with rows; then one more
        // frame so the list has laid them out.
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, poll] {
            if (!window->property("loaded").toBool())
                return;
            poll->stop();
            QTimer::singleShot(300, &app, [&] {
                const QImage image = window->grabWindow();
                app.exit(!image.isNull() && image.save(screenshot) ? 0 : 2);
            });
        });
        poll->start(100);
        QTimer::singleShot(60000, &app, [&] {
            qCritical("timed out waiting for the task list (%s)",
                      qPrintable(window->property("statusText").toString()));
            app.exit(3);
        });
    }
    return app.exec();
}
