#include <SurrealQt/databasemanager.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const SurrealQt::RecordId id(QStringLiteral("person"), QStringLiteral("tobie"));
    SurrealQt::DatabaseManager db(QUrl(QStringLiteral("ws://127.0.0.1:1")), QStringLiteral("ns"),
                                  QStringLiteral("db"));
    QTextStream(stdout) << id.toString() << ' ' << db.url().toString() << Qt::endl;
    return id.toString() == QStringLiteral("person:tobie") ? 0 : 1;
}
