#include "durationvalidator_p.h"

#include <SurrealQt/duration.h>

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QValidator::State DurationValidator::validate(QString &input, int &) const
{
    QString compact = input;
    compact.remove(u' ');
    // Empty is taken: it leaves the cell as it was (an editor opened on an empty cell can be left).
    if (compact.isEmpty())
        return Acceptable;
    if (Duration::fromString(compact).isValid())
        return Acceptable;
    // Digits and unit letters: a duration being typed.
    static const QRegularExpression partial(u"^[0-9ywdhmsuµn]+$"_s);
    return partial.match(compact).hasMatch() ? Intermediate : Invalid;
}

} // namespace SurrealQt
