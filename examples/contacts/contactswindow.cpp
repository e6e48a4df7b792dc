#include "contactswindow.h"

#include "connectionbar.h"
#include "csvreader.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/table.h>

#include <QtCore/QFileInfo>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressDialog>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcContacts, "surrealqt.examples.contacts")

namespace {

const QStringList kColumns = {u"name"_s, u"email"_s, u"phone"_s, u"company"_s};

QString stateText(DatabaseManager::State state)
{
    switch (state) {
    case DatabaseManager::State::Disconnected:
        return u"Not connected"_s;
    case DatabaseManager::State::Connecting:
        return u"Connecting…"_s;
    case DatabaseManager::State::Connected:
        return u"Connected"_s;
    case DatabaseManager::State::Reconnecting:
        return u"Reconnecting…"_s;
    case DatabaseManager::State::Closed:
        return u"Closed"_s;
    }
    return {};
}

} // namespace

ContactsWindow::ContactsWindow(const ConnectionSettings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_model(new QueryListModel(this))
    , m_bar(new ConnectionBar(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_state(new QLabel(this))
    , m_searchDelay(new QTimer(this))
{
    auto *toolbar = addToolBar(u"Contacts"_s);
    toolbar->setMovable(false);
    m_search->setPlaceholderText(u"Search name or email…"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(260);
    toolbar->addWidget(m_search);
    toolbar->addSeparator();
    m_add = toolbar->addAction(u"Add"_s, this, &ContactsWindow::addContact);
    m_add->setShortcut(QKeySequence::New);
    m_delete = toolbar->addAction(u"Delete"_s, this, &ContactsWindow::deleteSelected);
    m_delete->setShortcut(QKeySequence::Delete);
    m_import = toolbar->addAction(u"Import CSV…"_s, this, &ContactsWindow::chooseCsv);

    QMenu *file = menuBar()->addMenu(u"&File"_s);
    file->addAction(u"&Connection…"_s, m_bar, &ConnectionBar::showSettings);
    file->addAction(m_import);
    file->addSeparator();
    file->addAction(u"&Quit"_s, QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu *edit = menuBar()->addMenu(u"&Edit"_s);
    edit->addAction(m_add);
    edit->addAction(m_delete);

    // The search runs on the server as a bound condition; typing restarts a short delay so a
    // word typed quickly costs one query.
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &ContactsWindow::applySearch);

    // [view]
    m_model->setTable(u"contact"_s);
    m_model->setOrderBy(u"name"_s);
    m_model->setColumns(kColumns);
    m_model->setPageSize(100);
    m_model->setLive(true);

    m_view->setModel(m_model);
    // [view]
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);
    connect(m_bar, &ConnectionBar::connectRequested, this, &ContactsWindow::connectTo);

    statusBar()->addPermanentWidget(m_state);
    connect(m_model, &QueryListModel::statusChanged, this, &ContactsWindow::updateStatus);
    connect(m_model, &QueryListModel::countChanged, this, &ContactsWindow::updateStatus);
    connect(m_model, &QueryListModel::totalCountChanged, this, &ContactsWindow::updateStatus);
    connect(m_model, &QueryListModel::errorChanged, this, [this] {
        const SurrealQt::Error e = m_model->error();
        // While connecting, the connection's own failure is the one to show.
        if (e.isValid() && m_opened)
            m_bar->showProblem(ConnectionBar::describe(e, m_settings), e.toString());
    });
    connect(m_model, &QueryListModel::writeFailed, this, [this](const QVariant &, const SurrealQt::Error &e) {
        showError(u"The change was not saved"_s, e);
    });
    connect(m_model, &QueryListModel::statusChanged, this, [this](QueryListModel::Status status) {
        updateActions();
        if (status == QueryListModel::Ready && m_seeded) {
            m_view->resizeColumnsToContents();
            if (m_model->count() > 0)
                Q_EMIT ready();
        }
    });

    resize(760, 440);
    connectTo(settings);
}

ContactsWindow::~ContactsWindow()
{
    // The manager says goodbye (stateChanged) while it closes: not to a half-destroyed window.
    m_model->setConnection(nullptr);
    disconnect(m_db, nullptr, this, nullptr);
    delete m_db;
}

void ContactsWindow::connectTo(const ConnectionSettings &settings)
{
    if (m_importing) {
        statusBar()->showMessage(u"Wait for the import to finish before connecting again."_s, 5000);
        return;
    }
    ++m_generation;
    m_opened = false;
    m_seeded = false;
    m_model->setConnection(nullptr);
    if (m_db) {
        // Its outstanding requests end as Cancelled; their answers carry an old generation.
        disconnect(m_db, nullptr, this, nullptr);
        m_db->close();
        m_db->deleteLater();
    }
    m_settings = settings;
    m_bar->setSettings(settings);
    m_db = new DatabaseManager(settings.url, settings.ns, settings.db,
                               Credentials::root(settings.user, settings.password), this);
    m_db->setPoolSize(2);
    setWindowTitle(u"SurrealQt Contacts — %1"_s.arg(settings.url.toString()));
    connect(m_db, &DatabaseManager::stateChanged, this, [this](DatabaseManager::State state) {
        updateStatus();
        updateActions();
        // A connection that was up and dropped: the manager keeps trying; the bar says so.
        if (m_opened && state == DatabaseManager::State::Reconnecting)
            m_bar->showProblem(u"Lost the connection to %1; trying again…"_s.arg(m_settings.url.toString()),
                               m_db->lastError().toString());
        else if (m_opened && state == DatabaseManager::State::Connected && !m_model->error().isValid())
            m_bar->hide();
    });
    connect(m_db, &DatabaseManager::errorOccurred, this, [](const SurrealQt::Error &e) {
        qCWarning(lcContacts).noquote() << "connection:" << e.toString();
    });
    if (m_bar->isVisible())
        m_bar->setConnecting(true);
    updateStatus();
    updateActions();
    start();
}

void ContactsWindow::start()
{
    const quint64 generation = m_generation;
    // The index on name makes the name order page in constant time (see docs/views).
    m_db->open()
        .then(this,
              [this, generation] {
                  if (generation != m_generation)
                      return QtFuture::makeReadyFuture(QueryResult());
                  return m_db->connection()->query(
                      u"DEFINE TABLE IF NOT EXISTS contact SCHEMALESS;"
                      u"DEFINE INDEX IF NOT EXISTS contact_name ON contact FIELDS name;"_s);
              })
        .unwrap()
        .then(this,
              [this, generation](const QueryResult &result) {
                  if (generation != m_generation)
                      return;
                  if (!result.isOk())
                      throw Exception(result.firstError());
                  m_opened = true;
                  m_bar->hide();
                  m_model->setConnection(m_db->connection());
                  updateStatus();
                  updateActions();
                  seedIfEmpty();
              })
        .onFailed(this, [this, generation](const Exception &e) {
            if (generation == m_generation)
                failConnecting(e.error());
        });
}

void ContactsWindow::failConnecting(const SurrealQt::Error &error)
{
    qCWarning(lcContacts).noquote() << "could not connect:" << error.toString();
    const QString message = ConnectionBar::describe(error, m_settings);
    m_bar->showProblem(message, error.toString());
    updateStatus();
    updateActions();
    Q_EMIT connectionFailed(error, message);
}

void ContactsWindow::seedIfEmpty()
{
    const quint64 generation = m_generation;
    m_db->connection()
        ->query(u"SELECT count() FROM contact GROUP ALL"_s)
        .then(
            this,
            [this, generation](const QueryResult &result) {
                if (generation != m_generation)
                    return QtFuture::makeReadyFuture(BulkResult());
                if (!result.isOk())
                    throw Exception(result.firstError());
                const QVariantList rows = result.last().toList();
                if (!rows.isEmpty() && rows.first().toMap().value(u"count"_s).toLongLong() > 0)
                    return QtFuture::makeReadyFuture(BulkResult());
                // A first start shows a few people rather than an empty table.
                const QList<QStringList> people = {
                    {u"Ada Lovelace"_s, u"ada@analytical.engine"_s, u"+44 20 7946 0018"_s,
                     u"Analytical Engines"_s},
                    {u"Alan Turing"_s, u"alan@bletchley.park"_s, u"+44 1908 640404"_s, u"Bletchley Park"_s},
                    {u"Grace Hopper"_s, u"grace@navy.mil"_s, u"+1 202 555 0147"_s, u"US Navy"_s},
                    {u"Edsger Dijkstra"_s, u"ewd@cs.utexas.edu"_s, u"+1 512 555 0199"_s, u"UT Austin"_s},
                    {u"Barbara Liskov"_s, u"liskov@mit.edu"_s, u"+1 617 555 0123"_s, u"MIT"_s},
                    {u"Donald Knuth"_s, u"knuth@stanford.edu"_s, u"+1 650 555 0111"_s, u"Stanford"_s},
                    {u"Margaret Hamilton"_s, u"mhh@hamilton-tech.com"_s, u"+1 617 555 0169"_s,
                     u"Hamilton Technologies"_s},
                    {u"Ken Thompson"_s, u"ken@bell-labs.com"_s, u"+1 908 555 0100"_s, u"Bell Labs"_s},
                    {u"Frances Allen"_s, u"fran@ibm.com"_s, u"+1 914 555 0175"_s, u"IBM"_s},
                    {u"Linus Torvalds"_s, u"linus@kernel.org"_s, u"+1 503 555 0142"_s, u"Linux Foundation"_s},
                };
                QVariantList records;
                for (const QStringList &p : people) {
                    QVariantMap r;
                    for (int i = 0; i < kColumns.size(); ++i)
                        r.insert(kColumns.at(i), p.at(i));
                    records.append(r);
                }
                auto *bulk = new BulkOperations(m_db->connection(), {}, this);
                return bulk->bulkInsert(u"contact"_s, records).then(this, [bulk](const BulkResult &r) {
                    bulk->deleteLater();
                    return r;
                });
            })
        .unwrap()
        .then(this,
              [this, generation](const BulkResult &) {
                  if (generation != m_generation)
                      return;
                  m_seeded = true;
                  // Reload so the first page is read after the seed rows are in.
                  m_model->reload();
              })
        .onFailed(this, [this, generation](const Exception &e) {
            if (generation != m_generation)
                return;
            m_seeded = true;
            m_bar->showProblem(ConnectionBar::describe(e.error(), m_settings), e.error().toString());
        });
}

void ContactsWindow::applySearch()
{
    const QString text = m_search->text().trimmed().toLower();
    if (text.isEmpty()) {
        m_model->setFilter({});
        m_model->setBindings({});
        return;
    }
    // The text is a bound variable; only the condition's shape is SurrealQL.
    m_model->setBindings({{u"q"_s, text}});
    m_model->setFilter(u"string::contains(string::lowercase(name ?? ''), $q)"
                       u" OR string::contains(string::lowercase(email ?? ''), $q)"_s);
}

void ContactsWindow::addContact()
{
    if (!m_opened || m_db->state() != DatabaseManager::State::Connected) {
        statusBar()->showMessage(u"Not connected: nothing was added. Connect first (File > Connection…)."_s,
                                 8000);
        return;
    }
    // Said only once the server answered: the contact exists, or it does not and the user is told.
    statusBar()->showMessage(u"Adding a contact…"_s);
    const quint64 generation = m_generation;
    m_db->connection()
        ->create(Table(u"contact"_s), {{u"name"_s, u"New contact"_s},
                                       {u"email"_s, QString()},
                                       {u"phone"_s, QString()},
                                       {u"company"_s, QString()}})
        .then(this,
              [this, generation](const QVariantMap &record) {
                  if (generation != m_generation)
                      return;
                  statusBar()->showMessage(u"Added a contact; double-click a cell to edit it."_s, 8000);
                  // The live table shows the row when its notice arrives; select it then.
                  const QVariant id = record.value(u"id"_s);
                  auto select = [this, id] {
                      const int row = m_model->rowOf(id);
                      if (row < 0)
                          return false;
                      m_view->selectRow(row);
                      m_view->scrollTo(m_model->index(row, 0));
                      return true;
                  };
                  if (select())
                      return;
                  auto *guard = new QObject(this);
                  connect(m_model, &QAbstractItemModel::rowsInserted, guard, [guard, select] {
                      if (select())
                          guard->deleteLater();
                  });
                  QTimer::singleShot(10000, guard, &QObject::deleteLater);
              })
        .onFailed(this, [this, generation](const Exception &e) {
            if (generation == m_generation)
                showError(u"The contact was not added"_s, e.error());
        });
}

void ContactsWindow::deleteSelected()
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty()) {
        if (m_view->currentIndex().isValid())
            rows.append(m_view->currentIndex().row());
        else
            return;
    }
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_model->removeRows(row, 1);
}

void ContactsWindow::chooseCsv()
{
    const QString fileName =
        QFileDialog::getOpenFileName(this, u"Import contacts"_s, {}, u"CSV files (*.csv);;All files (*)"_s);
    if (!fileName.isEmpty())
        importCsv(fileName);
}

void ContactsWindow::importCsv(const QString &fileName)
{
    if (m_importing) {
        statusBar()->showMessage(u"An import is already running."_s, 8000);
        return;
    }
    const QString shortName = QFileInfo(fileName).fileName();
    const CsvReader::Result csv = CsvReader::readFile(fileName);
    if (!csv.isOk()) {
        refuseImport(csv.error);
        return;
    }
    QVariantList records;
    records.reserve(csv.records.size());
    for (const QStringList &fields : csv.records) {
        QVariantMap record;
        for (qsizetype i = 0; i < csv.header.size(); ++i)
            record.insert(csv.header.at(i), fields.at(i));
        records.append(record);
    }

    m_importing = true;
    updateActions();
    const qint64 total = records.size();
    auto *bulk = new BulkOperations(m_db->connection(), {}, this);
    auto *dialog = new QProgressDialog(u"Importing %1 contacts from %2…"_s.arg(total).arg(shortName),
                                       u"Cancel"_s, 0, int(total), this);
    dialog->setWindowTitle(u"Import CSV"_s);
    // Window-modal but shown, not exec()'d: the event loop keeps running, so the table fills
    // live behind the dialog and Cancel is handled between batches.
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    // The dialog stays at the total until the result is in, then closes itself.
    dialog->setAutoReset(false);
    dialog->setAutoClose(false);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QProgressDialog::canceled, bulk, &BulkOperations::cancel);
    connect(bulk, &BulkOperations::progress, dialog,
            [dialog](qint64 done, qint64) { dialog->setValue(int(done)); });
    auto finish = [this, dialog, bulk](qint64 written, qint64 total, bool cancelled, const QString &error) {
        m_importing = false;
        updateActions();
        dialog->close();
        bulk->deleteLater();
        QString text = u"Imported %1 of %2 contacts"_s.arg(written).arg(total);
        if (cancelled)
            text += u" (cancelled)"_s;
        if (!error.isEmpty()) {
            // The diagnostic goes to the log; the status bar says what it means.
            qCWarning(lcContacts).noquote() << "import:" << error;
            text += u"; the rest could not be written (the log says why)"_s;
        }
        statusBar()->showMessage(text, 30000);
        Q_EMIT importFinished(written, total, cancelled, error);
    };
    bulk->bulkInsert(u"contact"_s, records)
        .then(this,
              [dialog, finish](const BulkResult &result) {
                  // The future may finish before the last queued progress signal: the dialog
                  // shows what settled, so it never reads less than the status bar.
                  if (!result.isCancelled())
                      dialog->setValue(int(result.total() - result.notAttemptedCount()));
                  QString error;
                  if (result.errorCount() > 0)
                      error = u"%1 failed: %2"_s.arg(result.errorCount()).arg(result.toError().message());
                  finish(result.successCount(), result.total(), result.isCancelled(), error);
              })
        .onFailed(this,
                  [finish, total](const Exception &e) { finish(0, total, false, e.error().message()); });
}

void ContactsWindow::refuseImport(const QString &text)
{
    statusBar()->showMessage(u"Import refused: "_s + text, 15000);
    // open(), not exec(): a message, not a nested event loop.
    auto *box = new QMessageBox(QMessageBox::Warning, u"Import CSV"_s, u"Nothing was imported."_s,
                                QMessageBox::Ok, this);
    box->setInformativeText(text);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT importFinished(0, 0, false, text);
}

void ContactsWindow::updateStatus()
{
    QString text = stateText(m_db->state());
    switch (m_model->status()) {
    case QueryListModel::Loading:
        text += u" · loading…"_s;
        break;
    case QueryListModel::Ready:
        text += m_model->totalCount() >= 0
                    ? u" · %1 of %2 contacts"_s.arg(m_model->count()).arg(m_model->totalCount())
                    : u" · %1 contacts"_s.arg(m_model->count());
        break;
    case QueryListModel::Failed:
        text += u" · error"_s;
        break;
    case QueryListModel::Null:
        break;
    }
    m_state->setText(text);
}

void ContactsWindow::updateActions()
{
    // Writes need a connection that is up; while reconnecting they would only wait.
    const bool up = m_opened && m_db->state() == DatabaseManager::State::Connected;
    m_add->setEnabled(up);
    m_delete->setEnabled(up);
    m_import->setEnabled(up && !m_importing);
}

void ContactsWindow::showError(const QString &what, const SurrealQt::Error &error)
{
    qCWarning(lcContacts).noquote() << what << ":" << error.toString();
    statusBar()->showMessage(u"%1: %2"_s.arg(what, ConnectionBar::describe(error, m_settings)), 15000);
}
