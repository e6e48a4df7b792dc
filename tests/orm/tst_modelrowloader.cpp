// Query<T> turns reply rows into objects through a loader that works the field lookup out once per
// reply (src/orm/modelrowloader.cpp). It must load every row exactly as Model::fromMap does and
// refuse the rows fromMap refuses, with the same error: pure code, rows encoded and decoded by the
// codec as a reply's are (so their keys share strings, as the loader's key cache expects).

#include "testmodels.h"

#include "codec/cborcodec_p.h"
#include "orm/modelrowloader_p.h"

#include <SurrealQt/exception.h>
#include <SurrealQt/querybase.h>

#include <QtCore/QMetaProperty>
#include <QtTest/QTest>

#include <limits>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// QueryBase's row loading, reachable from a test.
class RowsProbe : public QueryBase
{
public:
    RowsProbe()
        : QueryBase(ModelInfo::of<Everything>(), static_cast<Connection *>(nullptr))
    {}
    QList<Model *> load(const QVariantList &rows) const { return objectsFromRows(&make, rows); }

private:
    static Model *make() { return new Everything; }
};

// The same for User, whose age is an int property.
class UserRowsProbe : public QueryBase
{
public:
    UserRowsProbe()
        : QueryBase(ModelInfo::of<User>(), static_cast<Connection *>(nullptr))
    {}
    QList<Model *> load(const QVariantList &rows) const { return objectsFromRows(&make, rows); }

private:
    static Model *make() { return new User; }
};

QVariantList throughCodec(const QVariantList &rows)
{
    QVariant decoded;
    CodecError error;
    if (!CborCodec::decode(CborCodec::encode(QVariant(rows)), &decoded, &error))
        qFatal("codec: %s", qPrintable(error.message));
    return decoded.toList();
}

RecordId own(const QVariant &key)
{
    return RecordId(ModelInfo::of<Everything>().tableName(), key);
}

} // namespace

class tst_ModelRowLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsAsFromMap_data()
    {
        QTest::addColumn<QVariantList>("rows");
        const QVariant none = QVariant::fromValue(None{});
        const QVariant null = QVariant::fromValue(nullptr);
        const QVariantMap full{{u"id"_s, QVariant::fromValue(own(1))},
                               {u"text"_s, u"hello"_s},
                               {u"number"_s, qint64(42)},
                               {u"real"_s, 2.5},
                               {u"flag"_s, true},
                               {u"owner"_s, QVariant::fromValue(RecordId(u"user"_s, 1))},
                               {u"items"_s, QVariantList{u"a"_s, u"b"_s}},
                               {u"numbers"_s, QVariantList{qint64(1), qint64(2)}},
                               {u"dict"_s, QVariantMap{{u"k"_s, 1}}},
                               {u"anything"_s, QVariantList{1, u"x"_s}},
                               {u"maybe"_s, none},
                               {u"nickname"_s, null}};
        QTest::newRow("every type as stored") << QVariantList{full};
        // Numbers of another type converted as QVariant::convert does; text from a number; an
        // integer key and record-id text for the id; keys the model does not have.
        QTest::newRow("conversions") << QVariantList{
            QVariantMap{{u"id"_s, 7}, {u"real"_s, qint64(3)}, {u"number"_s, 4.0}, {u"flag"_s, qint64(1)}},
            QVariantMap{{u"id"_s, ModelInfo::of<Everything>().tableName() + u":8"_s},
                        {u"text"_s, qint64(5)},
                        {u"number"_s, 2.75},
                        {u"aaa"_s, 1},
                        {u"zzz"_s, 2}},
            QVariantMap{{u"id"_s, none}, {u"real"_s, null}, {u"number"_s, none}, {u"text"_s, null}},
            // A typed list filled element by element, converting the elements that need it.
            QVariantMap{{u"numbers"_s, QVariantList{qint64(1), 2.0, u"3"_s}}, {u"items"_s, QVariantList{}}}};
        // Many rows with the keys in one order, then rows with fewer and other keys: the key
        // cache and its cursor must not carry a field from one row to the next.
        QVariantList many;
        for (int i = 0; i < 50; ++i)
            many.append(QVariantMap{{u"id"_s, QVariant::fromValue(own(i + 1))},
                                    {u"number"_s, qint64(i)},
                                    {u"text"_s, u"t%1"_s.arg(i)},
                                    {u"real"_s, qint64(i)}});
        many.append(QVariantMap{{u"id"_s, QVariant::fromValue(own(100))}, {u"text"_s, u"only text"_s}});
        many.append(QVariantMap{{u"flag"_s, true}, {u"numbers"_s, QVariantList{}}});
        for (int i = 0; i < 80; ++i)
            many.append(QVariantMap{{u"extra%1"_s.arg(i), i}, {u"number"_s, qint64(i)}});
        QTest::newRow("many rows, changing keys") << many;
    }

    void loadsAsFromMap()
    {
        QFETCH(QVariantList, rows);
        const QVariantList decoded = throughCodec(rows);
        const QList<Model *> loaded = RowsProbe().load(decoded);
        QCOMPARE(loaded.size(), decoded.size());
        const QMetaObject *mo = &Everything::staticMetaObject;
        for (qsizetype r = 0; r < decoded.size(); ++r) {
            Everything expected;
            const Error e = expected.fromMap(decoded.at(r).toMap());
            QVERIFY2(!e.isValid(), qPrintable(e.message()));
            const Model *got = loaded.at(r);
            for (int i = mo->propertyOffset(); i < mo->propertyCount(); ++i) {
                const QMetaProperty p = mo->property(i);
                QCOMPARE(p.read(got), p.read(&expected));
            }
            QCOMPARE(got->id(), expected.id());
            QVERIFY(!got->isNew());
            QVERIFY(!got->isDirty());
        }
        qDeleteAll(loaded);
    }

    // The server's integers into an int property take a cast of their own (what
    // QMetaType::convert does): in range, beyond int's range and at the ends of qint64.
    void intPropertyAsFromMap()
    {
        QVariantList rows;
        for (const qint64 age : {qint64(0), qint64(41), qint64(-7), (qint64(1) << 40) + 5,
                                 -(qint64(1) << 40) - 5, qint64(2147483648), qint64(-2147483649),
                                 std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()})
            rows.append(QVariantMap{{u"age"_s, age}, {u"name"_s, u"n"_s}});
        rows.append(QVariantMap{{u"age"_s, 2.5}});
        const QVariantList decoded = throughCodec(rows);
        const QList<Model *> loaded = UserRowsProbe().load(decoded);
        QCOMPARE(loaded.size(), decoded.size());
        for (qsizetype r = 0; r < decoded.size(); ++r) {
            User expected;
            const Error e = expected.fromMap(decoded.at(r).toMap());
            QVERIFY2(!e.isValid(), qPrintable(e.message()));
            QCOMPARE(static_cast<const User *>(loaded.at(r))->age(), expected.age());
        }
        QCOMPARE(static_cast<const User *>(loaded.at(3))->age(), 5);
        qDeleteAll(loaded);
    }

    // One loader kept across replies, as ModelListModel keeps one: each reply's rows have key
    // strings of their own, and more distinct keys than the loader's key cache holds.
    void oneLoaderAcrossReplies()
    {
        ModelRowLoader loader(ModelInfo::of<Everything>());
        const QMetaObject *mo = &Everything::staticMetaObject;
        for (int reply = 0; reply < 6; ++reply) {
            QVariantList rows;
            for (int i = 0; i < 30; ++i)
                rows.append(QVariantMap{{u"id"_s, QVariant::fromValue(own(reply * 100 + i + 1))},
                                        {u"number"_s, qint64(reply * 100 + i)},
                                        {u"text"_s, u"r%1"_s.arg(reply)},
                                        {u"real"_s, reply % 2 ? QVariant(qint64(i)) : QVariant(0.5 * i)},
                                        {u"extra%1"_s.arg(reply * 30 + i), i}});
            for (const QVariant &row : throughCodec(rows)) {
                Everything got;
                Everything expected;
                const std::optional<Error> e = loader.loadInto(&got, row.toMap());
                QVERIFY2(!e, qPrintable(e ? e->message() : QString()));
                QVERIFY(!expected.fromMap(row.toMap()).isValid());
                for (int i = mo->propertyOffset(); i < mo->propertyCount(); ++i)
                    QCOMPARE(mo->property(i).read(&got), mo->property(i).read(&expected));
                QCOMPARE(got.id(), expected.id());
                QVERIFY(!got.isNew());
            }
        }
    }

    void refusesAsFromMap_data()
    {
        QTest::addColumn<QVariantMap>("bad");
        QTest::newRow("id of another table")
            << QVariantMap{{u"id"_s, QVariant::fromValue(RecordId(u"other"_s, 1))}};
        QTest::newRow("text into a number") << QVariantMap{{u"real"_s, u"abc"_s}};
        QTest::newRow("object into a number") << QVariantMap{{u"number"_s, QVariantMap{{u"a"_s, 1}}}};
        QTest::newRow("list of text into a list of numbers")
            << QVariantMap{{u"numbers"_s, QVariantList{u"x"_s}}};
    }

    void refusesAsFromMap()
    {
        QFETCH(QVariantMap, bad);
        // A good row first, so the failing one meets a warm loader.
        const QVariantList decoded = throughCodec({QVariantMap{{u"number"_s, qint64(1)}}, bad});
        Everything expected;
        const Error e = expected.fromMap(decoded.at(1).toMap());
        QVERIFY(e.isValid());
        try {
            const QList<Model *> loaded = RowsProbe().load(decoded);
            qDeleteAll(loaded);
            QFAIL("the bad row was loaded");
        } catch (const Exception &thrown) {
            QCOMPARE(thrown.error().message(), e.message());
            QCOMPARE(thrown.error().kind(), e.kind());
        }
    }
};

QTEST_GUILESS_MAIN(tst_ModelRowLoader)
#include "tst_modelrowloader.moc"
