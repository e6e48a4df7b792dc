#pragma once

#include <SurrealQt/error.h>

#include <QtCore/QException>

namespace SurrealQt {

/*! Carries an Error through QFuture's failure path: QFuture::result() rethrows it and
    QFuture::onFailed([](const SurrealQt::Exception &e) { ... }) receives it. */
class SURREALQT_EXPORT Exception : public QException
{
public:
    /*! Carries error; the future fails with it. */
    explicit Exception(const Error &error);
    ~Exception() override;

    /*! The error carried (its kind, code and message). */
    [[nodiscard]] const Error &error() const noexcept { return m_error; }
    /*! The error's text (Error::toString()), UTF-8; valid as long as the exception. */
    const char *what() const noexcept override;

    /*! Throws a copy of this exception (QException's contract, used by QFuture). */
    void raise() const override;
    /*! A heap copy the caller owns (QException's contract, used by QFuture). */
    Exception *clone() const override;

private:
    Error m_error;
    QByteArray m_what;
};

} // namespace SurrealQt
