#include "nanosecondspinbox_p.h"

using namespace Qt::StringLiterals;

namespace SurrealQt {

NanosecondSpinBox::NanosecondSpinBox(QWidget *parent)
    : QSpinBox(parent)
{
    setRange(0, 999'999'999);
    setPrefix(u"."_s);
    // Arrows step by a millisecond: single nanoseconds are typed, not scrolled to.
    setSingleStep(1'000'000);
    setButtonSymbols(QAbstractSpinBox::NoButtons);
    setAccessibleName(tr("Fraction of the second (nanoseconds)"));
}

QString NanosecondSpinBox::textFromValue(int value) const
{
    return u"%1"_s.arg(value, 9, 10, QChar(u'0'));
}

int NanosecondSpinBox::valueFromText(const QString &text) const
{
    QString digits = text;
    if (digits.startsWith(prefix()))
        digits.remove(0, prefix().size());
    digits = digits.trimmed().left(9);
    // Digits are the leading ones of the fraction: ".5" is 500,000,000 ns.
    return digits.leftJustified(9, u'0').toInt();
}

QValidator::State NanosecondSpinBox::validate(QString &text, int &) const
{
    QStringView digits(text);
    if (digits.startsWith(prefix()))
        digits = digits.mid(prefix().size());
    digits = digits.trimmed();
    if (digits.size() > 9)
        return QValidator::Invalid;
    for (QChar c : digits) {
        if (!c.isDigit())
            return QValidator::Invalid;
    }
    return digits.isEmpty() ? QValidator::Intermediate : QValidator::Acceptable;
}

} // namespace SurrealQt
