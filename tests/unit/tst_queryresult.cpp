#include "codec/cborcodec_p.h"

#include <SurrealQt/livenotification.h>
#include <SurrealQt/none.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/statementresult.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QUuid>
#include <QtTest/QtTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

const QVariant NoneV = QVariant::fromValue(None{});

QVariantMap ok(const QVariant &result, const QString &time, const QVariant &type = NoneV)
{
    return {{u"result"_s, result}, {u"status"_s, u"OK"_s}, {u"time"_s, time}, {u"type"_s, type}};
}

QVariantMap err(const QString &kind, const QVariantMap &details, const QString &message,
                const QString &time = u"12.5\u00b5s"_s)
{
    QVariantMap map{{u"kind"_s, kind},
                    {u"result"_s, message},
                    {u"status"_s, u"ERR"_s},
                    {u"time"_s, time},
                    {u"type"_s, NoneV}};
    if (!details.isEmpty())
        map.insert(u"details"_s, details);
    return map;
}

QVariantList records(std::initializer_list<std::pair<QString, qint64>> ids)
{
    QVariantList list;
    for (const auto &[table, id] : ids)
        list.append(QVariantMap{{u"id"_s, QVariant::fromValue(RecordId(table, id))}, {u"a"_s, 1}});
    return list;
}

StatementResult statementWithTime(const QString &time)
{
    return StatementResult::fromServer(ok(1, time), 0);
}

const QUuid LiveId = QUuid::fromString(u"1d3133c6-c49c-41bd-a0b4-6f7260fa5aad");

QCborValue tag(quint64 t, const QCborValue &v)
{
    return QCborValue(QCborTag(t), v);
}

} // namespace

class TestQueryResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void okReply();
    void errorEntries();
    void failedTransactionDropsCommit();
    void successfulTransaction();
    void cancelledTransaction();
    void nonListReply_data();
    void nonListReply();
    void nonMapEntry();
    void nullErrorPointer();
    void emptyReply();
    void valueAndLast();
    void fromDecodedCbor();
    void statementTime_data();
    void statementTime();
    void statementType();
    void liveNotification_data();
    void liveNotification();
    void liveNotificationKilled();
    void liveNotificationFromDecodedCbor();
    void actionFromString();
};

void TestQueryResult::okReply()
{
    // "CREATE t:1 SET a = 1; SELECT * FROM t; RETURN 1 + 1; LET $x = 5; RETURN $x;" (§3)
    const QVariantList reply{ok(records({{u"t"_s, 1}}), u"351.732\u00b5s"_s),
                             ok(records({{u"t"_s, 1}}), u"121.901\u00b5s"_s), ok(2, u"22.173\u00b5s"_s),
                             ok(QVariant::fromValue(nullptr), u"18.628\u00b5s"_s), ok(5, u"9.424\u00b5s"_s)};
    Error error;
    const QueryResult r = QueryResult::fromServer(reply, &error);
    QVERIFY2(!error.isValid(), qPrintable(error.toString()));
    QCOMPARE(r.size(), 5);
    QVERIFY(!r.isEmpty());
    QVERIFY(r.isOk());
    QVERIFY(!r.firstError().isValid());
    for (const StatementResult &s : r.statements()) {
        QVERIFY(s.isOk());
        QVERIFY(!s.error().isValid());
        QVERIFY(s.type().isEmpty()); // NONE type means an ordinary statement
    }
    const QVariantList created = r.at(0).result().toList();
    QCOMPARE(created.size(), 1);
    QCOMPARE(created.at(0).toMap().value(u"id"_s).value<RecordId>(), RecordId(u"t"_s, 1));
    QCOMPARE(r.value(2).toInt(), 2);
    QVERIFY(isNull(r.value(3)));
    QCOMPARE(r.last().toInt(), 5);
    QCOMPARE(r.at(0).time(), u"351.732\u00b5s"_s);
    QCOMPARE(r.at(0).timeNanoseconds(), 351732);
    QCOMPARE(r.at(4).timeNanoseconds(), 9424);
}

void TestQueryResult::errorEntries()
{
    // Statements after a failing one still run outside transactions (§3).
    const QVariantList reply{
        ok(records({{u"t"_s, 1}}), u"351.732\u00b5s"_s),
        err(u"AlreadyExists"_s, {{u"details"_s, QVariantMap{{u"id"_s, u"t:1"_s}}}, {u"kind"_s, u"Record"_s}},
            u"Database record `t:1` already exists"_s, u"193.236\u00b5s"_s),
        err(u"Thrown"_s, {}, u"An error occurred: boom"_s),
        err(u"Validation"_s, {{u"kind"_s, u"NamespaceEmpty"_s}}, u"Specify a namespace to use"_s),
        err(u"Query"_s, {{u"details"_s, QVariantMap{{u"duration"_s, u"1ns"_s}}}, {u"kind"_s, u"TimedOut"_s}},
            u"The query was not executed because it exceeded the timeout: 1ns"_s),
        err(u"NotAllowed"_s,
            {{u"kind"_s, u"Auth"_s},
             {u"details"_s, QVariantMap{{u"kind"_s, u"NotAllowed"_s},
                                        {u"details"_s, QVariantMap{{u"action"_s, u"View"_s}}}}}},
            u"IAM error: Not enough permissions to perform this action"_s),
        ok(9, u"5.1\u00b5s"_s)};
    Error error;
    const QueryResult r = QueryResult::fromServer(reply, &error);
    QVERIFY(!error.isValid());
    QCOMPARE(r.size(), 7);
    QVERIFY(!r.isOk());

    QVERIFY(r.at(0).isOk());

    const StatementResult &exists = r.at(1);
    QVERIFY(!exists.isOk());
    QCOMPARE(exists.error().kind(), Error::Kind::AlreadyExists);
    QCOMPARE(exists.error().serverKind(), u"AlreadyExists"_s);
    QCOMPARE(exists.error().message(), u"Database record `t:1` already exists"_s);
    QCOMPARE(exists.error().details().value(u"kind"_s).toString(), u"Record"_s);
    QCOMPARE(exists.error().context(), u"statement 2"_s); // 1-based in the context text
    QVERIFY(!exists.result().isValid());                  // the message is not the result
    QCOMPARE(exists.time(), u"193.236\u00b5s"_s);
    QCOMPARE(exists.timeNanoseconds(), 193236);

    QCOMPARE(r.at(2).error().kind(), Error::Kind::Query);
    QCOMPARE(r.at(2).error().message(), u"An error occurred: boom"_s);
    QCOMPARE(r.at(2).error().serverKind(), u"Thrown"_s);

    QCOMPARE(r.at(3).error().kind(), Error::Kind::Validation);
    QCOMPARE(r.at(3).error().message(), u"Specify a namespace to use"_s);

    QCOMPARE(r.at(4).error().kind(), Error::Kind::Timeout);
    QVERIFY(r.at(4).error().isRetryable());

    QCOMPARE(r.at(5).error().kind(), Error::Kind::NotAllowed);
    QVERIFY(!r.at(5).error().isRetryable());

    QVERIFY(r.at(6).isOk());
    QCOMPARE(r.value(6).toInt(), 9);
    QCOMPARE(r.last().toInt(), 9);

    // firstError is the first failed statement, not any later one.
    QCOMPARE(r.firstError(), exists.error());
    QVERIFY(!r.value(1).isValid());
    QVERIFY(!r.value(5).isValid());
}

void TestQueryResult::failedTransactionDropsCommit()
{
    // "RETURN 0; BEGIN; CREATE b:3; CREATE b:1; COMMIT; RETURN 9;" with b:1 existing: 5 entries (§3.1).
    const QVariantList reply{ok(0, u"20.1\u00b5s"_s), ok(NoneV, u"0ns"_s),
                             err(u"Query"_s, {{u"kind"_s, u"NotExecuted"_s}},
                                 u"The query was not executed due to a failed transaction"_s),
                             err(u"AlreadyExists"_s,
                                 {{u"details"_s, QVariantMap{{u"id"_s, u"b:1"_s}}}, {u"kind"_s, u"Record"_s}},
                                 u"Database record `b:1` already exists"_s),
                             ok(9, u"8.2\u00b5s"_s)};
    Error error;
    const QueryResult r = QueryResult::fromServer(reply, &error);
    QVERIFY(!error.isValid());
    QCOMPARE(r.size(), 5); // no COMMIT entry
    QVERIFY(!r.isOk());
    QCOMPARE(r.value(0).toInt(), 0);
    QVERIFY(r.at(1).isOk());
    QVERIFY(isNone(r.value(1)));
    QCOMPARE(r.at(1).timeNanoseconds(), 0);

    const Error notExecuted = r.at(2).error();
    QCOMPARE(notExecuted.kind(), Error::Kind::Query);
    QCOMPARE(notExecuted.details().value(u"kind"_s).toString(), u"NotExecuted"_s);
    QCOMPARE(notExecuted.message(), u"The query was not executed due to a failed transaction"_s);
    QCOMPARE(notExecuted.context(), u"statement 3"_s);
    QVERIFY(!notExecuted.isRetryable());

    QCOMPARE(r.at(3).error().serverKind(), u"AlreadyExists"_s);
    QCOMPARE(r.at(3).error().message(), u"Database record `b:1` already exists"_s);

    // The first error is the NotExecuted one (positions inside a failed transaction shift).
    QCOMPARE(r.firstError(), notExecuted);
    // RETURN 9 after the transaction is the last entry, although it was statement 6 in the text.
    QCOMPARE(r.last().toInt(), 9);
}

void TestQueryResult::successfulTransaction()
{
    // "RETURN 0; BEGIN; CREATE b:1; CREATE b:2; COMMIT; RETURN 9;" -> 6 entries.
    const QVariantList reply{ok(0, u"20.1\u00b5s"_s),
                             ok(NoneV, u"0ns"_s),
                             ok(records({{u"b"_s, 1}}), u"100.2\u00b5s"_s),
                             ok(records({{u"b"_s, 2}}), u"90.5\u00b5s"_s),
                             ok(NoneV, u"1.2ms"_s),
                             ok(9, u"8.2\u00b5s"_s)};
    const QueryResult r = QueryResult::fromServer(reply, nullptr);
    QCOMPARE(r.size(), 6);
    QVERIFY(r.isOk());
    QCOMPARE(r.value(2).toList().at(0).toMap().value(u"id"_s).value<RecordId>(), RecordId(u"b"_s, 1));
    QCOMPARE(r.value(3).toList().at(0).toMap().value(u"id"_s).value<RecordId>(), RecordId(u"b"_s, 2));
    QVERIFY(isNone(r.value(4)));
    QCOMPARE(r.at(4).timeNanoseconds(), 1200000);
    QCOMPARE(r.last().toInt(), 9);
}

void TestQueryResult::cancelledTransaction()
{
    // "BEGIN; CREATE t:4; CANCEL;"
    const QVariantList reply{ok(NoneV, u"0ns"_s),
                             err(u"Query"_s, {{u"kind"_s, u"Cancelled"_s}},
                                 u"The query was not executed due to a cancelled transaction"_s),
                             ok(NoneV, u"1.1\u00b5s"_s)};
    const QueryResult r = QueryResult::fromServer(reply, nullptr);
    QCOMPARE(r.size(), 3);
    QVERIFY(!r.isOk());
    QCOMPARE(r.firstError().kind(), Error::Kind::Cancelled);
    QCOMPARE(r.firstError().context(), u"statement 2"_s);
}

void TestQueryResult::nonListReply_data()
{
    QTest::addColumn<QVariant>("reply");
    QTest::newRow("map") << QVariant(QVariantMap{{u"result"_s, 1}, {u"status"_s, u"OK"_s}});
    QTest::newRow("string") << QVariant(u"Parse error"_s);
    QTest::newRow("int") << QVariant(42);
    QTest::newRow("none") << NoneV;
    QTest::newRow("invalid") << QVariant();
}

void TestQueryResult::nonListReply()
{
    QFETCH(QVariant, reply);
    Error error;
    const QueryResult r = QueryResult::fromServer(reply, &error);
    QVERIFY(r.isEmpty());
    QCOMPARE(r.size(), 0);
    QVERIFY(error.isValid());
    QCOMPARE(error.kind(), Error::Kind::Protocol);
    QVERIFY2(error.message().startsWith(u"A query reply must be a list"_s), qPrintable(error.message()));
    QVERIFY(!error.isRetryable());
}

void TestQueryResult::nonMapEntry()
{
    const QVariantList reply{ok(1, u"1\u00b5s"_s), ok(2, u"1\u00b5s"_s), QVariant(u"oops"_s),
                             ok(4, u"1\u00b5s"_s)};
    Error error;
    const QueryResult r = QueryResult::fromServer(reply, &error);
    QVERIFY(r.isEmpty()); // nothing half-parsed is returned
    QCOMPARE(error.kind(), Error::Kind::Protocol);
    QCOMPARE(error.message(), u"Statement result 2 is not a map"_s);

    Error error0;
    (void)QueryResult::fromServer(QVariantList{QVariant(QVariantList{1, 2})}, &error0);
    QCOMPARE(error0.kind(), Error::Kind::Protocol);
    QCOMPARE(error0.message(), u"Statement result 0 is not a map"_s);
}

void TestQueryResult::nullErrorPointer()
{
    // Must not crash without an error out-parameter.
    QVERIFY(QueryResult::fromServer(42, nullptr).isEmpty());
    QVERIFY(QueryResult::fromServer(QVariantList{1}, nullptr).isEmpty());
}

void TestQueryResult::emptyReply()
{
    Error error;
    const QueryResult r = QueryResult::fromServer(QVariantList{}, &error);
    QVERIFY(!error.isValid());
    QVERIFY(r.isEmpty());
    QVERIFY(r.isOk());
    QVERIFY(!r.firstError().isValid());
    QVERIFY(!r.last().isValid());
}

void TestQueryResult::valueAndLast()
{
    const QueryResult r = QueryResult::fromServer(
        QVariantList{ok(1, u"1ns"_s), err(u"Thrown"_s, {}, u"An error occurred: boom"_s)}, nullptr);
    QCOMPARE(r.value(0).toInt(), 1);
    QVERIFY(!r.value(-1).isValid());
    QVERIFY(!r.value(2).isValid());
    QVERIFY(!r.value(1).isValid());
    QVERIFY(!r.last().isValid()); // the last statement failed

    // Constructed directly.
    const QueryResult direct(QList<StatementResult>{StatementResult::fromServer(ok(7, u"1ns"_s), 0)});
    QCOMPARE(direct.size(), 1);
    QCOMPARE(direct.last().toInt(), 7);

    // Q_INVOKABLE value() and the properties are reachable through the meta-object.
    const QMetaObject &mo = QueryResult::staticMetaObject;
    QCOMPARE(mo.property(mo.indexOfProperty("size")).readOnGadget(&r).toInt(), 2);
    QCOMPARE(mo.property(mo.indexOfProperty("ok")).readOnGadget(&r).toBool(), false);
}

void TestQueryResult::fromDecodedCbor()
{
    // The same reply shape as on the wire: type and null results are CBOR tag 6 (NONE),
    // record ids tag 8, durations inside details tag 14.
    QCborArray entries;
    entries.append(
        QCborMap{{u"result"_s, QCborArray{QCborMap{{u"a"_s, 1}, {u"id"_s, tag(8, QCborArray{u"t"_s, 1})}}}},
                 {u"status"_s, u"OK"_s},
                 {u"time"_s, u"351.732\u00b5s"_s},
                 {u"type"_s, tag(6, QCborValue(QCborValue::Null))}});
    entries.append(
        QCborMap{{u"details"_s, QCborMap{{u"details"_s, QCborMap{{u"duration"_s, tag(14, QCborArray{0, 1})}}},
                                         {u"kind"_s, u"TimedOut"_s}}},
                 {u"kind"_s, u"Query"_s},
                 {u"result"_s, u"The query was not executed because it exceeded the timeout: 1ns"_s},
                 {u"status"_s, u"ERR"_s},
                 {u"time"_s, u"1.101511266s"_s},
                 {u"type"_s, tag(6, QCborValue(QCborValue::Null))}});
    entries.append(QCborMap{{u"result"_s, tag(37, QCborValue(LiveId.toRfc4122()))},
                            {u"status"_s, u"OK"_s},
                            {u"time"_s, u"3.562507ms"_s},
                            {u"type"_s, u"live"_s}});

    QVariant decoded;
    CodecError codecError;
    QVERIFY2(CborCodec::decode(QCborValue(entries).toCbor(), &decoded, &codecError),
             qPrintable(codecError.message));

    Error error;
    const QueryResult r = QueryResult::fromServer(decoded, &error);
    QVERIFY2(!error.isValid(), qPrintable(error.toString()));
    QCOMPARE(r.size(), 3);
    QVERIFY(r.at(0).isOk());
    QVERIFY(r.at(0).type().isEmpty());
    QCOMPARE(r.at(0).result().toList().at(0).toMap().value(u"id"_s).value<RecordId>(), RecordId(u"t"_s, 1));
    QCOMPARE(r.at(0).timeNanoseconds(), 351732);

    QCOMPARE(r.at(1).error().kind(), Error::Kind::Timeout);
    QCOMPARE(r.at(1).error().message(), u"The query was not executed because it exceeded the timeout: 1ns"_s);
    QCOMPARE(r.at(1).timeNanoseconds(), Q_INT64_C(1101511266));

    QCOMPARE(r.at(2).type(), u"live"_s);
    QCOMPARE(r.value(2).toUuid(), LiveId);
    QCOMPARE(r.at(2).timeNanoseconds(), 3562507);
}

void TestQueryResult::statementTime_data()
{
    QTest::addColumn<QString>("time");
    QTest::addColumn<qint64>("nanoseconds");

    QTest::newRow("0ns") << u"0ns"_s << Q_INT64_C(0);
    QTest::newRow("17ns") << u"17ns"_s << Q_INT64_C(17);
    QTest::newRow("micro sign") << u"78.236\u00b5s"_s << Q_INT64_C(78236);
    QTest::newRow("ascii us") << u"78.236us"_s << Q_INT64_C(78236);
    QTest::newRow("whole micro") << u"5\u00b5s"_s << Q_INT64_C(5000);
    QTest::newRow("ms") << u"3.562507ms"_s << Q_INT64_C(3562507);
    QTest::newRow("s") << u"1.101511266s"_s << Q_INT64_C(1101511266);
    QTest::newRow("whole s") << u"2s"_s << Q_INT64_C(2000000000);
    QTest::newRow("long s") << u"3600.000000001s"_s << Q_INT64_C(3600000000001);
    QTest::newRow("garbage") << u"garbage"_s << Q_INT64_C(-1);
    QTest::newRow("garbage with s") << u"fast"_s << Q_INT64_C(-1);
    QTest::newRow("unit only") << u"ms"_s << Q_INT64_C(-1);
    QTest::newRow("no unit") << u"12.5"_s << Q_INT64_C(-1);
    QTest::newRow("unknown unit") << u"5m"_s << Q_INT64_C(-1);
    QTest::newRow("empty") << QString() << Q_INT64_C(-1);
}

void TestQueryResult::statementTime()
{
    QFETCH(QString, time);
    QFETCH(qint64, nanoseconds);
    const StatementResult s = statementWithTime(time);
    QCOMPARE(s.time(), time);
    QCOMPARE(s.timeNanoseconds(), nanoseconds);
}

void TestQueryResult::statementType()
{
    const StatementResult live =
        StatementResult::fromServer(ok(QVariant::fromValue(LiveId), u"100\u00b5s"_s, u"live"_s), 0);
    QCOMPARE(live.type(), u"live"_s);
    QCOMPARE(live.result().toUuid(), LiveId);

    const StatementResult kill = StatementResult::fromServer(ok(NoneV, u"50\u00b5s"_s, u"kill"_s), 0);
    QCOMPARE(kill.type(), u"kill"_s);
    QVERIFY(kill.isOk());

    QVERIFY(StatementResult::fromServer(ok(1, u"1ns"_s, NoneV), 0).type().isEmpty());
    QVERIFY(StatementResult::fromServer(ok(1, u"1ns"_s, QVariant::fromValue(nullptr)), 0).type().isEmpty());
    QVERIFY(StatementResult::fromServer({{u"status"_s, u"OK"_s}, {u"result"_s, 1}}, 0).type().isEmpty());

    // An ERR statement keeps its time and type, but has no result.
    const StatementResult failed = StatementResult::fromServer(
        err(u"Internal"_s, {}, u"Cannot execute KILL statement using id: u'1d3133c6'"_s), 4);
    QVERIFY(!failed.isOk());
    QCOMPARE(failed.error().context(), u"statement 5"_s);
    QCOMPARE(failed.error().message(), u"Cannot execute KILL statement using id: u'1d3133c6'"_s);
    QCOMPARE(failed.timeNanoseconds(), 12500);
    QVERIFY(!failed.result().isValid());

    // A default StatementResult is OK with nothing in it.
    const StatementResult empty;
    QVERIFY(empty.isOk());
    QCOMPARE(empty.timeNanoseconds(), -1);
}

void TestQueryResult::liveNotification_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<LiveNotification::Action>("expected");
    QTest::newRow("CREATE") << u"CREATE"_s << LiveNotification::Action::Create;
    QTest::newRow("UPDATE") << u"UPDATE"_s << LiveNotification::Action::Update;
    QTest::newRow("DELETE") << u"DELETE"_s << LiveNotification::Action::Delete;
    QTest::newRow("KILLED") << u"KILLED"_s << LiveNotification::Action::Killed;
    QTest::newRow("unknown") << u"TRUNCATE"_s << LiveNotification::Action::Unknown;
    QTest::newRow("lower case") << u"create"_s << LiveNotification::Action::Unknown;
    QTest::newRow("empty") << QString() << LiveNotification::Action::Unknown;
}

void TestQueryResult::liveNotification()
{
    QFETCH(QString, action);
    QFETCH(LiveNotification::Action, expected);
    const RecordId rid(u"t"_s, 1);
    const QVariantMap result{{u"id"_s, QVariant::fromValue(rid)}, {u"v"_s, 1}};
    const QVariantMap map{{u"action"_s, action},
                          {u"id"_s, QVariant::fromValue(LiveId)},
                          {u"record"_s, QVariant::fromValue(rid)},
                          {u"result"_s, result},
                          {u"session"_s, NoneV}};
    const LiveNotification n = LiveNotification::fromServer(map);
    QCOMPARE(n.action(), expected);
    QCOMPARE(n.queryId(), LiveId);
    QCOMPARE(n.record().value<RecordId>(), rid);
    QCOMPARE(n.result().toMap().value(u"v"_s).toInt(), 1);
    QCOMPARE(n.result().toMap().value(u"id"_s).value<RecordId>(), rid);
}

void TestQueryResult::liveNotificationKilled()
{
    const QVariantMap map{{u"action"_s, u"KILLED"_s},
                          {u"id"_s, QVariant::fromValue(LiveId)},
                          {u"record"_s, NoneV},
                          {u"result"_s, NoneV},
                          {u"session"_s, NoneV}};
    const LiveNotification n = LiveNotification::fromServer(map);
    QCOMPARE(n.action(), LiveNotification::Action::Killed);
    QCOMPARE(n.queryId(), LiveId);
    QVERIFY(isNone(n.record()));
    QVERIFY(isNone(n.result()));

    // DIFF mode: the result is a JSON-patch list.
    const QVariantList patch{QVariantMap{{u"op"_s, u"replace"_s}, {u"path"_s, u"/v"_s}, {u"value"_s, 5}}};
    const LiveNotification diff = LiveNotification::fromServer({{u"action"_s, u"UPDATE"_s},
                                                                {u"id"_s, QVariant::fromValue(LiveId)},
                                                                {u"record"_s, u"t:1"_s},
                                                                {u"result"_s, patch}});
    QCOMPARE(diff.action(), LiveNotification::Action::Update);
    QCOMPARE(diff.result().toList(), patch);

    // Missing fields.
    const LiveNotification empty = LiveNotification::fromServer({});
    QCOMPARE(empty.action(), LiveNotification::Action::Unknown);
    QVERIFY(empty.queryId().isNull());
}

void TestQueryResult::liveNotificationFromDecodedCbor()
{
    // The inner map of a notification frame as emitted by the server (§1.4).
    const QCborMap wire{{u"action"_s, u"DELETE"_s},
                        {u"id"_s, tag(37, QCborValue(LiveId.toRfc4122()))},
                        {u"record"_s, tag(8, QCborArray{u"t"_s, 1})},
                        {u"result"_s, QCborMap{{u"id"_s, tag(8, QCborArray{u"t"_s, 1})}, {u"v"_s, 5}}},
                        {u"session"_s, tag(6, QCborValue(QCborValue::Null))}};
    QVariant decoded;
    CodecError codecError;
    QVERIFY2(CborCodec::decode(QCborValue(wire).toCbor(), &decoded, &codecError),
             qPrintable(codecError.message));
    const LiveNotification n = LiveNotification::fromServer(decoded.toMap());
    QCOMPARE(n.action(), LiveNotification::Action::Delete);
    QCOMPARE(n.queryId(), LiveId);
    QCOMPARE(n.record().value<RecordId>(), RecordId(u"t"_s, 1));
    QCOMPARE(n.result().toMap().value(u"v"_s).toInt(), 5);

    // The constructor stores what it is given.
    const LiveNotification made(LiveNotification::Action::Create, LiveId, 1, 2);
    QCOMPARE(made.action(), LiveNotification::Action::Create);
    QCOMPARE(made.queryId(), LiveId);
    QCOMPARE(made.record().toInt(), 1);
    QCOMPARE(made.result().toInt(), 2);
}

void TestQueryResult::actionFromString()
{
    QCOMPARE(LiveNotification::actionFromString(u"CREATE"), LiveNotification::Action::Create);
    QCOMPARE(LiveNotification::actionFromString(u"UPDATE"), LiveNotification::Action::Update);
    QCOMPARE(LiveNotification::actionFromString(u"DELETE"), LiveNotification::Action::Delete);
    QCOMPARE(LiveNotification::actionFromString(u"KILLED"), LiveNotification::Action::Killed);
    QCOMPARE(LiveNotification::actionFromString(u"KILL"), LiveNotification::Action::Unknown);
    QCOMPARE(LiveNotification::actionFromString(u" CREATE"), LiveNotification::Action::Unknown);
    QCOMPARE(LiveNotification::actionFromString({}), LiveNotification::Action::Unknown);
}

QTEST_APPLESS_MAIN(TestQueryResult)
#include "tst_queryresult.moc"
