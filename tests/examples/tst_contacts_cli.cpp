// The contacts example (examples/contacts) as a user runs it from a shell: the real binary, as
// separate processes, against the fixture's server.
// - Two processes on one database: a contact added by one (--add-contact) shows in the other's
//   table, which waits for it (--wait-for) and prints its rows (--dump-rows); both tables then
//   read the same, and what --dump-rows printed imports back (--import) into an empty database.
// - A malformed CSV given to --import exits with code 4 and names the bad line on stderr, before
//   anything is written; a bad --add-contact value exits with 1 and says what is wrong.

#include "futurewait.h"
#include "livewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/syncconnection.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

// A run of the app should take a few seconds; the bound is for a loaded CI box.
constexpr int RunBoundMs = 25000;

struct Run
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QByteArray out;
    QByteArray err;

    QString outText() const { return QString::fromUtf8(out); }
    QString errText() const { return QString::fromUtf8(err); }
    // stdout's lines so far (reading what arrived).
    QStringList lines()
    {
        out += process->readAllStandardOutput();
        return outText().split(u'\n', Qt::SkipEmptyParts);
    }
    bool finish()
    {
        const bool done = process->state() == QProcess::NotRunning || process->waitForFinished(RunBoundMs);
        out += process->readAllStandardOutput();
        err += process->readAllStandardError();
        if (!done)
            qWarning("contacts did not finish within %d ms; stdout:\n%s\nstderr:\n%s", RunBoundMs,
                     out.constData(), err.constData());
        return done && process->exitStatus() == QProcess::NormalExit;
    }
    int exitCode() const { return process->exitCode(); }
};

QStringList csvRows(const QStringList &lines)
{
    // --dump-rows prints the header line first; what comes before it is progress.
    const qsizetype header = lines.indexOf(u"name,email,phone,company"_s);
    return header < 0 ? QStringList() : lines.mid(header);
}

} // namespace

class TestContactsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<Run> start(const QString &ns, const QStringList &args)
    {
        auto run = std::make_unique<Run>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        run->process->setProcessEnvironment(env);
        run->process->start(QStringLiteral(CONTACTS_APP),
                            QStringList{u"--url"_s, TestServer::url().toString(), u"--user"_s,
                                        TestServer::user(), u"--pass"_s, TestServer::pass(), u"--namespace"_s,
                                        ns, u"--timeout"_s, u"20"_s} +
                                args);
        return run;
    }

    // What the database holds in the namespace's contacts, straight from the server; -1 when
    // there is no contact table at all, -2 on any other failure.
    qint64 countInDb(const QString &ns)
    {
        DatabaseManager db(TestServer::url(), ns, u"contacts"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()));
        if (!settle(db.open()))
            return -2;
        const QueryResult r =
            SyncConnection(db.connection()).query(u"SELECT count() FROM contact GROUP ALL"_s);
        if (!r.isOk()) {
            const QString error = r.firstError().message();
            if (error == u"The table 'contact' does not exist"_s)
                return -1;
            qWarning("%s", qPrintable(error));
            return -2;
        }
        return r.last().toList().value(0).toMap().value(u"count"_s).toLongLong();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void addInOneProcessShowsInTheOther()
    {
        const QString ns = TestServer::uniqueName("contacts_cli_");
        QElapsedTimer total;
        total.start();

        // B starts first (seeding the empty database) and waits for a contact nobody has added yet.
        auto b = start(ns, {u"--wait-for"_s, u"Zoe Example"_s, u"--dump-rows"_s});
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !b->lines().filter(u"waiting for \"Zoe Example\""_s).isEmpty() ||
                       b->process->state() == QProcess::NotRunning;
            },
            RunBoundMs));
        QCOMPARE(b->lines(), QStringList{u"the table shows 10 contacts; waiting for \"Zoe Example\""_s});
        QCOMPARE(b->process->state(), QProcess::Running);

        // A, a second process on the same database, adds her (a comma inside the quoted company).
        auto a = start(ns, {u"--add-contact"_s,
                            u"Zoe Example,zoe@example.com,+33 1 23 45 67 89,\"Example, Inc\""_s,
                            u"--dump-rows"_s});
        // From A saying "added" to B saying "shown", both read as they print.
        QElapsedTimer t;
        t.start();
        qint64 addedAt = -1, shownAt = -1;
        const bool bothSaid = QTest::qWaitFor(
            [&] {
                // What a finished process printed can still be read.
                const bool running = a->process->state() != QProcess::NotRunning ||
                                     b->process->state() != QProcess::NotRunning;
                if (addedAt < 0 && !a->lines().filter(u"added contact:"_s).isEmpty())
                    addedAt = t.elapsed();
                if (shownAt < 0 && !b->lines().filter(u"shown at row"_s).isEmpty())
                    shownAt = t.elapsed();
                return (addedAt >= 0 && shownAt >= 0) || !running;
            },
            RunBoundMs);
        QVERIFY(a->finish());
        QVERIFY2(a->exitCode() == 0, qPrintable(a->errText()));
        const QStringList aLines = a->lines();
        QVERIFY2(
            QRegularExpression(u"^added contact:\\S+ \"Zoe Example\"$"_s).match(aLines.value(0)).hasMatch(),
            qPrintable(a->outText()));
        const QStringList aRows = csvRows(aLines);
        QCOMPARE(aRows.size(), 1 + 11);
        // Ordered by name: after the ten seeded people.
        QCOMPARE(aRows.last(), u"Zoe Example,zoe@example.com,+33 1 23 45 67 89,\"Example, Inc\""_s);

        // B sees it live, says where, prints its table and exits: the same rows as A's.
        QVERIFY(b->finish());
        QVERIFY2(b->exitCode() == 0, qPrintable(b->errText()));
        const QStringList bLines = b->lines();
        const auto shown =
            QRegularExpression(u"^\"Zoe Example\" shown at row 11 after (\\d+) ms$"_s).match(bLines.value(1));
        QVERIFY2(shown.hasMatch(), qPrintable(b->outText()));
        QCOMPARE(csvRows(bLines), aRows);
        QCOMPARE(countInDb(ns), 11);
        QVERIFY2(bothSaid && addedAt >= 0 && shownAt >= 0,
                 qPrintable(u"A said \"added\" at %1 ms, B \"shown\" at %2 ms"_s.arg(addedAt).arg(shownAt)));
        // The other process shows the change well within the bound the in-process live tests use.
        QVERIFY2(shownAt - addedAt < LiveWait::BoundMs, qPrintable(u"%1 ms"_s.arg(shownAt - addedAt)));
        // Both outputs are polled every ≈ 10 ms, and B's notice may come before A's own answer.
        qInfo("B said \"shown\" %lld ms after A said \"added\" (±10 ms; B waited %s ms in all, A's start "
              "included); test %lld ms",
              (long long)(shownAt - addedAt), qPrintable(shown.captured(1)), (long long)total.elapsed());

        // What --dump-rows printed is a CSV file --import reads: into an empty database, the same table.
        const QString file = writeFile(u"dump.csv"_s, (csvRows(bLines).join(u'\n') + u'\n').toUtf8());
        QVERIFY(!file.isEmpty());
        const QString copyNs = TestServer::uniqueName("contacts_cli_copy_");
        auto c = start(copyNs, {u"--import"_s, file, u"--dump-rows"_s});
        QVERIFY(c->finish());
        QVERIFY2(c->exitCode() == 0, qPrintable(c->errText()));
        // The empty database is seeded with the ten people first, so the import doubles them.
        const QStringList cLines = c->lines();
        QVERIFY2(cLines.contains(u"imported 11 of 11 contacts"_s), qPrintable(c->outText()));
        QStringList expected = aRows.mid(1) + aRows.mid(1, 10);
        std::sort(expected.begin(), expected.end());
        QStringList cRows = csvRows(cLines).mid(1);
        std::sort(cRows.begin(), cRows.end());
        QCOMPARE(cRows, expected);
        QCOMPARE(countInDb(copyNs), 21);
    }

    void malformedImportExitsWith4NamingTheLine_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("message");
        const QByteArray header = "name,email,phone,company\n";
        const QByteArray good = "Ada Lovelace,ada@analytical.engine,+44 20 7946 0018,Analytical Engines\n";
        QTest::newRow("too few fields") << header + good + good + "Alan Turing,alan@bletchley.park\n" + good
                                        << u"bad.csv, line 4: 2 fields, but the header (line 1) names 4"_s;
        QTest::newRow("text after a closing quote")
            << header + good + "\"Grace\" Hopper,grace@navy.mil,,US Navy\n"
            << u"bad.csv, line 3, column 8: text after a closing quote"_s;
        QTest::newRow("quote never closed")
            << header + good + good + good + "\"Ken Thompson,ken@bell-labs.com,,\n"
            << u"bad.csv, line 5: a quoted field opened here is never closed"_s;
        QTest::newRow("header only") << header << u"bad.csv holds no records (only a header)"_s;
    }

    void malformedImportExitsWith4NamingTheLine()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, message);
        const QString file = writeFile(u"bad.csv"_s, csv);
        QVERIFY(!file.isEmpty());
        const QString ns = TestServer::uniqueName("contacts_cli_bad_");
        QElapsedTimer t;
        t.start();
        auto run = start(ns, {u"--import"_s, file, u"--dump-rows"_s});
        QVERIFY(run->finish());
        QCOMPARE(run->exitCode(), 4);
        QVERIFY2(run->errText().contains(u"import refused: "_s + message), qPrintable(run->errText()));
        // Refused before anything started: no table printed, not even the table defined.
        QCOMPARE(run->outText(), QString());
        QCOMPARE(countInDb(ns), -1);
        qInfo("refused in %lld ms", (long long)t.elapsed());
    }

    void addContactWithQuitExitsWhenWritten()
    {
        // A headless add: --quit ends the run once the contact is in (and in the window's table).
        const QString ns = TestServer::uniqueName("contacts_cli_quit_");
        auto run = start(ns, {u"--add-contact"_s, u"Quinn Example"_s, u"--quit"_s});
        QVERIFY(run->finish());
        QVERIFY2(run->exitCode() == 0, qPrintable(run->errText()));
        QVERIFY2(QRegularExpression(u"^added contact:\\S+ \"Quinn Example\"\n$"_s)
                     .match(run->outText())
                     .hasMatch(),
                 qPrintable(run->outText()));
        QCOMPARE(countInDb(ns), 11); // the ten seeded people and Quinn
    }

    void badAddContactExitsWith1()
    {
        auto run = start(TestServer::uniqueName("contacts_cli_bad_"),
                         {u"--add-contact"_s, u",nobody@example.com"_s, u"--dump-rows"_s});
        QVERIFY(run->finish());
        QCOMPARE(run->exitCode(), 1);
        QVERIFY2(run->errText().contains(u"--add-contact: the name (the first field) is empty"_s),
                 qPrintable(run->errText()));
        QCOMPARE(run->outText(), QString());
    }
};

QTEST_GUILESS_MAIN(TestContactsCli)
#include "tst_contacts_cli.moc"
