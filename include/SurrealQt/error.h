#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class ErrorData;

/*! One error value for every layer: transport failures, server errors and client-side validation.
    It travels through QFuture (wrapped in SurrealQt::Exception) and through signals unchanged. */
class SURREALQT_EXPORT Error
{
    Q_GADGET
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(QString message READ message CONSTANT)
    Q_PROPERTY(int serverCode READ serverCode CONSTANT)
    Q_PROPERTY(QString serverKind READ serverKind CONSTANT)
    Q_PROPERTY(QVariantMap details READ details CONSTANT)
    Q_PROPERTY(QString context READ context CONSTANT)
    Q_PROPERTY(bool retryable READ isRetryable CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)

public:
    /*! What went wrong, for code to branch on (docs/errors.md maps the server's kinds onto these). */
    enum class Kind {
        NoError,
        Connection,     //!< socket refused or dropped, HTTP-level failure
        Authentication, //!< wrong credentials, expired or invalid token
        Query,          //!< a statement or RPC call failed on the server
        NotFound,       //!< table, record, namespace, method or session does not exist
        NotAllowed,     //!< permissions or capabilities deny the operation
        Validation,     //!< bad input caught by us, or a value the schema refuses (field type, ASSERT)
        Model,          //!< ORM model misuse (unknown field, missing id, ...)
        BulkOperation,  //!< one or more items of a bulk operation failed
        Timeout,        //!< the request or the statement ran out of time
        Protocol,       //!< the peer sent something that is not valid SurrealDB RPC
        Cancelled,      //!< the request was abandoned (close(), kill, cancelled transaction)
        AlreadyExists,  //!< a record with that id, or a UNIQUE index entry with that value, exists already
        Parse,          //!< the SurrealQL text does not parse; nothing of the call ran
        Conflict,       //!< a transaction conflict: run the whole transaction again
        Tls,            //!< the TLS handshake failed (untrusted certificate, wrong host); not retried
    };
    Q_ENUM(Kind)

    Error();
    /*! An error of kind with a message for people and where it happened. */
    Error(Kind kind, const QString &message, const QString &context = {});
    /*! Copies share the data (implicitly shared). */
    Error(const Error &other);
    /*! Moves the data; other becomes NoError. */
    Error(Error &&other) noexcept;
    /*! Shares other's data. */
    Error &operator=(const Error &other);
    /*! Takes other's data. */
    Error &operator=(Error &&other) noexcept;
    ~Error();

    /*! Exchanges the two errors. */
    void swap(Error &other) noexcept { d.swap(other.d); }

    /*! Builds an error from the server's RPC error object ({code, kind, message, details}) or
        from a failed statement entry of a query result ({status: "ERR", kind, details, result}).
        The kind is decided from the server's kind and details; SurrealDB 3.0 reports unique
        index violations, field type/ASSERT failures and transaction conflicts only as "Internal",
        so for those its message decides. serverKind(), serverCode(), details() and message()
        keep what the server sent. See docs/errors.md for the table. */
    [[nodiscard]] static Error fromServer(const QVariantMap &object, const QString &context = {});

    /*! False for NoError (a default-constructed Error): "no error". */
    [[nodiscard]] bool isValid() const;
    /*! What went wrong. */
    [[nodiscard]] Kind kind() const;
    /*! kind() as its enumerator's name, e.g. "NotFound" (QML's error.kindName); "NoError" when invalid. */
    [[nodiscard]] QString kindName() const;
    /*! The message: the server's text for server errors, ours otherwise. Fit to show people. */
    [[nodiscard]] QString message() const;
    /*! The server's JSON-RPC error code or HTTP status; 0 for client-side errors. */
    [[nodiscard]] int serverCode() const;
    /*! The server's own kind, e.g. "Thrown", "Internal"; empty for client-side errors. */
    [[nodiscard]] QString serverKind() const;
    /*! The server's structured details, as sent; empty when there are none. */
    [[nodiscard]] QVariantMap details() const;
    /*! Where the error happened, e.g. "select person:1" or "CBOR reply at byte 12". */
    [[nodiscard]] QString context() const;
    /*! True where sending the same request again can succeed: dropped connections, timeouts
        and transaction conflicts. A syntax error or a permission error is never retryable. */
    [[nodiscard]] bool isRetryable() const;
    /*! True for a transaction conflict (Kind::Conflict, or the server's conflict detail or text). */
    [[nodiscard]] bool isTransactionConflict() const;

    /*! For bulk operations: the errors of the individual items. */
    [[nodiscard]] QList<Error> itemErrors() const;
    /*! Sets itemErrors(). */
    void setItemErrors(const QList<Error> &errors);

    /*! Sets kind(); returns this error, for chaining. */
    Error &setKind(Kind kind);
    /*! Sets message(); returns this error. */
    Error &setMessage(const QString &message);
    /*! Sets serverCode(); returns this error. */
    Error &setServerCode(int code);
    /*! Sets serverKind(); returns this error. */
    Error &setServerKind(const QString &kind);
    /*! Sets details(); returns this error. */
    Error &setDetails(const QVariantMap &details);
    /*! Sets context(); returns this error. */
    Error &setContext(const QString &context);

    /*! One line for logs: kind, message, server kind and context, e.g.
        `NotFound error: ... [server kind NotFound] (in select person:1)`; "no error" when invalid. */
    [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const Error &a, const Error &b);

private:
    QSharedDataPointer<ErrorData> d;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Error &error);

} // namespace SurrealQt

Q_DECLARE_SHARED(SurrealQt::Error)
Q_DECLARE_METATYPE(SurrealQt::Error)
