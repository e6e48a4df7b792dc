// The code shown in README.md, compiled by every CI build so the README cannot drift from the
// API. Each block between "// [name]" markers is a code block of the README, verbatim: the CTest
// doc_snippets_match_README_md fails when they differ.
#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>
#include <QtCore/QObject>

// [model]
#include <SurrealQt/SurrealQt>

class User : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(User)
    Q_CLASSINFO("name", "required maxLength=80")
    Q_CLASSINFO("email", "required unique")
    Q_CLASSINFO("createdAt", "autoNowAdd optional")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
};
// [model]

using namespace Qt::StringLiterals;

class ReadmeWindow : public QObject
{
    Q_OBJECT

public:
    void start()
    {
        // [manager]
        auto *db = new SurrealQt::DatabaseManager(QUrl(u"ws://127.0.0.1:8000"_s), u"shop"_s, u"main"_s,
                                                  SurrealQt::Credentials::root(u"root"_s, u"root"_s), this);
        db->open(); // requests made before it completes simply wait
        User::setDefaultConnection(db);
        // [manager]

        // [models]
        User::objects()
            .create({{u"name"_s, u"John"_s}, {u"email"_s, u"john@example.com"_s}, {u"age"_s, 30}})
            .then(this, [](const QSharedPointer<User> &john) {
                john->setAge(31);
                john->save(); // sends only the dirty field (and createdAt stays as stored)
            });
        User::objects()
            .filter(u"age__gte"_s, 18)
            .orderBy(u"-age"_s)
            .all()
            .then(this,
                  [](const QList<QSharedPointer<User>> &adults) { qInfo() << adults.size() << "adults"; });
        // [models]

        // [query]
        db->connection()
            ->query(u"SELECT * FROM user WHERE age < $max"_s, {{u"max"_s, 18}})
            .then(this, [](const SurrealQt::QueryResult &r) { qInfo() << r.value(0); }) // on this thread
            .onFailed(this, [](const SurrealQt::Exception &e) { qWarning() << e.error(); });
        // [query]

        // [helpers]
        auto *crud = new SurrealQt::CrudHelpers(db->connection(), this);
        crud->updateMany(u"user"_s, u"age < $max"_s, {{u"max"_s, 18}}, {{u"status"_s, u"minor"_s}},
                         SurrealQt::CrudHelpers::UpdateMode::Merge)
            .then(this, [](const QVariantList &updated) { qInfo() << updated.size() << "minors"; });
        auto *bulk = new SurrealQt::BulkOperations(db->connection(), {}, this);
        connect(bulk, &SurrealQt::BulkOperations::progress, this,
                [](qint64 done, qint64 total) { qInfo() << done << "/" << total; });
        bulk->bulkInsert(u"user"_s, SurrealQt::BulkSource(m_rows));
        // [helpers]

        // [listmodel]
        auto *model = new SurrealQt::QueryListModel(db->connection(), this);
        model->setTable(u"user"_s);
        model->setFilter(u"age >= $min"_s);
        model->setBindings({{u"min"_s, 18}});
        model->setOrderBy(u"name"_s);
        model->setLive(true); // rows appear, change, move and leave as the data does
        // view->setModel(model);
        // [listmodel]
    }

private:
    QVariantList m_rows;
};

#include "doc_snippets_readme.moc"
