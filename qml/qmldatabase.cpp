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

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtQml/QQmlEngine>

namespace SurrealQt {

using JsConvert::Reply;
// The Status enum has a value named Error; inside QmlDatabase that name means the enum value.
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

bool checkTable(const QString &table, const QString &context, SqError *error)
{
    if (isIdentifier(table))
        return true;
    *error = validation(QStringLiteral("'%1' is not a table name").arg(table), context);
    return false;
}

QVariantMap dataMap(const QJSValue &data)
{
    return JsConvert::fromJs(data.toVariant()).toMap();
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

bool parseFilter(const QJSValue &options, const QString &context, Filter *filter, SqError *error)
{
    if (options.isUndefined() || options.isNull())
        return true;
    if (options.isString()) {
        filter->where = options.toString();
        return true;
    }
    const QVariantMap map = options.toVariant().toMap();
    static const QStringList known = {QStringLiteral("where"), QStringLiteral("vars"),
                                      QStringLiteral("orderBy"), QStringLiteral("limit"),
                                      QStringLiteral("start")};
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (!known.contains(it.key())) {
            *error =
                validation(QStringLiteral("unknown option '%1' (expected where, vars, orderBy, limit, start)")
                               .arg(it.key()),
                           context);
            return false;
        }
    }
    filter->where = map.value(QStringLiteral("where")).toString();
    filter->vars = JsConvert::fromJs(map.value(QStringLiteral("vars"))).toMap();
    const QString order = map.value(QStringLiteral("orderBy")).toString().trimmed();
    if (!order.isEmpty()) {
        const auto m = orderPattern().match(order);
        if (!m.hasMatch()) {
            *error = validation(
                QStringLiteral("orderBy '%1' is not a field name with an optional ASC or DESC").arg(order),
                context);
            return false;
        }
        filter->orderBy = m.captured(1);
        filter->descending = m.captured(2).compare(QLatin1String("DESC"), Qt::CaseInsensitive) == 0;
    }
    if (map.contains(QStringLiteral("limit")))
        filter->limit = map.value(QStringLiteral("limit")).toLongLong();
    if (map.contains(QStringLiteral("start")))
        filter->start = map.value(QStringLiteral("start")).toLongLong();
    for (auto it = filter->vars.cbegin(); it != filter->vars.cend(); ++it) {
        if (!isIdentifier(it.key()) || it.key().startsWith(QLatin1String("h_"))) {
            *error = validation(QStringLiteral("variable name '%1' is not usable").arg(it.key()), context);
            return false;
        }
    }
    return true;
}

Credentials credentialsFrom(const QVariantMap &map, const QString &user, const QString &password,
                            const QString &ns, const QString &db)
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
    if (level == QLatin1String("record"))
        return Credentials::recordAccess(cns, cdb, map.value(QStringLiteral("access")).toString(),
                                         JsConvert::fromJs(map.value(QStringLiteral("variables"))).toMap());
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

void QmlDatabase::setUrl(const QUrl &url)
{
    if (m_url == url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
    scheduleReopen();
}

void QmlDatabase::setNamespaceName(const QString &ns)
{
    if (m_ns == ns)
        return;
    m_ns = ns;
    Q_EMIT namespaceChanged();
    scheduleReopen();
}

void QmlDatabase::setDatabaseName(const QString &db)
{
    if (m_db == db)
        return;
    m_db = db;
    Q_EMIT databaseChanged();
    scheduleReopen();
}

void QmlDatabase::setUser(const QString &user)
{
    if (m_user == user)
        return;
    m_user = user;
    Q_EMIT credentialsChanged();
    scheduleReopen();
}

void QmlDatabase::setPassword(const QString &password)
{
    if (m_password == password)
        return;
    m_password = password;
    Q_EMIT credentialsChanged();
    scheduleReopen();
}

void QmlDatabase::setCredentials(const QVariantMap &credentials)
{
    if (m_credentials == credentials)
        return;
    m_credentials = credentials;
    Q_EMIT credentialsChanged();
    scheduleReopen();
}

void QmlDatabase::setPoolSize(int size)
{
    size = qMax(1, size);
    if (m_poolSize == size)
        return;
    m_poolSize = size;
    Q_EMIT poolSizeChanged();
    scheduleReopen();
}

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
    setError(SqError());
    auto *manager =
        new DatabaseManager(m_url, m_ns, m_db, credentialsFrom(m_credentials, m_user, m_password, m_ns, m_db),
                            ConnectionOptions{.poolSize = m_poolSize}, this);
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
            setStatus(Error);
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
        Q_EMIT errorOccurred(error.message(), errorKind());
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

QJSValue QmlDatabase::query(const QString &surrealql, const QJSValue &vars, const QJSValue &callback)
{
    const QVariantMap bound = JsConvert::fromJs(vars.toVariant()).toMap();
    return run(
        callback, [surrealql, bound](Connection *c) { return c->query(surrealql, bound); },
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

QJSValue QmlDatabase::failed(const QJSValue &callback, const SurrealQt::Error &error)
{
    Reply reply(qjsEngine(this), callback);
    rejectLater(this, reply, error);
    return reply.returnValue();
}

QJSValue QmlDatabase::select(const QString &what, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.select"), &target, &error))
        return failed(callback, error);
    return runVariant(callback, [target](Connection *c) { return c->select(target); });
}

QJSValue QmlDatabase::create(const QString &what, const QJSValue &data, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.create"), &target, &error))
        return failed(callback, error);
    const QVariant payload = data.isUndefined() ? QVariant() : QVariant(withoutTextId(dataMap(data)));
    return runVariant(callback, [target, payload](Connection *c) { return c->create(target, payload); });
}

QJSValue QmlDatabase::insert(const QString &table, const QJSValue &data, const QJSValue &callback)
{
    SqError error;
    if (!checkTable(table, QStringLiteral("Database.insert"), &error))
        return failed(callback, error);
    const QVariant payload = JsConvert::fromJs(data.toVariant());
    return runVariant(callback, [table, payload](Connection *c) {
        return c->insert(QVariant::fromValue(Table(table)), payload);
    });
}

QJSValue QmlDatabase::update(const QString &what, const QJSValue &data, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.update"), &target, &error))
        return failed(callback, error);
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runVariant(callback, [target, payload](Connection *c) { return c->update(target, payload); });
}

QJSValue QmlDatabase::merge(const QString &what, const QJSValue &data, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.merge"), &target, &error))
        return failed(callback, error);
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runVariant(callback, [target, payload](Connection *c) { return c->merge(target, payload); });
}

QJSValue QmlDatabase::upsert(const QString &what, const QJSValue &data, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.upsert"), &target, &error))
        return failed(callback, error);
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runVariant(callback, [target, payload](Connection *c) { return c->upsert(target, payload); });
}

QJSValue QmlDatabase::remove(const QString &what, const QJSValue &callback)
{
    QVariant target;
    SqError error;
    if (!parseWhat(what, QStringLiteral("Database.remove"), &target, &error))
        return failed(callback, error);
    return runVariant(callback, [target](Connection *c) { return c->remove(target); });
}

QJSValue QmlDatabase::insertOne(const QString &table, const QJSValue &data, const QJSValue &callback)
{
    if (!data.isObject() || data.isArray())
        return failed(callback, validation(QStringLiteral("data must be an object"),
                                           QStringLiteral("Database.insertOne")));
    const QVariantMap payload = dataMap(data);
    return runHelpers(callback, [table, payload](CrudHelpers *h) { return h->insertOne(table, payload); });
}

QJSValue QmlDatabase::insertMany(const QString &table, const QJSValue &rows, const QJSValue &callback)
{
    if (!rows.isArray())
        return failed(callback, validation(QStringLiteral("rows must be an array of objects"),
                                           QStringLiteral("Database.insertMany")));
    const QVariantList payload = JsConvert::fromJs(rows.toVariant()).toList();
    return runHelpers(callback, [table, payload](CrudHelpers *h) { return h->insertMany(table, payload); });
}

QJSValue QmlDatabase::selectOne(const QString &recordId, const QJSValue &callback)
{
    return runHelpers(
        callback, [recordId](CrudHelpers *h) { return h->selectOne(recordId); },
        [](const std::optional<QVariantMap> &record) {
            return record ? QVariant(*record) : QVariant::fromValue(nullptr);
        });
}

QJSValue QmlDatabase::selectMany(const QString &table, const QJSValue &options, const QJSValue &callback)
{
    SqError error;
    Filter f;
    if (!parseFilter(options, QStringLiteral("Database.selectMany"), &f, &error))
        return failed(callback, error);
    return runHelpers(callback, [table, f](CrudHelpers *h) {
        return h->selectMany(table, f.where, f.vars, int(f.limit), int(qMax<qint64>(0, f.start)), f.orderBy,
                             f.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    });
}

QJSValue QmlDatabase::updateOne(const QString &recordId, const QJSValue &data, const QJSValue &callback)
{
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runHelpers(callback, [recordId, payload](CrudHelpers *h) {
        return h->updateOne(recordId, payload, CrudHelpers::UpdateMode::Replace);
    });
}

QJSValue QmlDatabase::mergeOne(const QString &recordId, const QJSValue &data, const QJSValue &callback)
{
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runHelpers(callback, [recordId, payload](CrudHelpers *h) {
        return h->updateOne(recordId, payload, CrudHelpers::UpdateMode::Merge);
    });
}

QJSValue QmlDatabase::updateMany(const QString &table, const QJSValue &options, const QJSValue &data,
                                 const QJSValue &callback)
{
    SqError error;
    Filter f;
    if (!parseFilter(options, QStringLiteral("Database.updateMany"), &f, &error))
        return failed(callback, error);
    const QVariantMap payload = withoutTextId(dataMap(data));
    return runHelpers(callback, [table, f, payload](CrudHelpers *h) {
        return h->updateMany(table, f.where, f.vars, payload, CrudHelpers::UpdateMode::Merge);
    });
}

QJSValue QmlDatabase::upsertOne(const QString &recordId, const QJSValue &data, const QJSValue &callback)
{
    const QVariantMap payload = withoutTextId(dataMap(data));
    RecordId id;
    SqError error;
    if (!parseRecordId(recordId, QStringLiteral("Database.upsertOne"), &id, &error))
        return failed(callback, error);
    return runHelpers(callback, [id, payload](CrudHelpers *h) { return h->upsertOne(id, payload); });
}

QJSValue QmlDatabase::deleteOne(const QString &recordId, const QJSValue &callback)
{
    return runHelpers(callback, [recordId](CrudHelpers *h) { return h->deleteOne(recordId); });
}

QJSValue QmlDatabase::deleteMany(const QString &table, const QJSValue &options, const QJSValue &callback)
{
    SqError error;
    Filter f;
    if (!parseFilter(options, QStringLiteral("Database.deleteMany"), &f, &error))
        return failed(callback, error);
    return runHelpers(callback, [table, f](CrudHelpers *h) { return h->deleteMany(table, f.where, f.vars); });
}

QJSValue QmlDatabase::count(const QString &table, const QJSValue &options, const QJSValue &callback)
{
    SqError error;
    Filter f;
    if (!parseFilter(options, QStringLiteral("Database.count"), &f, &error))
        return failed(callback, error);
    return runHelpers(callback, [table, f](CrudHelpers *h) { return h->count(table, f.where, f.vars); });
}

QJSValue QmlDatabase::exists(const QString &recordId, const QJSValue &callback)
{
    return runHelpers(callback, [recordId](CrudHelpers *h) { return h->exists(recordId); });
}

QVariant QmlDatabase::recordId(const QString &table, const QJSValue &id) const
{
    const QVariant key = JsConvert::fromJs(id.toVariant());
    return QVariant::fromValue(RecordId(table, key));
}

} // namespace SurrealQt
