#include <SurrealQt/duration.h>

#include <QtCore/QDebug>

#include <limits>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

constexpr quint64 NanosPerSecond = 1'000'000'000;
constexpr quint64 SecondsPerMinute = 60;
constexpr quint64 SecondsPerHour = 3600;
constexpr quint64 SecondsPerDay = 86400;
constexpr quint64 SecondsPerWeek = 7 * SecondsPerDay;
constexpr quint64 SecondsPerYear = 365 * SecondsPerDay;

struct Unit
{
    QStringView name;
    quint64 seconds; // per unit, 0 for sub-second units
    quint64 nanos;   // per unit, for sub-second units
};

// Two-letter units first so that "ms" is not read as minutes followed by garbage.
constexpr Unit Units[] = {
    {u"ms", 0, 1'000'000},       {u"us", 0, 1'000},
    {u"µs", 0, 1'000},           {u"ns", 0, 1},
    {u"y", SecondsPerYear, 0},   {u"w", SecondsPerWeek, 0},
    {u"d", SecondsPerDay, 0},    {u"h", SecondsPerHour, 0},
    {u"m", SecondsPerMinute, 0}, {u"s", 1, 0},
};

} // namespace

Duration::Duration(quint64 seconds, quint64 nanoseconds)
    : m_secs(seconds)
    , m_nanos(int(nanoseconds % NanosPerSecond))
{
    if (__builtin_add_overflow(m_secs, nanoseconds / NanosPerSecond, &m_secs)) {
        m_secs = std::numeric_limits<quint64>::max();
        m_nanos = int(NanosPerSecond - 1);
    }
}

Duration Duration::fromMilliseconds(quint64 milliseconds)
{
    return Duration(milliseconds / 1000, (milliseconds % 1000) * 1'000'000);
}

Duration Duration::fromString(QStringView text, QString *error)
{
    auto fail = [&](qsizetype pos, const QString &what) {
        if (error)
            *error = u"Invalid duration \"%1\": %2 at position %3"_s.arg(text.toString(), what).arg(pos);
        Duration invalid;
        invalid.m_valid = false;
        return invalid;
    };
    if (text.isEmpty())
        return fail(0, u"empty text"_s);
    quint64 secs = 0;
    quint64 nanos = 0;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype numberStart = pos;
        quint64 n = 0;
        while (pos < text.size() && text.at(pos) >= u'0' && text.at(pos) <= u'9') {
            if (__builtin_mul_overflow(n, quint64(10), &n) ||
                __builtin_add_overflow(n, quint64(text.at(pos).unicode() - u'0'), &n))
                return fail(numberStart, u"number too large"_s);
            ++pos;
        }
        if (pos == numberStart)
            return fail(pos, u"expected a number"_s);
        const Unit *unit = nullptr;
        for (const Unit &u : Units) {
            if (text.sliced(pos).startsWith(u.name)) {
                unit = &u;
                break;
            }
        }
        if (!unit)
            return fail(pos, u"expected a unit (y, w, d, h, m, s, ms, us, µs, ns)"_s);
        pos += unit->name.size();
        quint64 addSecs = 0;
        if (unit->seconds) {
            if (__builtin_mul_overflow(n, unit->seconds, &addSecs))
                return fail(numberStart, u"duration too large"_s);
        } else {
            // Split before multiplying so that huge nanosecond counts cannot overflow.
            const quint64 perSecond = NanosPerSecond / unit->nanos;
            addSecs = n / perSecond;
            nanos += (n % perSecond) * unit->nanos;
        }
        if (__builtin_add_overflow(secs, addSecs, &secs) ||
            __builtin_add_overflow(secs, nanos / NanosPerSecond, &secs))
            return fail(numberStart, u"duration too large"_s);
        nanos %= NanosPerSecond;
    }
    return Duration(secs, nanos);
}

quint64 Duration::toMilliseconds() const
{
    quint64 ms = 0;
    if (__builtin_mul_overflow(m_secs, quint64(1000), &ms) ||
        __builtin_add_overflow(ms, quint64(m_nanos) / 1'000'000, &ms))
        return std::numeric_limits<quint64>::max();
    return ms;
}

QString Duration::toString() const
{
    if (!m_valid)
        return {};
    if (m_secs == 0 && m_nanos == 0)
        return u"0ns"_s;
    QString text;
    quint64 secs = m_secs;
    auto part = [&text](quint64 n, QStringView unit) {
        if (n > 0) {
            text += QString::number(n);
            text += unit;
        }
    };
    part(secs / SecondsPerYear, u"y");
    secs %= SecondsPerYear;
    part(secs / SecondsPerWeek, u"w");
    secs %= SecondsPerWeek;
    part(secs / SecondsPerDay, u"d");
    secs %= SecondsPerDay;
    part(secs / SecondsPerHour, u"h");
    secs %= SecondsPerHour;
    part(secs / SecondsPerMinute, u"m");
    part(secs % SecondsPerMinute, u"s");
    const quint64 nanos = quint64(m_nanos);
    part(nanos / 1'000'000, u"ms");
    part((nanos / 1'000) % 1'000, u"µs");
    part(nanos % 1'000, u"ns");
    return text;
}

QDebug operator<<(QDebug debug, const Duration &duration)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Duration("
                              << (duration.isValid() ? duration.toString() : u"invalid"_s) << ')';
    return debug;
}

} // namespace SurrealQt
