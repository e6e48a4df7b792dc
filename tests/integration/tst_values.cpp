// Every SurrealDB value type, sent to the real engine and read back: as a bound variable
// returned unchanged, as a stored field, and with the type the engine says it has.

#include "futurewait.h"
#include "testserver.h"

#include "codec/cborcodec_p.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/values.h>

#include <QtTest/QTest>

#include <limits>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// Type-strict equality: the same CBOR bytes. (QVariant's operator== calls 1 and "1" equal.)
QByteArray wire(const QVariant &v)
{
    CodecError error;
    const QByteArray bytes = CborCodec::encode(v, &error);
    if (bytes.isEmpty())
        qWarning() << "cannot encode" << v << error.message;
    return bytes;
}

template<typename T>
QVariant v(const T &value)
{
    return QVariant::fromValue(value);
}

} // namespace

class tst_Values : public QObject
{
    Q_OBJECT

    enum Storage { Kept, Altered, Dropped };

    std::unique_ptr<DatabaseManager> m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_db = std::make_unique<DatabaseManager>(TestServer::url(), TestServer::uniqueName("values_"), u"v"_s,
                                                 Credentials::root(TestServer::user(), TestServer::pass()),
                                                 ConnectionOptions{.poolSize = 2});
        AWAIT_VOID(m_db->open());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QVariant>("expected"); // what the engine hands back, when it normalises
        QTest::addColumn<QString>("typeName");  // type::of($v)
        QTest::addColumn<int>("storage");       // Storage: how the value comes back from a stored record

        const QUuid uuid = QUuid::fromString(u"0192a6c1-7b1e-7c2e-9a2d-1b2c3d4e5f60");
        auto row = [](const char *name, const QVariant &value, const QString &type, Storage storage = Kept,
                      const QVariant &expected = {}) {
            QTest::newRow(name) << value << (expected.isValid() ? expected : value) << type << int(storage);
        };
        row("null", QVariant::fromValue(nullptr), u"null"_s);
        row("bool", true, u"bool"_s);
        row("int", qint64(42), u"int"_s);
        row("int64 max", std::numeric_limits<qint64>::max(), u"int"_s);
        row("int64 min", std::numeric_limits<qint64>::min(), u"int"_s);
        row("float", 0.1, u"float"_s);
        row("float half-precision on the wire", 1.5, u"float"_s);
        row("infinity", std::numeric_limits<double>::infinity(), u"float"_s);
        row("string", u"grüße, 世界 😀"_s, u"string"_s);
        row("hostile string", u"'; REMOVE DATABASE v; --"_s, u"string"_s);
        row("bytes", QByteArray("\x00\x01\xfe\xff", 4), u"bytes"_s);
        row("array", QVariantList{qint64(1), u"two"_s, QVariant::fromValue(nullptr)}, u"array"_s);
        row("object", QVariantMap{{u"a"_s, qint64(1)}, {u"b"_s, QVariantList{true}}}, u"object"_s);
        row("uuid", uuid, u"uuid"_s);
        row("datetime with nanoseconds", v(DateTime(1709210096, 123456789)), u"datetime"_s);
        row("datetime before 1970", v(DateTime(-86400 * 365, 5)), u"datetime"_s);
        row("duration", v(Duration(5400, 7)), u"duration"_s);
        row("zero duration", v(Duration(0, 0)), u"duration"_s);
        row("decimal", v(Decimal::fromString(u"12345678901234567890.123456789")), u"decimal"_s);
        row("decimal normalised", v(Decimal::fromString(u"12.3400")), u"decimal"_s, Kept,
            v(Decimal::fromString(u"12.34")));
        row("table", v(Table(u"person"_s)), u"table"_s);
        row("record id int", v(RecordId(u"person"_s, 1)), u"record"_s);
        row("record id text", v(RecordId(u"person"_s, u"a b⟩`c"_s)), u"record"_s);
        row("record id array", v(RecordId(u"temp"_s, QVariantList{u"london"_s, v(DateTime(1709210096, 0))})),
            u"record"_s);
        row("record id object", v(RecordId(u"temp"_s, QVariantMap{{u"city"_s, u"x"_s}, {u"n"_s, qint64(1)}})),
            u"record"_s);
        row("record id uuid", v(RecordId(u"u"_s, QVariant(uuid))), u"record"_s);
        row("range", v(Range(Bound::included(qint64(1)), Bound::excluded(qint64(3)))), u"range"_s);
        // 3.0.2 stores ..=2 as NONE..2 with an excluded end: returned as sent, stored altered.
        row("range unbounded below", v(Range(Bound::unbounded(), Bound::included(qint64(2)))), u"range"_s,
            Altered);
        row("point", v(Geometry::fromPoint(1.5, -2.25)), u"geometry<point>"_s);
        row("line", v(Geometry::fromLine({{0, 0}, {1, 1}, {2, 0}})), u"geometry<line>"_s);
        const Geometry::Rings square{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
                                     {{1, 1}, {2, 1}, {2, 2}, {1, 1}}};
        row("polygon with hole", v(Geometry::fromPolygon(square)), u"geometry<polygon>"_s);
        row("multipoint", v(Geometry::fromMultiPoint({{1, 2}, {3, 4}})), u"geometry<multipoint>"_s);
        row("multiline", v(Geometry::fromMultiLine({{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}}})),
            u"geometry<multiline>"_s);
        row("multipolygon", v(Geometry::fromMultiPolygon({square, {square.first()}})),
            u"geometry<multipolygon>"_s);
        row("collection",
            v(Geometry::fromCollection({Geometry::fromPoint(1, 2), Geometry::fromLine({{0, 0}, {1, 1}})})),
            u"geometry<collection>"_s);
        row("file", v(FileRef(u"bucket"_s, u"/photos/a b.png"_s)), u"file"_s);
        // 3.0.2 keeps a set in a schemaless field as a plain array.
        row("set sorted and deduplicated", v(SurrealSet({qint64(3), qint64(1), qint64(2), qint64(1)})),
            u"set"_s, Altered, v(SurrealSet({qint64(1), qint64(2), qint64(3)})));
        // NONE is "no value": returned as NONE, never stored.
        row("none", v(None()), u"none"_s, Dropped);
    }

    void roundTrip()
    {
        QFETCH(QVariant, value);
        QFETCH(QVariant, expected);
        QFETCH(QString, typeName);
        QFETCH(int, storage);
        Connection *c = m_db->connection();

        const QueryResult r = AWAIT(c->query(u"RETURN $v; RETURN type::of($v);"_s, {{u"v"_s, value}}));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        QCOMPARE(r.value(0).metaType(), expected.metaType());
        QCOMPARE(wire(r.value(0)).toHex(), wire(expected).toHex());
        QCOMPARE(r.value(1).toString(), typeName);

        const RecordId id(u"holder"_s, QString::fromLatin1(QTest::currentDataTag()));
        const QVariantMap stored = AWAIT(c->upsert(v(id), QVariantMap{{u"v"_s, value}})).toMap();
        const QVariantMap back = AWAIT(c->select(v(id))).toMap();
        QCOMPARE(back.value(u"id"_s).value<RecordId>(), id);
        if (storage == Dropped) {
            QVERIFY(!back.contains(u"v"_s));
            return;
        }
        QVERIFY(back.contains(u"v"_s));
        if (storage == Altered)
            return;
        QCOMPARE(wire(stored.value(u"v"_s)).toHex(), wire(expected).toHex());
        QCOMPARE(wire(back.value(u"v"_s)).toHex(), wire(expected).toHex());
    }

    void noneAndNullStayApart()
    {
        Connection *c = m_db->connection();
        const RecordId id(u"nn"_s, 1);
        AWAIT(c->create(v(id), QVariantMap{{u"a"_s, QVariant::fromValue(nullptr)}, {u"b"_s, v(None())}}));
        const QVariantMap row = AWAIT(c->select(v(id))).toMap();
        QVERIFY(row.contains(u"a"_s));
        QVERIFY(isNull(row.value(u"a"_s)));
        QVERIFY(!row.contains(u"b"_s));
        // merge with NONE removes a field; with NULL it stores NULL.
        const QVariantMap merged = AWAIT(c->merge(v(id), QVariantMap{{u"a"_s, v(None())}})).toMap();
        QVERIFY(!merged.contains(u"a"_s));
        QVERIFY(isNone(AWAIT(c->select(v(RecordId(u"nn"_s, 99))))));
    }

    void unencodableValuesFailBeforeTheWire()
    {
        Connection *c = m_db->connection();
        // The server would wrap it silently to a negative number.
        const Error big = failureOf(c->query(u"RETURN $v"_s, {{u"v"_s, quint64(1) << 63}}));
        QCOMPARE(big.kind(), Error::Kind::Validation);
        QVERIFY2(big.message().contains(u"9223372036854775808"_s), qPrintable(big.message()));
        // Not a SurrealDB value at all.
        const Error url = failureOf(c->query(u"RETURN $v"_s, {{u"v"_s, QUrl(u"https://example.com"_s)}}));
        QCOMPARE(url.kind(), Error::Kind::Validation);
        // The connection is still fine afterwards.
        QCOMPARE(AWAIT(c->query(u"RETURN 1"_s)).last().toLongLong(), 1);
    }

    void futureIsRefusedByThe30Engine()
    {
        // SurrealDB 3.0 reserves the tag; the request must fail, not hang.
        RequestOptions quick;
        quick.timeout = std::chrono::seconds(3);
        const Error e = failureOf(m_db->connection()->call(
            u"query"_s, {u"RETURN $v"_s, QVariantMap{{u"v"_s, v(Future(qint64(1)))}}}, quick));
        QVERIFY(e.isValid());
    }

    // Values as the server hands them back convert the way QVariant users expect; before,
    // QVariant(Decimal).toDouble() and the Duration equivalents silently gave 0.
    void numericConversions()
    {
        const QueryResult r = AWAIT(m_db->connection()->query(
            u"RETURN <decimal> '1234.5'; RETURN 1h30m; RETURN 1500ms; RETURN <decimal> '-7'"_s));
        QVERIFY2(r.isOk(), qPrintable(r.firstError().toString()));
        const QVariant decimal = r.value(0);
        QCOMPARE(decimal.metaType(), QMetaType::fromType<Decimal>());
        QCOMPARE(decimal.toDouble(), 1234.5);
        QCOMPARE(decimal.toLongLong(), 1234);
        QCOMPARE(decimal.toInt(), 1234);
        QCOMPARE(decimal.toString(), u"1234.5"_s);
        QCOMPARE(r.value(3).toLongLong(), -7);
        bool ok = false;
        QCOMPARE(decimal.toDouble(&ok), 1234.5);
        QVERIFY(ok);

        const QVariant duration = r.value(1);
        QCOMPARE(duration.metaType(), QMetaType::fromType<Duration>());
        QCOMPARE(duration.toLongLong(), 5400000); // milliseconds, like Qt's own time values
        QCOMPARE(duration.toInt(), 5400000);
        QCOMPARE(duration.toULongLong(), 5400000u);
        QCOMPARE(r.value(2).toDouble(), 1500.0);
        QCOMPARE(duration.toString(), u"1h30m"_s);

        // Text converts to the value types too (QML and settings hand over strings).
        QCOMPARE(QVariant(u"2.25"_s).value<Decimal>(), Decimal::fromString(u"2.25"_s));
        QCOMPARE(QVariant(u"2m"_s).value<Duration>(), Duration::fromMilliseconds(120000));
    }
};

QTEST_GUILESS_MAIN(tst_Values)
#include "tst_values.moc"
