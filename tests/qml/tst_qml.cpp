// Qt Quick Test runner for the SurrealQt QML module: the tst_*.qml files in this folder run
// against the real engine of the surreal_server fixture. They read the server from the
// context property "testServer" ({url, user, password, namespace}).

#include "testserver.h"

#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // The module the qml_installed fixture installed (CTest sets the path; then only that
        // one, so a passing run proves the installed files work), else the build tree's.
        const QString installed = qEnvironmentVariable("SURREALQT_QML_INSTALLED_IMPORT_PATH");
        engine->addImportPath(installed.isEmpty() ? QStringLiteral(SURREALQT_QML_IMPORT_PATH) : installed);
        // One namespace per run keeps runs against a shared server apart.
        static const QString ns = TestServer::uniqueName("qml");
        engine->rootContext()->setContextProperty(
            QStringLiteral("testServer"), QVariantMap{{QStringLiteral("url"), TestServer::url()},
                                                      {QStringLiteral("user"), TestServer::user()},
                                                      {QStringLiteral("password"), TestServer::pass()},
                                                      {QStringLiteral("namespace"), ns}});
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_qml, Setup)

#include "tst_qml.moc"
