// Code shown in docs/views/delegates.md. Compiled with tst_itemdelegate so the examples cannot
// drift from the API; each function is one snippet.

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/widgets/surrealitemdelegate.h>

#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;

namespace DocSnippets {

void showBooks(SurrealQt::DatabaseManager *db, QTableView *view)
{
    // [delegate]
    // book: title (string), author (record<author>), published (datetime), price (decimal),
    // loan (option<duration>)
    auto *books = new SurrealQt::QueryListModel(db->connection(), view);
    books->setTable(u"book"_s);
    books->setColumns({u"title"_s, u"author"_s, u"published"_s, u"price"_s, u"loan"_s});
    books->setLive(true);

    // The authors a book can link to, shown by name.
    auto *authors = new SurrealQt::QueryListModel(db->connection(), view);
    authors->setTable(u"author"_s);
    authors->setDisplayField(u"name"_s);

    auto *delegate = new SurrealQt::SurrealItemDelegate(view);
    delegate->setRecordChoices(1, authors); // author: a combo box of author names
    // loan is NONE until a book is lent: edit those cells as durations too.
    delegate->setColumnType(4, QMetaType::fromType<SurrealQt::Duration>());
    view->setItemDelegate(delegate);
    view->setModel(books);
    // [delegate]
}

} // namespace DocSnippets
