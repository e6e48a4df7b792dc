// The contacts example's "Import CSV…" as a user meets it, against the real engine: the window
// (built from examples/contacts), its progress dialog, the bulk insert behind it, the rows in
// the table, Cancel half-way, and a malformed file refused with the line named.

#include "contactswindow.h"
#include "csvreader.h"
#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>

#include <QtCore/QBuffer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QProgressDialog>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

namespace {

// The seed rows a first start writes (ContactsWindow::seedIfEmpty).
constexpr qint64 SeedRows = 10;

// n contacts; the names hold a comma and the companies doubled quotes, as spreadsheets write them.
QByteArray contactsCsv(int n, int badLine = 0)
{
    QByteArray csv = "name,email,phone,company\n";
    for (int i = 1; i <= n; ++i) {
        if (i + 1 == badLine) { // line 1 is the header
            csv += "\"Broken, " + QByteArray::number(i) + "\",oops\n";
            continue;
        }
        csv += "\"Imported, " + QByteArray::number(i) + "\",person" + QByteArray::number(i) +
               "@import.example,+33 1 " + QByteArray::number(i) + ",\"The \"\"" + QByteArray::number(i % 7) +
               "\"\" Co\"\n";
    }
    return csv;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return path;
}

} // namespace

class TestContactsImport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Setup
    {
        std::unique_ptr<ContactsWindow> window;
        // A second connection, as another program would count.
        std::unique_ptr<DatabaseManager> observer;
    };

    // A window on its own database, loaded with its seed rows.
    static bool open(Setup *s)
    {
        const QString ns = TestServer::uniqueName("contacts_");
        auto credentials = Credentials::root(TestServer::user(), TestServer::pass());
        s->window = std::make_unique<ContactsWindow>(
            ConnectionSettings{TestServer::url(), ns, u"contacts"_s, TestServer::user(), TestServer::pass()});
        QSignalSpy ready(s->window.get(), &ContactsWindow::ready);
        s->window->show();
        if (!ready.wait(20000))
            return false;
        s->observer = std::make_unique<DatabaseManager>(TestServer::url(), ns, u"contacts"_s, credentials);
        return !failureOf(s->observer->open()).isValid();
    }

    static qint64 countInDb(DatabaseManager *db, const QString &where = {})
    {
        const QueryResult r =
            AWAIT(db->connection()->query(u"SELECT count() FROM contact "_s + where + u" GROUP ALL"_s));
        return r.last().toList().value(0).toMap().value(u"count"_s).toLongLong();
    }

    static qint64 distinctImportedEmails(DatabaseManager *db)
    {
        const QueryResult r = AWAIT(
            db->connection()->query(u"RETURN array::len(array::distinct((SELECT VALUE email FROM contact "
                                    u"WHERE string::ends_with(email, '@import.example'))))"_s));
        return r.last().toLongLong();
    }

    // Every row of the model (all pages), as name -> company.
    static QHash<QString, QString> modelRows(QueryListModel *model)
    {
        QHash<QString, QString> rows;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QVariantMap r = model->get(row);
            rows.insert(r.value(u"name"_s).toString(), r.value(u"company"_s).toString());
        }
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void csvReader_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("records");
        QTest::addColumn<int>("errorLine");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("quoted comma, quote, line break")
            << QByteArray("name,company\n\"A, B\",\"x \"\"y\"\"\"\n\"multi\nline\",z\n\nlast,one\n") << 3 << 0
            << QString();
        QTest::newRow("too few fields")
            << QByteArray("name,email\na,b\nc\n") << 0 << 3 << u"line 3: 1 fields"_s;
        QTest::newRow("too many fields")
            << QByteArray("name,email\na,b,c\n") << 0 << 2 << u"line 2: 3 fields"_s;
        QTest::newRow("unclosed quote") << QByteArray("name,email\na,b\n\"c,d\ne,f\n") << 0 << 3
                                        << u"line 3: a quoted field opened here is never closed"_s;
        QTest::newRow("quote in unquoted field")
            << QByteArray("name,email\nab\"c,d\n") << 0 << 2 << u"line 2, column 3: a quote inside"_s;
        QTest::newRow("text after closing quote")
            << QByteArray("name,email\n\"ab\"c,d\n") << 0 << 2 << u"line 2, column 5: text after a closing"_s;
        QTest::newRow("error after a multi-line field")
            << QByteArray("name,email\n\"a\nb\",c\nd\n") << 0 << 4 << u"line 4: 1 fields"_s;
        QTest::newRow("empty header name") << QByteArray("name,,email\n") << 0 << 1 << u"column 2"_s;
        QTest::newRow("duplicate header") << QByteArray("name,name\n") << 0 << 1 << u"\"name\" twice"_s;
        QTest::newRow("empty") << QByteArray() << 0 << 1 << u"empty"_s;
    }

    void csvReader()
    {
        QFETCH(QByteArray, csv);
        QBuffer buffer(&csv);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        const CsvReader::Result r = CsvReader::read(&buffer);
        QFETCH(int, errorLine);
        QFETCH(QString, errorPart);
        QCOMPARE(r.errorLine, errorLine);
        QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
        QFETCH(int, records);
        QCOMPARE(r.records.size(), qsizetype(records));
        if (r.isOk()) {
            QCOMPARE(r.records.at(0), (QStringList{u"A, B"_s, u"x \"y\""_s}));
            QCOMPARE(r.records.at(1), (QStringList{u"multi\nline"_s, u"z"_s}));
            QCOMPARE(r.lines, (QList<int>{2, 3, 6}));
        }
    }

    void importShowsProgressAndRows()
    {
        Setup s;
        QVERIFY(open(&s));
        constexpr int n = 3000;
        const QString file = writeFile(m_dir, u"contacts.csv"_s, contactsCsv(n));
        QVERIFY(!file.isEmpty());

        QSignalSpy finished(s.window.get(), &ContactsWindow::importFinished);
        s.window->importCsv(file);
        QVERIFY(s.window->isImporting());
        // The dialog exists at once; its bar reports each settled batch.
        QPointer<QProgressDialog> dialog = s.window->findChild<QProgressDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->maximum(), n);
        QCOMPARE(dialog->windowModality(), Qt::WindowModal);
        QList<int> values;
        connect(dialog->findChild<QProgressBar *>(), &QProgressBar::valueChanged, this,
                [&values](int v) { values.append(v); });

        QVERIFY(finished.wait(30000));
        const QList<QVariant> args = finished.takeFirst();
        QCOMPARE(args.at(0).toLongLong(), qint64(n)); // written
        QCOMPARE(args.at(1).toLongLong(), qint64(n)); // total
        QCOMPARE(args.at(2).toBool(), false);         // not cancelled
        QCOMPARE(args.at(3).toString(), QString());
        QVERIFY(!s.window->isImporting());
        QVERIFY(!values.isEmpty());
        QCOMPARE(values.last(), n);
        QVERIFY(std::is_sorted(values.cbegin(), values.cend()));
        QTRY_VERIFY(!dialog); // closed and deleted
        QVERIFY2(s.window->statusBar()->currentMessage().startsWith(u"Imported 3000 of 3000 contacts"_s),
                 qPrintable(s.window->statusBar()->currentMessage()));

        // In the database, seen from another connection: every row once.
        QCOMPARE(countInDb(s.observer.get()), SeedRows + n);
        QCOMPARE(distinctImportedEmails(s.observer.get()), qint64(n));

        // In the table: the live model counts them, and every page holds them.
        QueryListModel *model = s.window->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), SeedRows + n, 15000);
        model->fetchAll();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(SeedRows + n), 15000);
        auto *view = s.window->findChild<QTableView *>();
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), int(SeedRows + n));
        const QHash<QString, QString> rows = modelRows(model);
        QCOMPARE(rows.size(), int(SeedRows + n)); // no name twice
        QCOMPARE(rows.value(u"Imported, 1234"_s), u"The \"2\" Co"_s);
        QCOMPARE(rows.value(u"Imported, 3000"_s), u"The \"4\" Co"_s);
    }

    void cancelStopsWithConsistentState()
    {
        Setup s;
        QVERIFY(open(&s));
        constexpr int n = 6000;
        const QString file = writeFile(m_dir, u"big.csv"_s, contactsCsv(n));
        QVERIFY(!file.isEmpty());

        QSignalSpy finished(s.window.get(), &ContactsWindow::importFinished);
        s.window->importCsv(file);
        QPointer<QProgressDialog> dialog = s.window->findChild<QProgressDialog *>();
        QVERIFY(dialog);
        auto *cancel = dialog->findChild<QPushButton *>();
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), u"Cancel"_s);
        // The user presses Cancel as soon as the bar moves (from the event loop, as a click).
        int atCancel = -1;
        connect(
            dialog->findChild<QProgressBar *>(), &QProgressBar::valueChanged, this,
            [&, cancel = QPointer<QPushButton>(cancel)](int v) {
                // As soon as the user can see it move.
                if (v <= 0 || atCancel >= 0 || !dialog || !dialog->isVisible())
                    return;
                atCancel = v;
                QTimer::singleShot(0, cancel, [cancel] { QTest::mouseClick(cancel, Qt::LeftButton); });
            },
            Qt::DirectConnection);

        QVERIFY(finished.wait(30000));
        QVERIFY(atCancel > 0);
        const QList<QVariant> args = finished.takeFirst();
        const qint64 written = args.at(0).toLongLong();
        QCOMPARE(args.at(1).toLongLong(), qint64(n));
        QCOMPARE(args.at(2).toBool(), true);
        QCOMPARE(args.at(3).toString(), QString());
        qInfo("cancelled at %d of %d on the bar; %lld written", atCancel, n, (long long)written);
        QVERIFY(written >= atCancel);
        QVERIFY(written < n);
        QCOMPARE(s.window->statusBar()->currentMessage(),
                 u"Imported %1 of %2 contacts (cancelled)"_s.arg(written).arg(n));

        // What the window reports is what the database holds, now and a moment later (nothing
        // was still on its way), each row once.
        QCOMPARE(countInDb(s.observer.get()), SeedRows + written);
        QTest::qWait(500);
        QCOMPARE(countInDb(s.observer.get()), SeedRows + written);
        QCOMPARE(distinctImportedEmails(s.observer.get()), written);

        // And the table shows exactly those rows.
        QueryListModel *model = s.window->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), SeedRows + written, 15000);
        model->fetchAll();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(SeedRows + written), 15000);
        QCOMPARE(modelRows(model).size(), int(SeedRows + written));
    }

    void malformedFileIsRefusedNamingTheLine()
    {
        Setup s;
        QVERIFY(open(&s));
        const QString file = writeFile(m_dir, u"bad.csv"_s, contactsCsv(2000, 1234));
        QVERIFY(!file.isEmpty());

        QSignalSpy finished(s.window.get(), &ContactsWindow::importFinished);
        s.window->importCsv(file);
        // Refused before any request: no dialog, the answer is immediate.
        QCOMPARE(finished.size(), 1);
        QVERIFY(!s.window->findChild<QProgressDialog *>());
        const QString error = finished.first().at(3).toString();
        QCOMPARE(error, u"bad.csv, line 1234: 2 fields, but the header (line 1) names 4"_s);
        QCOMPARE(finished.first().at(0).toLongLong(), 0);
        // The user sees it in a message box (open, not exec: the window stays live) and the status bar.
        auto *box = s.window->findChild<QMessageBox *>();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QCOMPARE(box->informativeText(), error);
        QVERIFY(s.window->statusBar()->currentMessage().contains(u"line 1234"_s));
        box->accept();
        QCOMPARE(countInDb(s.observer.get()), SeedRows);
    }
};

QTEST_MAIN(TestContactsImport)
#include "tst_contacts_import.moc"
