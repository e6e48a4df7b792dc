#include <SurrealQt/datetime.h>

#include <QtCore/QDebug>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

constexpr qint64 NanosPerSecond = 1'000'000'000;
constexpr qint64 SecondsPerDay = 86400;

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// Howard Hinnant's civil-date algorithms: exact for the whole proleptic Gregorian calendar,
// unlike QDate, whose range and time-zone handling we do not want on the wire path.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 *year, unsigned *month, unsigned *day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = qint64(yoe) + era * 400 + (*month <= 2);
}

bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(qint64 y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

class Rfc3339Parser
{
public:
    explicit Rfc3339Parser(QStringView text)
        : m_text(text)
    {}

    DateTime run(QString *error)
    {
        qint64 year = 0;
        bool negative = false;
        if (!atEnd() && (peek() == u'+' || peek() == u'-')) {
            negative = peek() == u'-';
            ++m_pos;
        }
        const qsizetype yearStart = m_pos;
        while (!atEnd() && isDigit(peek()) && m_pos - yearStart < 9)
            year = year * 10 + digit(m_pos++);
        if (m_pos - yearStart < 4)
            return fail(yearStart, u"expected a four-digit year"_s, error);
        if (negative)
            year = -year;
        qint64 month = 0, day = 0, hour = 0, minute = 0, second = 0;
        if (!expect(u'-', error) || !number(2, &month, u"month"_s, error) || !expect(u'-', error) ||
            !number(2, &day, u"day"_s, error))
            return {};
        if (month < 1 || month > 12)
            return fail(m_pos - 5, u"month out of range"_s, error);
        if (day < 1 || day > daysInMonth(year, unsigned(month)))
            return fail(m_pos - 2, u"day out of range"_s, error);
        if (atEnd() || (peek() != u'T' && peek() != u't' && peek() != u' '))
            return fail(m_pos, u"expected 'T' between date and time"_s, error);
        ++m_pos;
        if (!number(2, &hour, u"hour"_s, error) || !expect(u':', error) ||
            !number(2, &minute, u"minute"_s, error) || !expect(u':', error) ||
            !number(2, &second, u"second"_s, error))
            return {};
        if (hour > 23 || minute > 59 || second > 59)
            return fail(m_pos - 8, u"time out of range (leap seconds are not supported)"_s, error);
        qint64 nanos = 0;
        if (!atEnd() && peek() == u'.') {
            ++m_pos;
            const qsizetype fracStart = m_pos;
            while (!atEnd() && isDigit(peek())) {
                if (m_pos - fracStart >= 9)
                    return fail(m_pos, u"more than 9 fractional digits"_s, error);
                nanos = nanos * 10 + digit(m_pos++);
            }
            if (m_pos == fracStart)
                return fail(m_pos, u"expected digits after '.'"_s, error);
            for (qsizetype i = m_pos - fracStart; i < 9; ++i)
                nanos *= 10;
        }
        qint64 offset = 0;
        if (atEnd())
            return fail(m_pos, u"missing time-zone offset ('Z' or ±HH:MM)"_s, error);
        if (peek() == u'Z' || peek() == u'z') {
            ++m_pos;
        } else if (peek() == u'+' || peek() == u'-') {
            const bool west = peek() == u'-';
            ++m_pos;
            qint64 oh, om;
            if (!number(2, &oh, u"offset hours"_s, error) || !expect(u':', error) ||
                !number(2, &om, u"offset minutes"_s, error))
                return {};
            if (oh > 23 || om > 59)
                return fail(m_pos - 5, u"offset out of range"_s, error);
            offset = (oh * 3600 + om * 60) * (west ? -1 : 1);
        } else {
            return fail(m_pos, u"expected 'Z' or a ±HH:MM offset"_s, error);
        }
        if (!atEnd())
            return fail(m_pos, u"unexpected trailing text"_s, error);
        const qint64 days = daysFromCivil(year, unsigned(month), unsigned(day));
        const qint64 secs = days * SecondsPerDay + hour * 3600 + minute * 60 + second - offset;
        return DateTime(secs, nanos);
    }

private:
    static bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return m_text.at(m_pos); }
    int digit(qsizetype i) const { return m_text.at(i).unicode() - u'0'; }

    DateTime fail(qsizetype pos, const QString &what, QString *error) const
    {
        if (error)
            *error = u"Invalid datetime \"%1\": %2 at position %3"_s.arg(m_text.toString(), what).arg(pos);
        return {};
    }

    bool expect(QChar c, QString *error)
    {
        if (atEnd() || peek() != c) {
            fail(m_pos, u"expected '%1'"_s.arg(c), error);
            return false;
        }
        ++m_pos;
        return true;
    }

    bool number(int digits, qint64 *out, const QString &what, QString *error)
    {
        qint64 n = 0;
        for (int i = 0; i < digits; ++i) {
            if (atEnd() || !isDigit(peek())) {
                fail(m_pos, u"expected %1 digits for the %2"_s.arg(digits).arg(what), error);
                return false;
            }
            n = n * 10 + digit(m_pos++);
        }
        *out = n;
        return true;
    }

    QStringView m_text;
    qsizetype m_pos = 0;
};

} // namespace

DateTime::DateTime(qint64 secondsSinceEpoch, qint64 nanoseconds)
    : m_valid(true)
    , m_secs(secondsSinceEpoch + floorDiv(nanoseconds, NanosPerSecond))
    , m_nanos(int(nanoseconds - floorDiv(nanoseconds, NanosPerSecond) * NanosPerSecond))
{}

DateTime::DateTime(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return;
    // toMSecsSinceEpoch() already accounts for the time spec, so local time is converted, not
    // sent as if it were UTC.
    const qint64 ms = dateTime.toMSecsSinceEpoch();
    m_valid = true;
    m_secs = floorDiv(ms, 1000);
    m_nanos = int((ms - m_secs * 1000) * 1'000'000);
}

DateTime DateTime::currentDateTime()
{
    return DateTime(QDateTime::currentDateTimeUtc());
}

DateTime DateTime::fromString(QStringView text, QString *error)
{
    return Rfc3339Parser(text).run(error);
}

QDateTime DateTime::toQDateTime() const
{
    if (!m_valid)
        return {};
    qint64 ms = 0;
    if (__builtin_mul_overflow(m_secs, qint64(1000), &ms) ||
        __builtin_add_overflow(ms, m_nanos / 1'000'000, &ms))
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

QString DateTime::toString() const
{
    if (!m_valid)
        return {};
    const qint64 days = floorDiv(m_secs, SecondsPerDay);
    const qint64 rem = m_secs - days * SecondsPerDay;
    qint64 year;
    unsigned month, day;
    civilFromDays(days, &year, &month, &day);
    QString text;
    if (year < 0)
        text = u'-' + QString::number(-year).rightJustified(4, u'0');
    else if (year > 9999)
        text = u'+' + QString::number(year);
    else
        text = QString::number(year).rightJustified(4, u'0');
    text += u"-%1-%2T%3:%4:%5"_s.arg(month, 2, 10, QChar(u'0'))
                .arg(day, 2, 10, QChar(u'0'))
                .arg(rem / 3600, 2, 10, QChar(u'0'))
                .arg((rem / 60) % 60, 2, 10, QChar(u'0'))
                .arg(rem % 60, 2, 10, QChar(u'0'));
    // Same digit groups as chrono's SecondsFormat::AutoSi, which the server uses.
    if (m_nanos != 0) {
        QString frac = QString::number(m_nanos).rightJustified(9, u'0');
        if (m_nanos % 1'000'000 == 0)
            frac.truncate(3);
        else if (m_nanos % 1'000 == 0)
            frac.truncate(6);
        text += u'.' + frac;
    }
    text += u'Z';
    return text;
}

QDebug operator<<(QDebug debug, const DateTime &dateTime)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::DateTime("
                              << (dateTime.isValid() ? dateTime.toString() : u"invalid"_s) << ')';
    return debug;
}

} // namespace SurrealQt
