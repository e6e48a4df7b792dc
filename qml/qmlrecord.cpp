#include "qmlrecord.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmlcontinue_p.h"
#include "qmldatabase.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QTimer>
#include <QtQml/QQmlEngine>
#include <QtQml/QQmlPropertyMap>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using JsConvert::Reply;

QmlRecord::QmlRecord(QObject *parent)
    : QObject(parent)
    , m_fields(new QQmlPropertyMap(this))
{
    // Emitted for assignments from QML only (not for insert() from here): the user's edits.
    connect(m_fields, &QQmlPropertyMap::valueChanged, this, [this](const QString &key) { markDirty(key); });
}

QmlRecord::~QmlRecord()
{
    dropLive();
}

QVariant QmlRecord::fieldsObject() const
{
    return QVariant::fromValue(static_cast<QObject *>(m_fields));
}

void QmlRecord::setDatabase(QmlDatabase *database)
{
    if (!rebindDatabase(this, m_database, database, &QmlRecord::scheduleReload))
        return;
    Q_EMIT databaseChanged();
    scheduleReload();
}

void QmlRecord::setRecordId(const QString &recordId)
{
    if (m_recordId == recordId)
        return;
    m_recordId = recordId;
    Q_EMIT recordIdChanged();
    scheduleReload();
}

void QmlRecord::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    Q_EMIT liveChanged();
    if (!live)
        dropLive();
    else if (m_status == Ready || m_status == NotFound)
        subscribe();
}

void QmlRecord::classBegin() {}

void QmlRecord::componentComplete()
{
    m_complete = true;
    reload();
}

QVariant QmlRecord::value(const QString &field) const
{
    return m_fields->contains(field) ? m_fields->value(field) : QVariant();
}

void QmlRecord::set(const QString &field, const QVariant &value)
{
    m_fields->insert(field, value);
    markDirty(field);
}

void QmlRecord::markDirty(const QString &field)
{
    const bool was = isDirty();
    m_dirty.insert(field);
    if (!was)
        Q_EMIT dirtyChanged();
}

void QmlRecord::scheduleReload()
{
    if (!m_complete || m_reloadPending)
        return;
    m_reloadPending = true;
    QTimer::singleShot(0, this, [this] {
        if (m_reloadPending)
            reload();
    });
}

void QmlRecord::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void QmlRecord::setError(const SurrealQt::Error &error)
{
    m_error = error;
    Q_EMIT lastErrorChanged();
    if (error.isValid())
        Q_EMIT errorOccurred(error);
}

CrudHelpers *QmlRecord::helpers()
{
    Connection *c = m_database ? m_database->connection() : nullptr;
    if (!c)
        return nullptr;
    if (!m_helpers || m_helpers->connection() != c) {
        delete m_helpers;
        m_helpers = new CrudHelpers(c, this);
    }
    return m_helpers;
}

void QmlRecord::clearFields()
{
    for (const QString &key : m_fields->keys())
        m_fields->clear(key);
}

void QmlRecord::apply(const QVariantMap &record, bool keepDirty)
{
    const QVariantMap values = JsConvert::toJs(QVariant(record)).toMap();
    for (const QString &key : m_fields->keys()) {
        if (!values.contains(key) && !(keepDirty && m_dirty.contains(key)))
            m_fields->clear(key);
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (keepDirty && m_dirty.contains(it.key()))
            continue;
        if (m_fields->value(it.key()) != it.value())
            m_fields->insert(it.key(), it.value());
    }
}

void QmlRecord::dropLive()
{
    if (!m_liveQuery)
        return;
    LiveQuery *old = m_liveQuery;
    m_liveQuery = nullptr;
    disconnect(old, nullptr, this, nullptr);
    delete old;
}

void QmlRecord::subscribe()
{
    dropLive();
    Connection *c = m_database ? m_database->connection() : nullptr;
    const RecordId id = RecordId::parse(m_recordId);
    if (!m_live || !c || !id.isValid())
        return;
    // The table comes from a parsed record id (an identifier); the id itself is bound.
    m_liveQuery = c->liveQuery(u"LIVE SELECT * FROM %1 WHERE id = $id"_s.arg(id.table()),
                               {{u"id"_s, QVariant::fromValue(id)}}, this);
    const auto changed = [this](const QVariant &record) {
        apply(record.toMap(), true);
        setStatus(m_status == Saving ? Saving : Ready);
        Q_EMIT changedRemotely();
    };
    connect(m_liveQuery, &LiveQuery::created, this, changed);
    connect(m_liveQuery, &LiveQuery::updated, this, changed);
    connect(m_liveQuery, &LiveQuery::deleted, this, [this] {
        // The edits stay (dirty, shown), as they do for another writer's update: save() creates
        // the record again with them. Cleared too, they were saved as undefined and refused.
        apply({}, true);
        setStatus(NotFound);
        Q_EMIT changedRemotely();
    });
    connect(m_liveQuery, &LiveQuery::resyncRequired, this, &QmlRecord::reload);
    connect(m_liveQuery, &LiveQuery::errorOccurred, this, &QmlRecord::setError);
}

void QmlRecord::reload()
{
    m_reloadPending = false;
    const quint64 generation = ++m_generation;
    dropLive();
    if (!m_dirty.isEmpty()) {
        m_dirty.clear();
        Q_EMIT dirtyChanged();
    }
    if (!m_complete)
        return;
    CrudHelpers *h = helpers();
    if (!h || m_recordId.isEmpty()) {
        clearFields();
        setStatus(Null);
        return;
    }
    QString message;
    const RecordId id = RecordId::parse(m_recordId, &message);
    if (!id.isValid()) {
        clearFields();
        setError(SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                                  u"'%1' is not a record id (table:id): %2"_s.arg(m_recordId, message),
                                  u"Record.recordId"_s));
        setStatus(Failed);
        return;
    }
    if (m_error.isValid())
        setError(SurrealQt::Error());
    setStatus(Loading);
    // Listening before reading: a change in between is not lost. The read waits until the
    // subscription is registered: sent at once, on a pool it could answer first, and a change
    // made before the registration was then neither read nor delivered (Ready, yet blind to it).
    subscribe();
    const auto read = [this, generation, id] {
        CrudHelpers *helper = helpers();
        if (generation != m_generation || !helper)
            return;
        QmlDetail::continueOn(
            this, helper->selectOne(id),
            [this, generation](const std::optional<QVariantMap> &record) {
                if (generation != m_generation)
                    return;
                if (record) {
                    apply(*record, false);
                    setStatus(Ready);
                } else {
                    clearFields();
                    setStatus(NotFound);
                }
                Q_EMIT loaded();
            },
            [this, generation](const SurrealQt::Error &error) {
                if (generation != m_generation)
                    return;
                setError(error);
                setStatus(Failed);
            });
    };
    if (m_liveQuery && m_liveQuery->state() == LiveQuery::State::Starting) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_liveQuery, &LiveQuery::stateChanged, this, [once, read](LiveQuery::State) {
            QObject::disconnect(*once);
            read();
        });
    } else {
        read();
    }
}

quint64 QmlRecord::keepReply(const QJSValue &callback, QJSValue *returnValue)
{
    auto reply = std::make_shared<Reply>(qjsEngine(this), callback);
    *returnValue = reply->returnValue();
    const quint64 ticket = ++m_nextTicket;
    m_replies.emplace(ticket, reply);
    return ticket;
}

void QmlRecord::resolveReply(quint64 ticket, const QVariant &result)
{
    auto it = m_replies.find(ticket);
    if (it == m_replies.end())
        return;
    const auto reply = std::static_pointer_cast<Reply>(it->second);
    m_replies.erase(it);
    reply->resolve(result);
}

void QmlRecord::rejectReply(quint64 ticket, const SurrealQt::Error &error)
{
    auto it = m_replies.find(ticket);
    if (it == m_replies.end())
        return;
    const auto reply = std::static_pointer_cast<Reply>(it->second);
    m_replies.erase(it);
    reply->reject(error);
}

QJSValue QmlRecord::save(const QJSValue &callback)
{
    QJSValue returned;
    const quint64 ticket = keepReply(callback, &returned);
    const auto refuse = [this, ticket](const SurrealQt::Error &error) {
        QTimer::singleShot(0, this, [this, ticket, error] { rejectReply(ticket, error); });
    };
    if (!callback.isUndefined() && !callback.isNull() && !callback.isCallable()) {
        refuse(SurrealQt::Error(SurrealQt::Error::Kind::Validation, u"callback must be a function"_s,
                                u"Record.save"_s));
        return returned;
    }
    const RecordId id = RecordId::parse(m_recordId);
    CrudHelpers *h = helpers();
    if (!h || !id.isValid()) {
        refuse(SurrealQt::Error(!h ? SurrealQt::Error::Kind::Connection : SurrealQt::Error::Kind::Validation,
                                !h ? u"Record has no open database"_s : u"Record has no valid recordId"_s,
                                u"Record.save"_s));
        return returned;
    }
    QVariantMap dirty;
    for (const QString &key : std::as_const(m_dirty))
        dirty.insert(key, m_fields->value(key));
    SurrealQt::Error error;
    const QVariantMap payload = JsConvert::fromJs(QVariant(dirty), u"fields"_s, &error).toMap();
    if (error.isValid()) {
        error.setContext(u"Record.save"_s);
        setError(error);
        refuse(error);
        return returned;
    }
    const Status before = m_status == Saving ? Ready : m_status;
    setStatus(Saving);
    QmlDetail::continueOn(
        this, h->upsertOne(id, payload),
        [this, ticket, dirty](const QVariantMap &stored) {
            // A field edited again while the save was under way stays dirty.
            const bool wasDirty = isDirty();
            for (auto it = dirty.cbegin(); it != dirty.cend(); ++it) {
                if (m_fields->value(it.key()) == it.value())
                    m_dirty.remove(it.key());
            }
            apply(stored, true);
            if (m_error.isValid())
                setError(SurrealQt::Error());
            setStatus(Ready);
            if (wasDirty && !isDirty())
                Q_EMIT dirtyChanged();
            Q_EMIT saved();
            resolveReply(ticket, stored);
        },
        [this, ticket, before](const SurrealQt::Error &error) {
            setError(error);
            setStatus(before);
            rejectReply(ticket, error);
        });
    return returned;
}

QJSValue QmlRecord::remove(const QJSValue &callback)
{
    QJSValue returned;
    const quint64 ticket = keepReply(callback, &returned);
    const RecordId id = RecordId::parse(m_recordId);
    CrudHelpers *h = helpers();
    if (!h || !id.isValid()) {
        const SurrealQt::Error error(
            !h ? SurrealQt::Error::Kind::Connection : SurrealQt::Error::Kind::Validation,
            !h ? u"Record has no open database"_s : u"Record has no valid recordId"_s, u"Record.remove"_s);
        QTimer::singleShot(0, this, [this, ticket, error] { rejectReply(ticket, error); });
        return returned;
    }
    QmlDetail::continueOn(
        this, h->deleteOne(id),
        [this, ticket](const QVariantMap &before) {
            clearFields();
            if (!m_dirty.isEmpty()) {
                m_dirty.clear();
                Q_EMIT dirtyChanged();
            }
            setStatus(NotFound);
            Q_EMIT removed();
            resolveReply(ticket, before);
        },
        [this, ticket](const SurrealQt::Error &error) {
            setError(error);
            rejectReply(ticket, error);
        });
    return returned;
}

} // namespace SurrealQt
