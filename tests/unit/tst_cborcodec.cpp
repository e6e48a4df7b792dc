#include "codec/cborcodec_p.h"
#include "codec/variantcompare_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QCborStreamWriter>
#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtTest/QtTest>

#include <limits>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QByteArray encodeOk(const QVariant &value)
{
    CodecError error;
    const QByteArray bytes = CborCodec::encode(value, &error);
    if (bytes.isEmpty())
        qWarning() << "encode failed:" << error.message;
    return bytes;
}

QVariant decodeOk(const QByteArray &bytes)
{
    QVariant out;
    CodecError error;
    if (!CborCodec::decode(bytes, &out, &error))
        qWarning() << "decode failed:" << error.message;
    return out;
}

const QUuid SampleUuid = QUuid::fromString(u"0192a6c1-7b1e-7c2e-9a2d-1b2c3d4e5f60");

} // namespace

class TestCborCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeBytes_data();
    void encodeBytes();
    void encodeDateTimeFromQt();
    void encodeErrors_data();
    void encodeErrors();
    void encodeErrorPath();
    void decodeAlternatives_data();
    void decodeAlternatives();
    void roundTrip_data();
    void roundTrip();
    void noneAndNullStayApart();
    void integerLimits();
    void decodeErrors_data();
    void decodeErrors();
    void decodeErrorPathAndOffset();
    void repeatedKeySets();
    void repeatedKeySetsErrorPath();
    void deepNesting();
    void errorPathDeeperThanSixteenLevels();
    void mapEntriesAreWhatDecodeReads();
    void hugeDeclaredLengths_data();
    void hugeDeclaredLengths();
    void indefiniteLengths();
    void truncatedPrefixes();
    void fuzz();
    void qcborInterop();
};

void TestCborCodec::encodeBytes_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("invalid QVariant is NONE") << QVariant() << hex("c6 f6");
    QTest::newRow("None") << QVariant::fromValue(None{}) << hex("c6 f6");
    QTest::newRow("null") << QVariant::fromValue(nullptr) << hex("f6");
    QTest::newRow("true") << QVariant(true) << hex("f5");
    QTest::newRow("false") << QVariant(false) << hex("f4");
    QTest::newRow("int 1") << QVariant(1) << hex("01");
    QTest::newRow("int -1") << QVariant(-1) << hex("20");
    QTest::newRow("qint64 1000") << QVariant(qint64(1000)) << hex("19 03e8");
    QTest::newRow("uint 24") << QVariant(24u) << hex("18 18");
    QTest::newRow("short") << QVariant::fromValue(short(-2)) << hex("21");
    QTest::newRow("qint64 max") << QVariant(std::numeric_limits<qint64>::max()) << hex("1b 7fffffffffffffff");
    QTest::newRow("qint64 min") << QVariant(std::numeric_limits<qint64>::min()) << hex("3b 7fffffffffffffff");
    QTest::newRow("quint64 max ok") << QVariant(quint64(std::numeric_limits<qint64>::max()))
                                    << hex("1b 7fffffffffffffff");
    QTest::newRow("double") << QVariant(1.5) << hex("fb 3ff8000000000000");
    QTest::newRow("float") << QVariant(1.5f) << hex("fb 3ff8000000000000");
    QTest::newRow("double 0.1") << QVariant(0.1) << hex("fb 3fb999999999999a");
    QTest::newRow("text") << QVariant(u"a"_s) << hex("61 61");
    QTest::newRow("text utf8") << QVariant(u"é"_s) << hex("62 c3a9");
    QTest::newRow("bytes") << QVariant(QByteArray("\x01\x02", 2)) << hex("42 0102");
    QTest::newRow("list") << QVariant(QVariantList{1, u"a"_s}) << hex("82 01 6161");
    QTest::newRow("stringlist") << QVariant(QStringList{u"a"_s}) << hex("81 6161");
    QTest::newRow("map") << QVariant(QVariantMap{{u"a"_s, 1}, {u"b"_s, QVariant()}})
                         << hex("a2 6161 01 6162 c6f6");
    QTest::newRow("hash") << QVariant(QVariantHash{{u"a"_s, 1}}) << hex("a1 6161 01");
    QTest::newRow("RecordId int") << QVariant::fromValue(RecordId(u"person"_s, 1))
                                  << hex("c8 82 66 706572736f6e 01");
    QTest::newRow("RecordId text") << QVariant::fromValue(RecordId(u"person"_s, u"tobie"_s))
                                   << hex("c8 82 66 706572736f6e 65 746f626965");
    QTest::newRow("RecordId range") << QVariant::fromValue(
                                           RecordId(u"item"_s, QVariant::fromValue(Range(
                                                                   Bound::included(1), Bound::excluded(3)))))
                                    << hex("c8 82 64 6974656d d8 31 82 d8 32 01 d8 33 03");
    QTest::newRow("Table") << QVariant::fromValue(Table(u"person"_s)) << hex("c7 66 706572736f6e");
    QTest::newRow("DateTime") << QVariant::fromValue(DateTime(1709210096, 789000000))
                              << hex("cc 82 1a 65e079f0 1a 2f072f40");
    QTest::newRow("DateTime negative") << QVariant::fromValue(DateTime(-1, 0)) << hex("cc 82 20 00");
    QTest::newRow("Duration zero") << QVariant::fromValue(Duration()) << hex("ce 80");
    QTest::newRow("Duration 1h30m") << QVariant::fromValue(Duration(5400)) << hex("ce 81 19 1518");
    QTest::newRow("Duration 1s500ms")
        << QVariant::fromValue(Duration(1, 500000000)) << hex("ce 82 01 1a 1dcd6500");
    QTest::newRow("Duration 5ns") << QVariant::fromValue(Duration(0, 5)) << hex("ce 82 00 05");
    QTest::newRow("Duration u64 secs") << QVariant::fromValue(Duration(std::numeric_limits<quint64>::max()))
                                       << hex("ce 81 1b ffffffffffffffff");
    QTest::newRow("Decimal") << QVariant::fromValue(Decimal::fromString(u"12.3400"))
                             << hex("ca 65 31322e3334");
    QTest::newRow("Decimal 0.1") << QVariant::fromValue(Decimal::fromString(u"0.1")) << hex("ca 63 302e31");
    QTest::newRow("uuid") << QVariant(SampleUuid) << hex("d8 25 50 0192a6c17b1e7c2e9a2d1b2c3d4e5f60");
    QTest::newRow("Range open") << QVariant::fromValue(Range()) << hex("d8 31 82 f6 f6");
    QTest::newRow("Range 1..=3") << QVariant::fromValue(Range(Bound::included(1), Bound::included(3)))
                                 << hex("d8 31 82 d8 32 01 d8 32 03");
    QTest::newRow("Point") << QVariant::fromValue(Geometry::fromPoint(1, 2))
                           << hex("d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("Line") << QVariant::fromValue(Geometry::fromLine({{1, 2}, {1, 2}}))
                          << hex("d8 59 82 d8 58 82 fb 3ff0000000000000 fb 4000000000000000"
                                 "d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("Polygon") << QVariant::fromValue(Geometry::fromPolygon({{{1, 2}}}))
                             << hex("d8 5a 81 d8 59 81 d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("MultiPoint") << QVariant::fromValue(Geometry::fromMultiPoint({{1, 2}}))
                                << hex("d8 5b 81 d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("MultiLine") << QVariant::fromValue(Geometry::fromMultiLine({{{1, 2}}}))
                               << hex("d8 5c 81 d8 59 81 d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("MultiPolygon") << QVariant::fromValue(Geometry::fromMultiPolygon({{{{1, 2}}}}))
                                  << hex("d8 5d 81 d8 5a 81 d8 59 81 d8 58 82 fb 3ff0000000000000 fb "
                                         "4000000000000000");
    QTest::newRow("Collection") << QVariant::fromValue(Geometry::fromCollection({Geometry::fromPoint(1, 2)}))
                                << hex("d8 5e 81 d8 58 82 fb 3ff0000000000000 fb 4000000000000000");
    QTest::newRow("FileRef") << QVariant::fromValue(FileRef(u"b"_s, u"/k"_s))
                             << hex("d8 37 82 61 62 62 2f6b");
    QTest::newRow("Set") << QVariant::fromValue(SurrealSet({1, 2})) << hex("d8 38 82 01 02");
    QTest::newRow("Future") << QVariant::fromValue(Future(1)) << hex("cf 01");
    QTest::newRow("QList<int>") << QVariant::fromValue(QList<int>{1, 2}) << hex("82 01 02");
    QTest::newRow("QDate") << QVariant(QDate(2024, 2, 29)) << hex("cc 82 1a 65dfc900 00");
    QTest::newRow("QJsonObject") << QVariant(QJsonObject{{u"a"_s, QJsonValue::Null}}) << hex("a1 6161 f6");
}

void TestCborCodec::encodeBytes()
{
    QFETCH(QVariant, value);
    QFETCH(QByteArray, expected);
    CodecError error;
    const QByteArray bytes = CborCodec::encode(value, &error);
    QVERIFY2(error.message.isEmpty(), qPrintable(error.message));
    QCOMPARE(bytes.toHex(' '), expected.toHex(' '));
}

void TestCborCodec::encodeDateTimeFromQt()
{
    const QByteArray expected = hex("cc 82 1a 65e079f0 1a 2f072f40");
    const QDateTime utc(QDate(2024, 2, 29), QTime(12, 34, 56, 789), Qt::UTC);
    QCOMPARE(encodeOk(utc).toHex(), expected.toHex());
    // A datetime with an offset or in local time is converted, never sent without its zone.
    const QDateTime plus2(QDate(2024, 2, 29), QTime(14, 34, 56, 789), Qt::OffsetFromUTC, 7200);
    QCOMPARE(encodeOk(plus2).toHex(), expected.toHex());
    QCOMPARE(encodeOk(utc.toLocalTime()).toHex(), expected.toHex());
}

void TestCborCodec::encodeErrors_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("quint64 too large")
        << QVariant(std::numeric_limits<quint64>::max()) << u"18446744073709551615"_s;
    QTest::newRow("quint64 INT64_MAX+1") << QVariant(quint64(1) << 63) << u"9223372036854775808"_s;
    QTest::newRow("QUrl") << QVariant(QUrl(u"http://x"_s)) << u"QUrl"_s;
    QTest::newRow("QRegularExpression") << QVariant(QRegularExpression(u"a.*"_s)) << u"QRegularExpression"_s;
    QTest::newRow("QTime") << QVariant(QTime(1, 2)) << u"QTime"_s;
    QTest::newRow("invalid QDateTime") << QVariant(QDateTime()) << u"invalid QDateTime"_s;
    QTest::newRow("record id float key")
        << QVariant::fromValue(RecordId(u"t"_s, QVariant(1.5))) << u"float"_s;
    QTest::newRow("record id no table") << QVariant::fromValue(RecordId(QString(), 1)) << u"empty table"_s;
    QTest::newRow("invalid DateTime") << QVariant::fromValue(DateTime()) << u"invalid datetime"_s;
    QTest::newRow("invalid Decimal") << QVariant::fromValue(Decimal()) << u"invalid decimal"_s;
    QTest::newRow("invalid Geometry") << QVariant::fromValue(Geometry()) << u"invalid geometry"_s;
    QTest::newRow("empty Table") << QVariant::fromValue(Table()) << u"empty table"_s;
    QTest::newRow("non-text map keys")
        << QVariant::fromValue(QMap<int, int>{{1, 2}}) << u"keys must be text"_s;
}

void TestCborCodec::encodeErrors()
{
    QFETCH(QVariant, value);
    QFETCH(QString, mentions);
    CodecError error;
    const QByteArray bytes = CborCodec::encode(value, &error);
    QVERIFY(bytes.isEmpty());
    QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
}

void TestCborCodec::encodeErrorPath()
{
    const QVariantMap value{{u"params"_s, QVariantList{1, QVariantMap{{u"tags"_s, QVariantList{QUrl()}}}}}};
    CodecError error;
    QVERIFY(CborCodec::encode(value, &error).isEmpty());
    QCOMPARE(error.path, u"params[1].tags[0]"_s);
    QVERIFY2(error.message.contains(u"params[1].tags[0]"_s), qPrintable(error.message));

    // Nesting beyond the limit is refused on the way out too.
    QVariant deep = 1;
    for (int i = 0; i < CborCodec::MaxNestingDepth + 5; ++i)
        deep = QVariantList{deep};
    QVERIFY(CborCodec::encode(deep, &error).isEmpty());
    QVERIFY2(error.message.contains(u"nested"_s), qPrintable(error.message));
}

void TestCborCodec::decodeAlternatives_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("tag 0 datetime text") << hex("c0 78 18") + QByteArray("2024-02-29T12:34:56.789Z")
                                         << QVariant::fromValue(DateTime(1709210096, 789000000));
    QTest::newRow("tag 0 with offset") << hex("c0 78 1d") + QByteArray("2024-02-29T14:34:56.789+02:00")
                                       << QVariant::fromValue(DateTime(1709210096, 789000000));
    QTest::newRow("tag 13 duration text")
        << hex("cd 65") + QByteArray("1h30m") << QVariant::fromValue(Duration(5400));
    QTest::newRow("tag 13 all units") << hex("cd 75") + QByteArray("1y2w3d4h5m6s7ms8us9ns")
                                      << QVariant::fromValue(Duration(33019506, 7008009));
    QTest::newRow("tag 9 uuid text") << hex("c9 78 24") + QByteArray("0192a6c1-7b1e-7c2e-9a2d-1b2c3d4e5f60")
                                     << QVariant(SampleUuid);
    QTest::newRow("half float") << hex("f9 3e00") << QVariant(1.5);
    QTest::newRow("half float inf") << hex("f9 7c00") << QVariant(std::numeric_limits<double>::infinity());
    QTest::newRow("single float") << hex("fa 3fc00000") << QVariant(1.5);
    QTest::newRow("double") << hex("fb 3ff8000000000000") << QVariant(1.5);
    QTest::newRow("undefined is null") << hex("f7") << QVariant::fromValue(nullptr);
    QTest::newRow("tag 6 with content") << hex("c6 05") << QVariant::fromValue(None{});
    QTest::newRow("tag 6 null") << hex("c6 f6") << QVariant::fromValue(None{});
    QTest::newRow("tag 8 text") << hex("c8 70") + QByteArray("person:⟨a b⟩")
                                << QVariant::fromValue(RecordId(u"person"_s, u"a b"_s));
    QTest::newRow("tag 8 two-byte form")
        << hex("d8 08 82 61 74 01") << QVariant::fromValue(RecordId(u"t"_s, 1));
    QTest::newRow("tag 14 empty") << hex("ce 80") << QVariant::fromValue(Duration());
    QTest::newRow("tag 14 secs") << hex("ce 81 19 0e10") << QVariant::fromValue(Duration(3600));
    QTest::newRow("tag 12 negative") << hex("cc 82 20 1a 1dcd6500")
                                     << QVariant::fromValue(DateTime(-1, 500000000));
    QTest::newRow("point from ints") << hex("d8 58 82 01 02")
                                     << QVariant::fromValue(Geometry::fromPoint(1, 2));
    QTest::newRow("point from half floats")
        << hex("d8 58 82 f9 3c00 f9 4000") << QVariant::fromValue(Geometry::fromPoint(1, 2));
    QTest::newRow("int64 min") << hex("3b 7fffffffffffffff") << QVariant(std::numeric_limits<qint64>::min());
    QTest::newRow("uuid record key as tag 9")
        << hex("c8 82 61 75 c9 78 24") + QByteArray("0192a6c1-7b1e-7c2e-9a2d-1b2c3d4e5f60")
        << QVariant::fromValue(RecordId(u"u"_s, QVariant(SampleUuid)));
    QTest::newRow("duplicate key keeps last")
        << hex("a2 6161 01 6161 02") << QVariant(QVariantMap{{u"a"_s, 2}});
    // Keys out of order, repeated (first, middle and last), and a nested map in between: maps
    // are built from a stack of entries that nested maps share.
    QTest::newRow("unsorted keys, nested map, repeats")
        << hex("a5 6163 01 6161 a3 6179 01 6178 02 6179 03 6162 04 6163 05 6161 06")
        << QVariant(QVariantMap{{u"a"_s, 6}, {u"b"_s, 4}, {u"c"_s, 5}});
    QTest::newRow("record ids of one table in a list")
        << hex("83 c8 82 6474626c61 01 c8 82 6474626c61 02 c8 82 6474626c62 03")
        << QVariant(QVariantList{QVariant::fromValue(RecordId(u"tbla"_s, 1)),
                                 QVariant::fromValue(RecordId(u"tbla"_s, 2)),
                                 QVariant::fromValue(RecordId(u"tblb"_s, 3))});
    QTest::newRow("record id with an indefinite-length table")
        << hex("c8 82 7f 6174 ff 01") << QVariant::fromValue(RecordId(u"t"_s, 1));
}

void TestCborCodec::decodeAlternatives()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QVariant, expected);
    QVariant out;
    CodecError error;
    QVERIFY2(CborCodec::decode(bytes, &out, &error), qPrintable(error.message));
    QCOMPARE(out.metaType(), expected.metaType());
    QCOMPARE(out, expected);
    QVERIFY(VariantCompare::equals(out, expected));
}

void TestCborCodec::roundTrip_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::newRow("none") << QVariant::fromValue(None{});
    QTest::newRow("null") << QVariant::fromValue(nullptr);
    QTest::newRow("bool") << QVariant(true);
    QTest::newRow("int") << QVariant(qint64(-123456789012));
    QTest::newRow("double") << QVariant(3.25);
    QTest::newRow("text") << QVariant(u"héllo ⟨⟩ 😀"_s);
    QTest::newRow("empty text") << QVariant(QString(u""_s));
    QTest::newRow("bytes") << QVariant(QByteArray("\x00\xff", 2));
    QTest::newRow("list") << QVariant(
        QVariantList{1, u"x"_s, QVariant::fromValue(None{}), QVariant::fromValue(nullptr)});
    QTest::newRow("map") << QVariant(QVariantMap{{u"a"_s, QVariantList{}}, {u"b"_s, QVariantMap{}}});
    QTest::newRow("uuid") << QVariant(SampleUuid);
    QTest::newRow("record int") << QVariant::fromValue(RecordId(u"person"_s, 1));
    QTest::newRow("record text") << QVariant::fromValue(RecordId(u"person"_s, u"a b"_s));
    QTest::newRow("record array") << QVariant::fromValue(
        RecordId(u"temp"_s, QVariantList{u"london"_s, QVariant::fromValue(DateTime(1709210096, 0))}));
    QTest::newRow("record object") << QVariant::fromValue(
        RecordId(u"temp"_s, QVariantMap{{u"city"_s, u"x"_s}, {u"n"_s, 1}}));
    QTest::newRow("record uuid") << QVariant::fromValue(RecordId(u"u"_s, QVariant(SampleUuid)));
    QTest::newRow("record range") << QVariant::fromValue(
        RecordId(u"u"_s, QVariant::fromValue(Range(Bound(), Bound::included(2)))));
    QTest::newRow("table") << QVariant::fromValue(Table(u"person"_s));
    QTest::newRow("datetime ns") << QVariant::fromValue(DateTime(1709210096, 123456789));
    QTest::newRow("datetime pre-epoch") << QVariant::fromValue(DateTime(qint64(-86400) * 365 * 100, 1));
    QTest::newRow("duration") << QVariant::fromValue(Duration(33019506, 7008009));
    QTest::newRow("decimal") << QVariant::fromValue(
        Decimal::fromString(u"-123456789012345678901234567890.000001"));
    QTest::newRow("range") << QVariant::fromValue(Range(Bound::excluded(u"a"_s), Bound::included(u"z"_s)));
    QTest::newRow("bound") << QVariant::fromValue(Bound::included(5));
    QTest::newRow("polygon") << QVariant::fromValue(
        Geometry::fromPolygon({{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, {{0.2, 0.2}, {0.3, 0.2}, {0.2, 0.2}}}));
    QTest::newRow("multipolygon") << QVariant::fromValue(
        Geometry::fromMultiPolygon({{{{0, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 6}, {5, 5}}}}));
    QTest::newRow("multiline") << QVariant::fromValue(
        Geometry::fromMultiLine({{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}}}));
    QTest::newRow("collection") << QVariant::fromValue(
        Geometry::fromCollection({Geometry::fromPoint(1, 2), Geometry::fromLine({{0, 0}, {1, 1}}),
                                  Geometry::fromCollection({Geometry::fromMultiPoint({{3, 4}})})}));
    QTest::newRow("file") << QVariant::fromValue(FileRef(u"bucket"_s, u"/a/b.txt"_s));
    QTest::newRow("set") << QVariant::fromValue(SurrealSet({1, 2, 3}));
    QTest::newRow("future") << QVariant::fromValue(Future(QVariantMap{{u"a"_s, 1}}));
}

void TestCborCodec::roundTrip()
{
    QFETCH(QVariant, value);
    const QByteArray bytes = encodeOk(value);
    QVERIFY(!bytes.isEmpty());
    QVariant out;
    CodecError error;
    QVERIFY2(CborCodec::decode(bytes, &out, &error), qPrintable(error.message));
    QCOMPARE(out.metaType(), value.metaType());
    QCOMPARE(out, value);
    QVERIFY(VariantCompare::equals(out, value)); // no silent type changes inside containers
    // Re-encoding gives the same bytes.
    QCOMPARE(encodeOk(out).toHex(), bytes.toHex());
}

void TestCborCodec::noneAndNullStayApart()
{
    const QVariant decoded = decodeOk(hex("a2 6161 f6 6162 c6f6"));
    const QVariantMap map = decoded.toMap();
    QCOMPARE(map.value(u"a"_s).metaType(), QMetaType::fromType<std::nullptr_t>());
    QCOMPARE(map.value(u"b"_s).metaType(), QMetaType::fromType<None>());
    QVERIFY(isNull(map.value(u"a"_s)));
    QVERIFY(isNone(map.value(u"b"_s)));
    QVERIFY(!isNone(map.value(u"a"_s)));
    QVERIFY(map.value(u"a"_s) != map.value(u"b"_s));
}

void TestCborCodec::integerLimits()
{
    QVariant out;
    CodecError error;
    QVERIFY(CborCodec::decode(hex("1b 7fffffffffffffff"), &out, &error));
    QCOMPARE(out, QVariant(std::numeric_limits<qint64>::max()));
    QCOMPARE(out.typeId(), int(QMetaType::LongLong));
    QVERIFY(CborCodec::decode(hex("01"), &out, &error));
    QCOMPARE(out.typeId(), int(QMetaType::LongLong));
    QVERIFY(!CborCodec::decode(hex("1b 8000000000000000"), &out, &error));
    QVERIFY2(error.message.contains(u"9223372036854775808"_s), qPrintable(error.message));
    QVERIFY(!CborCodec::decode(hex("3b 8000000000000000"), &out, &error));
    QVERIFY2(error.message.contains(u"-9223372036854775809"_s), qPrintable(error.message));
    QVERIFY(!CborCodec::decode(hex("3b ffffffffffffffff"), &out, &error));
    QVERIFY2(error.message.contains(u"-18446744073709551616"_s), qPrintable(error.message));
}

void TestCborCodec::decodeErrors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("tag 12 one element")
        << hex("cc 81 01") << u"tag 12 (datetime): expected an array with 2"_s;
    QTest::newRow("tag 12 float secs") << hex("cc 82 f9 3c00 00") << u"tag 12 (datetime): seconds"_s;
    QTest::newRow("tag 12 nanos too big") << hex("cc 82 01 1a 3b9aca00") << u"nanoseconds 1000000000"_s;
    QTest::newRow("tag 12 not an array") << hex("cc 01") << u"tag 12"_s;
    QTest::newRow("tag 37 15 bytes") << hex("d8 25 4f 000102030405060708090a0b0c0d0e")
                                     << u"tag 37 (uuid): expected 16 bytes, got 15"_s;
    QTest::newRow("tag 37 text") << hex("d8 25 61 61") << u"tag 37 (uuid): expected 16 bytes, got text"_s;
    QTest::newRow("tag 9 not uuid") << hex("c9 63 616263") << u"tag 9 (uuid)"_s;
    QTest::newRow("tag 8 float key") << hex("c8 82 61 74 f9 3e00") << u"tag 8 (record id): key must be"_s;
    QTest::newRow("tag 8 bool key") << hex("c8 82 61 74 f5") << u"got bool"_s;
    QTest::newRow("tag 8 table as tag 7") << hex("c8 82 c7 61 74 01") << u"table must be text, got table"_s;
    QTest::newRow("tag 8 one element") << hex("d8 08 81 61 74") << u"tag 8 (record id)"_s;
    QTest::newRow("tag 8 bad text") << hex("c8 61 74") << u"tag 8 (record id)"_s;
    QTest::newRow("tag 8 key missing")
        << hex("c8 82 61 74") << u"unexpected end of data (truncated message) at [1] (byte 4)"_s;
    QTest::newRow("tag 8 table not UTF-8") << hex("c8 82 61 ff 01") << u"not valid UTF-8 at [0] (byte 2)"_s;
    QTest::newRow("tag 0 no offset") << hex("c0 73") + QByteArray("2024-02-29T12:34:56")
                                     << u"tag 0 (datetime)"_s;
    QTest::newRow("tag 0 int") << hex("c0 01") << u"tag 0 (datetime): expected text"_s;
    QTest::newRow("tag 10 exponent") << hex("ca 65") + QByteArray("1.5e3") << u"exponent"_s;
    QTest::newRow("tag 13 bad unit") << hex("cd 62") + QByteArray("1x") << u"tag 13 (duration)"_s;
    QTest::newRow("tag 14 three elements") << hex("ce 83 01 02 03") << u"tag 14 (duration)"_s;
    QTest::newRow("tag 14 negative") << hex("ce 81 20") << u"tag 14 (duration)"_s;
    QTest::newRow("tag 14 nanos range") << hex("ce 82 01 1a 3b9aca00") << u"tag 14 (duration)"_s;
    QTest::newRow("tag 49 bad bound") << hex("d8 31 82 01 f6") << u"tag 49 (range): lower bound"_s;
    QTest::newRow("tag 49 one element") << hex("d8 31 81 f6") << u"tag 49"_s;
    QTest::newRow("tag 55 int key") << hex("d8 37 82 61 62 01") << u"tag 55"_s;
    QTest::newRow("tag 88 text coord") << hex("d8 58 82 61 61 01") << u"tag 88 (point)"_s;
    QTest::newRow("tag 88 three coords") << hex("d8 58 83 01 02 03") << u"tag 88 (point)"_s;
    QTest::newRow("tag 89 non-point") << hex("d8 59 81 01") << u"tag 89 (line): element 0"_s;
    QTest::newRow("tag 90 empty") << hex("d8 5a 80") << u"tag 90 (polygon)"_s;
    QTest::newRow("tag 90 points not lines") << hex("d8 5a 81 d8 58 82 01 02") << u"tag 90 (polygon)"_s;
    QTest::newRow("tag 94 non-geometry") << hex("d8 5e 81 01") << u"tag 94"_s;
    QTest::newRow("unknown tag 1") << hex("c1 01") << u"unknown CBOR tag 1"_s;
    QTest::newRow("bignum tag 2") << hex("c2 41 01") << u"unknown CBOR tag 2"_s;
    QTest::newRow("uri tag 32") << hex("d8 20 61 61") << u"unknown CBOR tag 32"_s;
    QTest::newRow("regex tag 35") << hex("d8 23 61 61") << u"unknown CBOR tag 35"_s;
    QTest::newRow("huge tag") << hex("db ffffffffffffffff 01") << u"unknown CBOR tag 18446744073709551615"_s;
    QTest::newRow("int map key") << hex("a1 01 01") << u"object key must be text"_s;
    QTest::newRow("invalid utf8") << hex("62 c3 28") << u"UTF-8"_s;
    QTest::newRow("invalid utf8 key") << hex("a1 62 c328 01") << u"UTF-8"_s;
    QTest::newRow("trailing bytes") << hex("01 01") << u"trailing"_s;
    QTest::newRow("simple value") << hex("e0") << u"simple value"_s;
    QTest::newRow("reserved additional info") << hex("1c") << u"CBOR"_s;
    QTest::newRow("lone break") << hex("ff") << u"CBOR"_s;
    QTest::newRow("truncated int") << hex("19 01") << u"end of data"_s;
}

void TestCborCodec::decodeErrors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, mentions);
    QVariant out = u"untouched"_s;
    CodecError error;
    QVERIFY(!CborCodec::decode(bytes, &out, &error));
    QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
    QCOMPARE(out, QVariant(u"untouched"_s));
    QVERIFY(error.offset >= 0);
    QVERIFY(error.offset <= bytes.size());
}

void TestCborCodec::decodeErrorPathAndOffset()
{
    // {"result": [1, 2, 3, {"id": 8(["t", 1.5])}]}
    const QByteArray bytes = hex("a1 66 726573756c74 84 01 02 03 a1 62 6964 d8 08 82 61 74 f9 3e00");
    QVariant out;
    CodecError error;
    QVERIFY(!CborCodec::decode(bytes, &out, &error));
    QCOMPARE(error.path, u"result[3].id"_s);
    QVERIFY2(error.message.contains(u"result[3].id"_s), qPrintable(error.message));
    QCOMPARE(error.offset, qint64(16)); // the tag 8 item
    QVERIFY2(error.message.contains(u"byte 16"_s), qPrintable(error.message));

    QVERIFY(!CborCodec::decode(hex("01 02 03"), &out, &error));
    QCOMPARE(error.offset, qint64(1));
}

namespace {

// Writes a map with the given keys in the given order (repeats allowed) and returns what it
// decodes to: a repeated key keeps the last value.
QVariantMap writeMap(QCborStreamWriter &w, QRandomGenerator &rng, const QStringList &keys, int depth)
{
    QVariantMap expected;
    w.startMap(keys.size());
    for (const QString &key : keys) {
        w.append(key);
        if (depth < 2 && rng.bounded(5) == 0) {
            // Nested maps of the same size and first key compete for the same shape.
            QStringList inner = keys;
            std::shuffle(inner.begin() + 1, inner.end(), rng);
            expected.insert(key, writeMap(w, rng, inner, depth + 1));
        } else {
            const qint64 v = rng.bounded(1000);
            w.append(v);
            expected.insert(key, v);
        }
    }
    w.endMap();
    return expected;
}

} // namespace

void TestCborCodec::repeatedKeySets()
{
    // Maps with the keys of the maps before them are built from a cached shape (see map()): one
    // that leaves the shape midway, repeats a key, orders its keys differently or holds a map of
    // its own size must come out as a map decoded on its own would. Keys: short and cached, not
    // ASCII, longer than the key cache takes.
    const QStringList names = {u"a"_s, u"b"_s, u"c"_s, u"id"_s, u"\u00e9t\u00e9"_s, QString(40, u'k'),
                               u"z"_s};
    QRandomGenerator rng(19);
    for (int round = 0; round < 300; ++round) {
        QList<QStringList> keySets;
        for (int k = 0; k < 3; ++k) {
            QStringList set = names;
            std::shuffle(set.begin(), set.end(), rng);
            set = set.mid(0, 1 + rng.bounded(names.size()));
            if (rng.bounded(2) == 0)
                std::sort(set.begin(), set.end()); // the server's order, the one shapes follow
            keySets.append(set);
        }
        QByteArray bytes;
        QCborStreamWriter w(&bytes);
        QVariantList expected;
        const int count = 1 + rng.bounded(12);
        w.startArray(count);
        for (int m = 0; m < count; ++m) {
            QStringList keys = keySets.at(rng.bounded(keySets.size()));
            if (rng.bounded(6) == 0 && keys.size() > 1)
                keys[rng.bounded(keys.size())] = keys.at(rng.bounded(keys.size())); // a repeat
            else if (rng.bounded(6) == 0)
                keys.last() = names.at(rng.bounded(names.size())); // off the shape at the end
            expected.append(writeMap(w, rng, keys, 0));
        }
        w.endArray();
        QVariant out;
        CodecError error;
        QVERIFY2(CborCodec::decode(bytes, &out, &error), qPrintable(error.message));
        QCOMPARE(out, QVariant(expected));
    }
}

void TestCborCodec::repeatedKeySetsErrorPath()
{
    // The error in a map built from a shape names the key it was read under.
    const QByteArray row = hex("a2 6161 01 6162 02");
    const QByteArray bad = hex("a2 6161 01 6162 d8 08 82 61 74 f9 3e00");
    QVariant out;
    CodecError error;
    QVERIFY(!CborCodec::decode(hex("84") + row + row + row + bad, &out, &error));
    QCOMPARE(error.path, u"[3].b"_s);
    QVERIFY(!CborCodec::decode(hex("84") + row + row + row + hex("a2 6161 01 6163 d8 08 82 61 74 f9 3e00"),
                               &out, &error));
    QCOMPARE(error.path, u"[3].c"_s);
}

void TestCborCodec::deepNesting()
{
    QVariant out;
    CodecError error;
    QElapsedTimer timer;
    timer.start();

    // Within the limit: fine.
    QByteArray ok = QByteArray(200, '\x81') + hex("01");
    QVERIFY2(CborCodec::decode(ok, &out, &error), qPrintable(error.message));

    const QByteArray arrays = QByteArray(1000, '\x81') + hex("01");
    QVERIFY(!CborCodec::decode(arrays, &out, &error));
    QVERIFY2(error.message.contains(u"nesting"_s), qPrintable(error.message));

    const QByteArray indefinite = QByteArray(100000, '\x9f');
    QVERIFY(!CborCodec::decode(indefinite, &out, &error));

    QByteArray maps;
    for (int i = 0; i < 1000; ++i)
        maps += hex("a1 6161");
    maps += hex("01");
    QVERIFY(!CborCodec::decode(maps, &out, &error));
    QVERIFY2(error.message.contains(u"nesting"_s), qPrintable(error.message));

    const QByteArray tags = QByteArray(5000, '\xc6') + hex("f6");
    QVERIFY(!CborCodec::decode(tags, &out, &error));
    QVERIFY2(error.message.contains(u"nesting"_s), qPrintable(error.message));

    QByteArray futures = QByteArray(1000, '\xcf') + hex("01");
    QVERIFY(!CborCodec::decode(futures, &out, &error));

    QVERIFY(timer.elapsed() < 5000);
}

// The encoder and decoder keep their path inline for 16 levels and on the heap beyond: the
// error path of a bad value 40 levels down names every level.
void TestCborCodec::errorPathDeeperThanSixteenLevels()
{
    constexpr int levels = 40;
    QString expectedPath;
    QVariant encodable = QVariant::fromValue(QUrl());       // not a SurrealDB value
    QByteArray undecodable = hex("d8 08 82 61 74 f9 3e00"); // 8(["t", 1.5]): a float key
    for (int i = levels - 1; i >= 0; --i) {
        const QString key = u"k%1"_s.arg(i);
        if (i % 2) {
            encodable = QVariantList{0, encodable};
            undecodable = hex("82 00") + undecodable;
            expectedPath.prepend(u"[1]"_s);
        } else {
            encodable = QVariantMap{{key, encodable}};
            undecodable = hex("a1") + char(0x60 + key.size()) + key.toUtf8() + undecodable;
            expectedPath.prepend((i ? u"."_s : QString()) + key);
        }
    }
    CodecError error;
    QVERIFY(CborCodec::encode(encodable, &error).isEmpty());
    QCOMPARE(error.path, expectedPath);

    QVariant out;
    QVERIFY(!CborCodec::decode(undecodable, &out, &error));
    QCOMPARE(error.path, expectedPath);
    QCOMPARE(error.offset, qint64(undecodable.size() - 8)); // the tag 8 item, 8 bytes
}

// decodeMapEntries() (how a reply's envelope is read) must see what decode() sees: the same
// entries for every map, and for every damaged one the same error, path and offset.
void TestCborCodec::mapEntriesAreWhatDecodeReads()
{
    const QStringList names = {u"id"_s, u"result"_s, u"error"_s, u"\u00e9t\u00e9"_s, QString(40, u'k')};
    QRandomGenerator rng(23);
    for (int round = 0; round < 300; ++round) {
        QStringList keys = names;
        std::shuffle(keys.begin(), keys.end(), rng);
        keys = keys.mid(0, rng.bounded(names.size() + 1));
        if (keys.size() > 1 && rng.bounded(4) == 0)
            keys[rng.bounded(keys.size())] = keys.at(rng.bounded(keys.size())); // a repeated key
        QByteArray bytes;
        QCborStreamWriter w(&bytes);
        writeMap(w, rng, keys, 0);
        if (rng.bounded(3) == 0) // damaged: cut short, a byte changed, or a byte too many
            switch (rng.bounded(3)) {
            case 0:
                bytes.truncate(rng.bounded(bytes.size()));
                break;
            case 1:
                bytes[rng.bounded(bytes.size())] = char(rng.bounded(256));
                break;
            default:
                bytes.append('\x01');
            }
        QVariant decoded;
        CodecError decodeError;
        const bool decodes = CborCodec::decode(bytes, &decoded, &decodeError);
        CborCodec::MapEntries entries;
        bool isMap = false;
        CodecError entriesError;
        const bool read = CborCodec::decodeMapEntries(bytes, &entries, &isMap, &entriesError);
        QCOMPARE(isMap, !bytes.isEmpty() && (uchar(bytes.front()) >> 5) == 5);
        if (!isMap) {
            QVERIFY(!read);
            continue;
        }
        QCOMPARE(read, decodes);
        if (!decodes) {
            QCOMPARE(entriesError.message, decodeError.message);
            QCOMPARE(entriesError.path, decodeError.path);
            QCOMPARE(entriesError.offset, decodeError.offset);
            continue;
        }
        QVariantMap fromEntries; // in wire order: a repeated key's last value stays
        for (const auto &[key, value] : std::as_const(entries))
            fromEntries.insert(key, value);
        QCOMPARE(QVariant(fromEntries), decoded);
        QCOMPARE(entries.size(), qsizetype(keys.size()));
    }

    // A hostile envelope of many keys is read in one pass (checking each key against the ones
    // before it took minutes for this one).
    QByteArray many;
    QCborStreamWriter w(&many);
    constexpr int keyCount = 300000;
    w.startMap(keyCount);
    for (int i = 0; i < keyCount; ++i) {
        w.append(QString::number(i, 36));
        w.append(i);
    }
    w.endMap();
    QElapsedTimer timer;
    timer.start();
    CborCodec::MapEntries entries;
    bool isMap = false;
    QVERIFY(CborCodec::decodeMapEntries(many, &entries, &isMap));
    QCOMPARE(entries.size(), qsizetype(keyCount));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
}

void TestCborCodec::hugeDeclaredLengths_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("array 2^62") << hex("9b 4000000000000000 01");
    QTest::newRow("array 2^64-1") << hex("9b ffffffffffffffff");
    QTest::newRow("map 2^62") << hex("bb 4000000000000000 6161 01");
    QTest::newRow("map 2^63") << hex("bb 8000000000000000");
    QTest::newRow("text 2^40") << hex("7b 0000010000000000 61");
    QTest::newRow("text 2^63") << hex("7b 8000000000000000 61");
    QTest::newRow("bytes 2^40") << hex("5b 0000010000000000 61");
    QTest::newRow("bytes 2^64-1") << hex("5b ffffffffffffffff");
    QTest::newRow("text 4GiB") << hex("7a ffffffff 6161");
    QTest::newRow("indefinite text huge chunk") << hex("7f 7b 0000010000000000 61 ff");
    QTest::newRow("indefinite bytes huge chunk") << hex("5f 5a ffffffff 00 ff");
    QTest::newRow("array of 1000 in 3 bytes") << hex("99 03e8 01");
    QTest::newRow("tag 12 huge array") << hex("cc 9b 4000000000000000 01 02");
    QTest::newRow("map key huge text") << hex("a1 7b 0000010000000000 61");
}

void TestCborCodec::hugeDeclaredLengths()
{
    QFETCH(QByteArray, bytes);
    QElapsedTimer timer;
    timer.start();
    QVariant out;
    CodecError error;
    QVERIFY(!CborCodec::decode(bytes, &out, &error));
    QVERIFY(!error.message.isEmpty());
    QVERIFY2(timer.elapsed() < 1000, "rejecting a huge declared length must be fast");
}

void TestCborCodec::indefiniteLengths()
{
    QCOMPARE(decodeOk(hex("9f 01 02 ff")), QVariant(QVariantList{1, 2}));
    QCOMPARE(decodeOk(hex("bf 6161 01 ff")), QVariant(QVariantMap{{u"a"_s, 1}}));
    QCOMPARE(decodeOk(hex("7f 62 6162 61 63 ff")), QVariant(u"abc"_s));
    QCOMPARE(decodeOk(hex("5f 41 01 41 02 ff")), QVariant(QByteArray("\x01\x02", 2)));
    QCOMPARE(decodeOk(hex("7f ff")), QVariant(QString(u""_s)));
    QCOMPARE(decodeOk(hex("cc 9f 01 02 ff")), QVariant::fromValue(DateTime(1, 2)));
    QCOMPARE(decodeOk(hex("ce 9f 01 ff")), QVariant::fromValue(Duration(1)));

    QVariant out;
    CodecError error;
    QVERIFY(!CborCodec::decode(hex("9f 01 02"), &out, &error));   // no break
    QVERIFY(!CborCodec::decode(hex("bf 6161 ff"), &out, &error)); // key without value
    QVERIFY(!CborCodec::decode(hex("7f 01 ff"), &out, &error));   // non-string chunk
}

void TestCborCodec::truncatedPrefixes()
{
    QVariantMap message{
        {u"id"_s, 42},
        {u"result"_s, QVariantList{QVariant::fromValue(RecordId(u"person"_s, u"tobie"_s)),
                                   QVariant::fromValue(DateTime(1709210096, 789000000)),
                                   QVariant::fromValue(Duration(5400, 1)),
                                   QVariant::fromValue(Decimal::fromString(u"12.34")), QVariant(SampleUuid),
                                   QVariant::fromValue(Range(Bound::included(1), Bound::excluded(3))),
                                   QVariant::fromValue(Geometry::fromPolygon({{{0, 0}, {1, 1}, {0, 0}}})),
                                   QVariant::fromValue(None{}), QVariant::fromValue(nullptr), 1.5, u"text"_s,
                                   QByteArray("bytes"), QVariant::fromValue(SurrealSet({1, 2})),
                                   QVariant::fromValue(FileRef(u"b"_s, u"/k"_s)),
                                   QVariantMap{{u"nested"_s, QVariantList{true}}}}},
    };
    const QByteArray full = encodeOk(message);
    QVERIFY(full.size() > 100);
    QCOMPARE(decodeOk(full), QVariant(message));
    for (qsizetype n = 0; n < full.size(); ++n) {
        QVariant out;
        CodecError error;
        QVERIFY2(!CborCodec::decode(QByteArrayView(full).first(n), &out, &error),
                 qPrintable(u"prefix of %1 bytes decoded"_s.arg(n)));
        QVERIFY(!error.message.isEmpty());
    }
}

void TestCborCodec::fuzz()
{
    QRandomGenerator random(20240229);
    QElapsedTimer timer;
    timer.start();
    int decoded = 0;
    // Pure random buffers; bias towards interesting leading bytes (tags, containers).
    for (int i = 0; i < 20000; ++i) {
        QByteArray bytes(qsizetype(random.bounded(1, 48)), Qt::Uninitialized);
        for (auto &b : bytes)
            b = char(random.bounded(256));
        if (i % 2)
            bytes[0] = char(0x80 + random.bounded(0x80));
        QVariant out;
        CodecError error;
        if (CborCodec::decode(bytes, &out, &error))
            ++decoded;
        else
            QVERIFY(!error.message.isEmpty());
    }
    // Mutations of a valid message reach deeper into the tag handling.
    const QByteArray valid = encodeOk(QVariantList{
        QVariant::fromValue(RecordId(u"t"_s, QVariantList{1, u"a"_s})), QVariant::fromValue(DateTime(5, 6)),
        QVariant::fromValue(Geometry::fromMultiPolygon({{{{0, 0}, {1, 1}}}})),
        QVariant::fromValue(Range(Bound::included(1), Bound())),
        QVariantMap{{u"k"_s, QVariant::fromValue(None{})}}});
    for (int i = 0; i < 20000; ++i) {
        QByteArray bytes = valid;
        const int flips = random.bounded(1, 4);
        for (int f = 0; f < flips; ++f)
            bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
        QVariant out;
        CodecError error;
        if (CborCodec::decode(bytes, &out, &error)) {
            ++decoded;
            // Whatever decodes must encode again (or fail cleanly) without crashing.
            (void)CborCodec::encode(out, &error);
        }
    }
    qDebug() << "fuzz: decoded" << decoded << "of 40000 buffers in" << timer.elapsed() << "ms";
    QVERIFY(timer.elapsed() < 30000);
}

void TestCborCodec::qcborInterop()
{
    // Bytes produced by QCborValue (what other Qt code might send) decode as expected.
    const QCborValue uuid(SampleUuid);
    QVariant out;
    CodecError error;
    QVERIFY(CborCodec::fromCbor(uuid, &out, &error));
    QCOMPARE(out, QVariant(SampleUuid));

    const QCborValue rid = CborCodec::toCbor(QVariant::fromValue(RecordId(u"person"_s, 1)));
    QVERIFY(rid.isTag());
    QCOMPARE(rid.tag(), QCborTag(8));
    QCOMPARE(rid.taggedValue().toArray().at(0).toString(), u"person"_s);

    // Qt writes UTC QDateTime as tag 0 text; that is accepted on decode.
    const QCborValue qtDate(QDateTime(QDate(2024, 2, 29), QTime(12, 34, 56, 789), Qt::UTC));
    QVERIFY(CborCodec::fromCbor(qtDate, &out, &error));
    QCOMPARE(out, QVariant::fromValue(DateTime(1709210096, 789000000)));
}

QTEST_GUILESS_MAIN(TestCborCodec)
#include "tst_cborcodec.moc"
