// surrealqt-inspect: SurrealQt::Model headers from an existing database (Django's inspectdb).
// See docs/models/inspect.md.
#include "modelgenerator.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;
using namespace SurrealQt::Inspect;

namespace {

// Exit codes, as docs/models/inspect.md lists them.
enum ExitCode { Ok = 0, ServerError = 1, UsageError = 2, WriteError = 3 };

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"surrealqt-inspect"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Writes one SurrealQt::Model header per table of an existing SurrealDB database.\n"
        u"The password is read from SURREALQT_PASS when --pass is not given."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"Server URL (ws://, wss://, http://, https://)."_s,
                                       u"url"_s);
    const QCommandLineOption localOption(
        u"local"_s, u"Use the LocalServer of this data folder instead of --url."_s, u"folder"_s);
    const QCommandLineOption nsOption(u"namespace"_s, u"Namespace."_s, u"ns"_s);
    const QCommandLineOption dbOption(u"database"_s, u"Database."_s, u"db"_s);
    const QCommandLineOption userOption(u"user"_s, u"Root user name (default root)."_s, u"user"_s, u"root"_s);
    const QCommandLineOption passOption(u"pass"_s, u"Root password (prefer SURREALQT_PASS)."_s,
                                        u"password"_s);
    const QCommandLineOption outOption(u"out"_s, u"Folder for the headers (default: the current folder)."_s,
                                       u"folder"_s, u"."_s);
    const QCommandLineOption sampleOption(
        u"sample"_s, u"Records read to infer the fields of a table that defines none (default 100)."_s,
        u"n"_s, u"100"_s);
    const QCommandLineOption tableOption(u"table"_s, u"Only this table (repeatable)."_s, u"table"_s);
    parser.addOptions({urlOption, localOption, nsOption, dbOption, userOption, passOption, outOption,
                       sampleOption, tableOption});
    parser.process(app);

    if (parser.isSet(urlOption) == parser.isSet(localOption) || !parser.isSet(nsOption) ||
        !parser.isSet(dbOption)) {
        err() << "surrealqt-inspect: give --url or --local, and --namespace and --database (see --help)"
              << Qt::endl;
        return UsageError;
    }
    bool sampleOk = false;
    const int sample = parser.value(sampleOption).toInt(&sampleOk);
    if (!sampleOk || sample < 0) {
        err() << "surrealqt-inspect: --sample needs a number >= 0" << Qt::endl;
        return UsageError;
    }
    const QString ns = parser.value(nsOption);
    const QString dbName = parser.value(dbOption);
    QDir outDir(parser.value(outOption));
    if (!outDir.mkpath(u"."_s)) {
        err() << "surrealqt-inspect: cannot create " << outDir.path() << Qt::endl;
        return WriteError;
    }

    SurrealQt::DatabaseManager *db = nullptr;
    QString source;
    if (parser.isSet(localOption)) {
        auto *server = new SurrealQt::LocalServer(parser.value(localOption), &app);
        db = new SurrealQt::DatabaseManager(server, ns, dbName, &app);
        source = u"the LocalServer in %1, %2/%3"_s.arg(parser.value(localOption), ns, dbName);
    } else {
        const QString password =
            parser.isSet(passOption) ? parser.value(passOption) : qEnvironmentVariable("SURREALQT_PASS");
        const QUrl url(parser.value(urlOption));
        db = new SurrealQt::DatabaseManager(
            url, ns, dbName, SurrealQt::Credentials::root(parser.value(userOption), password), &app);
        source = u"%1, %2/%3"_s.arg(url.toString(QUrl::RemoveUserInfo), ns, dbName);
    }
    db->setRequestTimeout(std::chrono::seconds(30));

    const QStringList only = parser.values(tableOption);
    auto fail = [](const SurrealQt::Exception &e) {
        err() << "surrealqt-inspect: " << e.error().message() << Qt::endl;
        QCoreApplication::exit(ServerError);
    };

    db->open()
        .then(&app, [db] { return db->connection()->query(u"INFO FOR DB STRUCTURE"_s); })
        .unwrap()
        .then(&app,
              [db, only, sample, outDir, source, fail](const SurrealQt::QueryResult &info) {
                  // Each table's structure (and a sample where it defines no fields), in one request.
                  QList<QVariantMap> tables;
                  for (const QVariant &t : info.value(0).toMap().value(u"tables"_s).toList()) {
                      const QVariantMap table = t.toMap();
                      if (only.isEmpty() || only.contains(table.value(u"name"_s).toString()))
                          tables << table;
                  }
                  QStringList statements;
                  QVariantMap vars{{u"n"_s, sample}};
                  for (int i = 0; i < tables.size(); ++i) {
                      vars.insert(u"t%1"_s.arg(i), tables.at(i).value(u"name"_s));
                      statements << u"INFO FOR TABLE $t%1 STRUCTURE"_s.arg(i)
                                 << u"SELECT * FROM type::table($t%1) LIMIT $n"_s.arg(i);
                  }
                  if (tables.isEmpty()) {
                      out() << "no tables in " << source << Qt::endl;
                      QCoreApplication::exit(Ok);
                      return;
                  }
                  db->connection()
                      ->query(statements.join(u";\n"_s), vars)
                      .then(qApp,
                            [tables, outDir, source](const SurrealQt::QueryResult &r) {
                                int code = Ok;
                                for (int i = 0; i < tables.size(); ++i) {
                                    TableDescription d;
                                    d.definition = tables.at(i);
                                    d.name = d.definition.value(u"name"_s).toString();
                                    d.structure = r.value(2 * i).toMap();
                                    d.sample = r.value(2 * i + 1).toList();
                                    const GeneratedModel model = ModelGenerator::generate(d, source);
                                    QFile file(outDir.filePath(model.fileName));
                                    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
                                        file.write(model.text.toUtf8()) < 0) {
                                        err() << "surrealqt-inspect: cannot write " << file.fileName() << ": "
                                              << file.errorString() << Qt::endl;
                                        code = WriteError;
                                        continue;
                                    }
                                    out() << file.fileName() << ": " << model.className;
                                    if (!model.inferred.isEmpty())
                                        out() << ", " << model.inferred.size() << " fields inferred";
                                    if (!model.unmapped.isEmpty())
                                        out() << ", " << model.unmapped.size() << " constructs not mapped";
                                    out() << Qt::endl;
                                    for (const QString &note : model.unmapped)
                                        out() << "  not mapped: " << note << Qt::endl;
                                }
                                QCoreApplication::exit(code);
                            })
                      .onFailed(qApp, fail);
              })
        .onFailed(&app, fail);
    return app.exec();
}
