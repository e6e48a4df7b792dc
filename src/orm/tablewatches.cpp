#include "orm/tablewatches_p.h"

#include "core/postbox_p.h"
#include "orm/modelrows_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/error.h>
#include <SurrealQt/livequery.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFutureWatcher>

using namespace Qt::StringLiterals;

namespace SurrealQt::Internal {

TableWatches::TableWatches(QObject *owner, const char *watchCall, Handlers handlers)
    : m_owner(owner)
    , m_watchCall(watchCall)
    , m_handlers(std::move(handlers))
{}

QFuture<void> TableWatches::watch(const Table &table, Connection *connection, const Error &noConnection)
{
    if (!table.isValid())
        return failedFuture<void>(
            Orm::validationError(QString::fromLatin1(m_watchCall) + u": empty table name"_s));
    const QString name = table.name();
    auto it = m_watches.find(name);
    if (it != m_watches.end() && it->live)
        return deliverTo(m_owner, m_watchCall, it->live->started(),
                         [this, name](const QUuid &) { markActive(name); });
    if (!connection)
        return failedFuture<void>(noConnection);
    LiveQuery *live = connection->live(table, m_owner);
    Watch &w = m_watches[name];
    w.live = live;
    w.active = false;
    ++w.epoch;
    if (m_handlers.created)
        QObject::connect(live, &LiveQuery::created, m_owner, [this, name](const QVariant &record) {
            invalidate(name);
            m_handlers.created(name, record);
        });
    if (m_handlers.updated)
        QObject::connect(live, &LiveQuery::updated, m_owner, [this, name](const QVariant &record) {
            invalidate(name);
            m_handlers.updated(name, record);
        });
    if (m_handlers.deleted)
        QObject::connect(live, &LiveQuery::deleted, m_owner,
                         [this, name](const QVariant &recordId, const QVariant &) {
                             invalidate(name);
                             m_handlers.deleted(name, recordId);
                         });
    // Whatever happened while the subscription was not active was not announced: forget it.
    QObject::connect(live, &LiveQuery::resyncRequired, m_owner, [this, name] {
        invalidate(name);
        m_handlers.stale(name);
    });
    QObject::connect(live, &LiveQuery::stateChanged, m_owner, [this, name](LiveQuery::State state) {
        onStateChanged(name, state == LiveQuery::State::Active);
    });
    if (live->state() == LiveQuery::State::Active)
        w.active = true;
    return deliverTo(m_owner, m_watchCall, live->started(),
                     [this, name](const QUuid &) { markActive(name); });
}

void TableWatches::waitUntilActive(QFuture<void> started)
{
    if (!started.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<void> watcher;
        QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(started);
        if (!started.isFinished())
            loop.exec();
    }
    started.waitForFinished(); // rethrows the live query's error
}

void TableWatches::onStateChanged(const QString &table, bool active)
{
    auto w = m_watches.find(table);
    if (w == m_watches.end())
        return;
    if (w->active && !active) {
        invalidate(table);
        m_handlers.stale(table);
        w = m_watches.find(table);
        if (w == m_watches.end())
            return;
    }
    w->active = active;
    if (active)
        ++w->epoch; // fetches that started before the subscription must not be stored
}

void TableWatches::markActive(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end() && w->live && !w->active) {
        w->active = true;
        ++w->epoch;
    }
}

bool TableWatches::unwatch(const QString &table)
{
    auto it = m_watches.find(table);
    if (it == m_watches.end())
        return false;
    if (it->live)
        it->live->deleteLater();
    m_watches.erase(it);
    return true;
}

bool TableWatches::isWatched(const QString &table) const
{
    auto it = m_watches.find(table);
    return it != m_watches.end() && it->live;
}

quint64 TableWatches::epochOf(const QString &table) const
{
    auto it = m_watches.find(table);
    return it == m_watches.end() ? 0 : it->epoch;
}

bool TableWatches::isCurrent(const QString &table, quint64 epoch) const
{
    auto it = m_watches.find(table);
    return it != m_watches.end() && it->active && it->epoch == epoch;
}

void TableWatches::invalidate(const QString &table)
{
    auto w = m_watches.find(table);
    if (w != m_watches.end())
        ++w->epoch;
}

} // namespace SurrealQt::Internal
