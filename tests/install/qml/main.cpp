// A C++ app that links SurrealQt::Qml and loads a QML file importing SurrealQt from the
// installed import path that find_package(SurrealQt COMPONENTS Qml) reports.
#include <qmldatabase.h>

#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(SURREALQT_QML_IMPORT_PATH));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(4); },
        Qt::QueuedConnection);
    engine.load(QStringLiteral(CHECK_QML));
    // The linked library's types are usable from C++ too.
    return engine.rootObjects().isEmpty() || !qMetaTypeId<SurrealQt::QmlDatabase *>() ? 4 : app.exec();
}
