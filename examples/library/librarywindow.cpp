#include "librarywindow.h"

#include "author.h"
#include "book.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/query.h>
#include <SurrealQt/schema.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcLibrary, "surrealqt.examples.library")

namespace {

// A sentence for the person at the screen; the diagnostic goes to the log.
QString describe(const SurrealQt::Error &error, const QUrl &url)
{
    switch (error.kind()) {
    case SurrealQt::Error::Kind::Connection:
    case SurrealQt::Error::Kind::Timeout:
    case SurrealQt::Error::Kind::Protocol:
        return u"Could not reach a SurrealDB server at %1."_s.arg(url.toString());
    case SurrealQt::Error::Kind::Authentication:
        return u"The server at %1 refused the user name or password."_s.arg(url.toString());
    case SurrealQt::Error::Kind::NotAllowed:
        return u"This user may not change the library's database."_s;
    case SurrealQt::Error::Kind::Validation:
        return u"The database refused the value (the log says why)."_s;
    default:
        return u"The database reported an error (the log says why)."_s;
    }
}

struct SeedBook
{
    const char *title;
    const char *author;
    int year;
    bool available;
};

} // namespace

LibraryWindow::LibraryWindow(DatabaseManager *db, QWidget *parent)
    : QMainWindow(parent)
    , m_db(db)
    , m_authors(ModelListModel::of<Author>(nullptr, this))
    , m_books(ModelListModel::of<Book>(nullptr, this))
    , m_authorView(new QListView(this))
    , m_bookView(new QListView(this))
    , m_summary(new QLabel(this))
    , m_year(new QSpinBox(this))
    , m_available(new QCheckBox(u"on the shelf"_s, this))
    , m_progress(new QProgressBar(this))
    , m_cancelImport(new QPushButton(u"Cancel"_s, this))
{
    setWindowTitle(u"SurrealQt Library — %1"_s.arg(db->url().toString()));

    auto *toolbar = addToolBar(u"Library"_s);
    toolbar->setMovable(false);
    toolbar->addAction(u"Add author"_s, this, &LibraryWindow::addAuthor);
    toolbar->addAction(u"Add book"_s, this, &LibraryWindow::addBook);
    toolbar->addSeparator();
    toolbar->addAction(u"Import catalogue…"_s, this, [this] {
        bool ok = false;
        const int count = QInputDialog::getInt(this, u"Import catalogue"_s, u"Books to write:"_s, 2000, 1,
                                               100000, 500, &ok);
        if (ok)
            importCatalogue(count);
    });

    // Both lists follow the database live and page in name / title order (indexed fields).
    m_authors->setOrderBy(u"name"_s);
    m_authors->setDisplayField(u"name"_s);
    m_authors->setLive(true);
    m_books->setOrderBy(u"title"_s);
    m_books->setDisplayField(u"title"_s);
    m_books->setLive(true);

    for (QListView *view : {m_authorView, m_bookView}) {
        view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
        view->setUniformItemSizes(true);
    }
    m_authorView->setModel(m_authors);
    m_bookView->setModel(m_books);
    connect(m_authorView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &LibraryWindow::authorChanged);
    connect(m_bookView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &LibraryWindow::bookChanged);

    m_year->setRange(0, 2100);
    m_year->setSpecialValueText(u"unknown"_s);
    m_year->setEnabled(false);
    m_available->setEnabled(false);
    // Edits go to the Book object, which saves itself; the list shows them at once.
    connect(m_year, &QSpinBox::editingFinished, this, [this] {
        if (!m_book || m_book->year() == m_year->value())
            return;
        m_book->setYear(m_year->value());
        m_book->save().onFailed(this,
                                [this](const Exception &e) { fail(u"The year was not saved"_s, e.error()); });
    });
    connect(m_available, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_book || m_book->available() == on)
            return;
        m_book->setAvailable(on);
        m_book->save().onFailed(
            this, [this](const Exception &e) { fail(u"The change was not saved"_s, e.error()); });
    });

    m_summary->setObjectName(u"authorSummary"_s);
    m_summary->setWordWrap(true);
    auto *details = new QFormLayout;
    details->addRow(u"Year"_s, m_year);
    details->addRow(QString(), m_available);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_bookView, 1);
    rightLayout->addLayout(details);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_authorView);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);

    m_progress->hide();
    m_cancelImport->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelImport);

    // The summary follows the books: a change arriving live recomputes it (once per burst).
    auto *summaryDelay = new QTimer(this);
    summaryDelay->setSingleShot(true);
    summaryDelay->setInterval(200);
    connect(summaryDelay, &QTimer::timeout, this, &LibraryWindow::refreshSummary);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_books, signal, summaryDelay, qOverload<>(&QTimer::start));
    connect(m_books, &QAbstractItemModel::dataChanged, summaryDelay, qOverload<>(&QTimer::start));
    connect(m_books, &ModelListModel::writeFailed, this,
            [this](const QVariant &, const SurrealQt::Error &e) { fail(u"The change was not saved"_s, e); });
    connect(m_authors, &ModelListModel::writeFailed, this,
            [this](const QVariant &, const SurrealQt::Error &e) { fail(u"The change was not saved"_s, e); });

    // Ready once an author is selected and their books are shown.
    connect(m_authors, &ModelListModel::statusChanged, this, [this] {
        if (m_authors->status() == ModelListModel::Ready && m_authors->count() > 0 && selectedAuthorRow() < 0)
            selectAuthor(0);
    });
    connect(m_books, &ModelListModel::statusChanged, this, [this] {
        if (!m_ready && m_books->status() == ModelListModel::Ready && selectedAuthorRow() >= 0) {
            m_ready = true;
            Q_EMIT ready();
        }
    });

    resize(820, 480);
    start();
}

void LibraryWindow::start()
{
    statusBar()->showMessage(u"Connecting…"_s);
    m_db->open()
        .then(this,
              [this] {
                  // The tables, fields and indexes the classes describe: a first start defines
                  // them, later starts find nothing to change.
                  return Schema(m_db->connection()).apply<Author>();
              })
        .unwrap()
        .then(this,
              [this](const QList<SchemaChange> &authorChanges) {
                  return Schema(m_db->connection())
                      .apply<Book>()
                      .then(this, [authorChanges](const QList<SchemaChange> &bookChanges) {
                          return authorChanges + bookChanges;
                      });
              })
        .unwrap()
        .then(this,
              [this](const QList<SchemaChange> &changes) {
                  for (const SchemaChange &change : changes)
                      qCInfo(lcLibrary).noquote() << "schema:" << change.toString();
                  statusBar()->showMessage(changes.isEmpty()
                                               ? u"Schema up to date"_s
                                               : u"Schema: %1 definitions applied"_s.arg(changes.size()),
                                           5000);
                  seedIfEmpty();
              })
        .onFailed(this, [this](const Exception &e) {
            const QString message = describe(e.error(), m_db->url());
            fail(u"Could not open the library"_s, e.error());
            Q_EMIT startFailed(e.error(), message);
        });
}

void LibraryWindow::seedIfEmpty()
{
    Author::objects(m_db->connection())
        .count()
        .then(this,
              [this](qint64 authors) {
                  if (authors > 0)
                      return QtFuture::makeReadyFuture(BulkResult());
                  // A first start shows a small library rather than empty lists.
                  const QList<std::pair<const char *, std::pair<const char *, int>>> people = {
                      {"leguin", {"Ursula K. Le Guin", 1929}},
                      {"pratchett", {"Terry Pratchett", 1948}},
                      {"jemisin", {"N. K. Jemisin", 1972}},
                      {"calvino", {"Italo Calvino", 1923}},
                  };
                  const QList<SeedBook> books = {
                      {"A Wizard of Earthsea", "leguin", 1968, true},
                      {"The Left Hand of Darkness", "leguin", 1969, true},
                      {"The Dispossessed", "leguin", 1974, false},
                      {"The Lathe of Heaven", "leguin", 1971, true},
                      {"Guards! Guards!", "pratchett", 1989, true},
                      {"Small Gods", "pratchett", 1992, true},
                      {"Night Watch", "pratchett", 2002, false},
                      {"The Fifth Season", "jemisin", 2015, true},
                      {"The City We Became", "jemisin", 2020, true},
                      {"Invisible Cities", "calvino", 1972, true},
                      {"If on a winter's night a traveler", "calvino", 1979, false},
                  };
                  QVariantList authorRows;
                  for (const auto &[key, person] : people)
                      authorRows.append(QVariantMap{
                          {u"id"_s, QVariant::fromValue(RecordId(u"author"_s, QString::fromLatin1(key)))},
                          {u"name"_s, QString::fromUtf8(person.first)},
                          {u"born"_s, person.second}});
                  QVariantList bookRows;
                  for (const SeedBook &b : books)
                      bookRows.append(QVariantMap{
                          {u"title"_s, QString::fromUtf8(b.title)},
                          {u"author"_s,
                           QVariant::fromValue(RecordId(u"author"_s, QString::fromLatin1(b.author)))},
                          {u"year"_s, b.year},
                          {u"available"_s, b.available}});
                  auto *bulk = new BulkOperations(m_db->connection(), {}, this);
                  return bulk->bulkInsert(u"author"_s, authorRows)
                      .then(this, [bulk, bookRows](
                                      const BulkResult &) { return bulk->bulkInsert(u"book"_s, bookRows); })
                      .unwrap()
                      .then(this, [bulk](const BulkResult &r) {
                          bulk->deleteLater();
                          return r;
                      });
              })
        .unwrap()
        .then(this, [this](const BulkResult &) { attachModels(); })
        .onFailed(this, [this](const Exception &e) {
            fail(u"Could not write the first authors and books"_s, e.error());
            Q_EMIT startFailed(e.error(), describe(e.error(), m_db->url()));
        });
}

void LibraryWindow::attachModels()
{
    m_authors->setConnection(m_db->connection());
}

int LibraryWindow::selectedAuthorRow() const
{
    const QModelIndex current = m_authorView->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void LibraryWindow::selectAuthor(int row)
{
    m_authorView->setCurrentIndex(m_authors->index(row));
}

void LibraryWindow::authorChanged()
{
    const int row = selectedAuthorRow();
    if (row < 0)
        return;
    // The relation, as a bound condition on the record link.
    m_books->setBindings({{u"author"_s, m_authors->recordId(row)}});
    m_books->setFilter(u"author = $author"_s);
    if (!m_books->connection())
        m_books->setConnection(m_db->connection());
    bookChanged();
    refreshSummary();
}

void LibraryWindow::bookChanged()
{
    if (m_book)
        disconnect(m_book, nullptr, this, nullptr);
    const QModelIndex current = m_bookView->currentIndex();
    m_book = current.isValid() ? m_books->object<Book>(current.row()) : nullptr;
    m_year->setEnabled(!m_book.isNull());
    m_available->setEnabled(!m_book.isNull());
    auto show = [this] {
        const QSignalBlocker a(m_year), b(m_available);
        m_year->setValue(m_book ? m_book->year() : 0);
        m_available->setChecked(m_book && m_book->available());
    };
    show();
    if (m_book) {
        // The object is the row's: a change made elsewhere arrives live and updates it.
        connect(m_book, &Book::yearChanged, this, show);
        connect(m_book, &Book::availableChanged, this, show);
    }
}

QString LibraryWindow::authorSummary() const
{
    return m_summary->text();
}

void LibraryWindow::refreshSummary()
{
    const int row = selectedAuthorRow();
    if (row < 0)
        return;
    const RecordId author = m_authors->recordId(row).value<RecordId>();
    const QString name = m_authors->data(m_authors->index(row)).toString();
    const quint64 request = ++m_summaryRequest;
    Connection *c = m_db->connection();
    auto total = std::make_shared<qint64>(0);
    auto available = std::make_shared<qint64>(0);
    // Query<T>: the author's books counted, the available ones counted, the newest one.
    Book::objects(c)
        .filter(u"author"_s, QVariant::fromValue(author))
        .count()
        .then(this,
              [c, author, total](qint64 n) {
                  *total = n;
                  return Book::objects(c)
                      .filter(u"author"_s, QVariant::fromValue(author))
                      .filter(u"available"_s, true)
                      .count();
              })
        .unwrap()
        .then(this,
              [c, author, available](qint64 n) {
                  *available = n;
                  return Book::objects(c)
                      .filter(u"author"_s, QVariant::fromValue(author))
                      .orderBy(u"-year"_s)
                      .first();
              })
        .unwrap()
        .then(this,
              [this, request, name, total, available](const QSharedPointer<Book> &newest) {
                  if (request != m_summaryRequest)
                      return;
                  QString text = u"%1: %2 %3, %4 on the shelf"_s.arg(name)
                                     .arg(*total)
                                     .arg(*total == 1 ? u"book"_s : u"books"_s)
                                     .arg(*available);
                  if (newest)
                      text += u" · newest: %1 (%2)"_s.arg(newest->title()).arg(newest->year());
                  m_summary->setText(text);
                  Q_EMIT summaryChanged(text);
              })
        .onFailed(this, [this](const Exception &e) { fail(u"Could not count the books"_s, e.error()); });
}

void LibraryWindow::addAuthor()
{
    Author::objects(m_db->connection())
        .create({{u"name"_s, u"New author"_s}})
        .then(this,
              [this](const QSharedPointer<Author> &created) {
                  statusBar()->showMessage(u"Added an author; double-click to rename."_s, 8000);
                  const QVariant id = QVariant::fromValue(created->id());
                  // The live list shows the row when its notice arrives.
                  auto *guard = new QObject(this);
                  auto select = [this, id, guard] {
                      const int row = m_authors->rowOf(id);
                      if (row < 0)
                          return;
                      selectAuthor(row);
                      guard->deleteLater();
                  };
                  connect(m_authors, &QAbstractItemModel::rowsInserted, guard, select);
                  QTimer::singleShot(10000, guard, &QObject::deleteLater);
                  select();
              })
        .onFailed(this, [this](const Exception &e) { fail(u"The author was not added"_s, e.error()); });
}

void LibraryWindow::addBook()
{
    const int row = selectedAuthorRow();
    if (row < 0) {
        statusBar()->showMessage(u"Select an author first."_s, 5000);
        return;
    }
    Book::objects(m_db->connection())
        .create({{u"title"_s, u"New book"_s}, {u"author"_s, m_authors->recordId(row)}})
        .then(this,
              [this](const QSharedPointer<Book> &) {
                  statusBar()->showMessage(u"Added a book; double-click to edit its title."_s, 8000);
              })
        .onFailed(this, [this](const Exception &e) { fail(u"The book was not added"_s, e.error()); });
}

void LibraryWindow::importCatalogue(int count)
{
    if (m_import) {
        statusBar()->showMessage(u"An import is already running."_s, 5000);
        return;
    }
    QList<QVariant> authors;
    for (int row = 0; row < m_authors->rowCount(); ++row)
        authors.append(m_authors->recordId(row));
    if (authors.isEmpty()) {
        Q_EMIT importFinished(0, count, u"no authors to file the books under"_s);
        return;
    }
    static const QStringList words = {u"Winter"_s, u"Harbour"_s, u"Glass"_s,  u"Orchard"_s,
                                      u"River"_s,  u"Lantern"_s, u"Clock"_s,  u"Garden"_s,
                                      u"Salt"_s,   u"Comet"_s,   u"Meadow"_s, u"Signal"_s};
    QVariantList rows;
    rows.reserve(count);
    for (int i = 0; i < count; ++i)
        rows.append(QVariantMap{
            {u"title"_s, u"Catalogue %1: %2 of the %3"_s.arg(i + 1, 5, 10, QLatin1Char('0'))
                             .arg(words.at(i % words.size()), words.at((i / words.size()) % words.size()))},
            {u"author"_s, authors.at(i % authors.size())},
            {u"year"_s, 1950 + i % 75},
            {u"available"_s, i % 3 != 0}});

    auto *bulk = new BulkOperations(m_db->connection(), {}, this);
    m_import = bulk;
    m_progress->setRange(0, count);
    m_progress->setValue(0);
    m_progress->setFormat(u"Importing %v of %m books"_s);
    m_progress->show();
    m_cancelImport->show();
    connect(m_cancelImport, &QPushButton::clicked, bulk, &BulkOperations::cancel);
    connect(bulk, &BulkOperations::progress, m_progress,
            [this](qint64 done, qint64) { m_progress->setValue(int(done)); });
    auto finish = [this, bulk](qint64 written, qint64 total, const QString &error) {
        m_progress->hide();
        m_cancelImport->hide();
        disconnect(m_cancelImport, nullptr, bulk, nullptr);
        bulk->deleteLater();
        statusBar()->showMessage(u"Imported %1 of %2 books"_s.arg(written).arg(total), 15000);
        Q_EMIT importFinished(written, total, error);
    };
    bulk->bulkInsert(u"book"_s, rows)
        .then(this,
              [this, finish](const BulkResult &result) {
                  QString error;
                  if (result.errorCount() > 0) {
                      error = result.toError().message();
                      qCWarning(lcLibrary).noquote() << "import:" << error;
                  }
                  if (result.isCancelled())
                      error = u"cancelled"_s;
                  finish(result.successCount(), result.total(), error);
              })
        .onFailed(this, [this, finish, count](const Exception &e) {
            fail(u"The import failed"_s, e.error());
            finish(0, count, e.error().message());
        });
}

void LibraryWindow::fail(const QString &what, const SurrealQt::Error &error)
{
    qCWarning(lcLibrary).noquote() << what << ":" << error.toString();
    statusBar()->showMessage(u"%1: %2"_s.arg(what, describe(error, m_db->url())), 15000);
}
