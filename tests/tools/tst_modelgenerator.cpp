// surrealqt-inspect's generator on what the engine answers to INFO FOR … STRUCTURE (captured
// from surreal-local 3.0), without a server. The round trip against a real database, with the
// generated headers compiled and used, is tests/install/check.cmake.
#include "modelgenerator.h"

#include <SurrealQt/SurrealQt>

#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace SurrealQt::Inspect;

namespace {

QVariantMap json(const char *text)
{
    return QJsonDocument::fromJson(text).toVariant().toMap();
}

QVariantMap field(const QString &name, const QString &kind, const QVariantMap &extra = {})
{
    QVariantMap f{{u"name"_s, name}, {u"kind"_s, kind}, {u"readonly"_s, false}, {u"table"_s, u"person"_s}};
    f.insert(extra);
    return f;
}

} // namespace

class tst_ModelGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classNames_data();
    void classNames();
    void fieldTypesAndOptions_data();
    void fieldTypesAndOptions();
    void unmappableConstructsAreListed();
    void schemalessTablesAreInferredFromSamples();
    void edgeTables();
};

void tst_ModelGenerator::classNames_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("className");
    QTest::newRow("plain") << u"person"_s << u"Person"_s;
    QTest::newRow("snake") << u"blog_post"_s << u"BlogPost"_s;
    QTest::newRow("digits first") << u"2024_sales"_s << u"Table2024Sales"_s;
    QTest::newRow("punctuation") << u"order-line item"_s << u"OrderLineItem"_s;
}

void tst_ModelGenerator::classNames()
{
    QFETCH(QString, table);
    QFETCH(QString, className);
    QCOMPARE(ModelGenerator::classNameFor(table), className);
}

void tst_ModelGenerator::fieldTypesAndOptions_data()
{
    QTest::addColumn<QVariantMap>("definition");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("classInfo"); // empty: none expected

    QTest::newRow("required string with max length")
        << field(u"name"_s, u"string"_s,
                 {{u"assert"_s, u"string::len($value) > 0 AND string::len($value) <= 80"_s}})
        << u"SURREALQT_FIELD(QString, name, setName)"_s
        << u"Q_CLASSINFO(\"name\", \"required maxLength=80\")"_s;
    QTest::newRow("option string") << field(u"nickname"_s, u"none | string"_s)
                                   << u"SURREALQT_FIELD(QString, nickname, setNickname)"_s << QString();
    QTest::newRow("optional with assert and comment")
        << field(u"bio"_s, u"none | string"_s,
                 {{u"assert"_s, u"$value == NONE OR string::len($value) <= 500"_s},
                  {u"comment"_s, u"About them"_s}})
        << u"SURREALQT_FIELD(QString, bio, setBio)"_s
        << u"Q_CLASSINFO(\"bio\", \"optional maxLength=500 description='About them'\")"_s;
    QTest::newRow("int default") << field(u"age"_s, u"int"_s, {{u"default"_s, u"18"_s}})
                                 << u"SURREALQT_FIELD(qint64, age, setAge)"_s
                                 << u"Q_CLASSINFO(\"age\", \"default=18\")"_s;
    QTest::newRow("required datetime")
        << field(u"born"_s, u"datetime"_s) << u"SURREALQT_FIELD(SurrealQt::DateTime, born, setBorn)"_s
        << u"Q_CLASSINFO(\"born\", \"required\")"_s;
    QTest::newRow("created") << field(u"created"_s, u"datetime"_s,
                                      {{u"default"_s, u"time::now()"_s}, {u"readonly"_s, true}})
                             << u"SURREALQT_FIELD(SurrealQt::DateTime, created, setCreated)"_s
                             << u"Q_CLASSINFO(\"created\", \"autoNowAdd readOnly\")"_s;
    QTest::newRow("duration") << field(u"nap"_s, u"none | duration"_s)
                              << u"SURREALQT_FIELD(SurrealQt::Duration, nap, setNap)"_s << QString();
    QTest::newRow("decimal") << field(u"balance"_s, u"none | decimal"_s)
                             << u"SURREALQT_FIELD(SurrealQt::Decimal, balance, setBalance)"_s << QString();
    QTest::newRow("uuid") << field(u"token"_s, u"none | uuid"_s)
                          << u"SURREALQT_FIELD(QUuid, token, setToken)"_s << QString();
    QTest::newRow("link") << field(u"best"_s, u"none | record<person>"_s)
                          << u"SURREALQT_FIELD(SurrealQt::RecordId, best, setBest)"_s
                          << u"Q_CLASSINFO(\"best\", \"link=person\")"_s;
    QTest::newRow("links") << field(u"friends"_s, u"none | array<record<person>>"_s)
                           << u"SURREALQT_FIELD(QList<SurrealQt::RecordId>, friends, setFriends)"_s
                           << u"Q_CLASSINFO(\"friends\", \"link=person\")"_s;
    QTest::newRow("strings") << field(u"tags"_s, u"none | array<string>"_s)
                             << u"SURREALQT_FIELD(QStringList, tags, setTags)"_s << QString();
    QTest::newRow("bools") << field(u"flags"_s, u"none | array<bool>"_s)
                           << u"SURREALQT_FIELD(QVariantList, flags, setFlags)"_s
                           << u"Q_CLASSINFO(\"flags\", \"of=bool\")"_s;
    QTest::newRow("object") << field(u"meta"_s, u"none | object"_s)
                            << u"SURREALQT_FIELD(QVariantMap, meta, setMeta)"_s << QString();
    QTest::newRow("any") << field(u"extra"_s, u"any"_s) << u"SURREALQT_FIELD(QVariant, extra, setExtra)"_s
                         << QString();
    QTest::newRow("string default with a space")
        << field(u"status"_s, u"string"_s, {{u"default"_s, u"'not yet'"_s}})
        << u"SURREALQT_FIELD(QString, status, setStatus)"_s
        << u"Q_CLASSINFO(\"status\", \"default='not yet'\")"_s;
}

void tst_ModelGenerator::fieldTypesAndOptions()
{
    QFETCH(QVariantMap, definition);
    QFETCH(QString, field);
    QFETCH(QString, classInfo);
    TableDescription table;
    table.name = u"person"_s;
    table.definition = json(R"js({"kind": {"kind": "NORMAL"}, "name": "person", "schemafull": true})js");
    table.structure = {{u"fields"_s, QVariantList{definition}}};
    const GeneratedModel model = ModelGenerator::generate(table, u"test"_s);
    QVERIFY2(model.text.contains(field), qPrintable(model.text));
    if (classInfo.isEmpty())
        QVERIFY2(!model.text.contains(u"Q_CLASSINFO(\"%1\""_s.arg(definition.value(u"name"_s).toString())),
                 qPrintable(model.text));
    else
        QVERIFY2(model.text.contains(classInfo), qPrintable(model.text));
    QVERIFY2(model.unmapped.isEmpty(), qPrintable(model.unmapped.join(u'\n')));
    QVERIFY(model.text.contains(u"class Person : public SurrealQt::Model"_s));
    QVERIFY(model.text.contains(u"Q_CLASSINFO(\"table\", \"person\")"_s));
    QVERIFY(model.text.contains(u"SCHEMAFULL"_s));
}

void tst_ModelGenerator::unmappableConstructsAreListed()
{
    TableDescription table;
    table.name = u"note"_s;
    table.definition = json(R"js({"kind": {"kind": "NORMAL"}, "name": "note", "schemafull": false})js");
    table.structure = json(R"js({
        "events": [{"name": "touched", "then": ["{  }"], "what": "note", "when": "$event = 'UPDATE'"}],
        "fields": [
            {"kind": "string", "name": "title", "value": "string::trim($value)"
},
            {"kind": "int", "name": "rank", "assert": "$value > 0"},
            {"kind": "string", "name": "class"},
            {"kind": "string | int", "name": "code"}
        ],
        "indexes": [{"cols": ["title", "rank"], "index": "UNIQUE", "name": "pair", "table": "note"}]
})js");
    const GeneratedModel model = ModelGenerator::generate(table, u"test"_s);
    const QString all = model.unmapped.join(u'\n');
    QVERIFY2(all.contains(u"event touched"_s), qPrintable(all));
    QVERIFY2(all.contains(u"VALUE string::trim($value)"_s), qPrintable(all));
    QVERIFY2(all.contains(u"ASSERT $value > 0"_s), qPrintable(all));
    QVERIFY2(all.contains(u"field `class`"_s), qPrintable(all)); // a C++ keyword
    QVERIFY2(all.contains(u"union"_s), qPrintable(all));
    QVERIFY2(all.contains(u"index pair"_s), qPrintable(all));
    QVERIFY(!model.text.contains(u"SURREALQT_FIELD(QString, class"_s));
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(QVariant, code, setCode)"_s));
    QVERIFY(model.text.contains(u"// Not mapped: event touched"_s));
}

void tst_ModelGenerator::schemalessTablesAreInferredFromSamples()
{
    TableDescription table;
    table.name = u"loose"_s;
    table.definition = json(R"js({"kind": {"kind": "NORMAL"}, "name": "loose", "schemafull": false})js");
    table.sample = {
        QVariantMap{{u"id"_s, QVariant::fromValue(SurrealQt::RecordId(u"loose"_s, qint64(1)))},
                    {u"title"_s, u"a"_s},
                    {u"n"_s, qint64(1)},
                    {u"at"_s, QVariant::fromValue(SurrealQt::DateTime::currentDateTime())},
                    {u"owner"_s, QVariant::fromValue(SurrealQt::RecordId(u"person"_s, u"ada"_s))}},
        QVariantMap{{u"title"_s, u"b"_s}, {u"n"_s, 2.5}, {u"tags"_s, QVariantList{u"x"_s}}},
    };
    const GeneratedModel model = ModelGenerator::generate(table, u"test"_s);
    QCOMPARE(model.inferred.size(), 5);
    QVERIFY2(model.text.contains(u"SURREALQT_FIELD(QString, title, setTitle)"_s), qPrintable(model.text));
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(SurrealQt::DateTime, at, setAt)"_s));
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(QVariant, n, setN)"_s)); // int in one, float in the other
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(QStringList, tags, setTags)"_s));
    QVERIFY(model.text.contains(u"Q_CLASSINFO(\"owner\", \"link=person\")"_s));
    QVERIFY(model.text.contains(u"inferred from 2 sample records"_s));
    QVERIFY(!model.text.contains(u"SURREALQT_FIELD(SurrealQt::RecordId, id"_s));
}

void tst_ModelGenerator::edgeTables()
{
    TableDescription table;
    table.name = u"knows"_s;
    table.definition = json(
        R"js({"kind": {"enforced": false, "in": ["person"], "kind": "RELATION", "out": ["person"]}, "name": "knows"})js");
    table.structure = json(R"js({"fields": [
        {"kind": "record<person>", "name": "in"}, {"kind": "record<person>", "name": "out"},
        {"kind": "none | datetime", "name": "since"}]})js");
    const GeneratedModel model = ModelGenerator::generate(table, u"test"_s);
    QVERIFY2(model.text.contains(u"an edge table"_s), qPrintable(model.text));
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(SurrealQt::RecordId, in, setIn)"_s));
    QVERIFY(model.text.contains(u"Q_CLASSINFO(\"in\", \"required link=person\")"_s));
    QVERIFY(model.text.contains(u"SURREALQT_FIELD(SurrealQt::DateTime, since, setSince)"_s));
}

QTEST_GUILESS_MAIN(tst_ModelGenerator)
#include "tst_modelgenerator.moc"
