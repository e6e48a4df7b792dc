#include <SurrealQt/decimal.h>

#include <QtCore/QDebug>

#include <limits>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Decimal::Decimal(qint64 value)
    : m_text(QString::number(value))
{}

Decimal Decimal::fromString(QStringView text, QString *error)
{
    auto fail = [&](qsizetype pos, const QString &what) {
        if (error)
            *error = u"Invalid decimal \"%1\": %2 at position %3"_s.arg(text.toString(), what).arg(pos);
        return Decimal();
    };
    qsizetype pos = 0;
    bool negative = false;
    if (pos < text.size() && (text.at(pos) == u'+' || text.at(pos) == u'-')) {
        negative = text.at(pos) == u'-';
        ++pos;
    }
    const qsizetype intStart = pos;
    while (pos < text.size() && text.at(pos) >= u'0' && text.at(pos) <= u'9')
        ++pos;
    QStringView intPart = text.sliced(intStart, pos - intStart);
    QStringView fracPart;
    if (pos < text.size() && text.at(pos) == u'.') {
        ++pos;
        const qsizetype fracStart = pos;
        while (pos < text.size() && text.at(pos) >= u'0' && text.at(pos) <= u'9')
            ++pos;
        fracPart = text.sliced(fracStart, pos - fracStart);
    }
    if (intPart.isEmpty() && fracPart.isEmpty())
        return fail(intStart, pos < text.size() ? u"expected a digit"_s : u"no digits"_s);
    if (pos < text.size()) {
        if (text.at(pos) == u'e' || text.at(pos) == u'E')
            return fail(pos, u"exponent notation is not supported (the server rejects it too)"_s);
        return fail(pos, u"unexpected '%1'"_s.arg(text.at(pos)));
    }
    while (intPart.size() > 1 && intPart.front() == u'0')
        intPart = intPart.sliced(1);
    while (!fracPart.isEmpty() && fracPart.back() == u'0')
        fracPart.chop(1);
    Decimal d;
    if (intPart.isEmpty())
        intPart = u"0";
    const bool zero = intPart == u"0" && fracPart.isEmpty();
    if (negative && !zero)
        d.m_text += u'-';
    d.m_text += intPart;
    if (!fracPart.isEmpty()) {
        d.m_text += u'.';
        d.m_text += fracPart;
    }
    return d;
}

double Decimal::toDouble(bool *ok) const
{
    return m_text.toDouble(ok);
}

qint64 Decimal::toLongLong(bool *ok) const
{
    // QString::toLongLong fails (ok false) beyond the qint64 range; the fraction is cut first.
    bool fits = false;
    const qsizetype dot = m_text.indexOf(u'.');
    const qint64 value = QStringView(m_text).left(dot < 0 ? m_text.size() : dot).toLongLong(&fits);
    if (ok)
        *ok = fits;
    return fits ? value : 0;
}

int Decimal::toInt(bool *ok) const
{
    bool fits = false;
    const qint64 value = toLongLong(&fits);
    fits = fits && value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max();
    if (ok)
        *ok = fits;
    return fits ? int(value) : 0;
}

int Decimal::compare(const Decimal &a, const Decimal &b)
{
    if (!a.isValid() || !b.isValid())
        return int(a.isValid()) - int(b.isValid());
    const bool negA = a.isNegative();
    const bool negB = b.isNegative();
    if (negA != negB)
        return negA ? -1 : 1;
    // Compare magnitudes of the normalised forms: a longer integer part is larger, then digit
    // by digit with the shorter fraction padded with zeros.
    QStringView ma = QStringView(a.m_text).sliced(negA ? 1 : 0);
    QStringView mb = QStringView(b.m_text).sliced(negB ? 1 : 0);
    const qsizetype dotA = ma.indexOf(u'.');
    const qsizetype dotB = mb.indexOf(u'.');
    const QStringView intA = dotA < 0 ? ma : ma.first(dotA);
    const QStringView intB = dotB < 0 ? mb : mb.first(dotB);
    int result = 0;
    if (intA.size() != intB.size()) {
        result = intA.size() < intB.size() ? -1 : 1;
    } else {
        result = intA.compare(intB);
        if (result == 0) {
            const QStringView fracA = dotA < 0 ? QStringView() : ma.sliced(dotA + 1);
            const QStringView fracB = dotB < 0 ? QStringView() : mb.sliced(dotB + 1);
            const qsizetype n = std::max(fracA.size(), fracB.size());
            for (qsizetype i = 0; i < n && result == 0; ++i) {
                const QChar ca = i < fracA.size() ? fracA.at(i) : QChar(u'0');
                const QChar cb = i < fracB.size() ? fracB.at(i) : QChar(u'0');
                result = ca == cb ? 0 : (ca < cb ? -1 : 1);
            }
        }
    }
    result = result < 0 ? -1 : (result > 0 ? 1 : 0);
    return negA ? -result : result;
}

QDebug operator<<(QDebug debug, const Decimal &decimal)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Decimal("
                              << (decimal.isValid() ? decimal.toString() : u"invalid"_s) << ')';
    return debug;
}

} // namespace SurrealQt
