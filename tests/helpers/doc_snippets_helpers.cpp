// The examples of docs/helpers/crud-helpers.md, compiled (and run by tst_crudhelpers_docs) so
// the documentation cannot drift from the API. Each snippet sits between [name] markers.

#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/pagecursor.h>
#include <SurrealQt/synccrudhelpers.h>

#include <QtCore/QDebug>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace DocSnippets {

// [async]
void asyncExample(DatabaseManager *db, QObject *context)
{
    auto *crud = new CrudHelpers(db->connection(), context);
    // One signal per completed operation, on crud's thread.
    QObject::connect(crud, &CrudHelpers::inserted, context,
                     [](const QVariantList &records) { qDebug() << "stored" << records.size(); });
    QObject::connect(crud, &CrudHelpers::errorOccurred, context,
                     [](const Error &error) { qWarning() << error.toString(); });

    // Or the future of each call; continue with a context object.
    crud->insertOne(u"person"_s, {{u"name"_s, u"Ann"_s}, {u"age"_s, 17}})
        .then(context, [](const QVariantMap &stored) { qDebug() << "new id" << stored.value(u"id"_s); });

    // Filters are SurrealQL; values only as bind variables.
    crud->selectMany(u"person"_s, u"age < $max"_s, {{u"max"_s, 18}}, /*limit*/ 50, /*offset*/ 0, u"name"_s)
        .then(context, [](const QVariantList &minors) { qDebug() << minors.size() << "minors"; })
        .onFailed(context, [](const Exception &e) { qWarning() << e.error().toString(); });
}
// [async]

// [sync]
qint64 syncExample(Connection *connection)
{
    SyncCrudHelpers crud(connection); // on a worker thread or in a console tool
    const QVariantMap ann = crud.insertOne(u"person"_s, {{u"name"_s, u"Ann"_s}, {u"age"_s, 17}});
    const RecordId id = ann.value(u"id"_s).value<RecordId>();
    crud.updateOne(id, {{u"age"_s, 18}}, SyncCrudHelpers::UpdateMode::Merge);
    try {
        crud.deleteOne(RecordId(u"person"_s, u"nobody"_s));
    } catch (const Exception &e) {
        // NotFound: the record does not exist (or a permission rule hides it).
        Q_ASSERT(e.error().kind() == Error::Kind::NotFound);
    }
    return crud.count(u"person"_s, u"age >= $min"_s, {{u"min"_s, 18}});
}
// [sync]

// [upsert]
QVariantList upsertExample(Connection *connection)
{
    SyncCrudHelpers crud(connection);
    const QVariantList rows{QVariantMap{{u"email"_s, u"ann@example.com"_s}, {u"plan"_s, u"pro"_s}},
                            QVariantMap{{u"email"_s, u"bob@example.com"_s}, {u"plan"_s, u"free"_s}}};
    // Without a UNIQUE index on email this throws a Validation error quoting
    //   DEFINE INDEX IF NOT EXISTS person_email_unique ON TABLE person FIELDS email UNIQUE
    // createIndex = true defines that index first.
    return crud.upsertMany(u"person"_s, rows, u"email"_s, /*createIndex*/ true);
}
// [upsert]

// [pager]
QVariantList pagerExample(Connection *connection)
{
    PageCursor cursor(connection, Table(u"person"_s), 100);
    cursor.where(u"age >= $min"_s, {{u"min"_s, 18}}).orderBy(u"name"_s);
    QVariantList everyone;
    while (!cursor.atEnd())
        everyone += cursor.nextSync(); // each page costs the same wherever it is (index on name)
    return everyone;
}

void asyncPagerExample(const PageCursor &cursor, QObject *context, std::function<void(QVariantList)> append)
{
    cursor.fetch().then(context, [context, append](const PageCursor::Page &page) {
        append(page.rows);
        if (!page.next.atEnd())
            asyncPagerExample(page.next, context, append);
    });
}
// [pager]

// include/SurrealQt/pagecursor.h
class PersonPager : public QObject
{
public:
    void start(DatabaseManager *db)
    {
        // [pagecursor-header]
        PageCursor cursor(db->connection(), Table(u"person"_s), 100);
        cursor.where(u"age >= $min"_s, {{u"min"_s, 18}}).orderBy(u"name"_s);
        cursor.fetch().then(this, [this](const PageCursor::Page &page) {
            append(page.rows);
            m_cursor = page.next; // fetch again from here; page.next.atEnd() when done
        });
        // [pagecursor-header]
    }

private:
    void append(const QVariantList &rows) { m_rows += rows; }

    PageCursor m_cursor;
    QVariantList m_rows;
};

void startPager(DatabaseManager *db, QObject *parent)
{
    auto *pager = new PersonPager;
    pager->setParent(parent);
    pager->start(db);
}

} // namespace DocSnippets
