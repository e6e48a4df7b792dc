// The examples of docs/localserver.md and include/SurrealQt/localserver.h, compiled (not run)
// with tst_localserver so that they stay correct.
#include <SurrealQt/SurrealQt>

using namespace Qt::StringLiterals;

namespace {

class App : public QObject
{
public:
    // docs/localserver.md: the local default or a remote server, the same code afterwards.
    SurrealQt::DatabaseManager *connect(const QUrl &remoteUrl, const SurrealQt::Credentials &credentials)
    {
        SurrealQt::DatabaseManager *db =
            remoteUrl.isEmpty()
                ? SurrealQt::DatabaseManager::local(u"myapp"_s, u"main"_s,
                                                    this) // <AppDataLocation>/surrealdb
                : new SurrealQt::DatabaseManager(remoteUrl, u"myapp"_s, u"main"_s, credentials, this);
        db->open(); // requests made before the server answers simply wait
        return db;
    }

    // docs/localserver.md: choosing the folder and watching the server.
    SurrealQt::DatabaseManager *connectIn(const QString &dataFolder)
    {
        auto *server = new SurrealQt::LocalServer(dataFolder, this);
        QObject::connect(server, &SurrealQt::LocalServer::errorOccurred, this,
                         [](const SurrealQt::Error &e) { qWarning() << e.message(); });
        auto *db = new SurrealQt::DatabaseManager(server, u"myapp"_s, u"main"_s, this);
        return db;
    }

    // include/SurrealQt/localserver.h
    void header()
    {
        auto *server = new SurrealQt::LocalServer(this); // <AppDataLocation>/surrealdb
        auto *db = new SurrealQt::DatabaseManager(server, u"myapp"_s, u"main"_s, this);
        db->open(); // requests made before the server is up simply wait
    }
};

} // namespace

// Referenced so that the compiler checks the class in full.
void localServerDocSnippets()
{
    App app;
    Q_UNUSED(&App::connect);
    Q_UNUSED(&App::connectIn);
    Q_UNUSED(&App::header);
}
