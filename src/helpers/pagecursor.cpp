#include <SurrealQt/pagecursor.h>

#include "connection/connectionlifeline_p.h"
#include "connection/syncwait_p.h"
#include "validation_p.h"

#include <SurrealQt/bound.h>
#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/range.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class PageCursorData : public QSharedData
{
public:
    // Read on the I/O thread by the continuations of a page: a QPointer there raced with the
    // owner deleting the connection (see connectionlifeline_p.h).
    std::shared_ptr<Internal::ConnectionLifeline> connection;
    Table table;
    Error constructionError;
    int pageSize = 100;
    int scanWindow = 1000;
    QString condition;
    QVariantMap vars;
    QString field = u"id"_s;
    Qt::SortOrder order = Qt::AscendingOrder;
    PageCursor::Strategy strategy = PageCursor::Strategy::KeyRange;
    qint64 position = 0;
    bool atEnd = false;
    // Where the previous page ended: the last row's (or, for a filtered window, the last
    // scanned row's) id, and for field orders the last row's field value.
    bool hasLast = false;
    RecordId lastId;
    QVariant lastValue;

    [[nodiscard]] bool byId() const { return field == u"id"; }
    [[nodiscard]] bool hasConnection() const { return connection && connection->isAlive(); }
    // Sends through the connection if it still lives; otherwise a future failed with Cancelled.
    [[nodiscard]] QFuture<QueryResult> query(const QString &sql, const QVariantMap &vars) const
    {
        QFuture<QueryResult> sent;
        if (connection && connection->use([&](Connection *c) { sent = c->query(sql, vars); }))
            return sent;
        return QtFuture::makeExceptionalFuture<QueryResult>(
            Exception(Error(Error::Kind::Cancelled, u"The connection is gone"_s, u"PageCursor"_s)));
    }
    [[nodiscard]] QString whereAnd(const QString &more) const
    {
        if (condition.isEmpty())
            return more.isEmpty() ? QString() : u" WHERE "_s + more;
        return u" WHERE ("_s + condition + u")"_s + (more.isEmpty() ? QString() : u" AND "_s + more);
    }
};

namespace {

using Page = PageCursor::Page;

const QStringList reservedVariables{u"pc_range"_s, u"pc_n"_s,     u"pc_window"_s, u"pc_tb"_s,
                                    u"pc_v"_s,     u"pc_id"_s,    u"pc_w"_s,      u"pc_a"_s,
                                    u"pc_b"_s,     u"pc_start"_s, u"pc_tbname"_s};

QVariant fieldValue(const QVariantMap &row, const QString &path)
{
    QVariant value = row;
    for (const auto part : QStringView(path).split(u'.'))
        value = value.toMap().value(part.toString());
    return value;
}

RecordId rowId(const QVariant &row)
{
    return row.toMap().value(u"id"_s).value<RecordId>();
}

QVariant checkedLast(const QueryResult &result, const QString &context)
{
    if (!result.isOk())
        throw Exception(result.firstError().setContext(context));
    return result.last();
}

} // namespace

// Everything that runs a request lives here, with access to the shared data.
class PageCursorRunner
{
public:
    static QFuture<Page> step(PageCursor cursor, QVariantList collected);
    static QFuture<Page> detectStrategy(PageCursor cursor);
    static QFuture<Page> keyRange(PageCursor cursor, QVariantList collected);
    static QFuture<Page> indexedField(PageCursor cursor);
    static QFuture<Page> offset(PageCursor cursor);
    static PageCursorData *data(PageCursor &cursor) { return cursor.d.data(); }
    static const PageCursorData *data(const PageCursor &cursor) { return cursor.d.constData(); }

    static QString context(const PageCursorData *d)
    {
        return u"PageCursor over %1 ordered by %2"_s.arg(d->table.toSurrealQL(), d->field);
    }

    // The cursor after `rows`, the last of which becomes the position.
    static PageCursor advanced(PageCursor cursor, const QVariantList &rows, bool end)
    {
        PageCursorData *d = data(cursor);
        d->position += rows.size();
        d->atEnd = end;
        if (!rows.isEmpty()) {
            d->hasLast = true;
            d->lastId = rowId(rows.last());
            if (!d->byId())
                d->lastValue = fieldValue(rows.last().toMap(), d->field);
        }
        return cursor;
    }
};

QFuture<Page> PageCursorRunner::step(PageCursor cursor, QVariantList collected)
{
    const PageCursorData *d = data(cursor);
    if (d->atEnd)
        return QtFuture::makeReadyFuture(Page{std::move(collected), cursor});
    switch (d->strategy) {
    case PageCursor::Strategy::Unknown:
        return detectStrategy(cursor);
    case PageCursor::Strategy::KeyRange:
        return keyRange(cursor, std::move(collected));
    case PageCursor::Strategy::IndexedField:
        return indexedField(cursor);
    case PageCursor::Strategy::Offset:
        return offset(cursor);
    }
    return {};
}

QFuture<Page> PageCursorRunner::detectStrategy(PageCursor cursor)
{
    const PageCursorData *d = data(cursor);
    const QString ctx = context(d);
    return d->query(u"INFO FOR TABLE $pc_tbname STRUCTURE"_s, {{u"pc_tbname"_s, d->table.name()}})
        .then(QtFuture::Launch::Sync,
              [cursor, ctx](const QueryResult &result) mutable {
                  const QVariantList indexes = checkedLast(result, ctx).toMap().value(u"indexes"_s).toList();
                  PageCursorData *d = data(cursor);
                  d->strategy = PageCursor::Strategy::Offset;
                  for (const QVariant &index : indexes) {
                      const QVariantList cols = index.toMap().value(u"cols"_s).toList();
                      if (!cols.isEmpty() &&
                          (cols.first().toString() == d->field ||
                           cols.first().toString() == Internal::escapedFieldPath(d->field)))
                          d->strategy = PageCursor::Strategy::IndexedField;
                  }
                  return step(cursor, {});
              })
        .unwrap();
}

QFuture<Page> PageCursorRunner::keyRange(PageCursor cursor, QVariantList collected)
{
    const PageCursorData *d = data(cursor);
    const bool ascending = d->order == Qt::AscendingOrder;
    const Bound after = d->hasLast ? Bound::excluded(d->lastId.id()) : Bound::unbounded();
    const Range range = ascending ? Range(after, Bound::unbounded()) : Range(Bound::unbounded(), after);
    QVariantMap vars = d->vars;
    // type::record($range), not FROM $range: on 3.0.2 only the former stops reading at LIMIT
    // (measured: FROM $range reads the whole rest of the table, ~1 s at 100,000 rows).
    vars.insert(u"pc_range"_s, QVariant::fromValue(RecordId(d->table.name(), QVariant::fromValue(range))));
    const int needed = d->pageSize - int(collected.size());
    const QString ctx = context(d);

    if (!ascending) {
        // type::record(range) applies LIMIT before ORDER BY on 3.0.2 (it returned the first n keys,
        // reversed), so descending pages read the range from a variable, which is correct but
        // reads everything below the position.
        vars.insert(u"pc_n"_s, needed);
        const QString sql =
            u"SELECT * FROM $pc_range"_s + d->whereAnd({}) + u" ORDER BY id DESC LIMIT $pc_n"_s;
        return d->query(sql, vars).then(
            QtFuture::Launch::Sync, [cursor, collected, needed, ctx](const QueryResult &result) mutable {
                const QVariantList rows = checkedLast(result, ctx).toList();
                collected += rows;
                return Page{collected, advanced(cursor, rows, rows.size() < needed)};
            });
    }
    if (d->condition.isEmpty()) {
        vars.insert(u"pc_n"_s, needed);
        return d->query(u"SELECT * FROM type::record($pc_range) LIMIT $pc_n"_s, vars)
            .then(QtFuture::Launch::Sync,
                  [cursor, collected, needed, ctx](const QueryResult &result) mutable {
                      const QVariantList rows = checkedLast(result, ctx).toList();
                      collected += rows;
                      return Page{collected, advanced(cursor, rows, rows.size() < needed)};
                  });
    }

    // A WHERE over a key range makes 3.0.2 evaluate the whole rest of the range before LIMIT,
    // so the range is read in fixed windows and each window is filtered.
    const int window = std::max(d->scanWindow, d->pageSize);
    vars.insert(u"pc_window"_s, window);
    const QString sql = u"LET $pc_w = (SELECT * FROM type::record($pc_range) LIMIT $pc_window);\n"
                        "RETURN { rows: (SELECT * FROM $pc_w"_s +
                        d->whereAnd({}) + u"), scanned: array::len($pc_w), last: array::last($pc_w).id };"_s;
    return d->query(sql, vars)
        .then(QtFuture::Launch::Sync,
              [cursor, collected, needed, window, ctx](const QueryResult &result) mutable -> QFuture<Page> {
                  const QVariantMap reply = checkedLast(result, ctx).toMap();
                  const QVariantList rows = reply.value(u"rows"_s).toList();
                  const qint64 scanned = reply.value(u"scanned"_s).toLongLong();
                  if (rows.size() >= needed) {
                      const QVariantList taken = rows.mid(0, needed);
                      collected += taken;
                      // Exactly full at the last window's end: the next fetch finds the end.
                      return QtFuture::makeReadyFuture(Page{collected, advanced(cursor, taken, false)});
                  }
                  collected += rows;
                  PageCursor next = advanced(cursor, rows, scanned < window);
                  if (scanned > 0) {
                      // Continue after the last row read, matched or not.
                      PageCursorData *nd = data(next);
                      nd->hasLast = true;
                      nd->lastId = reply.value(u"last"_s).value<RecordId>();
                  }
                  if (data(next)->atEnd)
                      return QtFuture::makeReadyFuture(Page{collected, next});
                  // position counts returned rows only: undo the partial count, step() re-adds.
                  data(next)->position -= rows.size();
                  return step(next, collected).then(QtFuture::Launch::Sync, [n = rows.size()](Page page) {
                      data(page.next)->position += n;
                      return page;
                  });
              })
        .unwrap();
}

QFuture<Page> PageCursorRunner::indexedField(PageCursor cursor)
{
    const PageCursorData *d = data(cursor);
    const bool asc = d->order == Qt::AscendingOrder;
    const QString f = Internal::escapedFieldPath(d->field);
    const QString dir = asc ? u""_s : u" DESC"_s;
    const QString orderBy = u" ORDER BY "_s + f + dir + u", id"_s + dir;
    QVariantMap vars = d->vars;
    // The table is written into the text (escaped): FROM type::table($tb) applies LIMIT before
    // ORDER BY on 3.0.2, which returns the wrong rows.
    const QString from = u"SELECT * FROM "_s + d->table.toSurrealQL();
    vars.insert(u"pc_n"_s, d->pageSize);
    QString sql;
    if (!d->hasLast) {
        sql = from + d->whereAnd({}) + orderBy + u" LIMIT $pc_n"_s;
    } else {
        // Two index range scans instead of one OR: 3.0.2 answers `f > $v OR (f = $v AND id > $id)`
        // with a full scan and sort (seconds at 100,000 rows).
        vars.insert(u"pc_v"_s, d->lastValue);
        vars.insert(u"pc_id"_s, QVariant::fromValue(d->lastId));
        const QString cmp = asc ? u">"_s : u"<"_s;
        sql = u"LET $pc_a = ("_s + from + d->whereAnd(f + u" = $pc_v AND id "_s + cmp + u" $pc_id"_s) +
              u" ORDER BY id"_s + dir + u" LIMIT $pc_n);\nLET $pc_b = ("_s + from +
              d->whereAnd(f + u" "_s + cmp + u" $pc_v"_s) + orderBy +
              u" LIMIT $pc_n);\nRETURN array::slice(array::concat($pc_a, $pc_b), 0, $pc_n);"_s;
    }
    const QString ctx = context(d);
    const int n = d->pageSize;
    return d->query(sql, vars).then(QtFuture::Launch::Sync, [cursor, n, ctx](const QueryResult &result) {
        const QVariantList rows = checkedLast(result, ctx).toList();
        return Page{rows, advanced(cursor, rows, rows.size() < n)};
    });
}

QFuture<Page> PageCursorRunner::offset(PageCursor cursor)
{
    const PageCursorData *d = data(cursor);
    const QString dir = d->order == Qt::AscendingOrder ? u""_s : u" DESC"_s;
    QVariantMap vars = d->vars;
    vars.insert(u"pc_n"_s, d->pageSize);
    vars.insert(u"pc_start"_s, d->position);
    const QString sql = u"SELECT * FROM "_s + d->table.toSurrealQL() + d->whereAnd({}) + u" ORDER BY "_s +
                        Internal::escapedFieldPath(d->field) + dir + u", id"_s + dir +
                        u" LIMIT $pc_n START $pc_start"_s;
    const QString ctx = context(d);
    const int n = d->pageSize;
    return d->query(sql, vars).then(QtFuture::Launch::Sync, [cursor, n, ctx](const QueryResult &result) {
        const QVariantList rows = checkedLast(result, ctx).toList();
        return Page{rows, advanced(cursor, rows, rows.size() < n)};
    });
}

PageCursor::PageCursor()
    : d(new PageCursorData)
{
    d->constructionError =
        Error(Error::Kind::Validation, u"The cursor has no connection and no table"_s, u"PageCursor"_s);
}

PageCursor::PageCursor(Connection *connection, const Table &table, int pageSize)
    : d(new PageCursorData)
{
    d->connection = Internal::ConnectionLifeline::of(connection);
    d->table = table;
    d->pageSize = pageSize;
    d->constructionError = Internal::checkTable(table, u"PageCursor"_s);
}

PageCursor::PageCursor(Connection *connection, const QString &table, int pageSize)
    : PageCursor(connection, Table(table), pageSize)
{
    if (!d->constructionError.isValid())
        d->constructionError = Internal::checkTableName(table, u"PageCursor"_s);
}

PageCursor::PageCursor(const PageCursor &other) = default;
PageCursor::PageCursor(PageCursor &&other) noexcept = default;
PageCursor &PageCursor::operator=(const PageCursor &other) = default;
PageCursor &PageCursor::operator=(PageCursor &&other) noexcept = default;
PageCursor::~PageCursor() = default;

PageCursor &PageCursor::where(const QString &condition, const QVariantMap &vars)
{
    d->condition = condition;
    d->vars = vars;
    return *this;
}

PageCursor &PageCursor::orderBy(const QString &field, Qt::SortOrder order)
{
    d->field = field.isEmpty() ? u"id"_s : field;
    d->order = order;
    d->strategy = d->byId() ? Strategy::KeyRange : Strategy::Unknown;
    return *this;
}

PageCursor &PageCursor::setPageSize(int rows)
{
    d->pageSize = rows;
    return *this;
}

PageCursor &PageCursor::setScanWindow(int rows)
{
    d->scanWindow = rows;
    return *this;
}

Table PageCursor::table() const
{
    return d->table;
}
int PageCursor::pageSize() const
{
    return d->pageSize;
}
QString PageCursor::condition() const
{
    return d->condition;
}
QVariantMap PageCursor::variables() const
{
    return d->vars;
}
QString PageCursor::orderField() const
{
    return d->field;
}
Qt::SortOrder PageCursor::sortOrder() const
{
    return d->order;
}
PageCursor::Strategy PageCursor::strategy() const
{
    return d->strategy;
}
qint64 PageCursor::position() const
{
    return d->position;
}
bool PageCursor::atEnd() const
{
    return d->atEnd;
}

Error PageCursor::validationError() const
{
    const QString ctx = u"PageCursor"_s;
    if (d->constructionError.isValid())
        return d->constructionError;
    if (!d->hasConnection())
        return Error(Error::Kind::Validation, u"The cursor has no connection (or it was destroyed)"_s, ctx);
    if (d->pageSize < 1)
        return Error(Error::Kind::Validation, u"The page size must be at least 1, not %1"_s.arg(d->pageSize),
                     ctx);
    if (d->scanWindow < 1)
        return Error(Error::Kind::Validation,
                     u"The scan window must be at least 1, not %1"_s.arg(d->scanWindow), ctx);
    if (!d->byId()) {
        if (Error e = Internal::checkFieldPath(d->field, ctx); e.isValid())
            return e;
    }
    if (!d->condition.isEmpty()) {
        if (Error e = Internal::checkFilterSyntax(d->condition, ctx); e.isValid())
            return e;
    }
    return Internal::checkVariables(d->vars, reservedVariables, ctx);
}

QFuture<PageCursor::Page> PageCursor::fetch() const
{
    if (Error e = validationError(); e.isValid())
        return Internal::failedFuture<Page>(e);
    return PageCursorRunner::step(*this, {});
}

PageCursor::Page PageCursor::fetchSync() const
{
    return blockOn("PageCursor::fetchSync", [this] { return fetch(); });
}

QVariantList PageCursor::nextSync()
{
    Page page = fetchSync();
    *this = page.next;
    return page.rows;
}

} // namespace SurrealQt
