#include "codec/cborcodec_p.h"
#include "codec/metatypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QTimeZone>
#include <QtTest/QtTest>

#include <algorithm>
#include <limits>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class TestValueTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void none();
    void dateTimeFromString_data();
    void dateTimeFromString();
    void dateTimeToString_data();
    void dateTimeToString();
    void dateTimeErrors_data();
    void dateTimeErrors();
    void dateTimeQDateTime();
    void dateTimeNormalisesAndOrders();
    void durationToString_data();
    void durationToString();
    void durationFromString_data();
    void durationFromString();
    void durationErrors_data();
    void durationErrors();
    void durationMisc();
    void decimalNormalise_data();
    void decimalNormalise();
    void decimalErrors_data();
    void decimalErrors();
    void decimalCompare();
    void decimalExactOnTheWire();
    void decimalToIntegerReportsRange_data();
    void decimalToIntegerReportsRange();
    void rangeAndBound();
    void geometry();
    void geometryDecodeNesting();
    void fileSetFuture();
    void table();
    void metaTypesAndConverters();
    void debugOutput();
};

void TestValueTypes::none()
{
    QCOMPARE(None{}, None{});
    QVERIFY(isNone(QVariant()));
    QVERIFY(isNone(QVariant::fromValue(None{})));
    QVERIFY(!isNone(QVariant::fromValue(nullptr)));
    QVERIFY(isNull(nullValue()));
    QVERIFY(!isNull(noneValue()));
    QVERIFY(noneValue() != nullValue());
    QCOMPARE(noneValue(), QVariant::fromValue(None{}));
    QCOMPARE(noneValue().toString(), u"NONE"_s);
}

void TestValueTypes::dateTimeFromString_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<int>("nanos");

    QTest::newRow("ms") << u"2024-02-29T12:34:56.789Z"_s << qint64(1709210096) << 789000000;
    QTest::newRow("ns") << u"2024-02-29T12:34:56.123456789Z"_s << qint64(1709210096) << 123456789;
    QTest::newRow("one digit") << u"2024-02-29T12:34:56.5Z"_s << qint64(1709210096) << 500000000;
    QTest::newRow("no fraction") << u"2024-02-29T12:34:56Z"_s << qint64(1709210096) << 0;
    QTest::newRow("offset") << u"2024-02-29T14:34:56.789+02:00"_s << qint64(1709210096) << 789000000;
    QTest::newRow("negative offset") << u"2024-02-29T07:04:56-05:30"_s << qint64(1709210096) << 0;
    QTest::newRow("lower case") << u"2024-02-29t12:34:56z"_s << qint64(1709210096) << 0;
    QTest::newRow("epoch") << u"1970-01-01T00:00:00Z"_s << qint64(0) << 0;
    QTest::newRow("pre-epoch") << u"1969-12-31T23:59:59.5Z"_s << qint64(-1) << 500000000;
    QTest::newRow("year 1") << u"0001-01-01T00:00:00Z"_s << qint64(-62135596800) << 0;
    QTest::newRow("far future") << u"9999-12-31T23:59:59.999999999Z"_s << qint64(253402300799) << 999999999;
}

void TestValueTypes::dateTimeFromString()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    QFETCH(int, nanos);
    QString error;
    const DateTime dt = DateTime::fromString(text, &error);
    QVERIFY2(dt.isValid(), qPrintable(error));
    QCOMPARE(dt.seconds(), seconds);
    QCOMPARE(dt.nanoseconds(), nanos);
    // Printing and parsing again gives the same instant.
    QCOMPARE(DateTime::fromString(dt.toString()), dt);
}

void TestValueTypes::dateTimeToString_data()
{
    QTest::addColumn<DateTime>("dt");
    QTest::addColumn<QString>("expected");
    QTest::newRow("whole") << DateTime(1709210096, 0) << u"2024-02-29T12:34:56Z"_s;
    QTest::newRow("ms") << DateTime(1709210096, 789000000) << u"2024-02-29T12:34:56.789Z"_s;
    QTest::newRow("half") << DateTime(1709210096, 500000000) << u"2024-02-29T12:34:56.500Z"_s;
    QTest::newRow("us") << DateTime(1709210096, 120000) << u"2024-02-29T12:34:56.000120Z"_s;
    QTest::newRow("ns") << DateTime(1709210096, 1) << u"2024-02-29T12:34:56.000000001Z"_s;
    QTest::newRow("pre-epoch") << DateTime(-1, 500000000) << u"1969-12-31T23:59:59.500Z"_s;
    QTest::newRow("year 10000") << DateTime(253402300800, 0) << u"+10000-01-01T00:00:00Z"_s;
    QTest::newRow("year -1") << DateTime(-62198755200, 0) << u"-0001-01-01T00:00:00Z"_s;
}

void TestValueTypes::dateTimeToString()
{
    QFETCH(DateTime, dt);
    QFETCH(QString, expected);
    QCOMPARE(dt.toString(), expected);
    QCOMPARE(DateTime::fromString(expected), dt);
}

void TestValueTypes::dateTimeErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no offset") << u"2024-02-29T12:34:56"_s << u"offset ('Z' or ±HH:MM) at position 19"_s;
    QTest::newRow("no offset with fraction") << u"2024-02-29T12:34:56.789"_s << u"at position 23"_s;
    QTest::newRow("bad day") << u"2023-02-29T12:34:56Z"_s << u"day out of range"_s;
    QTest::newRow("bad month") << u"2023-13-01T12:34:56Z"_s << u"month out of range"_s;
    QTest::newRow("bad hour") << u"2023-01-01T24:00:00Z"_s << u"out of range"_s;
    QTest::newRow("leap second") << u"2016-12-31T23:59:60Z"_s << u"leap"_s;
    QTest::newRow("10 fraction digits") << u"2024-02-29T12:34:56.1234567891Z"_s << u"9 fractional"_s;
    QTest::newRow("empty fraction") << u"2024-02-29T12:34:56.Z"_s << u"digits after '.'"_s;
    QTest::newRow("date only") << u"2024-02-29"_s << u"'T'"_s;
    QTest::newRow("empty") << u""_s << u"year"_s;
    QTest::newRow("trailing") << u"2024-02-29T12:34:56Zx"_s << u"trailing"_s;
}

void TestValueTypes::dateTimeErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!DateTime::fromString(text, &error).isValid());
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestValueTypes::dateTimeQDateTime()
{
    const QDateTime utc(QDate(2024, 2, 29), QTime(12, 34, 56, 789), Qt::UTC);
    const DateTime dt(utc);
    QCOMPARE(dt, DateTime(1709210096, 789000000));
    QCOMPARE(dt.toQDateTime(), utc);
    QCOMPARE(dt.toQDateTime().timeSpec(), Qt::UTC);
    QCOMPARE(DateTime(utc.toLocalTime()), dt);
    QCOMPARE(DateTime(utc.toTimeZone(QTimeZone(3600 * 9))), dt);
    // Truncated to milliseconds, never rounded into the next second.
    QCOMPARE(DateTime(1, 999999999).toQDateTime().toMSecsSinceEpoch(), qint64(1999));
    QCOMPARE(DateTime(-1, 500000000).toQDateTime().toMSecsSinceEpoch(), qint64(-500));
    QCOMPARE(DateTime(QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC)), DateTime(-1, 999000000));
    QVERIFY(!DateTime(QDateTime()).isValid());
    QVERIFY(!DateTime().toQDateTime().isValid());
    QVERIFY(!DateTime(std::numeric_limits<qint64>::max(), 0).toQDateTime().isValid());
    QVERIFY(DateTime::currentDateTime().isValid());
}

void TestValueTypes::dateTimeNormalisesAndOrders()
{
    QCOMPARE(DateTime(0, -1), DateTime(-1, 999999999));
    QCOMPARE(DateTime(0, 1500000000), DateTime(1, 500000000));
    QVERIFY(DateTime(1, 0) < DateTime(1, 1));
    QVERIFY(DateTime(-1, 999999999) < DateTime(0, 0));
    QVERIFY(DateTime() < DateTime(std::numeric_limits<qint64>::min(), 0));
}

void TestValueTypes::durationToString_data()
{
    QTest::addColumn<Duration>("d");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << Duration() << u"0ns"_s;
    QTest::newRow("1h30m") << Duration(5400) << u"1h30m"_s;
    QTest::newRow("1s500ms") << Duration(1, 500000000) << u"1s500ms"_s;
    QTest::newRow("all units") << Duration(33019506, 7008009) << u"1y2w3d4h5m6s7ms8µs9ns"_s;
    QTest::newRow("ns") << Duration(0, 1) << u"1ns"_s;
    QTest::newRow("us") << Duration(0, 1000) << u"1µs"_s;
    QTest::newRow("day") << Duration(86400) << u"1d"_s;
    QTest::newRow("max") << Duration(std::numeric_limits<quint64>::max(), 999999999)
                         << u"584942417355y3w5d7h15s999ms999µs999ns"_s;
}

void TestValueTypes::durationToString()
{
    QFETCH(Duration, d);
    QFETCH(QString, expected);
    QCOMPARE(d.toString(), expected);
    QString error;
    QCOMPARE(Duration::fromString(expected, &error), d);
}

void TestValueTypes::durationFromString_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Duration>("expected");
    QTest::newRow("us") << u"1y2w3d4h5m6s7ms8us9ns"_s << Duration(33019506, 7008009);
    QTest::newRow("µs") << u"8µs"_s << Duration(0, 8000);
    QTest::newRow("90m") << u"90m"_s << Duration(5400);
    QTest::newRow("1500ms carries") << u"1500ms"_s << Duration(1, 500000000);
    QTest::newRow("unordered") << u"1s1h"_s << Duration(3601);
    QTest::newRow("zero") << u"0ns"_s << Duration();
    QTest::newRow("big ns") << u"18446744073709551615ns"_s << Duration(18446744073ull, 709551615);
}

void TestValueTypes::durationFromString()
{
    QFETCH(QString, text);
    QFETCH(Duration, expected);
    QString error;
    const Duration d = Duration::fromString(text, &error);
    QVERIFY2(d.isValid(), qPrintable(error));
    QCOMPARE(d, expected);
}

void TestValueTypes::durationErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << u""_s << u"empty"_s;
    QTest::newRow("number only") << u"1"_s
                                 << u"expected a unit (y, w, d, h, m, s, ms, us, µs, ns) at position 1"_s;
    QTest::newRow("unit only") << u"h"_s << u"number at position 0"_s;
    QTest::newRow("bad unit") << u"1x"_s << u"ns) at position 1"_s;
    QTest::newRow("space") << u"1h 2m"_s << u"number at position 2"_s;
    QTest::newRow("negative") << u"-1s"_s << u"number at position 0"_s;
    QTest::newRow("overflow number") << u"99999999999999999999s"_s << u"too large"_s;
    QTest::newRow("overflow years") << u"999999999999y"_s << u"too large"_s;
}

void TestValueTypes::durationErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    QString error;
    const Duration d = Duration::fromString(text, &error);
    QVERIFY(!d.isValid());
    QVERIFY2(error.contains(mentions), qPrintable(error));
    // An invalid duration cannot be sent.
    CodecError codecError;
    QVERIFY(CborCodec::encode(QVariant::fromValue(d), &codecError).isEmpty());
}

void TestValueTypes::durationMisc()
{
    QCOMPARE(Duration(0, 2500000000ull), Duration(2, 500000000));
    QCOMPARE(Duration::fromMilliseconds(1500), Duration(1, 500000000));
    QCOMPARE(Duration(1, 500000000).toMilliseconds(), quint64(1500));
    QCOMPARE(Duration(std::numeric_limits<quint64>::max()).toMilliseconds(),
             std::numeric_limits<quint64>::max());
    QVERIFY(Duration(1) < Duration(1, 1));
    QVERIFY(Duration().isZero());
    QVERIFY(Duration().isValid());
}

void TestValueTypes::decimalNormalise_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("trailing zeros") << u"12.3400"_s << u"12.34"_s;
    QTest::newRow("integral") << u"1.0"_s << u"1"_s;
    QTest::newRow("0.1 stays") << u"0.1"_s << u"0.1"_s;
    QTest::newRow("negative zero") << u"-0.000"_s << u"0"_s;
    QTest::newRow("plus") << u"+5"_s << u"5"_s;
    QTest::newRow("leading zeros") << u"007.50"_s << u"7.5"_s;
    QTest::newRow("leading dot") << u".5"_s << u"0.5"_s;
    QTest::newRow("trailing dot") << u"5."_s << u"5"_s;
    QTest::newRow("negative") << u"-12.5"_s << u"-12.5"_s;
    QTest::newRow("30 digits kept exactly")
        << u"123456789012345678901234567890.123456789"_s << u"123456789012345678901234567890.123456789"_s;
    QTest::newRow("tiny") << u"0.0000000000000000000000000000001"_s << u"0.0000000000000000000000000000001"_s;
}

void TestValueTypes::decimalNormalise()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    const Decimal d = Decimal::fromString(text, &error);
    QVERIFY2(d.isValid(), qPrintable(error));
    QCOMPARE(d.toString(), expected);
    QCOMPARE(Decimal::fromString(expected), d);
}

void TestValueTypes::decimalErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("exponent") << u"1.5e3"_s << u"exponent notation is not supported"_s;
    QTest::newRow("exponent position") << u"15E3"_s << u"at position 2"_s;
    QTest::newRow("empty") << u""_s << u"no digits"_s;
    QTest::newRow("sign only") << u"-"_s << u"no digits"_s;
    QTest::newRow("dot only") << u"."_s << u"no digits"_s;
    QTest::newRow("letters") << u"abc"_s << u"at position 0"_s;
    QTest::newRow("two dots") << u"1.2.3"_s << u"unexpected '.' at position 3"_s;
    QTest::newRow("space") << u" 1"_s << u"at position 0"_s;
    QTest::newRow("nan") << u"NaN"_s << u"at position 0"_s;
}

void TestValueTypes::decimalErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!Decimal::fromString(text, &error).isValid());
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestValueTypes::decimalCompare()
{
    auto d = [](const char16_t *s) { return Decimal::fromString(QStringView(s)); };
    QCOMPARE(d(u"1.5"), d(u"1.50"));
    QVERIFY(d(u"0.1") < d(u"0.2"));
    QVERIFY(d(u"-1") < d(u"0"));
    QVERIFY(d(u"-2") < d(u"-1.5"));
    QVERIFY(d(u"10") > d(u"9.99"));
    QVERIFY(d(u"0.1") < d(u"0.10000000000000000000000001"));
    QVERIFY(Decimal() < d(u"-100"));
    QList<Decimal> list{d(u"3"), d(u"-1.5"), d(u"0.25"), d(u"-10"), d(u"2.5")};
    std::sort(list.begin(), list.end());
    QStringList sorted;
    for (const Decimal &x : list)
        sorted << x.toString();
    QCOMPARE(sorted, (QStringList{u"-10"_s, u"-1.5"_s, u"0.25"_s, u"2.5"_s, u"3"_s}));
    QCOMPARE(Decimal(qint64(-42)).toString(), u"-42"_s);
    bool ok = false;
    QCOMPARE(d(u"2.5").toDouble(&ok), 2.5);
    QVERIFY(ok);
}

void TestValueTypes::decimalExactOnTheWire()
{
    const Decimal big = Decimal::fromString(u"79228162514264337593543950335.123");
    QVariant out;
    CodecError error;
    QVERIFY(CborCodec::decode(CborCodec::encode(QVariant::fromValue(big)), &out, &error));
    QCOMPARE(out.value<Decimal>().toString(), u"79228162514264337593543950335.123"_s);
    // The server normalises "12.3400"; decoding normalises too.
    QVERIFY(CborCodec::decode(QByteArray::fromHex("ca6731322e33343030"), &out, &error));
    QCOMPARE(out.value<Decimal>().toString(), u"12.34"_s);
}

void TestValueTypes::decimalToIntegerReportsRange_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("fitsLongLong");
    QTest::addColumn<qlonglong>("asLongLong");
    QTest::addColumn<bool>("fitsInt");

    QTest::newRow("small") << u"42"_s << true << 42LL << true;
    QTest::newRow("fraction truncates toward zero") << u"-12.9"_s << true << -12LL << true;
    QTest::newRow("int max") << u"2147483647"_s << true << 2147483647LL << true;
    QTest::newRow("int max + 1") << u"2147483648"_s << true << 2147483648LL << false;
    QTest::newRow("int min") << u"-2147483648"_s << true << -2147483648LL << true;
    QTest::newRow("qint64 min") << u"-9223372036854775808"_s << true << std::numeric_limits<qlonglong>::min()
                                << false;
    QTest::newRow("qint64 max + 1") << u"9223372036854775808"_s << false << 0LL << false;
    QTest::newRow("24 digits") << u"123456789012345678901234"_s << false << 0LL << false;
    QTest::newRow("negative 24 digits") << u"-123456789012345678901234.5"_s << false << 0LL << false;
}

void TestValueTypes::decimalToIntegerReportsRange()
{
    QFETCH(QString, text);
    QFETCH(bool, fitsLongLong);
    QFETCH(qlonglong, asLongLong);
    QFETCH(bool, fitsInt);
    const QVariant v = QVariant::fromValue(Decimal::fromString(text));
    bool ok = !fitsLongLong;
    const qlonglong n = v.toLongLong(&ok);
    QCOMPARE(ok, fitsLongLong);
    QCOMPARE(n, asLongLong);
    ok = !fitsInt;
    const int i = v.toInt(&ok);
    QCOMPARE(ok, fitsInt);
    if (fitsInt)
        QCOMPARE(i, int(asLongLong));
    else
        QCOMPARE(i, 0);
    // A double always exists (rounded): the lossy conversion is the documented one.
    ok = false;
    QVERIFY(qAbs(v.toDouble(&ok) - text.toDouble()) <= qAbs(text.toDouble()) * 1e-15);
    QVERIFY(ok);
}

void TestValueTypes::rangeAndBound()
{
    QCOMPARE(Range(Bound::included(1), Bound::excluded(3)).toString(), u"1..3"_s);
    QCOMPARE(Range(Bound::included(1), Bound::included(3)).toString(), u"1..=3"_s);
    QCOMPARE(Range(Bound::excluded(1), Bound::excluded(3)).toString(), u"1>..3"_s);
    QCOMPARE(Range().toString(), u".."_s);
    QCOMPARE(Range(Bound(), Bound::included(2)).toString(), u"..=2"_s);
    QCOMPARE(Range(Bound::included(u"a"_s), Bound()).toString(), u"'a'.."_s);
    QCOMPARE(Range(Bound::included(1), Bound()), Range(Bound::included(1), Bound::unbounded()));
    QVERIFY(Range(Bound::included(1), Bound()) != Range(Bound::excluded(1), Bound()));
    QVERIFY(Bound::included(1) != Bound::included(2));
    QCOMPARE(Bound::included(1).kind(), Bound::Included);
    QVERIFY(Bound().isUnbounded());
    QVERIFY(!Bound().value().isValid());
}

void TestValueTypes::geometry()
{
    const Geometry point = Geometry::fromPoint(1.5, -2);
    QVERIFY(point.isValid());
    QCOMPARE(point.type(), Geometry::Point);
    QCOMPARE(point.point(), QPointF(1.5, -2));
    QVERIFY(point.points().isEmpty());
    QCOMPARE(point.toString(), u"(1.5f, -2f)"_s);

    const Geometry::Points pts{{0, 0}, {1, 1}};
    const Geometry line = Geometry::fromLine(pts);
    QCOMPARE(line.type(), Geometry::Line);
    QCOMPARE(line.points(), pts);
    QVERIFY(line.rings().isEmpty());
    QCOMPARE(line.point(), QPointF());

    const Geometry polygon = Geometry::fromPolygon({pts, {{0.5, 0.5}}});
    QCOMPARE(polygon.rings().size(), 2);
    QCOMPARE(polygon.rings().first(), pts);
    QVERIFY(polygon.lines().isEmpty());

    QCOMPARE(Geometry::fromMultiPoint(pts).points(), pts);
    QCOMPARE(Geometry::fromMultiLine({pts}).lines(), (QList<Geometry::Points>{pts}));
    QCOMPARE(Geometry::fromMultiPolygon({{pts}}).polygons().size(), 1);
    const Geometry collection = Geometry::fromCollection({point, line});
    QCOMPARE(collection.geometries().size(), 2);
    QCOMPARE(collection.geometries().at(1), line);
    QVERIFY(collection != line);
    QVERIFY(line != Geometry::fromMultiPoint(pts));
    QVERIFY(!Geometry().isValid());
    QCOMPARE(line.toString(), u"{ type: 'LineString', coordinates: [[0f, 0f], [1f, 1f]] }"_s);
}

void TestValueTypes::geometryDecodeNesting()
{
    // A polygon whose ring is a multipoint is rejected and the message names the tag.
    QVariant out;
    CodecError error;
    QVERIFY(!CborCodec::decode(QByteArray::fromHex("d85a81d85b81d858820102"), &out, &error));
    QVERIFY2(error.message.contains(u"tag 90 (polygon): element 0 must be a line, got multipoint"_s),
             qPrintable(error.message));
}

void TestValueTypes::fileSetFuture()
{
    const FileRef file(u"bucket"_s, u"/a/b.txt"_s);
    QCOMPARE(file.toString(), u"f\"bucket:/a/b.txt\""_s);
    QVERIFY(file.isValid());
    QVERIFY(!FileRef().isValid());

    const SurrealSet set({1, 2, 3});
    QCOMPARE(set.size(), 3);
    QCOMPARE(set.toString(), u"{1, 2, 3}"_s);
    QCOMPARE(SurrealSet().toString(), u"{,}"_s);
    QVERIFY(set != SurrealSet({1, 2}));

    const Future future(QVariant(u"x"_s));
    QCOMPARE(future.value(), QVariant(u"x"_s));
    QCOMPARE(future.toString(), u"<future> { 'x' }"_s);
}

void TestValueTypes::table()
{
    QCOMPARE(Table(u"person"_s).toString(), u"person"_s);
    QCOMPARE(Table(u"person"_s).toSurrealQL(), u"person"_s);
    QCOMPARE(Table(u"my table"_s).toSurrealQL(), u"`my table`"_s);
    QCOMPARE(Table(u"we`ird"_s).toSurrealQL(), u"`we\\`ird`"_s);
    QVERIFY(!Table().isValid());
    QCOMPARE(Table(u"a"_s), Table(u"a"_s));
}

void TestValueTypes::metaTypesAndConverters()
{
    registerMetaTypes(); // idempotent
    registerMetaTypes();
    for (const char *name :
         {"SurrealQt::None", "SurrealQt::RecordId", "SurrealQt::Table", "SurrealQt::DateTime",
          "SurrealQt::Duration", "SurrealQt::Decimal", "SurrealQt::Range", "SurrealQt::Bound",
          "SurrealQt::Geometry", "SurrealQt::FileRef", "SurrealQt::SurrealSet", "SurrealQt::Future"})
        QVERIFY2(QMetaType::fromName(name).isValid(), name);

    QCOMPARE(QVariant::fromValue(Duration(5400)).toString(), u"1h30m"_s);
    QCOMPARE(QVariant::fromValue(DateTime(0, 0)).toString(), u"1970-01-01T00:00:00Z"_s);
    QCOMPARE(QVariant::fromValue(Decimal::fromString(u"1.50")).toString(), u"1.5"_s);
    QCOMPARE(QVariant::fromValue(Table(u"t"_s)).toString(), u"t"_s);
    QCOMPARE(QVariant::fromValue(DateTime(0, 0)).toDateTime(), QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
    QCOMPARE(QVariant(QDateTime::fromMSecsSinceEpoch(1500, Qt::UTC)).value<DateTime>(),
             DateTime(1, 500000000));

    // Gadgets expose their main accessors to QML.
    const QMetaObject &mo = DateTime::staticMetaObject;
    QVERIFY(mo.indexOfProperty("seconds") >= 0);
    QVERIFY(mo.indexOfProperty("nanoseconds") >= 0);
    QVERIFY(mo.indexOfMethod("toString()") >= 0);
    QVERIFY(Geometry::staticMetaObject.indexOfEnumerator("Type") >= 0);
    QVERIFY(Bound::staticMetaObject.indexOfEnumerator("Kind") >= 0);
}

void TestValueTypes::debugOutput()
{
    QString text;
    QDebug(&text).nospace() << Duration(5400) << ' ' << Decimal::fromString(u"1.50") << ' ' << None{} << ' '
                            << DateTime(0, 1) << ' ' << Table(u"a b"_s);
    QCOMPARE(text, u"SurrealQt::Duration(1h30m) SurrealQt::Decimal(1.5) SurrealQt::None "
                   "SurrealQt::DateTime(1970-01-01T00:00:00.000000001Z) SurrealQt::Table(`a b`)"_s);
}

QTEST_GUILESS_MAIN(TestValueTypes)
#include "tst_valuetypes.moc"
