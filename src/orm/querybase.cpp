#include "connection/recordwrite_p.h"
#include "connection/syncwait_p.h"
#include "orm/modelrowloader_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"
#include "orm/querycompiler_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/model.h>
#include <SurrealQt/querybase.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/values.h>

#include <QtCore/QPointer>
#include <QtCore/QSharedData>
#include <QtCore/QThread>

#include <optional>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace Orm {

QVariant statementValue(const QueryResult &result, int index)
{
    if (index >= result.size())
        throw Exception(
            Error(Error::Kind::Protocol,
                  u"The server sent %1 statement results, expected %2"_s.arg(result.size()).arg(index + 1)));
    const StatementResult &s = result.at(index);
    if (!s.isOk())
        throw Exception(s.error());
    return s.result();
}

QVariantList rowsOf(const QueryResult &result, int index)
{
    const QVariant v = statementValue(result, index);
    if (isNone(v) || isNull(v))
        return {};
    if (v.metaType().id() == QMetaType::QVariantMap)
        return {v};
    return v.toList();
}

QList<Model *> objectsOf(const QVariantList &rows, const std::function<Model *()> &make,
                         Connection *connection, QThread *target)
{
    QList<Model *> out;
    out.reserve(rows.size());
    std::optional<ModelRowLoader> loader;
    for (const QVariant &row : rows) {
        Model *m = make();
        if (!loader)
            loader.emplace(m->modelInfo());
        if (connection)
            m->setConnection(connection);
        if (const std::optional<Error> e = loader->loadInto(m, row.toMap())) {
            delete m;
            qDeleteAll(out);
            throw Exception(*e);
        }
        if (target && m->thread() != target)
            m->moveToThread(target);
        out.append(m);
    }
    return out;
}

} // namespace Orm

class QueryData : public QSharedData
{
public:
    QuerySpec spec;
    QPointer<Connection> connection;
};

namespace {

// Built where the reply arrived (off the caller's thread for async calls), then handed to the
// caller's thread, so the GUI thread never pays for construction.
QList<Model *> buildObjects(const QVariantList &rows, QueryBase::Factory factory, Connection *connection,
                            QThread *target, bool explicitConnection)
{
    return Orm::objectsOf(rows, factory, explicitConnection ? connection : nullptr, target);
}

} // namespace

QueryBase::QueryBase(const ModelInfo &info, Connection *connection)
    : d(new QueryData)
{
    d->spec.info = &info;
    d->connection = connection;
}

QueryBase::QueryBase(const ModelInfo &info, DatabaseManager *manager)
    : QueryBase(info, Model::connectionOf(manager))
{}

QueryBase::QueryBase(const QueryBase &other) = default;
QueryBase::QueryBase(QueryBase &&other) noexcept = default;
QueryBase &QueryBase::operator=(const QueryBase &other) = default;
QueryBase &QueryBase::operator=(QueryBase &&other) noexcept = default;
QueryBase::~QueryBase() = default;

const ModelInfo &QueryBase::modelInfo() const
{
    return *d->spec.info;
}

Connection *QueryBase::connection() const
{
    return d->connection ? d->connection.data() : d->spec.info->defaultConnection();
}

Condition QueryBase::condition() const
{
    return d->spec.where;
}
QStringList QueryBase::ordering() const
{
    return d->spec.ordering;
}
qint64 QueryBase::limitValue() const
{
    return d->spec.limit;
}
qint64 QueryBase::offsetValue() const
{
    return d->spec.offset;
}

void QueryBase::addCondition(const Condition &condition, bool negate)
{
    d->spec.where = d->spec.where && (negate ? !condition : condition);
}

void QueryBase::setOrdering(const QStringList &fields)
{
    d->spec.ordering = fields;
}

void QueryBase::setLimit(qint64 limit)
{
    d->spec.limit = limit;
}

void QueryBase::setOffset(qint64 offset)
{
    d->spec.offset = offset;
}

QString QueryBase::toSurrealQL(QVariantMap *vars, Error *error) const
{
    const CompiledQuery q = QueryCompiler::select(d->spec);
    if (vars)
        *vars = q.vars;
    if (error)
        *error = q.error;
    return q.text;
}

RecordId QueryBase::recordId(const QVariant &idOrKey, QString *error) const
{
    return RecordId::inTable(d->spec.info->tableName(), idOrKey, error);
}

namespace {

// One compiled statement sent on the query's connection; its reply handed to interpret on
// whichever thread finishes the request.
template<typename R, typename F>
QFuture<R> run(const QueryBase &q, const CompiledQuery &c, F interpret)
{
    if (!c.isOk())
        return failedFuture<R>(c.error);
    Connection *conn = q.connection();
    if (!conn)
        return failedFuture<R>(
            Error(Error::Kind::Model, u"%1 has no connection: pass one to objects() or set "
                                      "a default connection"_s.arg(q.modelInfo().className())));
    return conn->query(c.text, c.vars).then([interpret](const QueryResult &r) -> R { return interpret(r); });
}

template<typename F>
auto runSync(const QueryBase &q, const CompiledQuery &c, F interpret)
{
    if (!c.isOk())
        throw Exception(c.error);
    Connection *conn = q.connection();
    if (!conn)
        throw Exception(
            Error(Error::Kind::Model, u"%1 has no connection: pass one to objects() or set a default "
                                      "connection"_s.arg(q.modelInfo().className())));
    return interpret(SyncConnection(conn).query(c.text, c.vars));
}

qint64 countOf(const QueryResult &r)
{
    const QVariantList rows = Orm::rowsOf(r);
    return rows.isEmpty() ? 0 : rows.first().toMap().value(u"count"_s).toLongLong();
}

} // namespace

QFuture<QList<Model *>> QueryBase::fetchObjects(Factory factory) const
{
    QThread *target = QThread::currentThread();
    Connection *conn = connection();
    const bool explicitConn = bool(d->connection);
    return run<QList<Model *>>(*this, QueryCompiler::select(d->spec), [=](const QueryResult &r) {
        return buildObjects(Orm::rowsOf(r), factory, conn, target, explicitConn);
    });
}

QList<Model *> QueryBase::fetchObjectsSync(Factory factory) const
{
    return runSync(*this, QueryCompiler::select(d->spec), [&](const QueryResult &r) {
        return buildObjects(Orm::rowsOf(r), factory, connection(), nullptr, bool(d->connection));
    });
}

QList<Model *> QueryBase::objectsFromRows(Factory factory, const QVariantList &rows) const
{
    return buildObjects(rows, factory, connection(), nullptr, bool(d->connection));
}

QFuture<std::pair<QList<Model *>, PageToken>> QueryBase::fetchPage(Factory factory,
                                                                   const PageToken &after) const
{
    using Result = std::pair<QList<Model *>, PageToken>;
    if (after.isEnd()) {
        QPromise<Result> p;
        p.start();
        p.addResult(Result{{}, after});
        p.finish();
        return p.future();
    }
    QThread *target = QThread::currentThread();
    Connection *conn = connection();
    const bool explicitConn = bool(d->connection);
    const QuerySpec spec = d->spec;
    return run<Result>(*this, QueryCompiler::page(spec, after), [=](const QueryResult &r) {
        // A page may be several statements: the rows are the last one's.
        const QVariantList rows = Orm::rowsOf(r, r.size() - 1);
        const PageToken next = QueryCompiler::nextToken(
            spec, after, rows.isEmpty() ? QVariantMap() : rows.last().toMap(), rows.size());
        return Result{buildObjects(rows, factory, conn, target, explicitConn), next};
    });
}

std::pair<QList<Model *>, PageToken> QueryBase::fetchPageSync(Factory factory, const PageToken &after) const
{
    if (after.isEnd())
        return {{}, after};
    return runSync(*this, QueryCompiler::page(d->spec, after), [&](const QueryResult &r) {
        // A page may be several statements: the rows are the last one's.
        const QVariantList rows = Orm::rowsOf(r, r.size() - 1);
        const PageToken next = QueryCompiler::nextToken(
            d->spec, after, rows.isEmpty() ? QVariantMap() : rows.last().toMap(), rows.size());
        return std::pair<QList<Model *>, PageToken>{
            buildObjects(rows, factory, connection(), nullptr, bool(d->connection)), next};
    });
}

namespace {
// The record idOrKey names in q's table (RecordId::inTable), or a query that fails with why not.
CompiledQuery selectOne(const QueryBase &q, const QVariant &idOrKey)
{
    CompiledQuery c;
    QString why;
    const RecordId id = q.recordId(idOrKey, &why);
    if (!id.isValid()) {
        c.error = Orm::validationError(u"%1: %2"_s.arg(q.modelInfo().className(), why));
        return c;
    }
    c.text = u"SELECT * FROM $id"_s;
    c.vars.insert(u"id"_s, QVariant::fromValue(id));
    return c;
}
} // namespace

QFuture<Model *> QueryBase::fetchOne(Factory factory, const RecordId &id) const
{
    return fetchOne(factory, QVariant::fromValue(id));
}

Model *QueryBase::fetchOneSync(Factory factory, const RecordId &id) const
{
    return fetchOneSync(factory, QVariant::fromValue(id));
}

QFuture<Model *> QueryBase::fetchOne(Factory factory, const QVariant &idOrKey) const
{
    QThread *target = QThread::currentThread();
    Connection *conn = connection();
    const bool explicitConn = bool(d->connection);
    return run<Model *>(*this, selectOne(*this, idOrKey), [=](const QueryResult &r) -> Model * {
        const QList<Model *> objects = buildObjects(Orm::rowsOf(r), factory, conn, target, explicitConn);
        return objects.isEmpty() ? nullptr : objects.first();
    });
}

Model *QueryBase::fetchOneSync(Factory factory, const QVariant &idOrKey) const
{
    return runSync(*this, selectOne(*this, idOrKey), [&](const QueryResult &r) -> Model * {
        const QList<Model *> objects =
            buildObjects(Orm::rowsOf(r), factory, connection(), nullptr, bool(d->connection));
        return objects.isEmpty() ? nullptr : objects.first();
    });
}

namespace {
Model *prepareCreate(const QueryBase &q, QueryBase::Factory factory, const QVariantMap &fields,
                     bool explicitConn, Error *error)
{
    const ModelInfo &info = q.modelInfo();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.key() != u"id"_s && !info.field(it.key()).isValid()) {
            *error = Orm::validationError(
                u"%1 has no field %2"_s.arg(info.className(), Orm::describeValue(it.key())));
            return nullptr;
        }
        if (it.key() == u"id"_s)
            continue;
        const Error e = info.field(it.key()).check(it.value(), info.className());
        if (e.isValid() && !(isNone(it.value()) && !info.field(it.key()).isRequired())) {
            *error = e;
            return nullptr;
        }
    }
    Model *m = factory();
    if (explicitConn)
        m->setConnection(q.connection());
    *error = m->fromMap(fields);
    if (error->isValid()) {
        delete m;
        return nullptr;
    }
    return m;
}
} // namespace

QFuture<Model *> QueryBase::createObject(Factory factory, const QVariantMap &fields) const
{
    Error error;
    Model *m = prepareCreate(*this, factory, fields, bool(d->connection), &error);
    if (!m)
        return failedFuture<Model *>(error);
    return m->save().then([m] { return m; }).onFailed([m](const Exception &e) -> Model * {
        delete m;
        e.raise();
        return nullptr;
    });
}

Model *QueryBase::createObjectSync(Factory factory, const QVariantMap &fields) const
{
    Error error;
    Model *m = prepareCreate(*this, factory, fields, bool(d->connection), &error);
    if (!m)
        throw Exception(error);
    try {
        m->saveSync();
    } catch (...) {
        delete m;
        throw;
    }
    return m;
}

QFuture<qint64> QueryBase::count() const
{
    return run<qint64>(*this, QueryCompiler::count(d->spec), &countOf);
}

qint64 QueryBase::countSync() const
{
    return runSync(*this, QueryCompiler::count(d->spec), &countOf);
}

QFuture<bool> QueryBase::exists() const
{
    return run<bool>(*this, QueryCompiler::exists(d->spec),
                     [](const QueryResult &r) { return !Orm::rowsOf(r).isEmpty(); });
}

bool QueryBase::existsSync() const
{
    return runSync(*this, QueryCompiler::exists(d->spec),
                   [](const QueryResult &r) { return !Orm::rowsOf(r).isEmpty(); });
}

namespace {
// A filtered write (updateMany(), deleteMany()) goes through the write path, which sends it
// again when the engine refused it with a transaction conflict (it changed nothing then), and
// answers with how many records it changed; it fails when a permission rule kept some from it.
QFuture<qint64> runWrite(const QueryBase &q, const CompiledQuery &c)
{
    Connection *conn = q.connection();
    // run() reports the compiler's error or the missing connection without sending anything.
    if (!c.isOk() || !conn)
        return run<qint64>(q, c, [](const QueryResult &) { return qint64(0); });
    // A filtered write that compiled always has its RecordWrite.
    Q_ASSERT(c.write);
    return c.write->request(conn).then(
        [write = *c.write](const QueryResult &r) { return qint64(write.writtenRows(r).size()); });
}

qint64 runWriteSync(const QueryBase &q, const CompiledQuery &c, const char *call)
{
    return blockOn(call, [&] { return runWrite(q, c); });
}
} // namespace

QFuture<qint64> QueryBase::updateMany(const QVariantMap &data) const
{
    return runWrite(*this, QueryCompiler::updateMany(d->spec, data));
}

qint64 QueryBase::updateManySync(const QVariantMap &data) const
{
    return runWriteSync(*this, QueryCompiler::updateMany(d->spec, data), "updateManySync()");
}

QFuture<qint64> QueryBase::deleteMany() const
{
    return runWrite(*this, QueryCompiler::deleteMany(d->spec));
}

qint64 QueryBase::deleteManySync() const
{
    return runWriteSync(*this, QueryCompiler::deleteMany(d->spec), "deleteManySync()");
}

namespace {
QList<QVariantMap> mapsOf(const QueryResult &r)
{
    QList<QVariantMap> out;
    const QVariantList rows = Orm::rowsOf(r);
    out.reserve(rows.size());
    for (const QVariant &row : rows)
        out.append(row.toMap());
    return out;
}
} // namespace

QFuture<QList<QVariantMap>> QueryBase::values(const QStringList &fields) const
{
    return run<QList<QVariantMap>>(*this, QueryCompiler::values(d->spec, fields), &mapsOf);
}

QList<QVariantMap> QueryBase::valuesSync(const QStringList &fields) const
{
    return runSync(*this, QueryCompiler::values(d->spec, fields), &mapsOf);
}

} // namespace SurrealQt
