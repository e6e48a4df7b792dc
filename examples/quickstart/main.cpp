// SurrealQt quickstart: connect, write, query with bind variables, watch a live query, use the
// CRUD helpers, the model layer (the seed's example: create, filter(age__gte=18), save, delete)
// and a list model.
//
//   quickstart [ws://127.0.0.1:8000] [user] [password]

#include "person.h"

#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/query.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QUrl url(args.value(1, u"ws://127.0.0.1:8000"_s));
    QTextStream out(stdout);

    // [connect]
    DatabaseManager db(url, u"quickstart"_s, u"demo"_s,
                       Credentials::root(args.value(2, u"root"_s), args.value(3, u"root"_s)));
    QObject::connect(&db, &DatabaseManager::errorOccurred, &app,
                     [&out](const Error &e) { out << "error: " << e.toString() << Qt::endl; });
    // [connect]

    Connection *c = db.connection();
    LiveQuery *live = nullptr;
    QSharedPointer<Person> john;

    db.open()
        .then(&app,
              [&] {
                  out << "connected to " << url.toString() << Qt::endl;
                  return c->query(u"DEFINE TABLE OVERWRITE book SCHEMALESS; DELETE book;"
                                  u"DEFINE TABLE OVERWRITE person SCHEMALESS; DELETE person;"_s);
              })
        .unwrap()
        .then(&app,
              [&](const QueryResult &) {
                  if (!db.isWebSocket())
                      return QtFuture::makeReadyFuture(QUuid());
                  live = c->live(Table(u"book"_s), &app);
                  QObject::connect(live, &LiveQuery::notification, &app, [&out](const LiveNotification &n) {
                      out << "  live: " << QVariant::fromValue(n.action()).toString() << ' '
                          << n.record().toString() << Qt::endl;
                  });
                  return live->started();
              })
        .unwrap()
        .then(&app,
              [&](const QUuid &) {
                  return c->insert(
                      QVariant::fromValue(Table(u"book"_s)),
                      QVariantList{
                          QVariantMap{{u"id"_s, u"dune"_s}, {u"title"_s, u"Dune"_s}, {u"pages"_s, 412}},
                          QVariantMap{{u"id"_s, u"emma"_s}, {u"title"_s, u"Emma"_s}, {u"pages"_s, 474}},
                          QVariantMap{
                              {u"id"_s, u"coraline"_s}, {u"title"_s, u"Coraline"_s}, {u"pages"_s, 162}}});
              })
        .unwrap()
        .then(&app,
              [&](const QVariant &inserted) {
                  out << "inserted " << inserted.toList().size() << " books" << Qt::endl;
                  // Values always travel as bind variables, never inside the query text.
                  // [bound-query]
                  return c->query(u"SELECT title, pages FROM book WHERE pages > $min ORDER BY pages"_s,
                                  {{u"min"_s, 400}});
                  // [bound-query]
              })
        .unwrap()
        .then(&app,
              [&](const QueryResult &result) {
                  out << "books with more than 400 pages:" << Qt::endl;
                  const QVariantList rows = result.last().toList();
                  for (const QVariant &row : rows) {
                      const QVariantMap book = row.toMap();
                      out << "  " << book.value(u"title"_s).toString() << " ("
                          << book.value(u"pages"_s).toLongLong() << " pages)" << Qt::endl;
                  }
                  if (rows.size() != 2)
                      throw Exception(Error(Error::Kind::Query, u"expected 2 books over 400 pages"_s));
                  // The CRUD helpers: one result shape per call, refused writes are errors.
                  auto *helpers = new CrudHelpers(c, &app);
                  return helpers
                      ->updateOne(RecordId(u"book"_s, u"emma"_s), {{u"pages"_s, 480}},
                                  CrudHelpers::UpdateMode::Merge)
                      .then(&app,
                            [&out, helpers](const QVariantMap &emma) {
                                out << "helpers: " << emma.value(u"title"_s).toString() << " now has "
                                    << emma.value(u"pages"_s).toLongLong() << " pages" << Qt::endl;
                                return helpers->count(u"book"_s, u"pages < $max"_s, {{u"max"_s, 300}});
                            })
                      .unwrap();
              })
        .unwrap()
        .then(&app,
              [&](qint64 shortBooks) {
                  out << "helpers: " << shortBooks << " book(s) under 300 pages" << Qt::endl;
                  // The model layer: Person (person.h) is a QObject whose Q_PROPERTYs are the
                  // record's fields. create() validates, writes and returns the stored object.
                  // [model-create]
                  Person::setDefaultConnection(c);
                  return Person::objects().create(
                      {{u"name"_s, u"John"_s}, {u"email"_s, u"john@example.com"_s}, {u"age"_s, 30}});
                  // [model-create]
              })
        .unwrap()
        .then(&app,
              [&](const QSharedPointer<Person> &created) {
                  john = created;
                  out << "model: created " << john->id().toString() << " (" << john->name() << ", "
                      << john->age() << ")" << Qt::endl;
                  return Person::objects().create({{u"name"_s, u"Tim"_s}, {u"age"_s, 12}});
              })
        .unwrap()
        .then(&app,
              [&](const QSharedPointer<Person> &) {
                  // [model-filter]
                  // Django-style lookups become bound SurrealQL: WHERE age >= $p0.
                  return Person::objects().filter(u"age__gte"_s, 18).all();
                  // [model-filter]
              })
        .unwrap()
        .then(&app,
              [&](const QList<QSharedPointer<Person>> &adults) {
                  out << "model: " << adults.size() << " adult(s):";
                  for (const auto &p : adults)
                      out << ' ' << p->name();
                  out << Qt::endl;
                  if (adults.size() != 1)
                      throw Exception(Error(Error::Kind::Query, u"expected 1 adult"_s));
                  // [model-save]
                  john->setAge(31);
                  // A stored object sends only its dirty fields (here: age).
                  return john->save();
                  // [model-save]
              })
        .unwrap()
        .then(&app,
              [&] {
                  out << "model: saved " << john->name() << ", now " << john->age() << Qt::endl;
                  // [model-remove]
                  return john->remove();
                  // [model-remove]
              })
        .unwrap()
        .then(&app, [&] { return Person::objects().count(); })
        .unwrap()
        .then(&app,
              [&](qint64 people) {
                  out << "model: deleted " << john->name() << "; " << people << " person left" << Qt::endl;
                  if (people != 1)
                      throw Exception(Error(Error::Kind::Query, u"expected 1 person left"_s));
                  // A list model for item views (QListView, QTableView, QML ListView): paged,
                  // and live, so it follows the table's changes.
                  auto *model = new QueryListModel(c, &app);
                  model->setTable(u"book"_s);
                  model->setOrderBy(u"pages"_s);
                  model->setLive(db.isWebSocket());
                  QObject::connect(
                      model, &QueryListModel::statusChanged, &app,
                      [&app, &out, model](QueryListModel::Status status) {
                          if (status == QueryListModel::Failed) {
                              out << "list model: " << model->errorString() << Qt::endl;
                              app.exit(1);
                          }
                          if (status != QueryListModel::Ready)
                              return;
                          out << "list model: " << model->rowCount() << " rows, by pages:" << Qt::endl;
                          const int title = model->roleForField(u"title"_s);
                          for (int row = 0; row < model->rowCount(); ++row)
                              out << "  " << model->index(row).data(title).toString() << Qt::endl;
                          // Give the live notifications a moment to arrive, then finish.
                          QTimer::singleShot(500, &app, [&app, &out, ok = model->rowCount() == 3] {
                              out << "done" << Qt::endl;
                              app.exit(ok ? 0 : 1);
                          });
                      });
              })
        .onFailed(&app, [&](const Exception &e) {
            out << "failed: " << e.error().toString() << Qt::endl;
            app.exit(1);
        });

    return app.exec();
}
