#pragma once

#include <SurrealQt/error.h>

#include <QtCore/QVariant>

namespace SurrealQt {

/*! One statement's outcome inside a query: a multi-statement query can succeed as a
    whole while single statements fail, so each keeps its own status, time and error. */
class SURREALQT_EXPORT StatementResult
{
    Q_GADGET
    Q_PROPERTY(bool ok READ isOk CONSTANT)
    Q_PROPERTY(QVariant result READ result CONSTANT)
    Q_PROPERTY(SurrealQt::Error error READ error CONSTANT)
    Q_PROPERTY(QString time READ time CONSTANT)
    Q_PROPERTY(QString type READ type CONSTANT)

public:
    StatementResult() = default;
    /*! Parses one entry of the query reply ({status, result, time, type, kind?, details?}). */
    [[nodiscard]] static StatementResult fromServer(const QVariantMap &entry, int index);

    /*! True when the statement succeeded (error() is then invalid). */
    [[nodiscard]] bool isOk() const { return !m_error.isValid(); }
    /*! The statement's value: a QVariantList of rows for SELECT, NONE/null for statements without one. */
    [[nodiscard]] QVariant result() const { return m_result; }
    /*! The statement's error; invalid (Error::isValid() false) when it succeeded. */
    [[nodiscard]] Error error() const { return m_error; }
    /*! The server's timing text, e.g. "78.236µs". */
    [[nodiscard]] QString time() const { return m_time; }
    /*! Time in nanoseconds parsed from time(); -1 when the server's text could not be read. */
    [[nodiscard]] qint64 timeNanoseconds() const;
    /*! "live" for LIVE SELECT, "kill" for KILL, empty otherwise. */
    [[nodiscard]] QString type() const { return m_type; }

private:
    QVariant m_result;
    Error m_error;
    QString m_time;
    QString m_type;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::StatementResult)
