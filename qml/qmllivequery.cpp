#include "qmllivequery.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/table.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QmlLiveQuery::QmlLiveQuery(QObject *parent)
    : QObject(parent)
{}

QmlLiveQuery::~QmlLiveQuery()
{
    drop();
}

void QmlLiveQuery::setDatabase(QmlDatabase *database)
{
    if (!rebindDatabase(this, m_database, database, &QmlLiveQuery::scheduleRestart))
        return;
    Q_EMIT databaseChanged();
    scheduleRestart();
}

void QmlLiveQuery::setTable(const QString &table)
{
    if (m_table == table)
        return;
    m_table = table;
    Q_EMIT tableChanged();
    scheduleRestart();
}

void QmlLiveQuery::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    Q_EMIT filterChanged();
    scheduleRestart();
}

void QmlLiveQuery::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    scheduleRestart();
}

void QmlLiveQuery::setBindings(const QVariantMap &bindings)
{
    if (m_bindings == bindings)
        return;
    m_bindings = bindings;
    Q_EMIT bindingsChanged();
    scheduleRestart();
}

void QmlLiveQuery::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    scheduleRestart();
}

void QmlLiveQuery::classBegin() {}

void QmlLiveQuery::componentComplete()
{
    m_complete = true;
    subscribe();
}

void QmlLiveQuery::restart()
{
    subscribe();
}

void QmlLiveQuery::scheduleRestart()
{
    // Several properties changed together (a binding's dependencies) subscribe once.
    if (!m_complete || m_restartPending)
        return;
    m_restartPending = true;
    QTimer::singleShot(0, this, [this] {
        if (m_restartPending)
            subscribe();
    });
}

void QmlLiveQuery::drop()
{
    if (!m_live)
        return;
    LiveQuery *old = m_live;
    m_live = nullptr;
    disconnect(old, nullptr, this, nullptr);
    // Destroying it kills the query on the server.
    delete old;
}

void QmlLiveQuery::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void QmlLiveQuery::fail(const SurrealQt::Error &error)
{
    m_error = error;
    Q_EMIT lastErrorChanged();
    setStatus(Failed);
    Q_EMIT errorOccurred(error);
}

void QmlLiveQuery::subscribe()
{
    m_restartPending = false;
    drop();
    if (m_error.isValid()) {
        m_error = SurrealQt::Error();
        Q_EMIT lastErrorChanged();
    }
    Connection *connection = m_database ? m_database->connection() : nullptr;
    if (!m_active || !connection || (m_query.isEmpty() && m_table.isEmpty())) {
        setStatus(Null);
        return;
    }
    SurrealQt::Error error;
    const QVariantMap vars = JsConvert::fromJs(QVariant(m_bindings), u"bindings"_s, &error).toMap();
    if (error.isValid()) {
        fail(error.setContext(u"LiveQuery"_s));
        return;
    }
    LiveQuery *live = nullptr;
    if (!m_query.isEmpty()) {
        live = connection->liveQuery(m_query, vars, this);
    } else {
        static const QRegularExpression identifier(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
        if (!identifier.match(m_table).hasMatch()) {
            fail(SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                                  u"'%1' is not a table name"_s.arg(m_table), u"LiveQuery"_s));
            return;
        }
        // The table name is checked above; values come only through the bindings.
        live = m_filter.trimmed().isEmpty()
                   ? connection->live(Table(m_table), this)
                   : connection->liveQuery(u"LIVE SELECT * FROM %1 WHERE %2"_s.arg(m_table, m_filter), vars,
                                           this);
    }
    m_live = live;
    connect(live, &LiveQuery::created, this, [this](const QVariant &record) {
        const QVariant value = JsConvert::toJs(record);
        Q_EMIT changed(Create, value.toMap().value(u"id"_s).toString(), value);
        Q_EMIT created(value);
    });
    connect(live, &LiveQuery::updated, this, [this](const QVariant &record) {
        const QVariant value = JsConvert::toJs(record);
        Q_EMIT changed(Update, value.toMap().value(u"id"_s).toString(), value);
        Q_EMIT updated(value);
    });
    connect(live, &LiveQuery::deleted, this, [this](const QVariant &recordId, const QVariant &before) {
        const QString id = JsConvert::recordIdText(recordId);
        const QVariant value = JsConvert::toJs(before);
        Q_EMIT changed(Delete, id, value);
        Q_EMIT deleted(id, value);
    });
    connect(live, &LiveQuery::resyncRequired, this, &QmlLiveQuery::resyncRequired);
    connect(live, &LiveQuery::errorOccurred, this, &QmlLiveQuery::fail);
    connect(live, &LiveQuery::stateChanged, this, [this](LiveQuery::State state) {
        switch (state) {
        case LiveQuery::State::Starting:
            setStatus(Starting);
            break;
        case LiveQuery::State::Active:
            setStatus(Active);
            break;
        case LiveQuery::State::Failed:
            if (m_status != Error && m_live)
                fail(m_live->lastError());
            break;
        case LiveQuery::State::Finished:
            setStatus(Null);
            break;
        }
    });
    switch (live->state()) {
    case LiveQuery::State::Active:
        setStatus(Active);
        break;
    case LiveQuery::State::Failed:
        fail(live->lastError());
        break;
    default:
        setStatus(Starting);
        break;
    }
}

} // namespace SurrealQt
