#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QMainWindow>

class Book;
class QCheckBox;
class QLabel;
class QListView;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace SurrealQt {
class BulkOperations;
class DatabaseManager;
class Error;
class ModelListModel;
} // namespace SurrealQt

// The library: authors and their books, on the model layer. At start-up the schema is generated
// from the Author and Book classes (Schema::apply), an empty database gets a few authors and
// books, then two live ModelListModels fill the views: the authors, and the books of the
// selected author (a filter on the record link). Names and titles are edited in place; a book's
// year and availability are edited on its Book object, which saves itself. Query<T> lookups give
// the selected author's numbers, and "Import catalogue" writes thousands of books with
// BulkOperations behind a progress bar.
class LibraryWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit LibraryWindow(SurrealQt::DatabaseManager *db, QWidget *parent = nullptr);

    [[nodiscard]] SurrealQt::ModelListModel *authors() const { return m_authors; }
    [[nodiscard]] SurrealQt::ModelListModel *books() const { return m_books; }
    // The line under the books, from the Query<T> lookups of the selected author.
    [[nodiscard]] QString authorSummary() const;
    // Recomputes the summary (it also follows the books by itself); summaryChanged() brings it.
    void refreshSummary();
    [[nodiscard]] int selectedAuthorRow() const;
    void selectAuthor(int row);

    // Writes `count` generated books, spread over the authors, with BulkOperations; the status
    // bar shows the progress. The result comes with importFinished().
    void importCatalogue(int count);

Q_SIGNALS:
    // The schema is in place, both lists are loaded and an author is selected.
    void ready();
    // Start-up failed: `message` is a sentence for people, error.message() the diagnostic.
    void startFailed(const SurrealQt::Error &error, const QString &message);
    void importFinished(qint64 written, qint64 total, const QString &error);
    // The author summary was recomputed (after a selection or a change of the books).
    void summaryChanged(const QString &summary);

private:
    void start();
    void seedIfEmpty();
    void attachModels();
    void authorChanged();
    void bookChanged();
    void addAuthor();
    void addBook();
    void fail(const QString &what, const SurrealQt::Error &error);

    SurrealQt::DatabaseManager *m_db;
    SurrealQt::ModelListModel *m_authors;
    SurrealQt::ModelListModel *m_books;
    QListView *m_authorView;
    QListView *m_bookView;
    QLabel *m_summary;
    QSpinBox *m_year;
    QCheckBox *m_available;
    QProgressBar *m_progress;
    QPushButton *m_cancelImport;
    QPointer<Book> m_book;
    QPointer<SurrealQt::BulkOperations> m_import;
    quint64 m_summaryRequest = 0;
    bool m_ready = false;
};
