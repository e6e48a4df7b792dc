#pragma once

#include "connectionsettings.h"

#include <QtWidgets/QMainWindow>

class ConnectionBar;
class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace SurrealQt {
class DatabaseManager;
class Error;
class QueryListModel;
} // namespace SurrealQt

// The contacts table: a QTableView on a live QueryListModel, a search box, in-place editing,
// add/delete, CSV import through BulkOperations, the connection state in the status bar, and a
// connection bar that says why the app is not connected and lets the user fix it and retry.
class ContactsWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Connects at once with these settings (the window owns its DatabaseManager).
    explicit ContactsWindow(const ConnectionSettings &settings, QWidget *parent = nullptr);
    ~ContactsWindow() override;

    [[nodiscard]] SurrealQt::QueryListModel *model() const { return m_model; }
    // The manager of the current connection; replaced by connectTo().
    [[nodiscard]] SurrealQt::DatabaseManager *database() const { return m_db; }
    [[nodiscard]] ConnectionSettings settings() const { return m_settings; }
    [[nodiscard]] ConnectionBar *connectionBar() const { return m_bar; }

    // Drops the current connection and connects with these settings (the bar's Connect/Retry).
    // Refused while an import runs.
    void connectTo(const ConnectionSettings &settings);
    // The toolbar's Add: creates a contact and says so once the server answered.
    void addContact();

    // Imports a CSV file (header row = field names) behind a progress dialog with Cancel; the
    // "Import CSV…" action calls it with the file the user picked. It returns at once; the
    // result comes with importFinished(). A malformed file is refused as a whole, naming the line.
    void importCsv(const QString &fileName);
    [[nodiscard]] bool isImporting() const { return m_importing; }

Q_SIGNALS:
    // The table is loaded and shows rows (for --screenshot).
    void ready();
    // Connecting failed (wrong credentials, no server, ...): `message` is the sentence the
    // connection bar shows; error.message() is the diagnostic behind its Details button.
    void connectionFailed(const SurrealQt::Error &error, const QString &message);
    // An import ended: written of total contacts are in the database (cancelled: the user
    // pressed Cancel; the rest was not sent). error is empty on success, else what went wrong
    // (for a malformed file: the line).
    void importFinished(qint64 written, qint64 total, bool cancelled, const QString &error);

private:
    void start();
    void seedIfEmpty();
    void applySearch();
    void deleteSelected();
    void chooseCsv();
    void updateStatus();
    void updateActions();
    void failConnecting(const SurrealQt::Error &error);
    // A failed request: a sentence in the status bar, the diagnostic in the log.
    void showError(const QString &what, const SurrealQt::Error &error);
    void refuseImport(const QString &text);

    ConnectionSettings m_settings;
    SurrealQt::DatabaseManager *m_db = nullptr;
    SurrealQt::QueryListModel *m_model;
    ConnectionBar *m_bar;
    QTableView *m_view;
    QLineEdit *m_search;
    QLabel *m_state;
    QTimer *m_searchDelay;
    QAction *m_add = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_import = nullptr;
    // Counts connectTo() calls: an answer for an earlier connection is ignored.
    quint64 m_generation = 0;
    bool m_opened = false;
    bool m_seeded = false;
    bool m_importing = false;
};
