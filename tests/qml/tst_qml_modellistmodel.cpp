// Qt Quick Test runner for the QML ModelListModel: the model class is a C++ class of the
// application (here, of this test), registered by SURREALQT_MODEL at start-up and found by
// name from QML. Runs modellistmodel_test.qml (not tst_*.qml: tst_qml, which lacks the model
// class, picks those up) against the real engine of the surreal_server fixture.

#include "testserver.h"

#include <SurrealQt/model.h>

#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class QmlTask : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(QmlTask)
    Q_CLASSINFO("table", "qml_task")
    Q_CLASSINFO("title", "required")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(int, priority, setPriority)
    SURREALQT_FIELD(bool, done, setDone)
};

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // The module the qml_installed fixture installed (CTest sets the path), else the build tree's.
        const QString installed = qEnvironmentVariable("SURREALQT_QML_INSTALLED_IMPORT_PATH");
        engine->addImportPath(installed.isEmpty() ? QStringLiteral(SURREALQT_QML_IMPORT_PATH) : installed);
        static const QString ns = TestServer::uniqueName("qmlmlm");
        engine->rootContext()->setContextProperty(
            QStringLiteral("testServer"), QVariantMap{{QStringLiteral("url"), TestServer::url()},
                                                      {QStringLiteral("user"), TestServer::user()},
                                                      {QStringLiteral("password"), TestServer::pass()},
                                                      {QStringLiteral("namespace"), ns}});
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_qml_modellistmodel, Setup)

#include "tst_qml_modellistmodel.moc"
