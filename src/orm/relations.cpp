#include "codec/valueformatter_p.h"
#include "connection/recordwrite_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/recordcache.h>
#include <SurrealQt/relations.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/values.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QSequentialIterable>
#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

bool isIdent(QStringView s)
{
    if (s.isEmpty() || s.size() > 128 || s.front().isDigit())
        return false;
    for (QChar c : s) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_')
            return false;
    }
    return true;
}

struct PathStep
{
    QString arrow;
    QString edge;
};

// "->wrote->post" -> [(->, wrote), (->, post)]; empty with *error set when malformed.
QList<PathStep> parsePath(const QString &path, Error *error)
{
    QList<PathStep> steps;
    qsizetype i = 0;
    while (i < path.size()) {
        QString arrow;
        for (const QLatin1StringView a : {"<->"_L1, "->"_L1, "<-"_L1}) {
            if (QStringView(path).mid(i).startsWith(a)) {
                arrow = a;
                break;
            }
        }
        if (arrow.isEmpty()) {
            *error = Orm::validationError(
                u"Relations: graph path %1 must be steps like ->edge or <-edge (at position %2)"_s
                    .arg(Orm::describeValue(path))
                    .arg(i));
            return {};
        }
        i += arrow.size();
        qsizetype end = i;
        while (end < path.size() && path.at(end) != u'-' && path.at(end) != u'<')
            ++end;
        const QString name = path.mid(i, end - i);
        if (!isIdent(name)) {
            *error = Orm::validationError(u"Relations: graph path %1 has an invalid table name %2"_s.arg(
                Orm::describeValue(path), Orm::describeValue(name)));
            return {};
        }
        steps.append({arrow, name});
        i = end;
    }
    if (steps.isEmpty())
        *error = Orm::validationError(u"Relations: empty graph path"_s);
    return steps;
}

Error noConnection(const QString &what)
{
    return Error(Error::Kind::Model, u"Relations::%1: no connection: pass one to Relations or set a "
                                     "default connection"_s.arg(what));
}

QList<Model *> buildObjects(const ModelInfo &info, const QVariantList &rows, Connection *explicitConn,
                            QThread *target)
{
    return Orm::objectsOf(
        rows, [&info] { return info.newInstance(); }, explicitConn, target);
}

Model *buildObject(const ModelInfo &info, const QVariantMap &row, Connection *explicitConn, QThread *target)
{
    return buildObjects(info, {row}, explicitConn, target).value(0);
}

// A statement ready to send, or the error that stops it before sending.
struct Statement
{
    QString text;
    QVariantMap vars;
    Error error;
};

template<typename R, typename F>
QFuture<R> send(Connection *conn, const QString &what, const Statement &s, F interpret)
{
    if (s.error.isValid())
        return failedFuture<R>(s.error);
    if (!conn)
        return failedFuture<R>(noConnection(what));
    return conn->query(s.text, s.vars).then([interpret](const QueryResult &r) -> R { return interpret(r); });
}

template<typename F>
auto sendSync(Connection *conn, const QString &what, const Statement &s, F interpret)
{
    if (s.error.isValid())
        throw Exception(s.error);
    if (!conn)
        throw Exception(noConnection(what));
    return interpret(SyncConnection(conn).query(s.text, s.vars));
}

Statement relateStatement(const RecordId &from, const QString &edge, const RecordId &to,
                          const QVariantMap &data)
{
    Statement s;
    if (const Error e = Relations::validateEdge(edge); e.isValid()) {
        s.error = e;
        return s;
    }
    if (!from.isValid() || !to.isValid()) {
        s.error = Orm::validationError(
            u"Relations::relate(%1): both ends must be stored records (from %2, to %3)"_s.arg(
                edge, from.toString(), to.toString()));
        return s;
    }
    const Internal::RecordWrite w =
        Internal::RecordWrite::relate(from, edge, to, data).inContext(u"Relations::relate(%1)"_s.arg(edge));
    s.text = w.text();
    s.vars = w.vars();
    return s;
}

// A RELATE refused by a permission rule answers nothing instead of an error: the write path
// tells refused (NotAllowed) from an end that is missing (NotFound).
QVariantMap edgeOf(const QueryResult &r, const RecordId &from, const QString &edge, const RecordId &to)
{
    return Internal::RecordWrite::relate(from, edge, to, {})
        .inContext(u"Relations::relate(%1)"_s.arg(edge))
        .readOne(r)
        .recordOrThrow();
}

Statement traverseStatement(const ModelInfo &info, const RecordId &from, const QString &path)
{
    Statement s;
    Error e;
    const QList<PathStep> steps = parsePath(path, &e);
    if (e.isValid()) {
        s.error = e;
        return s;
    }
    if (steps.last().edge != info.tableName()) {
        s.error = Orm::validationError(u"Relations::traverse<%1>: path %2 ends at table %3, not at %4"_s.arg(
            info.className(), Orm::describeValue(path), steps.last().edge, info.tableName()));
        return s;
    }
    if (!from.isValid()) {
        s.error = Orm::validationError(
            u"Relations::traverse<%1>(%2): the start is not a record id"_s.arg(info.className(), path));
        return s;
    }
    QString text = u"SELECT * FROM $from"_s;
    for (const PathStep &step : steps)
        text += step.arrow + ValueFormatter::escapeIdent(step.edge);
    s.text = text;
    s.vars = {{u"from"_s, QVariant::fromValue(from)}};
    return s;
}

// The link value of model.linkField, checked against the target model.
RecordId linkOf(const ModelInfo &target, const Model &model, const QString &linkField, Error *error)
{
    const ModelInfo &info = model.modelInfo();
    const FieldInfo f = info.field(linkField);
    if (!f.isValid() || f.type() != FieldInfo::Type::Record) {
        *error = Orm::validationError(u"Relations::load<%1>: %2 has no record-link field %3"_s.arg(
            target.className(), info.className(), Orm::describeValue(linkField)));
        return {};
    }
    const RecordId id = model.property(f.name().toUtf8().constData()).value<RecordId>();
    if (id.isValid() && id.table() != target.tableName()) {
        *error = Orm::validationError(u"Relations::load<%1>: %2.%3 points to %4, not to table %5"_s.arg(
            target.className(), info.className(), linkField, id.toString(), target.tableName()));
        return {};
    }
    return id;
}

template<typename T>
QFuture<T> ready(const T &value)
{
    QPromise<T> p;
    p.start();
    p.addResult(value);
    p.finish();
    return p.future();
}

QString storedAlias(qsizetype index)
{
    return u"surrealqt_stored_link_%1"_s.arg(index);
}

Statement fetchStatement(const QueryBase &query, const QStringList &linkFields)
{
    Statement s;
    const ModelInfo &info = query.modelInfo();
    QStringList escaped;
    for (const QString &name : linkFields) {
        const FieldInfo f = info.field(name);
        if (!f.isValid() || !f.isLink()) {
            s.error = Orm::validationError(
                u"Relations::fetch<%1>: %2 is not a record-link field (or list of links) of %1"_s.arg(
                    info.className(), Orm::describeValue(name)));
            return s;
        }
        escaped.append(ValueFormatter::escapeIdent(f.name()));
    }
    s.text = query.toSurrealQL(&s.vars, &s.error);
    if (s.error.isValid() || escaped.isEmpty())
        return s;
    // FETCH turns a dangling link into NONE, so the links as stored come along under an alias
    // that FETCH does not touch; the objects get those, the fetched records go aside. On 3.0.2
    // `f AS alias` moves f out of `*`; the expression `[f][0]` copies it.
    static const QString select = u"SELECT * FROM "_s;
    Q_ASSERT(s.text.startsWith(select));
    QString projection = u"SELECT *"_s;
    for (qsizetype i = 0; i < escaped.size(); ++i)
        projection += u", [%1][0] AS %2"_s.arg(escaped.at(i), storedAlias(i));
    s.text = projection + u" FROM "_s + s.text.mid(select.size()) + u" FETCH "_s + escaped.join(u", "_s);
    return s;
}

struct SplitRows
{
    QVariantList rows;
    QHash<RecordId, QVariantMap> linked;
};

// The records a fetched link value holds (one record, or a list of them) go aside.
void collectFetched(const QVariant &value, QHash<RecordId, QVariantMap> *linked)
{
    if (value.metaType().id() == QMetaType::QVariantList) {
        for (const QVariant &item : value.toList())
            collectFetched(item, linked);
        return;
    }
    if (value.metaType().id() != QMetaType::QVariantMap)
        return;
    const QVariantMap record = value.toMap();
    const RecordId id = record.value(u"id"_s).value<RecordId>();
    if (id.isValid())
        linked->insert(id, record);
}

// FETCH replaces each link, and each link of a list, by its record (a dangling one by NONE).
// The objects get the links as stored (from the alias), the records are kept aside.
SplitRows splitFetched(const QVariantList &rows, const QStringList &linkFields)
{
    SplitRows out;
    out.rows.reserve(rows.size());
    for (const QVariant &v : rows) {
        QVariantMap row = v.toMap();
        for (qsizetype i = 0; i < linkFields.size(); ++i) {
            const QString &field = linkFields.at(i);
            collectFetched(row.value(field), &out.linked);
            const QVariant stored = row.take(storedAlias(i));
            if (isNone(stored))
                row.remove(field);
            else
                row.insert(field, stored);
        }
        out.rows.append(row);
    }
    return out;
}

} // namespace

Relations::Relations(Connection *connection)
    : m_connection(connection)
{}

Relations::Relations(DatabaseManager *manager)
    : m_connection(Model::connectionOf(manager))
{}

Connection *Relations::connection() const
{
    return m_connection ? m_connection.data() : Model::defaultConnection();
}

void Relations::setCache(RecordCache *cache)
{
    m_cache = cache;
}

RecordCache *Relations::cache() const
{
    return m_cache.data();
}

Error Relations::validateEdge(const QString &edge)
{
    if (isIdent(edge))
        return {};
    return Orm::validationError(u"Relations: %1 is not a valid edge table name (letters, digits and _)"_s.arg(
        Orm::describeValue(edge)));
}

Error Relations::validatePath(const QString &path)
{
    Error e;
    parsePath(path, &e);
    return e;
}

QFuture<QVariantMap> Relations::relate(const RecordId &from, const QString &edge, const RecordId &to,
                                       const QVariantMap &data) const
{
    return send<QVariantMap>(connection(), u"relate"_s, relateStatement(from, edge, to, data),
                             [from, edge, to](const QueryResult &r) { return edgeOf(r, from, edge, to); });
}

QFuture<QVariantMap> Relations::relate(const Model &from, const QString &edge, const Model &to,
                                       const QVariantMap &data) const
{
    return relate(from.id(), edge, to.id(), data);
}

QVariantMap Relations::relateSync(const RecordId &from, const QString &edge, const RecordId &to,
                                  const QVariantMap &data) const
{
    return sendSync(connection(), u"relate"_s, relateStatement(from, edge, to, data),
                    [&](const QueryResult &r) { return edgeOf(r, from, edge, to); });
}

QVariantMap Relations::relateSync(const Model &from, const QString &edge, const Model &to,
                                  const QVariantMap &data) const
{
    return relateSync(from.id(), edge, to.id(), data);
}

namespace {
Statement unrelateStatement(const RecordId &from, const QString &edge, const RecordId &to)
{
    Statement s;
    s.error = Relations::validateEdge(edge);
    if (s.error.isValid())
        return s;
    s.text = u"DELETE $from->%1 WHERE out = $to RETURN BEFORE"_s.arg(ValueFormatter::escapeIdent(edge));
    s.vars = {{u"from"_s, QVariant::fromValue(from)}, {u"to"_s, QVariant::fromValue(to)}};
    return s;
}
qint64 rowCount(const QueryResult &r)
{
    return Orm::rowsOf(r).size();
}
} // namespace

QFuture<qint64> Relations::unrelate(const RecordId &from, const QString &edge, const RecordId &to) const
{
    return send<qint64>(connection(), u"unrelate"_s, unrelateStatement(from, edge, to), &rowCount);
}

qint64 Relations::unrelateSync(const RecordId &from, const QString &edge, const RecordId &to) const
{
    return sendSync(connection(), u"unrelate"_s, unrelateStatement(from, edge, to), &rowCount);
}

QFuture<QList<Model *>> Relations::traverseObjects(const ModelInfo &info, const RecordId &from,
                                                   const QString &path) const
{
    QThread *target = QThread::currentThread();
    Connection *explicitConn = m_connection.data();
    const ModelInfo *pinfo = &info;
    return send<QList<Model *>>(m_connection ? m_connection.data() : info.defaultConnection(), u"traverse"_s,
                                traverseStatement(info, from, path), [=](const QueryResult &r) {
                                    return buildObjects(*pinfo, Orm::rowsOf(r), explicitConn, target);
                                });
}

QList<Model *> Relations::traverseObjectsSync(const ModelInfo &info, const RecordId &from,
                                              const QString &path) const
{
    return sendSync(m_connection ? m_connection.data() : info.defaultConnection(), u"traverse"_s,
                    traverseStatement(info, from, path), [&](const QueryResult &r) {
                        return buildObjects(info, Orm::rowsOf(r), m_connection.data(), nullptr);
                    });
}

namespace {
Statement selectStatement(const RecordId &id)
{
    return Statement{u"SELECT * FROM $id"_s, {{u"id"_s, QVariant::fromValue(id)}}, {}};
}
Connection *loadConnection(Connection *explicitConn, const ModelInfo &info, const Model &model)
{
    if (explicitConn)
        return explicitConn;
    if (model.connection())
        return model.connection();
    return info.defaultConnection();
}
} // namespace

QFuture<Model *> Relations::loadObject(const ModelInfo &info, const Model &model,
                                       const QString &linkField) const
{
    Error e;
    const RecordId id = linkOf(info, model, linkField, &e);
    if (e.isValid())
        return failedFuture<Model *>(e);
    if (!id.isValid())
        return ready<Model *>(nullptr);
    const ModelInfo *pinfo = &info;
    Connection *explicitConn = m_connection.data();
    if (RecordCache *cache = m_cache.data()) {
        // The cache answers on its own thread; objects are built there (the caller's, normally).
        return cache->get(id).then([pinfo, explicitConn](const QVariantMap &record) -> Model * {
            return record.isEmpty() ? nullptr : buildObject(*pinfo, record, explicitConn, nullptr);
        });
    }
    QThread *target = QThread::currentThread();
    return send<Model *>(loadConnection(explicitConn, info, model), u"load"_s, selectStatement(id),
                         [=](const QueryResult &r) -> Model * {
                             const QVariantList rows = Orm::rowsOf(r);
                             return rows.isEmpty()
                                        ? nullptr
                                        : buildObject(*pinfo, rows.first().toMap(), explicitConn, target);
                         });
}

Model *Relations::loadObjectSync(const ModelInfo &info, const Model &model, const QString &linkField) const
{
    Error e;
    const RecordId id = linkOf(info, model, linkField, &e);
    if (e.isValid())
        throw Exception(e);
    if (!id.isValid())
        return nullptr;
    if (RecordCache *cache = m_cache.data()) {
        const QVariantMap record = cache->getSync(id);
        return record.isEmpty() ? nullptr : buildObject(info, record, m_connection.data(), nullptr);
    }
    return sendSync(loadConnection(m_connection.data(), info, model), u"load"_s, selectStatement(id),
                    [&](const QueryResult &r) -> Model * {
                        const QVariantList rows = Orm::rowsOf(r);
                        return rows.isEmpty()
                                   ? nullptr
                                   : buildObject(info, rows.first().toMap(), m_connection.data(), nullptr);
                    });
}

namespace {
// The ids a list-of-links field holds, checked against the target model.
QVariantList linksOf(const ModelInfo &target, const Model &model, const QString &field, Error *error)
{
    const ModelInfo &info = model.modelInfo();
    const FieldInfo f = info.field(field);
    if (!f.isValid() || !f.isLinkList()) {
        *error = Orm::validationError(u"Relations::loadAll<%1>: %2 has no list-of-links field %3"_s.arg(
            target.className(), info.className(), Orm::describeValue(field)));
        return {};
    }
    QVariantList ids;
    // The iterable points into the variant's storage: the variant must outlive the loop (a
    // temporary here was destroyed before the loop read it, a stack use after scope under ASan).
    const QVariant list = model.property(f.name().toUtf8().constData());
    const QSequentialIterable items = list.value<QSequentialIterable>();
    for (const QVariant &item : items) {
        const RecordId id = item.value<RecordId>();
        if (!id.isValid())
            continue;
        // A range key would read every record in the range, not one link.
        if (id.table() != target.tableName() || id.id().metaType() == QMetaType::fromType<Range>()) {
            *error = Orm::validationError(
                u"Relations::loadAll<%1>: %2.%3 holds %4, not a record of table %5"_s.arg(
                    target.className(), info.className(), field, id.toString(), target.tableName()));
            return {};
        }
        ids.append(QVariant::fromValue(id));
    }
    return ids;
}

Statement selectMany(const QVariantList &ids)
{
    // Reading an array of record ids keeps their order and skips the ones that do not exist.
    return Statement{u"SELECT * FROM $ids"_s, {{u"ids"_s, ids}}, {}};
}
} // namespace

QFuture<QList<Model *>> Relations::loadAllObjects(const ModelInfo &info, const Model &model,
                                                  const QString &linkListField) const
{
    Error e;
    const QVariantList ids = linksOf(info, model, linkListField, &e);
    if (e.isValid())
        return failedFuture<QList<Model *>>(e);
    if (ids.isEmpty())
        return ready<QList<Model *>>({});
    QThread *target = QThread::currentThread();
    Connection *explicitConn = m_connection.data();
    const ModelInfo *pinfo = &info;
    return send<QList<Model *>>(
        loadConnection(explicitConn, info, model), u"loadAll"_s, selectMany(ids),
        [=](const QueryResult &r) { return buildObjects(*pinfo, Orm::rowsOf(r), explicitConn, target); });
}

QList<Model *> Relations::loadAllObjectsSync(const ModelInfo &info, const Model &model,
                                             const QString &linkListField) const
{
    Error e;
    const QVariantList ids = linksOf(info, model, linkListField, &e);
    if (e.isValid())
        throw Exception(e);
    if (ids.isEmpty())
        return {};
    return sendSync(loadConnection(m_connection.data(), info, model), u"loadAll"_s, selectMany(ids),
                    [&](const QueryResult &r) {
                        return buildObjects(info, Orm::rowsOf(r), m_connection.data(), nullptr);
                    });
}

QFuture<Relations::RawFetch> Relations::fetchObjects(const QueryBase &query,
                                                     const QStringList &linkFields) const
{
    QThread *target = QThread::currentThread();
    const ModelInfo *pinfo = &query.modelInfo();
    Connection *conn = m_connection ? m_connection.data() : query.connection();
    Connection *explicitConn = m_connection.data();
    return send<RawFetch>(conn, u"fetch"_s, fetchStatement(query, linkFields), [=](const QueryResult &r) {
        SplitRows split = splitFetched(Orm::rowsOf(r), linkFields);
        return RawFetch{buildObjects(*pinfo, split.rows, explicitConn, target), std::move(split.linked)};
    });
}

Relations::RawFetch Relations::fetchObjectsSync(const QueryBase &query, const QStringList &linkFields) const
{
    Connection *conn = m_connection ? m_connection.data() : query.connection();
    return sendSync(conn, u"fetch"_s, fetchStatement(query, linkFields), [&](const QueryResult &r) {
        SplitRows split = splitFetched(Orm::rowsOf(r), linkFields);
        return RawFetch{buildObjects(query.modelInfo(), split.rows, m_connection.data(), nullptr),
                        std::move(split.linked)};
    });
}

Model *Relations::objectFromRecord(const ModelInfo &info, const QVariantMap &record)
{
    return record.isEmpty() ? nullptr : buildObject(info, record, nullptr, nullptr);
}

} // namespace SurrealQt
