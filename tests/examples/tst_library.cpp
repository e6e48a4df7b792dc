// The library example (examples/library) on the model layer, against the real engine: the schema
// generated from its Author and Book classes at start-up, the two live ModelListModels (authors;
// the selected author's books, a filter on the record link), the Query<T> summary, a change made
// by another connection showing live, edits in the view and on a Book object reaching the
// database, and the bulk import with its progress.

#include "author.h"
#include "book.h"
#include "futurewait.h"
#include "librarywindow.h"
#include "livewait.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/syncconnection.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QListView>
#include <QtWidgets/QProgressBar>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class TestLibrary : public QObject
{
    Q_OBJECT

    QString m_ns;
    std::unique_ptr<DatabaseManager> m_db;
    std::unique_ptr<LibraryWindow> m_window;
    // Another program on the same database.
    std::unique_ptr<DatabaseManager> m_other;
    LiveWait m_live;

    QVariant query(const QString &surrealql, const QVariantMap &vars = {})
    {
        const QueryResult r = SyncConnection(m_other->connection()).query(surrealql, vars);
        if (!r.isOk())
            qWarning("%s", qPrintable(r.firstError().message()));
        return r.isOk() ? r.last() : QVariant();
    }

    QStringList rows(ModelListModel *model) const
    {
        QStringList out;
        for (int row = 0; row < model->rowCount(); ++row)
            out.append(model->data(model->index(row)).toString());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ns = TestServer::uniqueName("library_");
        const auto credentials = Credentials::root(TestServer::user(), TestServer::pass());
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"library"_s, credentials);
        m_window = std::make_unique<LibraryWindow>(m_db.get());
        QSignalSpy ready(m_window.get(), &LibraryWindow::ready);
        m_window->show();
        QVERIFY(ready.wait(30000));
        m_other = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, u"library"_s, credentials);
        QVERIFY(!failureOf(m_other->open()).isValid());
    }

    void schemaIsGeneratedFromTheClasses()
    {
        const QVariantMap book = query(u"INFO FOR TABLE book"_s).toMap();
        const QVariantMap fields = book.value(u"fields"_s).toMap();
        QVERIFY2(fields.value(u"author"_s).toString().contains(u"record<author>"_s),
                 qPrintable(fields.value(u"author"_s).toString()));
        QVERIFY(fields.contains(u"title"_s));
        QVERIFY(book.value(u"indexes"_s).toMap().contains(u"book_author"_s));
    }

    void authorsAndTheirBooks()
    {
        QCOMPARE(rows(m_window->authors()), (QStringList{u"Italo Calvino"_s, u"N. K. Jemisin"_s,
                                                         u"Terry Pratchett"_s, u"Ursula K. Le Guin"_s}));
        QCOMPARE(m_window->selectedAuthorRow(), 0);
        QCOMPARE(rows(m_window->books()),
                 (QStringList{u"If on a winter's night a traveler"_s, u"Invisible Cities"_s}));
        QTRY_COMPARE(
            m_window->authorSummary(),
            u"Italo Calvino: 2 books, 1 on the shelf · newest: If on a winter's night a traveler (1979)"_s);

        QSignalSpy summary(m_window.get(), &LibraryWindow::summaryChanged);
        m_window->selectAuthor(3);
        QTRY_COMPARE(rows(m_window->books()),
                     (QStringList{u"A Wizard of Earthsea"_s, u"The Dispossessed"_s, u"The Lathe of Heaven"_s,
                                  u"The Left Hand of Darkness"_s}));
        QTRY_COMPARE(m_window->authorSummary(),
                     u"Ursula K. Le Guin: 4 books, 3 on the shelf · newest: The Dispossessed (1974)"_s);
    }

    void aBookAddedElsewhereShowsLive()
    {
        query(u"CREATE book CONTENT { title: 'The Word for World Is Forest', author: author:leguin, year: "
              u"1972, "
              u"available: true }"_s);
        QVERIFY(
            m_live.seen([&] { return rows(m_window->books()).contains(u"The Word for World Is Forest"_s); },
                        "book added by another connection"));
        QTRY_COMPARE(m_window->authorSummary(),
                     u"Ursula K. Le Guin: 5 books, 4 on the shelf · newest: The Dispossessed (1974)"_s);
    }

    void editsReachTheDatabase()
    {
        ModelListModel *books = m_window->books();
        // In the view: the title (the display field), written back through the list model.
        const int row = rows(books).indexOf(u"The Lathe of Heaven"_s);
        QVERIFY(row >= 0);
        QVERIFY(books->setData(books->index(row), u"The Lathe of Heaven (1971)"_s));
        QTRY_COMPARE(query(u"SELECT VALUE title FROM book WHERE year = 1971"_s).toList().value(0).toString(),
                     u"The Lathe of Heaven (1971)"_s);
        // On the row's Book object: it saves itself.
        const int wizard = rows(books).indexOf(u"A Wizard of Earthsea"_s);
        Book *book = books->object<Book>(wizard);
        QVERIFY(book);
        book->setAvailable(false);
        QVERIFY(!failureOf(book->save()).isValid());
        QCOMPARE(query(u"SELECT VALUE available FROM book WHERE title = 'A Wizard of Earthsea'"_s).toList(),
                 QVariantList{false});
        QTRY_COMPARE(m_window->authorSummary(),
                     u"Ursula K. Le Guin: 5 books, 3 on the shelf · newest: The Dispossessed (1974)"_s);
    }

    void bulkImportWithProgress()
    {
        auto *bar = m_window->findChild<QProgressBar *>();
        QVERIFY(bar);
        QList<int> seen;
        connect(bar, &QProgressBar::valueChanged, this, [&seen](int v) { seen.append(v); });
        QSignalSpy finished(m_window.get(), &LibraryWindow::importFinished);
        m_window->importCatalogue(800);
        QVERIFY(bar->isVisible());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toLongLong(), 800);
        QCOMPARE(finished.first().at(1).toLongLong(), 800);
        QCOMPARE(finished.first().at(2).toString(), QString());
        QVERIFY(!bar->isVisible());
        // Progress came in steps, never backwards, up to the total.
        QVERIFY2(seen.size() >= 2, qPrintable(QString::number(seen.size())));
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.last(), 800);
        QCOMPARE(query(u"SELECT count() FROM book GROUP ALL"_s)
                     .toList()
                     .value(0)
                     .toMap()
                     .value(u"count"_s)
                     .toLongLong(),
                 11 + 1 + 800);
        // Spread over the four authors: Le Guin's books follow live (200 more).
        QTRY_VERIFY_WITH_TIMEOUT(m_window->authorSummary().startsWith(u"Ursula K. Le Guin: 205 books, "_s),
                                 20000);
        m_live.reportSlowest();
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_other.reset();
        m_db.reset();
    }
};

QTEST_MAIN(TestLibrary)
#include "tst_library.moc"
