#pragma once

#include <QtWidgets/QMainWindow>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace SurrealQt {
class DatabaseManager;
class QueryListModel;
} // namespace SurrealQt

// The contacts table: a QTableView on a live QueryListModel, a search box, in-place editing,
// add/delete, CSV import through BulkOperations, and connection state in the status bar.
class ContactsWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit ContactsWindow(SurrealQt::DatabaseManager *db, QWidget *parent = nullptr);

    [[nodiscard]] SurrealQt::QueryListModel *model() const { return m_model; }

    // Imports a CSV file (header row = field names) behind a progress dialog with Cancel; the
    // "Import CSV…" action calls it with the file the user picked. It returns at once; the
    // result comes with importFinished(). A malformed file is refused as a whole, naming the line.
    void importCsv(const QString &fileName);
    [[nodiscard]] bool isImporting() const { return m_importing; }

Q_SIGNALS:
    // The table is loaded and shows rows (for --screenshot).
    void ready();
    // An import ended: written of total contacts are in the database (cancelled: the user
    // pressed Cancel; the rest was not sent). error is empty on success, else what went wrong
    // (for a malformed file: the line).
    void importFinished(qint64 written, qint64 total, bool cancelled, const QString &error);

private:
    void start();
    void seedIfEmpty();
    void applySearch();
    void addContact();
    void deleteSelected();
    void chooseCsv();
    void updateStatus();
    void showError(const QString &text);
    void refuseImport(const QString &text);

    SurrealQt::DatabaseManager *m_db;
    SurrealQt::QueryListModel *m_model;
    QTableView *m_view;
    QLineEdit *m_search;
    QLabel *m_state;
    QTimer *m_searchDelay;
    bool m_seeded = false;
    bool m_importing = false;
};
