#include <SurrealQt/queryresult.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QueryResult::QueryResult(const QList<StatementResult> &statements)
    : m_statements(statements)
{}

QueryResult QueryResult::fromServer(const QVariant &reply, Error *error)
{
    if (reply.metaType().id() != QMetaType::QVariantList) {
        if (error)
            *error = Error(Error::Kind::Protocol,
                           u"A query reply must be a list of statement results, got %1"_s.arg(
                               QString::fromLatin1(reply.typeName())));
        return {};
    }
    const QVariantList entries = reply.toList();
    QList<StatementResult> statements;
    statements.reserve(entries.size());
    for (int i = 0; i < entries.size(); ++i) {
        if (entries.at(i).metaType().id() != QMetaType::QVariantMap) {
            if (error)
                *error = Error(Error::Kind::Protocol, u"Statement result %1 is not a map"_s.arg(i));
            return {};
        }
        statements.append(StatementResult::fromServer(entries.at(i).toMap(), i));
    }
    return QueryResult(statements);
}

bool QueryResult::isOk() const
{
    return std::all_of(m_statements.cbegin(), m_statements.cend(),
                       [](const StatementResult &s) { return s.isOk(); });
}

Error QueryResult::firstError() const
{
    for (const StatementResult &s : m_statements)
        if (!s.isOk())
            return s.error();
    return {};
}

QVariant QueryResult::value(int index) const
{
    if (index < 0 || index >= m_statements.size() || !m_statements.at(index).isOk())
        return {};
    return m_statements.at(index).result();
}

QVariant QueryResult::last() const
{
    return value(int(m_statements.size()) - 1);
}

} // namespace SurrealQt
