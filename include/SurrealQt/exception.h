#pragma once

#include <SurrealQt/error.h>

#include <QtCore/QException>

namespace SurrealQt {

/*! Carries an Error through QFuture's failure path: QFuture::result() rethrows it and
    QFuture::onFailed([](const SurrealQt::Exception &e) { ... }) receives it. */
class SURREALQT_EXPORT Exception : public QException
{
public:
    explicit Exception(const Error &error);
    ~Exception() override;

    [[nodiscard]] const Error &error() const noexcept { return m_error; }
    const char *what() const noexcept override;

    void raise() const override;
    Exception *clone() const override;

private:
    Error m_error;
    QByteArray m_what;
};

} // namespace SurrealQt
