#pragma once

// Not public API: accepts what Duration::fromString() reads, with spaces between the parts
// ("1h 30m"), nothing (which changes nothing), and the beginnings of a duration while it is typed.

#include <QtGui/QValidator>

namespace SurrealQt {

class DurationValidator : public QValidator
{
    Q_OBJECT

public:
    using QValidator::QValidator;

    State validate(QString &input, int &pos) const override;
};

} // namespace SurrealQt
