#include <SurrealQt/exception.h>

namespace SurrealQt {

Exception::Exception(const Error &error)
    : m_error(error)
    , m_what(error.toString().toUtf8())
{}

Exception::~Exception() = default;

const char *Exception::what() const noexcept
{
    return m_what.constData();
}

void Exception::raise() const
{
    throw *this;
}

Exception *Exception::clone() const
{
    return new Exception(*this);
}

} // namespace SurrealQt
