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

    // Imports a CSV file (header row = field names) behind a progress dialog.
    void importCsv(const QString &fileName);

Q_SIGNALS:
    // The table is loaded and shows rows (for --screenshot).
    void ready();

private:
    void start();
    void seedIfEmpty();
    void applySearch();
    void addContact();
    void deleteSelected();
    void chooseCsv();
    void updateStatus();
    void showError(const QString &text);

    SurrealQt::DatabaseManager *m_db;
    SurrealQt::QueryListModel *m_model;
    QTableView *m_view;
    QLineEdit *m_search;
    QLabel *m_state;
    QTimer *m_searchDelay;
    bool m_seeded = false;
};
