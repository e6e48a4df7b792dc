#include <SurrealQt/error.h>

#include <QtCore/QDebug>
#include <QtCore/QMetaEnum>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class ErrorData : public QSharedData
{
public:
    Error::Kind kind = Error::Kind::NoError;
    QString message;
    QString context;
    QString serverKind;
    QVariantMap details;
    QList<Error> itemErrors;
    int serverCode = 0;
};

namespace {
// Every request and reply passes "no error" around (a reply's error slot, a frame's): shared, so
// making one costs a reference count instead of an allocation; setters detach as usual.
// Never destroyed: an Error made during static destruction still finds it.
const QSharedDataPointer<ErrorData> &noError()
{
    static const auto *none = new QSharedDataPointer<ErrorData>(new ErrorData);
    return *none;
}
} // namespace

Error::Error()
    : d(noError())
{}

Error::Error(Kind kind, const QString &message, const QString &context)
    : d(new ErrorData)
{
    d->kind = kind;
    d->message = message;
    d->context = context;
}

Error::Error(const Error &other) = default;
Error::Error(Error &&other) noexcept = default;
Error &Error::operator=(const Error &other) = default;
Error &Error::operator=(Error &&other) noexcept = default;
Error::~Error() = default;

namespace {

QString detailKind(const QVariantMap &details)
{
    return details.value(u"kind"_s).toString();
}

bool isConflictText(const QString &message)
{
    return message.contains(u"This transaction can be retried"_s, Qt::CaseInsensitive) ||
           message.contains(u"Transaction conflict"_s, Qt::CaseInsensitive) ||
           message.contains(u"read or write conflict"_s, Qt::CaseInsensitive);
}

// SurrealDB 3.0 sends these only as kind "Internal" with a sentence (verified against the
// engine: see tests/integration/tst_api.cpp errorKindsFromTheEngine). Later servers may add
// detail kinds; the sentences stay the fallback.
Error::Kind kindFromInternalText(const QString &message)
{
    // "Database index `email` already contains 'a', with record `user:1`"
    if (message.contains(u"Database index"_s) && message.contains(u"already contains"_s))
        return Error::Kind::AlreadyExists;
    // "Database record `t:1` already exists", "The field 'n' already exists"
    if (message.contains(u"already exists"_s))
        return Error::Kind::AlreadyExists;
    // "Couldn't coerce value for field `age` of `u:3`: Expected `int` but found `'x'`",
    // "Found 1 for field `n`, with record `u:20`, but field must conform to: $value > 5",
    // "Found field 'extra', but no such field exists for table 'u'",
    // "Could not cast into `int` using input `'abc'`"
    if (message.startsWith(u"Couldn't coerce"_s) || message.startsWith(u"Could not cast"_s) ||
        message.contains(u"but field must conform to"_s) ||
        (message.startsWith(u"Found field"_s) && message.contains(u"no such field exists"_s)))
        return Error::Kind::Validation;
    if (isConflictText(message))
        return Error::Kind::Conflict;
    // A permission the caller lacks, which 3.0.2 reports only as this sentence of kind Internal
    // (through run() and inside a query alike): "You don't have permission to run the
    // fn::fn::secret function" (sic), and the same for other PERMISSIONS-guarded definitions.
    if (message.startsWith(u"You don't have permission"_s))
        return Error::Kind::NotAllowed;
    return Error::Kind::Query;
}

// The server groups errors by its own kinds; callers decide on ours, which separate
// "your credentials are wrong" from "you may not do this", a timeout from a failed statement,
// and a duplicate key or a parse error from everything else.
Error::Kind kindFromServer(const QString &serverKind, const QVariantMap &details, int code,
                           const QString &message)
{
    const QString sub = detailKind(details);
    if (sub == u"TransactionConflict")
        return Error::Kind::Conflict;
    if (serverKind == u"NotAllowed") {
        if (sub == u"Auth") {
            const QString authKind = detailKind(details.value(u"details"_s).toMap());
            return authKind == u"NotAllowed" ? Error::Kind::NotAllowed : Error::Kind::Authentication;
        }
        return Error::Kind::NotAllowed;
    }
    if (serverKind == u"NotFound")
        return Error::Kind::NotFound;
    if (serverKind == u"AlreadyExists")
        return Error::Kind::AlreadyExists;
    if (serverKind == u"Validation") {
        // 3.0 sends SurrealQL parse errors as Validation without details; "Parse" details mean
        // an undecodable message, which is just as final.
        if (sub == u"Parse" || (details.isEmpty() && message.startsWith(u"Parse error"_s)))
            return Error::Kind::Parse;
        return Error::Kind::Validation;
    }
    if (serverKind == u"Query") {
        if (sub == u"TimedOut")
            return Error::Kind::Timeout;
        if (sub == u"Cancelled")
            return Error::Kind::Cancelled;
        return Error::Kind::Query;
    }
    if (serverKind == u"Connection")
        return Error::Kind::Connection;
    if (serverKind == u"Internal")
        return kindFromInternalText(message);
    if (!serverKind.isEmpty())
        return Error::Kind::Query;
    // Servers before 2.x sent only a JSON-RPC code.
    switch (code) {
    case -32700:
        return Error::Kind::Parse;
    case -32600:
    case -32603:
        return Error::Kind::Validation;
    case -32601:
        return Error::Kind::NotFound;
    case -32602:
        return Error::Kind::NotAllowed;
    case -32002:
        return Error::Kind::Authentication;
    case -32004:
        return Error::Kind::Timeout;
    case -32005:
        return Error::Kind::Cancelled;
    case -32001:
        return Error::Kind::Connection;
    default:
        return kindFromInternalText(message);
    }
}

} // namespace

Error Error::fromServer(const QVariantMap &object, const QString &context)
{
    const QString serverKind = object.value(u"kind"_s).toString();
    const QVariantMap details = object.value(u"details"_s).toMap();
    const int code = object.value(u"code"_s).toInt();
    // Statement entries carry their message in "result"; RPC errors in "message".
    QString message = object.value(u"message"_s).toString();
    if (message.isEmpty() && object.value(u"status"_s).toString() == u"ERR")
        message = object.value(u"result"_s).toString();
    if (message.isEmpty())
        message = u"The server reported an error without a message"_s;

    Error error(kindFromServer(serverKind, details, code, message), message, context);
    error.d->serverCode = code;
    error.d->serverKind = serverKind;
    error.d->details = details;
    return error;
}

QString Error::kindName() const
{
    return QString::fromLatin1(QMetaEnum::fromType<Kind>().valueToKey(int(kind())));
}

bool Error::isValid() const
{
    return d->kind != Kind::NoError;
}

Error::Kind Error::kind() const
{
    return d->kind;
}

QString Error::message() const
{
    return d->message;
}

int Error::serverCode() const
{
    return d->serverCode;
}

QString Error::serverKind() const
{
    return d->serverKind;
}

QVariantMap Error::details() const
{
    return d->details;
}

QString Error::context() const
{
    return d->context;
}

bool Error::isTransactionConflict() const
{
    // 3.0.x reports conflicts as Internal with this sentence; later servers add a detail kind.
    return d->kind == Kind::Conflict || detailKind(d->details) == u"TransactionConflict" ||
           isConflictText(d->message);
}

bool Error::isRetryable() const
{
    switch (d->kind) {
    case Kind::Connection:
    case Kind::Timeout:
    case Kind::Conflict:
        return true;
    default:
        return isTransactionConflict();
    }
}

QList<Error> Error::itemErrors() const
{
    return d->itemErrors;
}

void Error::setItemErrors(const QList<Error> &errors)
{
    d->itemErrors = errors;
}

Error &Error::setKind(Kind kind)
{
    d->kind = kind;
    return *this;
}

Error &Error::setMessage(const QString &message)
{
    d->message = message;
    return *this;
}

Error &Error::setServerCode(int code)
{
    d->serverCode = code;
    return *this;
}

Error &Error::setServerKind(const QString &kind)
{
    d->serverKind = kind;
    return *this;
}

Error &Error::setDetails(const QVariantMap &details)
{
    d->details = details;
    return *this;
}

Error &Error::setContext(const QString &context)
{
    d->context = context;
    return *this;
}

QString Error::toString() const
{
    if (!isValid())
        return u"no error"_s;
    const char *kindName = QMetaEnum::fromType<Kind>().valueToKey(int(d->kind));
    QString text = QString::fromLatin1(kindName) + u" error: "_s + d->message;
    if (!d->serverKind.isEmpty())
        text += u" [server kind "_s + d->serverKind + u']';
    if (!d->context.isEmpty())
        text += u" (in "_s + d->context + u')';
    return text;
}

bool operator==(const Error &a, const Error &b)
{
    return a.d == b.d ||
           (a.d->kind == b.d->kind && a.d->message == b.d->message && a.d->context == b.d->context &&
            a.d->serverCode == b.d->serverCode && a.d->serverKind == b.d->serverKind &&
            a.d->details == b.d->details && a.d->itemErrors == b.d->itemErrors);
}

QDebug operator<<(QDebug debug, const Error &error)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "SurrealQt::Error(" << error.toString() << ')';
    return debug;
}

} // namespace SurrealQt
