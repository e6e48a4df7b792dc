#pragma once

#include "qmldatabase.h"
#include "surrealqtqml_global.h"

#include <SurrealQt/error.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariantMap>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

class LiveQuery;

// QML `LiveQuery`: the changes to a table (or to the rows a LIVE SELECT names) as signals, for
// screens that react to changes without a list model.
//
//   LiveQuery {
//       database: db
//       table: "task"; filter: "done = $done"; bindings: ({ done: false })
//       onCreated: record => console.log("new", record.title)
//       onUpdated: record => console.log("changed", record.id)
//       onDeleted: (recordId, before) => console.log("gone", recordId)
//   }
//
// Source: `table` (+ `filter` with `bindings`), or `query` (a whole LIVE SELECT with
// `bindings`). It (re)subscribes once the component is complete, when a source property or
// `active` changes and when the database reconnects; after a dropped connection it is
// re-registered and emits resyncRequired() (changes made meanwhile were not delivered).
// Records arrive as JavaScript objects (record ids as "table:id" text, datetimes as Date).
class SURREALQT_QML_EXPORT QmlLiveQuery : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(LiveQuery)
    Q_PROPERTY(SurrealQt::QmlDatabase *database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(QString table READ table WRITE setTable NOTIFY tableChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(QVariantMap bindings READ bindings WRITE setBindings NOTIFY bindingsChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY lastErrorChanged)

public:
    // Null: no source, no database or not active. Starting: registering on the server.
    // Active: changes are delivered. Failed: see lastError (bad input, refused, connection lost
    // for good). Error: the old name of Failed (deprecated; the same value, so existing QML keeps
    // working); Failed as QueryModel's status says it.
    enum Status { Null, Starting, Active, Failed, Error = Failed };
    Q_ENUM(Status)
    enum Action { Create, Update, Delete };
    Q_ENUM(Action)

    explicit QmlLiveQuery(QObject *parent = nullptr);
    ~QmlLiveQuery() override;

    [[nodiscard]] QmlDatabase *database() const { return m_database; }
    void setDatabase(QmlDatabase *database);
    [[nodiscard]] QString table() const { return m_table; }
    void setTable(const QString &table);
    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    [[nodiscard]] QString query() const { return m_query; }
    void setQuery(const QString &query);
    [[nodiscard]] QVariantMap bindings() const { return m_bindings; }
    void setBindings(const QVariantMap &bindings);
    [[nodiscard]] bool isActive() const { return m_active; }
    void setActive(bool active);
    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] SurrealQt::Error lastError() const { return m_error; }

    void classBegin() override;
    void componentComplete() override;

public Q_SLOTS:
    // Subscribes again (the server's id changes; nothing is lost but what changed in between).
    void restart();

Q_SIGNALS:
    void databaseChanged();
    void tableChanged();
    void filterChanged();
    void queryChanged();
    void bindingsChanged();
    void activeChanged();
    void statusChanged();
    void lastErrorChanged();
    // Every change: action is LiveQuery.Create, Update or Delete; record is the record after the
    // change (before it, for Delete).
    void changed(SurrealQt::QmlLiveQuery::Action action, const QString &recordId, const QVariant &record);
    void created(const QVariant &record);
    void updated(const QVariant &record);
    void deleted(const QString &recordId, const QVariant &before);
    // Re-registered after a reconnect: re-read what it watches.
    void resyncRequired();
    void errorOccurred(const SurrealQt::Error &error);

private:
    void scheduleRestart();
    void subscribe();
    void drop();
    void setStatus(Status status);
    void fail(const SurrealQt::Error &error);

    QPointer<QmlDatabase> m_database;
    QString m_table;
    QString m_filter;
    QString m_query;
    QVariantMap m_bindings;
    bool m_active = true;
    bool m_complete = false;
    bool m_restartPending = false;
    Status m_status = Null;
    SurrealQt::Error m_error;
    QPointer<LiveQuery> m_live;
};

} // namespace SurrealQt
