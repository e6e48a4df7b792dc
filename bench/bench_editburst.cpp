// Edits of several fields of one record in quick succession through QueryListModel::setField (a
// user tabbing through a row's cells, or a QDataWidgetMapper submitting a form): each is its own
// MERGE request, and on a pool they run side by side. Counts, per burst, the writes refused with
// the engine's retryable "Transaction conflict" (the edit is rolled back) and the rows that end
// up showing another value than the database holds. Found by tst_itemdelegate under load.
//
//   bench_editburst [--bursts 100] [--fields 4]

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QUrl>

#include <cstdio>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int bursts = argValue(args, u"--bursts"_s, 100);
    const int fields = argValue(args, u"--fields"_s, 4);

    SurrealLocalProcess server;
    QUrl url;
    if (const QByteArray env = qgetenv("SURREALQT_BENCH_URL"); !env.isEmpty()) {
        url = QUrl(QString::fromUtf8(env));
    } else {
        const QString address = server.start();
        if (address.isEmpty())
            die(u"could not start surreal-local (node " SURREALQT_SERVER_JS
                "); run npm ci in tools/surreal-local"_s);
        url = QUrl(u"ws://"_s + address);
    }
    const QString db = u"eb"_s + QString::number(QCoreApplication::applicationPid());
    DatabaseManager mgr(url, u"bench"_s, db, Credentials::root(u"root"_s, u"root"_s));
    auto opened = mgr.open();
    if (!spinUntil([&] { return opened.isFinished(); }))
        die(u"open timed out"_s);
    Connection *c = mgr.connection();
    QString set;
    for (int f = 0; f < fields; ++f)
        set += u"%1f%2 = 0"_s.arg(f ? u", "_s : QString()).arg(f);
    run(c, u"DEFINE TABLE eb SCHEMALESS; CREATE eb:1 SET "_s + set);

    QueryListModel m(c);
    m.setTable(u"eb"_s);
    if (!spinUntil([&] { return m.status() == QueryListModel::Ready; }, 30000) || m.rowCount() != 1)
        die(u"the model did not load"_s);
    int conflicts = 0, otherFailures = 0;
    QObject::connect(&m, &QueryListModel::writeFailed, &m, [&](const QVariant &, const Error &e) {
        if (e.message().contains(u"conflict"_s, Qt::CaseInsensitive))
            ++conflicts;
        else
            ++otherFailures;
    });
    int stale = 0, lost = 0;
    for (int b = 1; b <= bursts; ++b) {
        const int failuresBefore = conflicts + otherFailures;
        for (int f = 0; f < fields; ++f)
            m.setField(0, u"f%1"_s.arg(f), qint64(b));
        // Settled: the database holds every field of this burst, or the failures are in.
        QVariantMap stored;
        spinUntil(
            [&] {
                stored = run(c, u"SELECT * FROM eb:1"_s).last().toList().value(0).toMap();
                int done = 0;
                for (int f = 0; f < fields; ++f)
                    done += stored.value(u"f%1"_s.arg(f)).toLongLong() == b ? 1 : 0;
                return done == fields || conflicts + otherFailures > failuresBefore;
            },
            10000);
        spinUntil([] { return false; }, 100);
        stored = run(c, u"SELECT * FROM eb:1"_s).last().toList().value(0).toMap();
        const QVariantMap shown = m.get(0);
        for (int f = 0; f < fields; ++f) {
            const QString name = u"f%1"_s.arg(f);
            lost += stored.value(name).toLongLong() != b ? 1 : 0;
            stale += shown.value(name).toLongLong() != stored.value(name).toLongLong() ? 1 : 0;
        }
    }
    std::printf(
        "%d bursts of %d fields of one record: %d writes refused with a transaction conflict, %d other "
        "failures, %d field values not written, %d fields shown with another value than stored\n",
        bursts, fields, conflicts, otherFailures, lost, stale);
    return 0;
}
