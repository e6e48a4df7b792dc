// Built against the installed package with the headers surrealqt-inspect wrote for the database
// of schema.surql (-Wall -Wextra -Werror): the generated models plan no change against the
// database they came from, read its records and write new ones.
#include "knows.h"
#include "loose.h"
#include "note.h"
#include "person.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

using namespace Qt::StringLiterals;

static QTextStream out(stdout);

template<typename T>
static bool plansNothing(const SurrealQt::SchemaOptions &options)
{
    const QList<SurrealQt::SchemaChange> changes = SurrealQt::Schema().planSync<T>(options);
    for (const SurrealQt::SchemaChange &change : changes)
        out << T::staticMetaObject.className() << ": " << change.statement() << Qt::endl;
    return changes.isEmpty();
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 4)
        return 2;
    SurrealQt::DatabaseManager db(
        QUrl(QString::fromLocal8Bit(argv[1])), u"install"_s, u"inspect"_s,
        SurrealQt::Credentials::root(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3])));
    try {
        db.openSync();
        SurrealQt::Model::setDefaultConnection(&db);
        bool ok = plansNothing<Person>({.schemafull = true});
        ok = plansNothing<Knows>({}) && ok;

        const QList<QSharedPointer<Person>> people = Person::objects().orderBy(u"name"_s).allSync();
        ok = ok && people.size() == 2 && people.at(0)->name() == u"Ada"_s && people.at(0)->age() == 36 &&
             people.at(0)->tags() == QStringList{u"math"_s, u"engines"_s} &&
             people.at(0)->balance() == SurrealQt::Decimal::fromString(u"12.50"_s) &&
             people.at(1)->best() == SurrealQt::RecordId(u"person"_s, u"ada"_s) && people.at(1)->age() == 18;

        Person grace;
        grace.setName(u"Grace"_s);
        grace.setEmail(u"grace@example.com"_s);
        grace.setBorn(SurrealQt::DateTime::fromString(u"1906-12-09T00:00:00Z"_s));
        grace.setScores({1, 2, 3});
        grace.saveSync();
        const auto back = Person::objects().getSync(grace.id());
        ok = ok && back && back->scores() == QList<qint64>{1, 2, 3} && back->created().isValid();

        const QList<QSharedPointer<Loose>> loose = Loose::objects().orderBy(u"n"_s).allSync();
        ok = ok && loose.size() == 2 && loose.at(1)->title() == u"second"_s && loose.at(1)->n() == 2;
        out << "people " << people.size() << ", loose " << loose.size()
            << (ok ? ", all as expected" : ", WRONG") << Qt::endl;
        return ok ? 0 : 1;
    } catch (const SurrealQt::Exception &e) {
        out << "failed: " << e.error().message() << Qt::endl;
        return 1;
    }
}
