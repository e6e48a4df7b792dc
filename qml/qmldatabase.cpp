#include "qmldatabase.h"

#include "jsconvert_p.h"

#include "core/postbox_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/credentials.h>
#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/none.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#endif
#include <QtQml/QJSValueIterator>
#include <QtQml/QQmlEngine>

#include <cmath>

namespace SurrealQt {

using JsConvert::Reply;
// The Status enum keeps Error as a deprecated name of Failed; inside QmlDatabase that name means
// the enum value.
using SqError = SurrealQt::Error;

namespace {

// Settles the Reply later, so a callback never runs inside the call that registered it.
void rejectLater(QObject *context, const Reply &reply, const SqError &error)
{
    QTimer::singleShot(0, context, [reply, error] { reply.reject(error); });
}

SqError validation(const QString &message, const QString &context)
{
    return SqError(SqError::Kind::Validation, message, context);
}

bool isIdentifier(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

// "title" or "title DESC": one field path and an optional direction.
const QRegularExpression &orderPattern()
{
    static const QRegularExpression re(QStringLiteral("^([A-Za-z_][A-Za-z0-9_.]*)(?:\\s+(ASC|DESC))?$"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

// A record id argument, or a Validation error naming the call.
bool parseRecordId(const QString &text, const QString &context, RecordId *id, SqError *error)
{
    QString message;
    *id = RecordId::parse(text, &message);
    if (id->isValid())
        return true;
    *error = validation(QStringLiteral("'%1' is not a record id (table:id): %2").arg(text, message), context);
    return false;
}

// "table:id" -> RecordId, "table" -> Table.
bool parseWhat(const QString &what, const QString &context, QVariant *out, SqError *error)
{
    if (what.contains(QLatin1Char(':'))) {
        RecordId id;
        if (!parseRecordId(what, context, &id, error))
            return false;
        *out = QVariant::fromValue(id);
        return true;
    }
    if (!isIdentifier(what)) {
        *error = validation(QStringLiteral("'%1' is not a table name").arg(what), context);
        return false;
    }
    *out = QVariant::fromValue(Table(what));
    return true;
}

// Records handed back to JavaScript carry their id as text; sending that text back as the
// id field would not name the record, so the target id wins.
QVariantMap withoutTextId(QVariantMap data)
{
    if (data.value(QStringLiteral("id")).metaType().id() == QMetaType::QString)
        data.remove(QStringLiteral("id"));
    return data;
}

struct Filter
{
    QString where;
    QVariantMap vars;
    QString orderBy;
    bool descending = false;
    qint64 limit = -1;
    qint64 start = -1;
};

QString kindOf(const QJSValue &value)
{
    if (value.isUndefined())
        return QStringLiteral("undefined");
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isBool())
        return QStringLiteral("a boolean");
    if (value.isNumber())
        return QStringLiteral("a number");
    if (value.isString())
        return QStringLiteral("text");
    if (value.isCallable())
        return QStringLiteral("a function");
    if (value.isArray())
        return QStringLiteral("an array");
    if (value.isDate())
        return QStringLiteral("a Date");
    if (value.isQObject())
        return QStringLiteral("a QML object");
    return QStringLiteral("an object");
}

// The arguments of one data call as the script wrote them. The last function is the callback,
// whichever position it stands in, so optional arguments before it may be left out; the other
// arguments fill the parameters in order. The first problem becomes the call's Validation error.
class Call
{
public:
    Call(const QString &name, std::initializer_list<QJSValue> args, int params)
        : m_name(name)
        , m_args(args)
    {
        while (!m_args.isEmpty() && m_args.last().isUndefined())
            m_args.removeLast();
        if (!m_args.isEmpty() && m_args.last().isCallable()) {
            m_callback = m_args.takeLast();
        } else if (m_args.size() > params) {
            // The callback's own position holds something else.
            if (!m_args.last().isNull())
                fail(QStringLiteral("callback must be a function, not %1").arg(kindOf(m_args.last())));
            m_args.removeLast();
        }
    }

    [[nodiscard]] QJSValue callback() const { return m_callback; }
    [[nodiscard]] const SqError &error() const { return m_error; }
    [[nodiscard]] bool ok() const { return !m_error.isValid(); }
    [[nodiscard]] QString name() const { return m_name; }
    [[nodiscard]] QJSValue arg(int i) const { return i < m_args.size() ? m_args.at(i) : QJSValue(); }
    [[nodiscard]] bool given(int i) const { return !arg(i).isUndefined() && !arg(i).isNull(); }

    bool fail(const QString &message)
    {
        if (ok())
            m_error = validation(message, m_name);
        return false;
    }

    bool fail(SqError error)
    {
        if (ok())
            m_error = error.setContext(m_name);
        return false;
    }

    bool text(int i, const QString &param, const QString &what, QString *out)
    {
        if (!ok())
            return false;
        if (!arg(i).isString()) {
            return fail(arg(i).isUndefined()
                            ? QStringLiteral("%1 is missing (%2)").arg(param, what)
                            : QStringLiteral("%1 must be %2, not %3").arg(param, what, kindOf(arg(i))));
        }
        *out = arg(i).toString();
        return true;
    }

    bool table(int i, QString *out)
    {
        if (!text(i, QStringLiteral("table"), QStringLiteral("a table name as text"), out))
            return false;
        return isIdentifier(*out) || fail(QStringLiteral("'%1' is not a table name").arg(*out));
    }

    // "table:id" text, or a record id value (db.recordId(), a row's id role).
    bool recordId(int i, const QString &param, QString *out)
    {
        if (!ok())
            return false;
        if (!arg(i).isString() && arg(i).isObject()) {
            SqError ignored;
            const QVariant value = JsConvert::fromJs(arg(i), param, &ignored);
            if (value.canConvert<RecordId>() && value.value<RecordId>().isValid()) {
                *out = value.value<RecordId>().toString();
                return true;
            }
        }
        return text(i, param, QStringLiteral("a record id (\"table:id\" text or db.recordId())"), out);
    }

    // A record id when it contains ':' (or is a record id value), else a table.
    bool what(int i, QVariant *out)
    {
        QString text;
        if (!recordId(i, QStringLiteral("what"), &text))
            return false;
        SqError error;
        if (!parseWhat(text, m_name, out, &error))
            return fail(error);
        return true;
    }

    bool value(const QJSValue &value, const QString &path, QVariant *out)
    {
        if (!ok())
            return false;
        SqError error;
        *out = JsConvert::fromJs(value, path, &error);
        return error.isValid() ? fail(error) : true;
    }

    // An object argument; an optional one left out gives an empty map and false for `present`.
    bool object(int i, const QString &param, bool required, QVariantMap *out, bool *present = nullptr)
    {
        if (!ok())
            return false;
        const QJSValue v = arg(i);
        if (present)
            *present = given(i);
        if (!given(i) && !required)
            return true;
        if (v.isUndefined())
            return fail(QStringLiteral("%1 is missing (an object)").arg(param));
        if (!v.isObject() || v.isArray() || v.isCallable() || v.isDate() || v.isQObject())
            return fail(QStringLiteral("%1 must be an object, not %2").arg(param, kindOf(v)));
        QVariant converted;
        if (!value(v, param, &converted))
            return false;
        *out = converted.toMap();
        return true;
    }

    bool rows(int i, QVariantList *out)
    {
        if (!ok())
            return false;
        const QJSValue v = arg(i);
        if (v.isUndefined())
            return fail(QStringLiteral("rows is missing (an array of objects)"));
        if (!v.isArray())
            return fail(QStringLiteral("rows must be an array of objects, not %1").arg(kindOf(v)));
        QVariant converted;
        if (!value(v, QStringLiteral("rows"), &converted))
            return false;
        *out = converted.toList();
        return true;
    }

    bool filter(int i, bool required, Filter *filter)
    {
        if (!ok())
            return false;
        const QJSValue options = arg(i);
        if (!given(i)) {
            return !required ||
                   fail(QStringLiteral("options is missing ({where, vars}; where: \"true\" for every "
                                       "record)"));
        }
        if (options.isString()) {
            filter->where = options.toString();
            return true;
        }
        if (!options.isObject() || options.isArray() || options.isCallable() || options.isDate() ||
            options.isQObject()) {
            return fail(
                QStringLiteral("options must be an object {where, vars, orderBy, limit, start} or a where "
                               "condition as text, not %1")
                    .arg(kindOf(options)));
        }
        QJSValueIterator it(options);
        while (it.hasNext()) {
            it.next();
            const QString key = it.name();
            if (key == QLatin1String("filter") || key == QLatin1String("bindings")) {
                return fail(
                    QStringLiteral("unknown option '%1' (calls say where and vars; filter and bindings "
                                   "are the models' names for them)")
                        .arg(key));
            }
            if (key != QLatin1String("where") && key != QLatin1String("vars") &&
                key != QLatin1String("orderBy") && key != QLatin1String("limit") &&
                key != QLatin1String("start")) {
                return fail(
                    QStringLiteral("unknown option '%1' (expected where, vars, orderBy, limit, start)")
                        .arg(key));
            }
        }
        const QJSValue where = options.property(QStringLiteral("where"));
        if (!where.isUndefined() && !where.isString())
            return fail(
                QStringLiteral("options.where must be a condition as text, not %1").arg(kindOf(where)));
        filter->where = where.isUndefined() ? QString() : where.toString();
        if (!vars(options.property(QStringLiteral("vars")), QStringLiteral("options.vars"), &filter->vars))
            return false;
        const QJSValue orderBy = options.property(QStringLiteral("orderBy"));
        if (!orderBy.isUndefined() && !orderBy.isString())
            return fail(
                QStringLiteral("options.orderBy must be a field name as text, not %1").arg(kindOf(orderBy)));
        const QString order = orderBy.toString().trimmed();
        if (!orderBy.isUndefined() && !order.isEmpty()) {
            const auto m = orderPattern().match(order);
            if (!m.hasMatch())
                return fail(QStringLiteral("orderBy '%1' is not a field name with an optional ASC or DESC")
                                .arg(order));
            filter->orderBy = m.captured(1);
            filter->descending = m.captured(2).compare(QLatin1String("DESC"), Qt::CaseInsensitive) == 0;
        }
        return count(options, QStringLiteral("limit"), &filter->limit) &&
               count(options, QStringLiteral("start"), &filter->start);
    }

    bool vars(const QJSValue &v, const QString &path, QVariantMap *out)
    {
        if (!ok())
            return false;
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isObject() || v.isArray() || v.isCallable() || v.isDate() || v.isQObject())
            return fail(
                QStringLiteral("%1 must be an object of bind variables, not %2").arg(path, kindOf(v)));
        QVariant converted;
        if (!value(v, path, &converted))
            return false;
        *out = converted.toMap();
        for (auto it = out->cbegin(); it != out->cend(); ++it) {
            if (!isIdentifier(it.key()) || it.key().startsWith(QLatin1String("h_")))
                return fail(QStringLiteral("variable name '%1' is not usable").arg(it.key()));
        }
        return true;
    }

private:
    bool count(const QJSValue &options, const QString &key, qint64 *out)
    {
        const QJSValue v = options.property(key);
        if (v.isUndefined() || v.isNull())
            return true;
        const double d = v.toNumber();
        if (!v.isNumber() || !std::isfinite(d) || d < 0 || d != std::trunc(d))
            return fail(QStringLiteral("%1 must be a whole number of at least 0, not %2")
                            .arg(key, v.isNumber() ? v.toString() : kindOf(v)));
        *out = qint64(d);
        return true;
    }

    QString m_name;
    QList<QJSValue> m_args;
    QJSValue m_callback;
    SqError m_error;
};

Credentials credentialsFrom(const QVariantMap &map, const QString &user, const QString &password,
                            const QString &ns, const QString &db, SqError *error)
{
    if (map.isEmpty())
        return user.isEmpty() ? Credentials() : Credentials::root(user, password);
    const QString level = map.value(QStringLiteral("level"), QStringLiteral("root")).toString().toLower();
    const QString u = map.value(QStringLiteral("user"), user).toString();
    const QString p = map.value(QStringLiteral("password"), password).toString();
    const QString cns = map.value(QStringLiteral("namespace"), ns).toString();
    const QString cdb = map.value(QStringLiteral("database"), db).toString();
    if (level == QLatin1String("namespace"))
        return Credentials::namespaceUser(cns, u, p);
    if (level == QLatin1String("database"))
        return Credentials::databaseUser(cns, cdb, u, p);
    if (level == QLatin1String("record")) {
        const QVariant variables = map.value(QStringLiteral("variables"), QVariantMap());
        return Credentials::recordAccess(
            cns, cdb, map.value(QStringLiteral("access")).toString(),
            JsConvert::fromJs(variables, QStringLiteral("credentials.variables"), error).toMap());
    }
    if (level == QLatin1String("token"))
        return Credentials::token(map.value(QStringLiteral("token")).toString());
    return Credentials::root(u, p);
}

} // namespace

QmlDatabase::QmlDatabase(QObject *parent)
    : QObject(parent)
{}

QmlDatabase::~QmlDatabase()
{
    releaseManager();
}

template<typename T>
bool QmlDatabase::assignSetting(T &member, const T &value)
{
    if (member == value)
        return false;
    member = value;
    // The reconnect comes after the change signal's handlers ran (it is queued).
    scheduleReopen();
    return true;
}

void QmlDatabase::setUrl(const QUrl &url)
{
    if (assignSetting(m_url, url))
        Q_EMIT urlChanged();
}

void QmlDatabase::setNamespaceName(const QString &ns)
{
    if (assignSetting(m_ns, ns))
        Q_EMIT namespaceChanged();
}

void QmlDatabase::setDatabaseName(const QString &db)
{
    if (assignSetting(m_db, db))
        Q_EMIT databaseChanged();
}

void QmlDatabase::setUser(const QString &user)
{
    if (assignSetting(m_user, user))
        Q_EMIT credentialsChanged();
}

void QmlDatabase::setPassword(const QString &password)
{
    if (assignSetting(m_password, password))
        Q_EMIT credentialsChanged();
}

void QmlDatabase::setCredentials(const QVariantMap &credentials)
{
    if (assignSetting(m_credentials, credentials))
        Q_EMIT credentialsChanged();
}

void QmlDatabase::setPoolSize(int size)
{
    if (assignSetting(m_poolSize, qMax(1, size)))
        Q_EMIT poolSizeChanged();
}

void QmlDatabase::setCaCertificates(const QList<QUrl> &files)
{
    if (assignSetting(m_caCertificates, files))
        Q_EMIT caCertificatesChanged();
}

#if QT_CONFIG(ssl)
namespace {
// The certificates of caCertificates' files; an invalid error when all could be read.
SqError loadCaCertificates(const QList<QUrl> &files, QList<QSslCertificate> *out)
{
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QUrl &url = files.at(i);
        const QString where = QStringLiteral("Database.caCertificates[%1]").arg(i);
        // A path given as text arrives as a relative or scheme-less URL.
        const QString path = url.isLocalFile()        ? url.toLocalFile()
                             : url.scheme() == u"qrc" ? u':' + url.path()
                             : url.scheme().isEmpty() ? url.path()
                                                      : QString();
        if (path.isEmpty())
            return SqError(SqError::Kind::Tls,
                           QStringLiteral("%1 is not a file: give a path, a file: or a qrc: URL")
                               .arg(url.toDisplayString()),
                           where);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return SqError(SqError::Kind::Tls,
                           QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()), where);
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (certificates.isEmpty())
            return SqError(SqError::Kind::Tls, QStringLiteral("%1 holds no PEM certificate").arg(path),
                           where);
        out->append(certificates);
    }
    return {};
}
} // namespace
#endif

void QmlDatabase::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    if (active)
        scheduleReopen();
    else
        close();
}

QString QmlDatabase::errorKind() const
{
    return m_error.isValid() ? JsConvert::kindName(m_error.kind()) : QString();
}

Connection *QmlDatabase::connection() const
{
    return m_manager ? m_manager->connection() : nullptr;
}

void QmlDatabase::setManager(DatabaseManager *manager)
{
    if (m_manager == manager && !m_ownsManager)
        return;
    releaseManager();
    m_manager = manager;
    m_ownsManager = false;
    ++m_generation;
    if (manager) {
        connect(manager, &DatabaseManager::errorOccurred, this, &QmlDatabase::setError);
        connect(manager, &DatabaseManager::stateChanged, this, [this](DatabaseManager::State state) {
            if (state == DatabaseManager::State::Connected)
                setStatus(Ready);
            else if (state == DatabaseManager::State::Reconnecting)
                setStatus(Reconnecting);
            else if (state == DatabaseManager::State::Closed)
                setStatus(Closed);
        });
        setStatus(manager->state() == DatabaseManager::State::Connected ? Ready : Connecting);
    } else {
        setStatus(Null);
    }
    Q_EMIT connectionChanged();
}

void QmlDatabase::classBegin() {}

void QmlDatabase::componentComplete()
{
    m_complete = true;
    if (m_active && !m_url.isEmpty() && !m_manager)
        reopen();
}

void QmlDatabase::open()
{
    if (!m_active) {
        m_active = true;
        Q_EMIT activeChanged();
    }
    reopen();
}

void QmlDatabase::close()
{
    m_reopenPending = false;
    if (!m_manager)
        return;
    releaseManager();
    setStatus(Closed);
    Q_EMIT connectionChanged();
    Q_EMIT closed();
}

void QmlDatabase::scheduleReopen()
{
    // Several properties set in a row (url, namespace, user...) give one reconnect.
    if (!m_complete || !m_active || m_reopenPending || (m_manager && !m_ownsManager))
        return;
    m_reopenPending = true;
    QTimer::singleShot(0, this, [this] {
        if (m_reopenPending)
            reopen();
    });
}

void QmlDatabase::releaseManager()
{
    if (!m_manager)
        return;
    DatabaseManager *old = m_manager;
    m_manager = nullptr;
    disconnect(old, nullptr, this, nullptr);
    if (m_ownsManager) {
        old->close();
        old->deleteLater();
    }
    m_ownsManager = false;
}

void QmlDatabase::reopen()
{
    m_reopenPending = false;
    if (m_manager && !m_ownsManager)
        return;
    releaseManager();
    ++m_generation;
    if (m_url.isEmpty()) {
        setStatus(Null);
        Q_EMIT connectionChanged();
        return;
    }
    SqError credentialsError;
    const Credentials credentials =
        credentialsFrom(m_credentials, m_user, m_password, m_ns, m_db, &credentialsError);
    if (credentialsError.isValid()) {
        setError(credentialsError.setContext(QStringLiteral("Database.credentials")));
        setStatus(Failed);
        Q_EMIT connectionChanged();
        return;
    }
    ConnectionOptions options{.poolSize = m_poolSize};
    if (!m_caCertificates.isEmpty()) {
#if QT_CONFIG(ssl)
        QList<QSslCertificate> authorities;
        const SqError unreadable = loadCaCertificates(m_caCertificates, &authorities);
        options.sslConfiguration.addCaCertificates(authorities);
#else
        const SqError unreadable(SqError::Kind::Tls, QStringLiteral("This Qt has no TLS support"),
                                 QStringLiteral("Database.caCertificates"));
#endif
        if (unreadable.isValid()) {
            setError(unreadable);
            setStatus(Failed);
            Q_EMIT connectionChanged();
            return;
        }
    }
    setError(SqError());
    auto *manager = new DatabaseManager(m_url, m_ns, m_db, credentials, options, this);
    m_manager = manager;
    m_ownsManager = true;
    connect(manager, &DatabaseManager::errorOccurred, this, &QmlDatabase::setError);
    connect(manager, &DatabaseManager::stateChanged, this, [this](DatabaseManager::State state) {
        // Ready only once open() finished signing in and selecting the database.
        if (state == DatabaseManager::State::Reconnecting)
            setStatus(Reconnecting);
        else if (state == DatabaseManager::State::Connected && m_status == Reconnecting)
            setStatus(Ready);
    });
    setStatus(Connecting);
    Q_EMIT connectionChanged();
    const quint64 generation = m_generation;
    Internal::deliverTo(
        this, "Database", manager->open(),
        [this, generation] {
            if (generation != m_generation)
                return;
            setStatus(Ready);
            Q_EMIT opened();
        },
        [this, generation](const SqError &error) {
            if (generation != m_generation)
                return;
            setError(error);
            setStatus(Failed);
        });
}

void QmlDatabase::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void QmlDatabase::setError(const SurrealQt::Error &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
    if (error.isValid())
        Q_EMIT errorOccurred(error);
}

template<typename Start, typename Finish>
QJSValue QmlDatabase::run(const QJSValue &callback, Start start, Finish finish)
{
    Reply reply(qjsEngine(this), callback);
    Connection *c = connection();
    if (!c) {
        rejectLater(this, reply,
                    SqError(SqError::Kind::Connection,
                            m_url.isEmpty() ? QStringLiteral("Database has no url")
                                            : QStringLiteral("Database is closed"),
                            QStringLiteral("Database")));
        return reply.returnValue();
    }
    auto future = start(c);
    using Value = std::decay_t<decltype(future.result())>;
    Internal::deliverTo(
        this, "Database", future, [reply, finish](const Value &value) { finish(reply, value); },
        [reply](const SqError &error) { reply.reject(error); });
    return reply.returnValue();
}

QJSValue QmlDatabase::runVariant(const QJSValue &callback,
                                 const std::function<QFuture<QVariant>(Connection *)> &start,
                                 const std::function<QVariant(const QVariant &)> &finish)
{
    return run(callback, start, [finish](const Reply &reply, const QVariant &value) {
        reply.resolve(finish ? finish(value) : value);
    });
}

template<typename Start, typename Convert>
QJSValue QmlDatabase::runHelpers(const QJSValue &callback, Start start, Convert convert)
{
    return run(
        callback,
        [this, start](Connection *c) {
            if (!m_helpers || m_helpers->connection() != c) {
                delete m_helpers;
                m_helpers = new CrudHelpers(c, this);
            }
            return start(m_helpers.data());
        },
        [convert](const Reply &reply, const auto &value) { reply.resolve(convert(value)); });
}

template<typename Start>
QJSValue QmlDatabase::runHelpers(const QJSValue &callback, Start start)
{
    return runHelpers(callback, start, [](const auto &value) { return QVariant::fromValue(value); });
}

QJSValue QmlDatabase::failed(const QJSValue &callback, const SurrealQt::Error &error)
{
    Reply reply(qjsEngine(this), callback);
    rejectLater(this, reply, error);
    return reply.returnValue();
}

QJSValue QmlDatabase::query(const QJSValue &surrealql, const QJSValue &vars, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.query"), {surrealql, vars, callback}, 2);
    QString text;
    QVariantMap bound;
    if (!call.text(0, QStringLiteral("surrealql"), QStringLiteral("SurrealQL text"), &text) ||
        !call.vars(call.arg(1), QStringLiteral("vars"), &bound))
        return failed(call.callback(), call.error());
    return run(
        call.callback(), [text, bound](Connection *c) { return c->query(text, bound); },
        [](const Reply &reply, const QueryResult &result) {
            if (!result.isOk()) {
                reply.reject(result.firstError());
                return;
            }
            QVariantList values;
            for (int i = 0; i < result.size(); ++i)
                values.append(result.value(i));
            reply.resolve(values);
        });
}

QJSValue QmlDatabase::callWhat(const QString &name, const QJSValue &what, const QJSValue &callback,
                               const WhatCall &start)
{
    Call call(name, {what, callback}, 1);
    QVariant target;
    if (!call.what(0, &target))
        return failed(call.callback(), call.error());
    return runVariant(call.callback(), [target, start](Connection *c) { return start(c, target); });
}

QJSValue QmlDatabase::callWhatData(const QString &name, const QJSValue &what, const QJSValue &data,
                                   const QJSValue &callback, const WhatDataCall &start)
{
    Call call(name, {what, data, callback}, 2);
    QVariant target;
    QVariantMap map;
    if (!call.what(0, &target) || !call.object(1, QStringLiteral("data"), true, &map))
        return failed(call.callback(), call.error());
    const QVariantMap payload = withoutTextId(map);
    return runVariant(call.callback(),
                      [target, payload, start](Connection *c) { return start(c, target, payload); });
}

template<typename Start, typename Convert>
QJSValue QmlDatabase::callRecordId(const QString &name, const QJSValue &recordId, const QJSValue &callback,
                                   Start start, Convert convert)
{
    Call call(name, {recordId, callback}, 1);
    QString id;
    if (!call.recordId(0, QStringLiteral("recordId"), &id))
        return failed(call.callback(), call.error());
    return runHelpers(
        call.callback(), [id, start](CrudHelpers *h) { return start(h, id); }, convert);
}

QJSValue QmlDatabase::callUpdateOne(const QString &name, const QJSValue &recordId, const QJSValue &data,
                                    const QJSValue &callback, bool merge)
{
    Call call(name, {recordId, data, callback}, 2);
    QString id;
    QVariantMap map;
    if (!call.recordId(0, QStringLiteral("recordId"), &id) ||
        !call.object(1, QStringLiteral("data"), true, &map))
        return failed(call.callback(), call.error());
    const QVariantMap payload = withoutTextId(map);
    const auto mode = merge ? CrudHelpers::UpdateMode::Merge : CrudHelpers::UpdateMode::Replace;
    return runHelpers(call.callback(),
                      [id, payload, mode](CrudHelpers *h) { return h->updateOne(id, payload, mode); });
}

QJSValue QmlDatabase::select(const QJSValue &what, const QJSValue &callback)
{
    return callWhat(QStringLiteral("Database.select"), what, callback,
                    [](Connection *c, const QVariant &target) { return c->select(target); });
}

QJSValue QmlDatabase::create(const QJSValue &what, const QJSValue &data, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.create"), {what, data, callback}, 2);
    QVariant target;
    QVariantMap map;
    bool present = false;
    if (!call.what(0, &target) || !call.object(1, QStringLiteral("data"), false, &map, &present))
        return failed(call.callback(), call.error());
    const QVariant payload = present ? QVariant(withoutTextId(map)) : QVariant();
    return runVariant(call.callback(),
                      [target, payload](Connection *c) { return c->create(target, payload); });
}

QJSValue QmlDatabase::insert(const QJSValue &table, const QJSValue &data, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.insert"), {table, data, callback}, 2);
    QString name;
    QVariant payload;
    if (call.table(0, &name)) {
        const QJSValue v = call.arg(1);
        if (v.isUndefined())
            call.fail(QStringLiteral("data is missing (an object or an array of objects)"));
        else if (!v.isObject() || v.isCallable() || v.isDate() || v.isQObject())
            call.fail(QStringLiteral("data must be an object or an array of objects, not %1").arg(kindOf(v)));
        else
            call.value(v, QStringLiteral("data"), &payload);
    }
    if (!call.ok())
        return failed(call.callback(), call.error());
    return runVariant(call.callback(), [name, payload](Connection *c) {
        return c->insert(QVariant::fromValue(Table(name)), payload);
    });
}

QJSValue QmlDatabase::update(const QJSValue &what, const QJSValue &data, const QJSValue &callback)
{
    return callWhatData(QStringLiteral("Database.update"), what, data, callback,
                        [](Connection *c, const QVariant &target, const QVariantMap &payload) {
                            return c->update(target, payload);
                        });
}

QJSValue QmlDatabase::merge(const QJSValue &what, const QJSValue &data, const QJSValue &callback)
{
    return callWhatData(QStringLiteral("Database.merge"), what, data, callback,
                        [](Connection *c, const QVariant &target, const QVariantMap &payload) {
                            return c->merge(target, payload);
                        });
}

QJSValue QmlDatabase::upsert(const QJSValue &what, const QJSValue &data, const QJSValue &callback)
{
    return callWhatData(QStringLiteral("Database.upsert"), what, data, callback,
                        [](Connection *c, const QVariant &target, const QVariantMap &payload) {
                            return c->upsert(target, payload);
                        });
}

QJSValue QmlDatabase::remove(const QJSValue &what, const QJSValue &callback)
{
    return callWhat(QStringLiteral("Database.remove"), what, callback,
                    [](Connection *c, const QVariant &target) { return c->remove(target); });
}

QJSValue QmlDatabase::insertOne(const QJSValue &table, const QJSValue &data, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.insertOne"), {table, data, callback}, 2);
    QString name;
    QVariantMap payload;
    if (!call.table(0, &name) || !call.object(1, QStringLiteral("data"), true, &payload))
        return failed(call.callback(), call.error());
    return runHelpers(call.callback(),
                      [name, payload](CrudHelpers *h) { return h->insertOne(name, payload); });
}

QJSValue QmlDatabase::insertMany(const QJSValue &table, const QJSValue &rows, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.insertMany"), {table, rows, callback}, 2);
    QString name;
    QVariantList payload;
    if (!call.table(0, &name) || !call.rows(1, &payload))
        return failed(call.callback(), call.error());
    return runHelpers(call.callback(),
                      [name, payload](CrudHelpers *h) { return h->insertMany(name, payload); });
}

QJSValue QmlDatabase::selectOne(const QJSValue &recordId, const QJSValue &callback)
{
    return callRecordId(
        QStringLiteral("Database.selectOne"), recordId, callback,
        [](CrudHelpers *h, const QString &id) { return h->selectOne(id); },
        [](const std::optional<QVariantMap> &record) {
            return record ? QVariant(*record) : QVariant::fromValue(nullptr);
        });
}

QJSValue QmlDatabase::selectMany(const QJSValue &table, const QJSValue &options, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.selectMany"), {table, options, callback}, 2);
    QString name;
    Filter f;
    if (!call.table(0, &name) || !call.filter(1, false, &f))
        return failed(call.callback(), call.error());
    return runHelpers(call.callback(), [name, f](CrudHelpers *h) {
        return h->selectMany(name, f.where, f.vars, int(f.limit), int(qMax<qint64>(0, f.start)), f.orderBy,
                             f.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    });
}

QJSValue QmlDatabase::updateOne(const QJSValue &recordId, const QJSValue &data, const QJSValue &callback)
{
    return callUpdateOne(QStringLiteral("Database.updateOne"), recordId, data, callback, false);
}

QJSValue QmlDatabase::mergeOne(const QJSValue &recordId, const QJSValue &data, const QJSValue &callback)
{
    return callUpdateOne(QStringLiteral("Database.mergeOne"), recordId, data, callback, true);
}

QJSValue QmlDatabase::updateMany(const QJSValue &table, const QJSValue &options, const QJSValue &data,
                                 const QJSValue &callback)
{
    Call call(QStringLiteral("Database.updateMany"), {table, options, data, callback}, 3);
    QString name;
    Filter f;
    QVariantMap map;
    if (!call.table(0, &name) || !call.filter(1, true, &f) ||
        !call.object(2, QStringLiteral("data"), true, &map))
        return failed(call.callback(), call.error());
    const QVariantMap payload = withoutTextId(map);
    return runHelpers(call.callback(), [name, f, payload](CrudHelpers *h) {
        return h->updateMany(name, f.where, f.vars, payload, CrudHelpers::UpdateMode::Merge);
    });
}

QJSValue QmlDatabase::upsertOne(const QJSValue &recordId, const QJSValue &data, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.upsertOne"), {recordId, data, callback}, 2);
    QString text;
    QVariantMap map;
    RecordId id;
    SqError error;
    if (call.recordId(0, QStringLiteral("recordId"), &text) &&
        call.object(1, QStringLiteral("data"), true, &map) && !parseRecordId(text, call.name(), &id, &error))
        call.fail(error);
    if (!call.ok())
        return failed(call.callback(), call.error());
    const QVariantMap payload = withoutTextId(map);
    return runHelpers(call.callback(), [id, payload](CrudHelpers *h) { return h->upsertOne(id, payload); });
}

QJSValue QmlDatabase::deleteOne(const QJSValue &recordId, const QJSValue &callback)
{
    return callRecordId(
        QStringLiteral("Database.deleteOne"), recordId, callback,
        [](CrudHelpers *h, const QString &id) { return h->deleteOne(id); },
        [](const auto &value) { return QVariant::fromValue(value); });
}

QJSValue QmlDatabase::deleteMany(const QJSValue &table, const QJSValue &options, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.deleteMany"), {table, options, callback}, 2);
    QString name;
    Filter f;
    if (!call.table(0, &name) || !call.filter(1, true, &f))
        return failed(call.callback(), call.error());
    return runHelpers(call.callback(),
                      [name, f](CrudHelpers *h) { return h->deleteMany(name, f.where, f.vars); });
}

QJSValue QmlDatabase::count(const QJSValue &table, const QJSValue &options, const QJSValue &callback)
{
    Call call(QStringLiteral("Database.count"), {table, options, callback}, 2);
    QString name;
    Filter f;
    if (!call.table(0, &name) || !call.filter(1, false, &f))
        return failed(call.callback(), call.error());
    return runHelpers(call.callback(), [name, f](CrudHelpers *h) { return h->count(name, f.where, f.vars); });
}

QJSValue QmlDatabase::exists(const QJSValue &recordId, const QJSValue &callback)
{
    return callRecordId(
        QStringLiteral("Database.exists"), recordId, callback,
        [](CrudHelpers *h, const QString &id) { return h->exists(id); },
        [](const auto &value) { return QVariant::fromValue(value); });
}

QVariant QmlDatabase::recordId(const QString &table, const QJSValue &id) const
{
    SqError error;
    const QVariant key = JsConvert::fromJs(id, QStringLiteral("id"), &error);
    if (error.isValid()) {
        // A synchronous call: the error is thrown (a script sees it where it called).
        if (QJSEngine *engine = qjsEngine(this))
            engine->throwError(
                JsConvert::errorObject(engine, error.setContext(QStringLiteral("Database.recordId"))));
        return {};
    }
    return QVariant::fromValue(RecordId(table, key));
}

} // namespace SurrealQt
