#pragma once

#include <SurrealQt/statementresult.h>

#include <QtCore/QList>

namespace SurrealQt {

/*! The reply to a query call: one StatementResult per statement the server reported.
    Inside a failed BEGIN ... COMMIT block the server drops the COMMIT entry, so
    positions are only reliable outside failed transactions. */
class SURREALQT_EXPORT QueryResult
{
    Q_GADGET
    Q_PROPERTY(int size READ size CONSTANT)
    Q_PROPERTY(bool ok READ isOk CONSTANT)

public:
    QueryResult() = default;
    explicit QueryResult(const QList<StatementResult> &statements);
    [[nodiscard]] static QueryResult fromServer(const QVariant &reply, Error *error);

    [[nodiscard]] int size() const { return int(m_statements.size()); }
    [[nodiscard]] bool isEmpty() const { return m_statements.isEmpty(); }
    [[nodiscard]] const QList<StatementResult> &statements() const { return m_statements; }
    [[nodiscard]] const StatementResult &at(int index) const { return m_statements.at(index); }
    /*! True when every statement succeeded. */
    [[nodiscard]] bool isOk() const;
    /*! The first failed statement's error, or an invalid Error. */
    [[nodiscard]] Error firstError() const;
    /*! Result of statement index; an invalid QVariant if out of range or failed. */
    Q_INVOKABLE [[nodiscard]] QVariant value(int index) const;
    /*! The last statement's result, the usual answer of "do things; RETURN x". */
    [[nodiscard]] QVariant last() const;

private:
    QList<StatementResult> m_statements;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::QueryResult)
