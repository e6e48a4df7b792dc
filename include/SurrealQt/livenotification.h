#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QUuid>
#include <QtCore/QVariant>

namespace SurrealQt {

/*! One change delivered to a live query. */
class SURREALQT_EXPORT LiveNotification
{
    Q_GADGET
    Q_PROPERTY(Action action READ action CONSTANT)
    Q_PROPERTY(QVariant record READ record CONSTANT)
    Q_PROPERTY(QVariant result READ result CONSTANT)
    Q_PROPERTY(QUuid queryId READ queryId CONSTANT)

public:
    /*! What happened to the record: created, updated or deleted, or the live query was killed on the server.
     */
    enum class Action { Unknown, Create, Update, Delete, Killed };
    Q_ENUM(Action)

    LiveNotification() = default;
    /*! A notification with the given fields (tests and LiveQuery use it; the server's are made by
     * fromServer()). */
    LiveNotification(Action action, const QUuid &queryId, const QVariant &record, const QVariant &result);
    /*! Reads the server's notification object ({action, id, record, result}); an unknown action gives
     * Action::Unknown. */
    [[nodiscard]] static LiveNotification fromServer(const QVariantMap &map);
    /*! Maps the server's action text ("CREATE", "UPDATE", "DELETE", "KILLED") to an Action. */
    [[nodiscard]] static Action actionFromString(QStringView action);

    /*! What happened. */
    [[nodiscard]] Action action() const { return m_action; }
    /*! The server-side id; it changes when the query is re-registered after a reconnect. */
    [[nodiscard]] QUuid queryId() const { return m_queryId; }
    /*! The changed record's id (a SurrealQt::RecordId), NONE for KILLED. */
    [[nodiscard]] QVariant record() const { return m_record; }
    /*! The record after the change (before it, for DELETE), or a JSON-patch list in diff mode. */
    [[nodiscard]] QVariant result() const { return m_result; }

private:
    Action m_action = Action::Unknown;
    QUuid m_queryId;
    QVariant m_record;
    QVariant m_result;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::LiveNotification)
