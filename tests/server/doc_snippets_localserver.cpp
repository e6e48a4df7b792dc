// The examples of docs/localserver.md and include/SurrealQt/localserver.h, compiled (not run)
// with tst_localserver so that they stay correct.
#include <SurrealQt/SurrealQt>

using namespace Qt::StringLiterals;

namespace {

class App : public QObject
{
public:
    // docs/localserver.md: the local default or a remote server, the same code afterwards.
    SurrealQt::DatabaseManager *openDatabase(const QUrl &remoteUrl, const SurrealQt::Credentials &credentials)
    {
        // [local-or-remote]
        // The local default keeps its data in <AppDataLocation>/surrealdb.
        SurrealQt::DatabaseManager *db =
            remoteUrl.isEmpty()
                ? SurrealQt::DatabaseManager::local(u"myapp"_s, u"main"_s, this)
                : new SurrealQt::DatabaseManager(remoteUrl, u"myapp"_s, u"main"_s, credentials, this);
        db->open(); // requests made before the server answers simply wait
        // [local-or-remote]
        return db;
    }

    // docs/localserver.md: choosing the folder and watching the server.
    SurrealQt::DatabaseManager *openIn(const QString &dataFolder)
    {
        // [local-folder]
        auto *server = new SurrealQt::LocalServer(dataFolder, this);
        connect(server, &SurrealQt::LocalServer::errorOccurred, this,
                [](const SurrealQt::Error &e) { qWarning() << e.message(); });
        auto *db = new SurrealQt::DatabaseManager(server, u"myapp"_s, u"main"_s, this);
        // [local-folder]
        return db;
    }

    // include/SurrealQt/localserver.h
    void header()
    {
        // [localserver-header]
        auto *server = new SurrealQt::LocalServer(this); // data in the app data folder
        auto *db = new SurrealQt::DatabaseManager(server, u"myapp"_s, u"main"_s, this);
        db->open(); // requests made before the server is up simply wait
        // [localserver-header]
    }
};

} // namespace

// Referenced so that the compiler checks the class in full.
void localServerDocSnippets()
{
    App app;
    Q_UNUSED(&App::openDatabase);
    Q_UNUSED(&App::openIn);
    Q_UNUSED(&App::header);
}
