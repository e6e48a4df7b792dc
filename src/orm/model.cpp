#include "codec/valueformatter_p.h"
#include "connection/recordwrite_p.h"
#include "connection/syncwait_p.h"
#include "core/postbox_p.h"
#include "orm/modelrows_p.h"
#include "orm/modelwrites_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>
#include <SurrealQt/syncconnection.h>
#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaProperty>
#include <QtCore/QMutex>
#include <QtCore/QSequentialIterable>
#include <QtCore/QThread>
#include <QtCore/QUuid>

#include <optional>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

QMutex &defaultMutex()
{
    static QMutex m;
    return m;
}

QPointer<Connection> &appDefault()
{
    static QPointer<Connection> c;
    return c;
}

// Values the wire cannot carry (an invalid DateTime, Decimal, RecordId, ...): sent as NONE.
bool isUnencodable(const QVariant &v)
{
    const QMetaType mt = v.metaType();
    if (mt == QMetaType::fromType<DateTime>())
        return !v.value<DateTime>().isValid();
    if (mt.id() == QMetaType::QDateTime)
        return !v.toDateTime().isValid();
    if (mt == QMetaType::fromType<Decimal>())
        return !v.value<Decimal>().isValid();
    if (mt == QMetaType::fromType<RecordId>())
        return !v.value<RecordId>().isValid();
    if (mt == QMetaType::fromType<Geometry>())
        return !v.value<Geometry>().isValid();
    return false;
}

// What an optional field sends as NONE: no value, or the empty value of its type.
bool isEmptyValue(const QVariant &v)
{
    if (isNone(v) || isNull(v) || isUnencodable(v))
        return true;
    if (v.metaType().id() == QMetaType::QString)
        return v.toString().isNull();
    if (v.metaType().id() == QMetaType::QUuid)
        return v.toUuid().isNull();
    return false;
}

// A server value as the property's C++ type; invalid when it cannot be converted.
QVariant toPropertyType(const QVariant &value, QMetaType target)
{
    if (target.id() == QMetaType::QVariant || value.metaType() == target)
        return value;
    if (isNone(value) || isNull(value))
        return QVariant(target);
    if (value.metaType().id() == QMetaType::QVariantList && target.id() != QMetaType::QVariantList &&
        QMetaType::canView(target, QMetaType::fromType<QSequentialIterable>())) {
        QVariant out(target);
        QSequentialIterable seq;
        if (!QMetaType::view(target, out.data(), QMetaType::fromType<QSequentialIterable>(), &seq))
            return {};
        const QMetaType itemType = seq.metaContainer().valueMetaType();
        for (const QVariant &item : value.toList()) {
            QVariant v = item;
            if (itemType.id() != QMetaType::QVariant && v.metaType() != itemType && !v.convert(itemType))
                return {};
            seq.addValue(v);
        }
        return out;
    }
    QVariant v = value;
    if (!v.convert(target))
        return {};
    return v;
}

QString operationContext(const Model *m, const char *op)
{
    return u"%1 %2"_s.arg(QString::fromLatin1(op),
                          m->id().isValid() ? m->id().toString() : m->modelInfo().tableName());
}

} // namespace

// The plumbing of save/remove/refresh, shared by the async and the sync form.
class ModelOperations
{
public:
    struct Plan
    {
        QString text;
        QVariantMap vars;
        // The write a save or remove sends (text and vars are its request); none for a refresh.
        std::optional<Internal::RecordWrite> write;
        QStringList sent;
        bool creating = false;
        bool noop = false;
        bool versioned = false;
        Error error;

        void send(Internal::RecordWrite w)
        {
            text = w.text();
            vars = w.vars();
            write = std::move(w);
        }
    };

    static Plan planSave(Model *m)
    {
        Plan plan;
        const ModelInfo &info = m->modelInfo();
        plan.creating = m->isNew();
        ModelWrites::stampAutoFields(m, plan.creating);
        plan.error = m->validate();
        if (plan.error.isValid())
            return plan;
        const QString version = info.versionField();
        if (plan.creating) {
            const QVariantMap data = ModelWrites::contentOf(m);
            plan.sent = data.keys();
            plan.send((m->id().isValid() ? Internal::RecordWrite::create(m->id(), data)
                                         : Internal::RecordWrite::create(Table(info.tableName()), data))
                          .inContext(operationContext(m, "save")));
            return plan;
        }
        const QStringList fields = ModelWrites::changedFields(m);
        if (fields.isEmpty()) {
            plan.noop = true;
            return plan;
        }
        QVariantMap data = m->toMap(fields);
        plan.sent = fields;
        auto write = Internal::RecordWrite::merge(m->id(), data);
        if (!version.isEmpty()) {
            const qint64 current = m->property(version.toLatin1().constData()).toLongLong();
            plan.versioned = true;
            data.insert(version, current + 1);
            plan.sent.append(version);
            // A record the version check excludes reads back as refused, with its version.
            write = Internal::RecordWrite::merge(m->id(), data)
                        .onlyIf(ValueFormatter::escapeIdent(version) + u" = $expected"_s,
                                {{u"expected"_s, current}})
                        .readingBack({version});
        }
        plan.send(std::move(write.inContext(operationContext(m, "save"))));
        return plan;
    }

    // Applies the reply of a save; throws Exception when the write did not happen.
    static void finishSave(Model *m, const Plan &plan, const QueryResult &result)
    {
        const Internal::RecordWrite::Outcome outcome = plan.write->readOne(result);
        if (outcome.status == Internal::RecordWrite::Outcome::Status::Refused && plan.versioned &&
            outcome.record.value(m->modelInfo().versionField()).toLongLong() !=
                plan.vars.value(u"expected"_s).toLongLong()) {
            Error e(Error::Kind::Conflict,
                    u"The record was changed by someone else since it was loaded (version check failed)"_s,
                    operationContext(m, "save"));
            e.setServerKind(u"VersionConflict"_s);
            throw Exception(e);
        }
        QVariantMap row = outcome.recordOrThrow();
        const bool wasDirty = m->isDirty();
        for (const QString &f : plan.sent)
            m->m_dirty.remove(f);
        // Fields changed while the request was under way keep the caller's newer value.
        for (const QString &f : std::as_const(m->m_dirty))
            row.remove(f);
        const Error e = m->loadRow(row);
        if (e.isValid())
            throw Exception(e);
        if (wasDirty != m->isDirty())
            Q_EMIT m->dirtyChanged();
        Q_EMIT m->saved();
    }

    static void finishRemove(Model *m, const Plan &plan, const QueryResult &result)
    {
        (void)plan.write->readOne(result).recordOrThrow();
        m->setPersisted(false);
        Q_EMIT m->removed();
    }

    static void finishRefresh(Model *m, const Plan &, const QueryResult &result)
    {
        const QVariantList rows = Orm::rowsOf(result, 0);
        if (rows.isEmpty())
            throw Exception(
                Internal::RecordWrite::notFound(m->id().toString(), operationContext(m, "refresh")));
        const bool wasDirty = m->isDirty();
        m->m_dirty.clear();
        const Error e = m->loadRow(rows.first().toMap());
        if (e.isValid())
            throw Exception(e);
        if (wasDirty)
            Q_EMIT m->dirtyChanged();
        Q_EMIT m->refreshed();
    }

    using Finish = void (*)(Model *, const Plan &, const QueryResult &);

    // Why a plan cannot be sent: invalid, or no connection to send it on.
    static Error refusal(Model *m, const Plan &plan, Connection *c)
    {
        if (!plan.error.isValid() && !c && !plan.noop)
            return Error(Error::Kind::Model, u"%1 has no connection: set one with setConnection() or "
                                             "setDefaultConnection()"_s.arg(m->modelInfo().className()));
        return plan.error;
    }

    static QFuture<void> runAsync(Model *m, const Plan &plan, Finish finish)
    {
        Connection *c = m->connection();
        const Error pre = refusal(m, plan, c);
        if (pre.isValid()) {
            // Signalled at once, so signals keep the order of the calls that caused them.
            Q_EMIT m->errorOccurred(pre);
            return failedFuture<void>(pre);
        }
        if (plan.noop) {
            Q_EMIT m->saved();
            QPromise<void> p;
            p.start();
            p.finish();
            return p.future();
        }
        // Finished in the model's thread while it lives; destroyed first, the future fails with
        // Cancelled (the write itself may have happened).
        return Internal::deliverTo(
            m, "Model", plan.write ? plan.write->request(c) : c->query(plan.text, plan.vars),
            [m, plan, finish](const QueryResult &r) { finish(m, plan, r); },
            [m](const Error &error) { Q_EMIT m->errorOccurred(error); });
    }

    static void runSync(Model *m, const Plan &plan, Finish finish)
    {
        Connection *c = m->connection();
        const Error pre = refusal(m, plan, c);
        if (pre.isValid()) {
            Q_EMIT m->errorOccurred(pre);
            throw Exception(pre);
        }
        if (plan.noop) {
            Q_EMIT m->saved();
            return;
        }
        try {
            finish(m, plan,
                   plan.write ? blockOn("Model", [&] { return plan.write->request(c); })
                              : SyncConnection(c).query(plan.text, plan.vars));
        } catch (const Exception &e) {
            Q_EMIT m->errorOccurred(e.error());
            throw;
        }
    }

    static Plan planById(Model *m, const char *op)
    {
        Plan plan;
        if (!m->id().isValid() || m->isNew()) {
            plan.error = Error(Error::Kind::Model, u"%1 is not stored yet: nothing to %2"_s.arg(
                                                       m->modelInfo().className(), QString::fromLatin1(op)));
        }
        return plan;
    }

    static Plan planRemove(Model *m)
    {
        Plan plan = planById(m, "remove");
        if (!plan.error.isValid())
            plan.send(Internal::RecordWrite::remove(m->id()).inContext(operationContext(m, "remove")));
        return plan;
    }

    static Plan planRefresh(Model *m)
    {
        Plan plan = planById(m, "refresh");
        plan.text = u"SELECT * FROM $target"_s;
        plan.vars.insert(u"target"_s, QVariant::fromValue(m->id()));
        return plan;
    }
};

Model::Model(QObject *parent)
    : QObject(parent)
{}

Model::~Model() = default;

const ModelInfo &Model::modelInfo() const
{
    return *ModelInfo::of(metaObject());
}

Error Model::setId(const RecordId &id)
{
    if (id.isValid() && id.table() != modelInfo().tableName())
        return setId(QVariant::fromValue(id)); // refused there, with the reason
    if (m_id != id) {
        m_id = id;
        Q_EMIT idChanged();
    }
    return {};
}

Error Model::setId(const QVariant &idOrKey)
{
    QString why;
    const RecordId id = RecordId::inTable(modelInfo().tableName(), idOrKey, &why);
    if (!id.isValid()) {
        const Error e = Orm::validationError(u"%1.setId: %2"_s.arg(modelInfo().className(), why));
        qCWarning(lcOrm).noquote() << e.message();
        return e;
    }
    return setId(id);
}

void Model::setPersisted(bool persisted)
{
    if (m_persisted == persisted)
        return;
    m_persisted = persisted;
    Q_EMIT isNewChanged();
}

QStringList Model::dirtyFields() const
{
    // In declaration order, so what is sent is predictable.
    QStringList out;
    for (const FieldInfo &f : modelInfo().fields()) {
        if (m_dirty.contains(f.name()))
            out.append(f.name());
    }
    return out;
}

void Model::markDirty(const QString &field)
{
    const bool was = isDirty();
    m_dirty.insert(field);
    if (!was)
        Q_EMIT dirtyChanged();
}

void Model::clearDirty()
{
    if (m_dirty.isEmpty())
        return;
    m_dirty.clear();
    Q_EMIT dirtyChanged();
}

void Model::fieldChanged(QLatin1String field)
{
    if (m_loading)
        return;
    markDirty(QString(field));
}

QVariantMap Model::toMap() const
{
    QVariantMap out;
    const ModelInfo &info = modelInfo();
    const QMetaObject *mo = info.metaObject();
    for (const FieldInfo &f : info.fields()) {
        QVariant v = mo->property(f.propertyIndex()).read(this);
        if ((f.isOptional() && isEmptyValue(v)) || isUnencodable(v))
            v = noneValue();
        out.insert(f.name(), v);
    }
    if (m_id.isValid())
        out.insert(u"id"_s, QVariant::fromValue(m_id));
    return out;
}

QVariantMap Model::toMap(const QStringList &fields) const
{
    QVariantMap out;
    const ModelInfo &info = modelInfo();
    const QMetaObject *mo = info.metaObject();
    for (const QString &name : fields) {
        if (name == u"id"_s) {
            if (m_id.isValid())
                out.insert(name, QVariant::fromValue(m_id));
            continue;
        }
        const FieldInfo f = info.field(name);
        if (!f.isValid())
            continue;
        QVariant v = mo->property(f.propertyIndex()).read(this);
        if ((f.isOptional() && isEmptyValue(v)) || isUnencodable(v))
            v = noneValue();
        out.insert(name, v);
    }
    return out;
}

Error Model::fromMap(const QVariantMap &map)
{
    const ModelInfo &info = modelInfo();
    const QMetaObject *mo = info.metaObject();
    // Convert everything first, so a bad value changes nothing.
    RecordId newId;
    const auto id = map.constFind(u"id"_s);
    if (id != map.constEnd() && !isNone(*id)) {
        QString why;
        newId = RecordId::inTable(info.tableName(), *id, &why);
        if (!newId.isValid())
            return Orm::validationError(u"%1.id: %2"_s.arg(info.className(), why),
                                        info.className() + u".id"_s);
    }
    QList<std::pair<int, QVariant>> writes;
    for (const FieldInfo &f : info.fields()) {
        const auto it = map.constFind(f.name());
        if (it == map.constEnd())
            continue;
        const QVariant v = toPropertyType(*it, f.metaType());
        if (!v.isValid() && f.metaType().id() != QMetaType::QVariant) {
            return Orm::validationError(u"%1.%2: %3 (%4) cannot be stored in a %5 field"_s.arg(
                                            info.className(), f.name(), Orm::describeValue(*it),
                                            QString::fromLatin1(it->typeName()),
                                            QString::fromLatin1(f.metaType().name())),
                                        info.className() + u'.' + f.name());
        }
        writes.append({f.propertyIndex(), v});
    }
    const bool wasLoading = m_loading;
    m_loading = true;
    for (const auto &[index, v] : std::as_const(writes))
        mo->property(index).write(this, v);
    m_loading = wasLoading;
    if (newId.isValid())
        setId(newId);
    return {};
}

Error Model::loadRow(const QVariantMap &row)
{
    const Error e = fromMap(row);
    if (e.isValid())
        return e;
    setPersisted(true);
    return {};
}

Error Model::validate() const
{
    const ModelInfo &info = modelInfo();
    const QMetaObject *mo = info.metaObject();
    for (const FieldInfo &f : info.fields()) {
        if (f.isReadOnly())
            continue;
        QVariant v = mo->property(f.propertyIndex()).read(this);
        if ((f.isOptional() && isEmptyValue(v)) || isUnencodable(v))
            v = noneValue();
        const Error e = f.check(v, info.className());
        if (e.isValid())
            return e;
    }
    return {};
}

Connection *Model::connection() const
{
    if (m_connection)
        return m_connection.data();
    return modelInfo().defaultConnection();
}

void Model::setConnection(Connection *connection)
{
    m_connection = connection;
}

void Model::setDefaultConnection(Connection *connection)
{
    QMutexLocker lock(&defaultMutex());
    appDefault() = connection;
}

void Model::setDefaultConnection(DatabaseManager *manager)
{
    setDefaultConnection(connectionOf(manager));
}

Connection *Model::defaultConnection()
{
    QMutexLocker lock(&defaultMutex());
    return appDefault().data();
}

Connection *Model::connectionOf(DatabaseManager *manager)
{
    return manager ? manager->connection() : nullptr;
}

QFuture<void> Model::save()
{
    return ModelOperations::runAsync(this, ModelOperations::planSave(this), &ModelOperations::finishSave);
}

void Model::saveSync()
{
    ModelOperations::runSync(this, ModelOperations::planSave(this), &ModelOperations::finishSave);
}

QFuture<void> Model::remove()
{
    return ModelOperations::runAsync(this, ModelOperations::planRemove(this), &ModelOperations::finishRemove);
}

void Model::removeSync()
{
    ModelOperations::runSync(this, ModelOperations::planRemove(this), &ModelOperations::finishRemove);
}

QFuture<void> Model::refresh()
{
    return ModelOperations::runAsync(this, ModelOperations::planRefresh(this),
                                     &ModelOperations::finishRefresh);
}

void Model::refreshSync()
{
    ModelOperations::runSync(this, ModelOperations::planRefresh(this), &ModelOperations::finishRefresh);
}

} // namespace SurrealQt
