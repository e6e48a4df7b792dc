#include <SurrealQt/livenotification.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

LiveNotification::LiveNotification(Action action, const QUuid &queryId, const QVariant &record,
                                   const QVariant &result)
    : m_action(action)
    , m_queryId(queryId)
    , m_record(record)
    , m_result(result)
{}

LiveNotification::Action LiveNotification::actionFromString(QStringView action)
{
    if (action == u"CREATE")
        return Action::Create;
    if (action == u"UPDATE")
        return Action::Update;
    if (action == u"DELETE")
        return Action::Delete;
    if (action == u"KILLED")
        return Action::Killed;
    return Action::Unknown;
}

LiveNotification LiveNotification::fromServer(const QVariantMap &map)
{
    return LiveNotification(actionFromString(map.value(u"action"_s).toString()), map.value(u"id"_s).toUuid(),
                            map.value(u"record"_s), map.value(u"result"_s));
}

} // namespace SurrealQt
