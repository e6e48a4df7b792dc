#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/table.h>

#include <QtCore/QFuture>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVariant>

namespace SurrealQt {

class Connection;
class PageCursorData;

/*! Walks a table page by page, each page costing about the same wherever it is in the table
    (no growing START offset), with an optional condition and an order by id or by one field.

    A PageCursor is an immutable position, cheap to copy (implicitly shared): fetch() reads the
    page at this position and hands back the rows together with the cursor after them, so
    several threads may fetch from copies at once and nothing changes behind a caller's back.
    nextSync() is the one mutating convenience: it replaces *this by the cursor after the page.

    \code
    PageCursor cursor(db->connection(), Table(u"person"_s), 100);
    cursor.where(u"age >= $min"_s, {{u"min"_s, 18}}).orderBy(u"name"_s);
    cursor.fetch().then(this, [this](const PageCursor::Page &page) {
        append(page.rows);
        m_cursor = page.next; // fetch again from here; page.next.atEnd() when done
    });
    \endcode

    How each order pages (measured on SurrealDB 3.0.2, 100,000 rows; docs/helpers/crud-helpers.md):
    - by id (the default), ascending: key-range scan `type::record($range)` with
      $range = RecordId(table, Range(excluded(lastKey), unbounded)): constant cost per page.
      With a condition the scan reads fixed windows of keys and filters each window, because the
      engine evaluates a WHERE over the whole remaining range before applying LIMIT: cost per
      page stays bounded, but a very selective condition needs several windows per page.
    - by a field that an index starts with: ordered by (field, id), both in the cursor's
      direction; a page is the rest of the last value's ties in id order, then the next values
      from the index, sorted by (field, id) only up to the page's last value: constant cost,
      ties included. A filtered page the engine's index walk answers short (SurrealDB #7028) is
      read again in (field, id) order, so a short page is always the end.
    - descending orders use the same key-set queries and are correct, but the engine sorts what
      lies before the position, so their cost grows with the distance from the end.
    - by a field without an index: `ORDER BY f, id LIMIT n START pos` (Strategy::Offset), whose
      cost grows with the position. Index the field for long tables.
    Rows inserted or removed behind the position do not shift later pages (key-set paging);
    with Offset they do. */
class SURREALQT_EXPORT PageCursor
{
public:
    /*! How the cursor finds the next page (see the class description). */
    enum class Strategy {
        Unknown,      //!< order by a field, before the first fetch looked for an index
        KeyRange,     //!< order by id
        IndexedField, //!< order by an indexed field
        Offset,       //!< order by a field without an index: START, cost grows with the position
    };

    struct Page;

    /*! An invalid cursor: fetch() fails with Validation. */
    PageCursor();
    /*! A cursor at the start of table, ordered by id, pageSize rows per page. */
    PageCursor(Connection *connection, const Table &table, int pageSize = 100);
    /*! The name is checked like every table name given as a string (a plain identifier);
        a bad one makes validationError() and fetch() report a Validation error. */
    PageCursor(Connection *connection, const QString &table, int pageSize = 100);
    /*! Copies share the position (implicitly shared). */
    PageCursor(const PageCursor &other);
    /*! Moves the position. */
    PageCursor(PageCursor &&other) noexcept;
    /*! Shares other's position. */
    PageCursor &operator=(const PageCursor &other);
    /*! Takes other's position. */
    PageCursor &operator=(PageCursor &&other) noexcept;
    ~PageCursor();

    /*! A SurrealQL condition; values only as bind variables ("age >= $min", {{"min", 18}}).
        The condition is code written by the program, never user input (see CrudHelpers).
        Variable names starting with "pc_" are the cursor's own. Set before the first fetch. */
    PageCursor &where(const QString &condition, const QVariantMap &vars = {});
    /*! "id" (or empty) orders by record id. A field path otherwise ("name", "address.city"). */
    PageCursor &orderBy(const QString &field, Qt::SortOrder order = Qt::AscendingOrder);
    /*! Rows per page (at least 1). Set before the first fetch. */
    PageCursor &setPageSize(int rows);
    /*! Rows read per request when a condition filters an id-ordered scan (default 1,000,
        at least the page size). */
    PageCursor &setScanWindow(int rows);

    /*! The table walked. */
    [[nodiscard]] Table table() const;
    /*! Rows per page. */
    [[nodiscard]] int pageSize() const;
    /*! The condition given to where(); empty for none. */
    [[nodiscard]] QString condition() const;
    /*! The condition's bind variables. */
    [[nodiscard]] QVariantMap variables() const;
    /*! The ordering field; "id" for id order. */
    [[nodiscard]] QString orderField() const; // "id" for id order
    /*! The order's direction. */
    [[nodiscard]] Qt::SortOrder sortOrder() const;
    /*! How pages are found; Unknown for a field order until the first fetch. */
    [[nodiscard]] Strategy strategy() const;
    /*! Rows returned before this position. */
    [[nodiscard]] qint64 position() const;
    /*! True once a fetch found the end: further fetches return empty pages without a request. */
    [[nodiscard]] bool atEnd() const;
    /*! The Validation error fetch() would fail with before sending anything; invalid if none. */
    [[nodiscard]] Error validationError() const;

    /*! The page at this position: up to pageSize records as stored (maps), in order, and the
        cursor after them. A page shorter than pageSize, or empty, comes with next.atEnd().
        The future finishes on the connection's I/O thread: continue with a context object.
        Failures: SurrealQt::Exception (Validation before any request, else the server's error). */
    [[nodiscard]] QFuture<Page> fetch() const;
    /*! Blocking twin of fetch(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    [[nodiscard]] Page fetchSync() const;
    /*! fetchSync() and move to the page's next cursor; returns the rows. */
    QVariantList nextSync();

private:
    QSharedDataPointer<PageCursorData> d;
    friend class PageCursorRunner;
};

/*! One page of rows and the cursor after them. */
struct PageCursor::Page
{
    /*! Up to pageSize records as stored, in order. */
    QVariantList rows;
    /*! The cursor after the page; next.atEnd() after the last. */
    PageCursor next;
};

} // namespace SurrealQt
