#include <SurrealQt/error.h>
#include <SurrealQt/exception.h>

#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtTest/QtTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// Builds {"kind": kind} or {"kind": kind, "details": inner}.
QVariantMap detail(const QString &kind, const QVariantMap &inner = {})
{
    QVariantMap map{{u"kind"_s, kind}};
    if (!inner.isEmpty())
        map.insert(u"details"_s, inner);
    return map;
}

// An RPC error object as found under "error" in a response envelope (doc §6.1).
QVariantMap rpcError(int code, const QString &kind, const QVariantMap &details, const QString &message)
{
    QVariantMap map{{u"code"_s, code}, {u"kind"_s, kind}, {u"message"_s, message}};
    if (!details.isEmpty())
        map.insert(u"details"_s, details);
    return map;
}

} // namespace

class TestError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsNoError();
    void constructor();
    void fromServerKinds_data();
    void fromServerKinds();
    void fromServerKeepsServerFields();
    void wrongRootPassword();
    void permissionDeniedStatement();
    void parseErrorIsNotRetryable();
    void transactionConflictInternal();
    void transactionConflictDetail();
    void legacyCodes_data();
    void legacyCodes();
    void statementErrorMessageFromResult();
    void statementErrorMessageDoesNotUseResultWhenOk();
    void missingMessage();
    void retryable_data();
    void retryable();
    void toStringFormat();
    void setters();
    void equality();
    void itemErrors();
    void metaType();
    void exceptionWhat();
    void exceptionThroughFutureResult();
    void exceptionThroughOnFailed();
    void exceptionCloneAndRaise();
};

void TestError::defaultIsNoError()
{
    const Error e;
    QVERIFY(!e.isValid());
    QCOMPARE(e.kind(), Error::Kind::NoError);
    QVERIFY(e.message().isEmpty());
    QCOMPARE(e.serverCode(), 0);
    QVERIFY(e.serverKind().isEmpty());
    QVERIFY(e.details().isEmpty());
    QVERIFY(!e.isRetryable());
    QVERIFY(!e.isTransactionConflict());
    QCOMPARE(e.toString(), u"no error"_s);
    QVERIFY(e.itemErrors().isEmpty());
}

void TestError::constructor()
{
    const Error e(Error::Kind::Model, u"unknown field"_s, u"Person.save"_s);
    QVERIFY(e.isValid());
    QCOMPARE(e.kind(), Error::Kind::Model);
    QCOMPARE(e.message(), u"unknown field"_s);
    QCOMPARE(e.context(), u"Person.save"_s);
    QCOMPARE(e.serverCode(), 0);
    QVERIFY(e.serverKind().isEmpty());
}

void TestError::fromServerKinds_data()
{
    QTest::addColumn<QVariantMap>("object");
    QTest::addColumn<Error::Kind>("kind");

    // Real server objects from the protocol reference (§2.4, §6).
    QTest::newRow("wrong root password")
        << rpcError(-32002, u"NotAllowed"_s, detail(u"Auth"_s, detail(u"InvalidAuth"_s)),
                    u"There was a problem with authentication"_s)
        << Error::Kind::Authentication;
    QTest::newRow("missing pass") << rpcError(-32002, u"NotAllowed"_s,
                                              detail(u"Auth"_s, detail(u"MissingUserOrPass"_s)),
                                              u"Username or Password was not provided"_s)
                                  << Error::Kind::Authentication;
    QTest::newRow("token expired") << rpcError(-32002, u"NotAllowed"_s,
                                               detail(u"Auth"_s, detail(u"TokenExpired"_s)),
                                               u"The token has expired"_s)
                                   << Error::Kind::Authentication;
    QTest::newRow("session expired") << rpcError(-32000, u"NotAllowed"_s,
                                                 detail(u"Auth"_s, detail(u"SessionExpired"_s)),
                                                 u"The session has expired"_s)
                                     << Error::Kind::Authentication;
    QTest::newRow("auth permission denied")
        << rpcError(-32002, u"NotAllowed"_s,
                    detail(u"Auth"_s, detail(u"NotAllowed"_s, {{u"action"_s, u"View"_s},
                                                               {u"actor"_s, u"/ns:t/db:t/id:person:1"_s},
                                                               {u"resource"_s, u"/ns:t/db:t/Any:\"\""_s}})),
                    u"IAM error: Not enough permissions to perform this action"_s)
        << Error::Kind::NotAllowed;
    QTest::newRow("capability scripting")
        << rpcError(-32602, u"NotAllowed"_s, detail(u"Scripting"_s), u"Scripting functions are not allowed"_s)
        << Error::Kind::NotAllowed;
    QTest::newRow("capability function")
        << rpcError(-32602, u"NotAllowed"_s, detail(u"Function"_s, {{u"name"_s, u"http::get"_s}}),
                    u"Function 'http::get' is not allowed to be executed"_s)
        << Error::Kind::NotAllowed;
    QTest::newRow("not found table") << rpcError(-32000, u"NotFound"_s,
                                                 detail(u"Table"_s, {{u"name"_s, u"nosuch"_s}}),
                                                 u"The table 'nosuch' does not exist"_s)
                                     << Error::Kind::NotFound;
    QTest::newRow("not found method")
        << rpcError(-32601, u"NotFound"_s, detail(u"Method"_s, {{u"name"_s, u"unknown"_s}}),
                    u"Method not found"_s)
        << Error::Kind::NotFound;
    QTest::newRow("parse error")
        << rpcError(-32000, u"Validation"_s, {},
                    u"Parse error: Unexpected token `an identifier`, expected Eof\n --> [1:14]\n"_s)
        << Error::Kind::Parse;
    QTest::newRow("undecodable message")
        << rpcError(-32700, u"Validation"_s, detail(u"Parse"_s), u"Parse error: invalid CBOR"_s)
        << Error::Kind::Parse;
    // A Validation error whose text merely mentions parsing but carries details is not a parse error.
    QTest::newRow("validation with details mentioning parse")
        << rpcError(-32600, u"Validation"_s, detail(u"InvalidContent"_s), u"Parse error in content"_s)
        << Error::Kind::Validation;
    QTest::newRow("invalid params") << rpcError(-32603, u"Validation"_s, detail(u"InvalidParams"_s),
                                                u"Transaction not found"_s)
                                    << Error::Kind::Validation;
    QTest::newRow("namespace empty") << rpcError(-32600, u"Validation"_s, detail(u"NamespaceEmpty"_s),
                                                 u"Specify a namespace to use"_s)
                                     << Error::Kind::Validation;
    QTest::newRow("query timed out")
        << rpcError(-32004, u"Query"_s, detail(u"TimedOut"_s, {{u"duration"_s, u"1ns"_s}}),
                    u"The query was not executed because it exceeded the timeout: 1ns"_s)
        << Error::Kind::Timeout;
    QTest::newRow("query cancelled") << rpcError(
                                            -32005, u"Query"_s, detail(u"Cancelled"_s),
                                            u"The query was not executed due to a cancelled transaction"_s)
                                     << Error::Kind::Cancelled;
    QTest::newRow("query not executed")
        << rpcError(-32003, u"Query"_s, detail(u"NotExecuted"_s),
                    u"The query was not executed due to a failed transaction"_s)
        << Error::Kind::Query;
    QTest::newRow("connection") << rpcError(-32001, u"Connection"_s, detail(u"Uninitialised"_s),
                                            u"Connection uninitialised"_s)
                                << Error::Kind::Connection;
    QTest::newRow("internal") << rpcError(-32000, u"Internal"_s, {},
                                          u"Cannot execute LIVE statement using value: t:1"_s)
                              << Error::Kind::Query;
    QTest::newRow("already exists") << rpcError(-32000, u"AlreadyExists"_s,
                                                detail(u"Record"_s, {{u"id"_s, u"t:1"_s}}),
                                                u"Database record `t:1` already exists"_s)
                                    << Error::Kind::AlreadyExists;
    QTest::newRow("already exists table")
        << rpcError(-32000, u"AlreadyExists"_s, detail(u"Table"_s, {{u"name"_s, u"u"_s}}),
                    u"The table 'u' already exists"_s)
        << Error::Kind::AlreadyExists;
    // SurrealDB 3.0.2 sends the following only as Internal with a sentence (observed on the engine).
    QTest::newRow("unique index violation")
        << rpcError(-32000, u"Internal"_s, {},
                    u"Database index `ue` already contains 'a', with record `u:1`"_s)
        << Error::Kind::AlreadyExists;
    QTest::newRow("field type coercion")
        << rpcError(-32000, u"Internal"_s, {},
                    u"Couldn't coerce value for field `age` of `u:3`: Expected `int` but found `'x'`"_s)
        << Error::Kind::Validation;
    QTest::newRow("field assert")
        << rpcError(-32000, u"Internal"_s, {},
                    u"Found 1 for field `n`, with record `u:20`, but field must conform to: $value > 5"_s)
        << Error::Kind::Validation;
    QTest::newRow("schemafull unknown field")
        << rpcError(-32000, u"Internal"_s, {},
                    u"Found field 'extra', but no such field exists for table 'u'"_s)
        << Error::Kind::Validation;
    QTest::newRow("cast") << rpcError(-32000, u"Internal"_s, {},
                                      u"Could not cast into `int` using input `'abc'`"_s)
                          << Error::Kind::Validation;
    QTest::newRow("transaction conflict internal")
        << rpcError(
               -32000, u"Internal"_s, {},
               u"Failed to commit transaction due to a read or write conflict. This transaction can be retried"_s)
        << Error::Kind::Conflict;
    QTest::newRow("transaction conflict detail")
        << rpcError(-32000, u"Query"_s, detail(u"TransactionConflict"_s), u"conflict"_s)
        << Error::Kind::Conflict;
    // The sentences decide only for Internal: a thrown error quoting them stays a Query error.
    QTest::newRow("thrown text about an index")
        << rpcError(-32006, u"Thrown"_s, {}, u"An error occurred: Database index `x` already contains 1"_s)
        << Error::Kind::Query;
    QTest::newRow("thrown") << rpcError(-32006, u"Thrown"_s, {}, u"An error occurred: boom"_s)
                            << Error::Kind::Query;
    QTest::newRow("configuration") << rpcError(-32604, u"Configuration"_s, detail(u"LiveQueryNotSupported"_s),
                                               u"Live queries are not supported"_s)
                                   << Error::Kind::Query;
    // A kind the client has never heard of counts as Internal, whatever the code says.
    QTest::newRow("unknown kind wins over code")
        << rpcError(-32002, u"SomethingNew"_s, {}, u"new"_s) << Error::Kind::Query;
}

void TestError::fromServerKinds()
{
    QFETCH(QVariantMap, object);
    QFETCH(Error::Kind, kind);
    const Error e = Error::fromServer(object, u"ctx"_s);
    QVERIFY(e.isValid());
    QCOMPARE(e.kind(), kind);
    QCOMPARE(e.message(), object.value(u"message"_s).toString());
    QCOMPARE(e.serverKind(), object.value(u"kind"_s).toString());
    QCOMPARE(e.serverCode(), object.value(u"code"_s).toInt());
    QCOMPARE(e.details(), object.value(u"details"_s).toMap());
    QCOMPARE(e.context(), u"ctx"_s);
}

void TestError::fromServerKeepsServerFields()
{
    const QVariantMap object = rpcError(-32000, u"NotFound"_s, detail(u"Table"_s, {{u"name"_s, u"nosuch"_s}}),
                                        u"The table 'nosuch' does not exist"_s);
    const Error e = Error::fromServer(object, u"select nosuch"_s);
    QCOMPARE(e.kind(), Error::Kind::NotFound);
    QCOMPARE(e.serverCode(), -32000);
    QCOMPARE(e.serverKind(), u"NotFound"_s);
    QCOMPARE(e.details().value(u"kind"_s).toString(), u"Table"_s);
    QCOMPARE(e.details().value(u"details"_s).toMap().value(u"name"_s).toString(), u"nosuch"_s);
    QCOMPARE(e.message(), u"The table 'nosuch' does not exist"_s);
    QCOMPARE(e.context(), u"select nosuch"_s);
    QVERIFY(!e.isRetryable());
    QVERIFY(!e.isTransactionConflict());
}

void TestError::wrongRootPassword()
{
    // Verbatim from the reference (§2.4).
    const QVariantMap object{
        {u"code"_s, -32002},
        {u"kind"_s, u"NotAllowed"_s},
        {u"details"_s,
         QVariantMap{{u"kind"_s, u"Auth"_s}, {u"details"_s, QVariantMap{{u"kind"_s, u"InvalidAuth"_s}}}}},
        {u"message"_s, u"There was a problem with authentication"_s}};
    const Error e = Error::fromServer(object);
    QCOMPARE(e.kind(), Error::Kind::Authentication);
    QCOMPARE(e.serverCode(), -32002);
    QCOMPARE(e.message(), u"There was a problem with authentication"_s);
    QVERIFY(e.context().isEmpty());
    QVERIFY(!e.isRetryable());
}

void TestError::permissionDeniedStatement()
{
    // A per-statement error of a record user running INFO FOR DB (§6.1): message in "result", no code.
    const QVariantMap entry{
        {u"kind"_s, u"NotAllowed"_s},
        {u"details"_s,
         QVariantMap{{u"kind"_s, u"Auth"_s},
                     {u"details"_s,
                      QVariantMap{{u"kind"_s, u"NotAllowed"_s},
                                  {u"details"_s, QVariantMap{{u"action"_s, u"View"_s},
                                                             {u"actor"_s, u"/ns:t/db:t/id:person:c3wc"_s},
                                                             {u"resource"_s, u"/ns:t/db:t/Any:\"\""_s}}}}}}},
        {u"result"_s, u"IAM error: Not enough permissions to perform this action"_s},
        {u"status"_s, u"ERR"_s},
        {u"time"_s, u"115.612\u00b5s"_s}};
    const Error e = Error::fromServer(entry, u"statement 1"_s);
    QCOMPARE(e.kind(), Error::Kind::NotAllowed);
    QCOMPARE(e.message(), u"IAM error: Not enough permissions to perform this action"_s);
    QCOMPARE(e.serverCode(), 0);
    QCOMPARE(e.serverKind(), u"NotAllowed"_s);
    QVERIFY(!e.isRetryable());
}

void TestError::parseErrorIsNotRetryable()
{
    const Error e = Error::fromServer(rpcError(
        -32000, u"Validation"_s, {},
        u"Parse error: Unexpected token `an identifier`, expected Eof\n --> [1:14]\n  |\n1 | SELEC * "
        u"FROM t\n  |              ^\n"_s));
    QCOMPARE(e.kind(), Error::Kind::Parse);
    QVERIFY(!e.isRetryable());
    QVERIFY(!e.isTransactionConflict());
    QVERIFY(e.details().isEmpty());
}

void TestError::transactionConflictInternal()
{
    // 3.0.2 reports write conflicts as Internal with this sentence (§4).
    const Error e = Error::fromServer(rpcError(
        -32000, u"Internal"_s, {},
        u"Failed to commit transaction due to a read or write conflict. This transaction can be retried"_s));
    QCOMPARE(e.kind(), Error::Kind::Conflict);
    QVERIFY(e.isTransactionConflict());
    QVERIFY(e.isRetryable());

    // The same failure reported as a statement entry.
    const QVariantMap entry{{u"kind"_s, u"Internal"_s},
                            {u"result"_s, u"Failed to commit transaction due to a read or write conflict. "
                                          u"This transaction can be retried"_s},
                            {u"status"_s, u"ERR"_s}};
    const Error s = Error::fromServer(entry);
    QCOMPARE(s.kind(), Error::Kind::Conflict);
    QVERIFY(s.isTransactionConflict());
    QVERIFY(s.isRetryable());
}

void TestError::transactionConflictDetail()
{
    // Newer servers send a detail kind instead of the sentence.
    const Error e =
        Error::fromServer(rpcError(-32000, u"Query"_s, detail(u"TransactionConflict"_s), u"conflict"_s));
    QCOMPARE(e.kind(), Error::Kind::Conflict);
    QVERIFY(e.isTransactionConflict());
    QVERIFY(e.isRetryable());

    // An ordinary Internal error is neither.
    const Error other = Error::fromServer(rpcError(-32000, u"Internal"_s, {}, u"No record was returned"_s));
    QCOMPARE(other.kind(), Error::Kind::Query);
    QVERIFY(!other.isTransactionConflict());
    QVERIFY(!other.isRetryable());
}

void TestError::legacyCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Error::Kind>("kind");

    QTest::newRow("-32700 parse") << -32700 << Error::Kind::Parse;
    QTest::newRow("-32600 invalid request") << -32600 << Error::Kind::Validation;
    QTest::newRow("-32603 invalid params") << -32603 << Error::Kind::Validation;
    QTest::newRow("-32601 method not found") << -32601 << Error::Kind::NotFound;
    QTest::newRow("-32602 not allowed") << -32602 << Error::Kind::NotAllowed;
    QTest::newRow("-32002 auth") << -32002 << Error::Kind::Authentication;
    QTest::newRow("-32004 timed out") << -32004 << Error::Kind::Timeout;
    QTest::newRow("-32005 cancelled") << -32005 << Error::Kind::Cancelled;
    QTest::newRow("-32001 connection") << -32001 << Error::Kind::Connection;
    QTest::newRow("-32000 generic") << -32000 << Error::Kind::Query;
    QTest::newRow("-32003 not executed") << -32003 << Error::Kind::Query;
    QTest::newRow("-32006 thrown") << -32006 << Error::Kind::Query;
    QTest::newRow("no code") << 0 << Error::Kind::Query;
}

void TestError::legacyCodes()
{
    QFETCH(int, code);
    QFETCH(Error::Kind, kind);
    // Servers before 2.x: only code and message.
    QVariantMap object{{u"message"_s, u"legacy"_s}};
    if (code != 0)
        object.insert(u"code"_s, code);
    const Error e = Error::fromServer(object);
    QCOMPARE(e.kind(), kind);
    QCOMPARE(e.serverCode(), code);
    QVERIFY(e.serverKind().isEmpty());
    QCOMPARE(e.message(), u"legacy"_s);
    const bool retryable = kind == Error::Kind::Timeout || kind == Error::Kind::Connection;
    QCOMPARE(e.isRetryable(), retryable);
}

void TestError::statementErrorMessageFromResult()
{
    const QVariantMap entry{{u"details"_s, QVariantMap{{u"details"_s, QVariantMap{{u"id"_s, u"t:1"_s}}},
                                                       {u"kind"_s, u"Record"_s}}},
                            {u"kind"_s, u"AlreadyExists"_s},
                            {u"result"_s, u"Database record `t:1` already exists"_s},
                            {u"status"_s, u"ERR"_s},
                            {u"time"_s, u"193.236\u00b5s"_s}};
    const Error e = Error::fromServer(entry, u"statement 1"_s);
    QCOMPARE(e.kind(), Error::Kind::AlreadyExists);
    QCOMPARE(e.message(), u"Database record `t:1` already exists"_s);
    QCOMPARE(e.serverKind(), u"AlreadyExists"_s);
    QCOMPARE(e.serverCode(), 0);
    QCOMPARE(e.details().value(u"kind"_s).toString(), u"Record"_s);
    QCOMPARE(e.context(), u"statement 1"_s);

    // Timed out statement (§3).
    const QVariantMap timedOut{
        {u"details"_s,
         QVariantMap{{u"details"_s, QVariantMap{{u"duration"_s, u"1ns"_s}}}, {u"kind"_s, u"TimedOut"_s}}},
        {u"kind"_s, u"Query"_s},
        {u"result"_s, u"The query was not executed because it exceeded the timeout: 1ns"_s},
        {u"status"_s, u"ERR"_s}};
    const Error t = Error::fromServer(timedOut);
    QCOMPARE(t.kind(), Error::Kind::Timeout);
    QCOMPARE(t.message(), u"The query was not executed because it exceeded the timeout: 1ns"_s);
    QVERIFY(t.isRetryable());

    // Statement entries from old servers: only status and result.
    const Error old = Error::fromServer({{u"status"_s, u"ERR"_s}, {u"result"_s, u"old failure"_s}});
    QCOMPARE(old.kind(), Error::Kind::Query);
    QCOMPARE(old.message(), u"old failure"_s);
}

void TestError::statementErrorMessageDoesNotUseResultWhenOk()
{
    // "result" is only a message on ERR entries; an error object without message gets the fallback.
    const Error e = Error::fromServer({{u"kind"_s, u"Internal"_s}, {u"result"_s, u"not a message"_s}});
    QCOMPARE(e.message(), u"The server reported an error without a message"_s);

    // "message" wins over "result" when both are present.
    const Error both = Error::fromServer(
        {{u"status"_s, u"ERR"_s}, {u"message"_s, u"from message"_s}, {u"result"_s, u"from result"_s}});
    QCOMPARE(both.message(), u"from message"_s);
}

void TestError::missingMessage()
{
    const Error e = Error::fromServer({{u"kind"_s, u"Internal"_s}});
    QVERIFY(e.isValid());
    QCOMPARE(e.kind(), Error::Kind::Query);
    QCOMPARE(e.message(), u"The server reported an error without a message"_s);

    const Error empty = Error::fromServer({});
    QVERIFY(empty.isValid());
    QCOMPARE(empty.kind(), Error::Kind::Query);
}

void TestError::retryable_data()
{
    QTest::addColumn<Error::Kind>("kind");
    QTest::addColumn<bool>("retryable");

    QTest::newRow("NoError") << Error::Kind::NoError << false;
    QTest::newRow("Connection") << Error::Kind::Connection << true;
    QTest::newRow("Authentication") << Error::Kind::Authentication << false;
    QTest::newRow("Query") << Error::Kind::Query << false;
    QTest::newRow("NotFound") << Error::Kind::NotFound << false;
    QTest::newRow("NotAllowed") << Error::Kind::NotAllowed << false;
    QTest::newRow("Validation") << Error::Kind::Validation << false;
    QTest::newRow("Model") << Error::Kind::Model << false;
    QTest::newRow("BulkOperation") << Error::Kind::BulkOperation << false;
    QTest::newRow("Timeout") << Error::Kind::Timeout << true;
    QTest::newRow("Protocol") << Error::Kind::Protocol << false;
    QTest::newRow("Cancelled") << Error::Kind::Cancelled << false;
    QTest::newRow("AlreadyExists") << Error::Kind::AlreadyExists << false;
    QTest::newRow("Parse") << Error::Kind::Parse << false;
}

void TestError::retryable()
{
    QFETCH(Error::Kind, kind);
    QFETCH(bool, retryable);
    const Error e(kind, u"something failed"_s);
    QCOMPARE(e.isRetryable(), retryable);
    QVERIFY(!e.isTransactionConflict());
    // A transaction conflict is retryable whatever its kind.
    const Error conflict(kind, u"Transaction conflict: resource busy"_s);
    QVERIFY(conflict.isTransactionConflict());
    QVERIFY(conflict.isRetryable());
    // The sentence is matched case-insensitively.
    QVERIFY(Error(kind, u"this TRANSACTION can be RETRIED"_s).isTransactionConflict());
    // The Conflict kind is a conflict whatever its text.
    const Error byKind(Error::Kind::Conflict, u"something failed"_s);
    QVERIFY(byKind.isTransactionConflict());
    QVERIFY(byKind.isRetryable());
}

void TestError::toStringFormat()
{
    QCOMPARE(Error(Error::Kind::Timeout, u"too slow"_s).toString(), u"Timeout error: too slow"_s);
    QCOMPARE(Error(Error::Kind::Connection, u"refused"_s, u"ws://localhost:8000"_s).toString(),
             u"Connection error: refused (in ws://localhost:8000)"_s);

    const Error server = Error::fromServer(
        rpcError(-32000, u"NotFound"_s, detail(u"Table"_s), u"The table 'nosuch' does not exist"_s),
        u"select nosuch"_s);
    QCOMPARE(
        server.toString(),
        u"NotFound error: The table 'nosuch' does not exist [server kind NotFound] (in select nosuch)"_s);

    const Error auth =
        Error::fromServer(rpcError(-32002, u"NotAllowed"_s, detail(u"Auth"_s, detail(u"InvalidAuth"_s)),
                                   u"There was a problem with authentication"_s));
    QCOMPARE(auth.toString(),
             u"Authentication error: There was a problem with authentication [server kind NotAllowed]"_s);

    QString debugText;
    QDebug(&debugText) << Error(Error::Kind::Protocol, u"bad frame"_s);
    QCOMPARE(debugText.trimmed(), u"SurrealQt::Error(\"Protocol error: bad frame\")"_s);
}

void TestError::setters()
{
    Error e(Error::Kind::Query, u"boom"_s);
    Error &ref = e.setKind(Error::Kind::NotFound)
                     .setServerCode(-32601)
                     .setServerKind(u"NotFound"_s)
                     .setDetails({{u"kind"_s, u"Method"_s}})
                     .setContext(u"rpc foo"_s);
    QCOMPARE(&ref, &e);
    QCOMPARE(e.kind(), Error::Kind::NotFound);
    QCOMPARE(e.serverCode(), -32601);
    QCOMPARE(e.serverKind(), u"NotFound"_s);
    QCOMPARE(e.details(), (QVariantMap{{u"kind"_s, u"Method"_s}}));
    QCOMPARE(e.context(), u"rpc foo"_s);
    QCOMPARE(e.message(), u"boom"_s);

    // setDetails with a TransactionConflict detail makes it a conflict.
    Error c(Error::Kind::Query, u"x"_s);
    QVERIFY(!c.isRetryable());
    c.setDetails({{u"kind"_s, u"TransactionConflict"_s}});
    QVERIFY(c.isTransactionConflict());
    QVERIFY(c.isRetryable());

    // Copies are independent (implicit sharing detaches on write).
    const Error original(Error::Kind::Query, u"orig"_s);
    Error copy = original;
    copy.setKind(Error::Kind::Timeout).setContext(u"changed"_s);
    QCOMPARE(original.kind(), Error::Kind::Query);
    QVERIFY(original.context().isEmpty());
    QCOMPARE(copy.kind(), Error::Kind::Timeout);

    // Setting a kind on a default error makes it valid, NoError makes it invalid again.
    Error d;
    d.setKind(Error::Kind::Validation);
    QVERIFY(d.isValid());
    d.setKind(Error::Kind::NoError);
    QVERIFY(!d.isValid());
}

void TestError::equality()
{
    const Error a(Error::Kind::Query, u"m"_s, u"c"_s);
    const Error b(Error::Kind::Query, u"m"_s, u"c"_s);
    QVERIFY(a == b);
    QVERIFY(!(a != b));
    QCOMPARE(a, a);

    QVERIFY(a != Error(Error::Kind::Validation, u"m"_s, u"c"_s));
    QVERIFY(a != Error(Error::Kind::Query, u"other"_s, u"c"_s));
    QVERIFY(a != Error(Error::Kind::Query, u"m"_s, u"other"_s));
    QVERIFY(a != Error(a).setServerCode(-32000));
    QVERIFY(a != Error(a).setServerKind(u"Internal"_s));
    QVERIFY(a != Error(a).setDetails({{u"kind"_s, u"X"_s}}));
    QVERIFY(Error() == Error());

    const QVariantMap object = rpcError(-32000, u"NotFound"_s, detail(u"Table"_s), u"no table"_s);
    QCOMPARE(Error::fromServer(object, u"x"_s), Error::fromServer(object, u"x"_s));
    QVERIFY(Error::fromServer(object, u"x"_s) != Error::fromServer(object, u"y"_s));

    // Copy and move keep the value.
    Error moved = Error(a);
    QCOMPARE(moved, a);
    Error assigned;
    assigned = a;
    QCOMPARE(assigned, a);
    Error target;
    target = std::move(moved);
    QCOMPARE(target, a);
    Error s1(Error::Kind::Timeout, u"t"_s), s2(Error::Kind::Cancelled, u"c"_s);
    s1.swap(s2);
    QCOMPARE(s1.kind(), Error::Kind::Cancelled);
    QCOMPARE(s2.kind(), Error::Kind::Timeout);
}

void TestError::itemErrors()
{
    Error bulk(Error::Kind::BulkOperation, u"2 of 3 items failed"_s);
    const QList<Error> items{Error(Error::Kind::Validation, u"bad a"_s, u"item 0"_s),
                             Error(Error::Kind::NotAllowed, u"no b"_s, u"item 2"_s)};
    bulk.setItemErrors(items);
    QCOMPARE(bulk.itemErrors().size(), 2);
    QCOMPARE(bulk.itemErrors(), items);
    const Error copy = bulk;
    QCOMPARE(copy.itemErrors().at(1).kind(), Error::Kind::NotAllowed);
}

void TestError::metaType()
{
    const Error e(Error::Kind::Timeout, u"t"_s);
    const QVariant v = QVariant::fromValue(e);
    QCOMPARE(v.value<Error>(), e);
    QCOMPARE(QMetaEnum::fromType<Error::Kind>().valueToKey(int(Error::Kind::NotAllowed)),
             QByteArrayLiteral("NotAllowed"));
    // Q_GADGET properties are readable, as QML does.
    const QMetaObject &mo = Error::staticMetaObject;
    const QMetaProperty retryable = mo.property(mo.indexOfProperty("retryable"));
    QVERIFY(retryable.isValid());
    QCOMPARE(retryable.readOnGadget(&e).toBool(), true);
    const QMetaProperty message = mo.property(mo.indexOfProperty("message"));
    QCOMPARE(message.readOnGadget(&e).toString(), u"t"_s);
}

void TestError::exceptionWhat()
{
    const Error e(Error::Kind::NotFound, u"The table 'x' does not exist"_s, u"select x"_s);
    const Exception ex(e);
    QCOMPARE(ex.error(), e);
    QCOMPARE(QByteArray(ex.what()), e.toString().toUtf8());
    // Non-ASCII survives what().
    const Exception mu(Error(Error::Kind::Query, u"took 5\u00b5s"_s));
    QCOMPARE(QString::fromUtf8(mu.what()), u"Query error: took 5\u00b5s"_s);
}

void TestError::exceptionThroughFutureResult()
{
    const Error e =
        Error::fromServer(rpcError(-32002, u"NotAllowed"_s, detail(u"Auth"_s, detail(u"InvalidAuth"_s)),
                                   u"There was a problem with authentication"_s),
                          u"signin"_s);
    QPromise<int> promise;
    QFuture<int> future = promise.future();
    promise.start();
    promise.setException(Exception(e));
    promise.finish();

    QVERIFY(future.isFinished());
    bool caught = false;
    try {
        (void)future.result();
    } catch (const Exception &ex) {
        caught = true;
        QCOMPARE(ex.error(), e);
        QCOMPARE(ex.error().kind(), Error::Kind::Authentication);
        QCOMPARE(ex.error().serverCode(), -32002);
        QCOMPARE(ex.error().context(), u"signin"_s);
    } catch (...) {
        QFAIL("result() threw something other than SurrealQt::Exception");
    }
    QVERIFY(caught);

    // waitForFinished() rethrows too.
    caught = false;
    try {
        future.waitForFinished();
    } catch (const QException &ex) {
        caught = dynamic_cast<const Exception *>(&ex) != nullptr;
    }
    QVERIFY(caught);
}

void TestError::exceptionThroughOnFailed()
{
    const Error e(Error::Kind::Timeout, u"request timed out after 100 ms"_s, u"query"_s);
    QPromise<int> promise;
    Error received;
    bool otherHandler = false;
    QFuture<int> chained = promise.future()
                               .then([](int v) { return v + 1; })
                               .onFailed([&received](const Exception &ex) {
                                   received = ex.error();
                                   return -1;
                               })
                               .onFailed([&otherHandler] {
                                   otherHandler = true;
                                   return -2;
                               });
    promise.start();
    promise.setException(Exception(e));
    promise.finish();
    chained.waitForFinished();

    QCOMPARE(received, e);
    QVERIFY(received.isRetryable());
    QVERIFY(!otherHandler);
    QCOMPARE(chained.result(), -1);

    // A handler for an unrelated exception type is skipped; ours still gets it.
    QPromise<int> second;
    bool wrongTypeCalled = false;
    Error received2;
    QFuture<int> f2 = second.future()
                          .onFailed([&wrongTypeCalled](const std::runtime_error &) {
                              wrongTypeCalled = true;
                              return 0;
                          })
                          .onFailed([&received2](const Exception &ex) {
                              received2 = ex.error();
                              return 7;
                          });
    second.start();
    second.setException(Exception(e));
    second.finish();
    f2.waitForFinished();
    QVERIFY(!wrongTypeCalled);
    QCOMPARE(received2, e);
    QCOMPARE(f2.result(), 7);
}

void TestError::exceptionCloneAndRaise()
{
    const Error e(Error::Kind::Cancelled, u"closed"_s);
    const Exception ex(e);
    std::unique_ptr<Exception> clone(ex.clone());
    QCOMPARE(clone->error(), e);
    QCOMPARE(QByteArray(clone->what()), QByteArray(ex.what()));
    bool caught = false;
    try {
        clone->raise();
    } catch (const Exception &raised) {
        caught = true;
        QCOMPARE(raised.error(), e);
    }
    QVERIFY(caught);
}

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
