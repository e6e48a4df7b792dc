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
    /*! A result made of the given statements (tests and helpers; replies are read by fromServer()). */
    explicit QueryResult(const QList<StatementResult> &statements);
    /*! Reads the server's reply to a query call (a list of statement results). A reply of another
        shape gives an empty result and sets *error to a Protocol error. */
    [[nodiscard]] static QueryResult fromServer(const QVariant &reply, Error *error);

    /*! The number of statement results. */
    [[nodiscard]] int size() const { return int(m_statements.size()); }
    /*! True when the server reported no statement. */
    [[nodiscard]] bool isEmpty() const { return m_statements.isEmpty(); }
    /*! Every statement's result, in the order of the query. */
    [[nodiscard]] const QList<StatementResult> &statements() const { return m_statements; }
    /*! The result of statement index (0-based); index must be in range. */
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
