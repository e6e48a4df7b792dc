#include <SurrealQt/pagecursor.h>

#include "connection/connectionlifeline_p.h"
#include "connection/syncwait_p.h"
#include "orm/keysetpager_p.h"
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

const QStringList reservedVariables{u"pc_range"_s, u"pc_n"_s, u"pc_window"_s, u"pc_tb"_s,    u"pc_v"_s,
                                    u"pc_id"_s,    u"pc_w"_s, u"pc_a"_s,      u"pc_b"_s,     u"pc_c"_s,
                                    u"pc_hi"_s,    u"pc_r"_s, u"pc_start"_s,  u"pc_tbname"_s};

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
    static QFuture<Page> byField(PageCursor cursor);
    static PageCursorData *data(PageCursor &cursor) { return cursor.d.data(); }
    static const PageCursorData *data(const PageCursor &cursor) { return cursor.d.constData(); }

    // The pages of this cursor (KeysetPager: one implementation for every pager of the library).
    static Internal::KeysetPager pager(const PageCursorData *d)
    {
        using Pager = Internal::KeysetPager;
        Pager::Spec spec;
        spec.table = d->table.name();
        spec.condition = d->condition;
        spec.descending = d->order == Qt::DescendingOrder;
        spec.prefix = u"pc_"_s;
        switch (d->strategy) {
        case PageCursor::Strategy::Unknown:
        case PageCursor::Strategy::KeyRange:
            spec.mode = Pager::Mode::IdRange;
            break;
        case PageCursor::Strategy::IndexedField:
            spec.mode = Pager::Mode::Indexed;
            spec.path = d->field;
            break;
        case PageCursor::Strategy::Offset:
            spec.mode = Pager::Mode::Offset;
            spec.path = d->field;
            spec.offsetOrder = Internal::escapedFieldPath(d->field) +
                               (spec.descending ? u" DESC, id DESC"_s : u" ASC, id ASC"_s);
            break;
        }
        return Pager(spec);
    }

    static Internal::KeysetPager::Position position(const PageCursorData *d)
    {
        Internal::KeysetPager::Position p;
        p.valid = d->hasLast;
        p.id = d->lastId;
        p.key = d->byId() ? QVariant::fromValue(d->lastId) : d->lastValue;
        p.offset = d->position;
        return p;
    }

    // Sends a page statement with the cursor's own variables.
    static QFuture<QueryResult> send(const PageCursorData *d, const Internal::KeysetPager::Statement &s)
    {
        QVariantMap vars = d->vars;
        vars.insert(s.vars);
        return d->query(s.text, vars);
    }

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
                d->lastValue = pager(d).keyOf(rows.last().toMap());
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
    case PageCursor::Strategy::Offset:
        return byField(cursor);
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
    const int needed = d->pageSize - int(collected.size());
    const QString ctx = context(d);

    if (d->order != Qt::AscendingOrder || d->condition.isEmpty()) {
        return send(d, pager(d).page(position(d), needed))
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
    return send(d, pager(d).window(position(d), window))
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

// Ordered by a field, with an index or by START. A short page is the end: the pager's text reads
// a short index walk again in (field, id) order (SurrealDB #7028).
QFuture<Page> PageCursorRunner::byField(PageCursor cursor)
{
    const PageCursorData *d = data(cursor);
    const QString ctx = context(d);
    const int n = d->pageSize;
    return send(d, pager(d).page(position(d), n))
        .then(QtFuture::Launch::Sync, [cursor, n, ctx](const QueryResult &result) {
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
