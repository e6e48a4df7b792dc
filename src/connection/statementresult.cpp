#include <SurrealQt/statementresult.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace SurrealQt {

StatementResult StatementResult::fromServer(const QVariantMap &entry, int index)
{
    StatementResult s;
    s.m_time = entry.value(u"time"_s).toString();
    const QVariant type = entry.value(u"type"_s);
    if (type.metaType().id() == QMetaType::QString)
        s.m_type = type.toString();
    if (entry.value(u"status"_s).toString() == u"ERR")
        s.m_error = Error::fromServer(entry, u"statement %1"_s.arg(index + 1));
    else
        s.m_result = entry.value(u"result"_s);
    return s;
}

qint64 StatementResult::timeNanoseconds() const
{
    // Rust's Duration debug format: "0ns", "78.236µs", "3.562507ms", "1.101511266s".
    static const std::pair<QStringView, double> units[] = {
        {u"ns", 1.0}, {u"\u00b5s", 1e3}, {u"us", 1e3}, {u"ms", 1e6}, {u"s", 1e9}};
    for (const auto &[suffix, factor] : units) {
        if (m_time.endsWith(suffix)) {
            bool ok = false;
            const double value = QStringView(m_time).chopped(suffix.size()).toDouble(&ok);
            const double ns = value * factor;
            // Guard the conversion: text like "infs" or "1e30s" must not become a garbage integer.
            if (ok && std::isfinite(ns) && ns >= 0 && ns < 9.2e18)
                return qint64(ns + 0.5);
            return -1;
        }
    }
    return -1;
}

} // namespace SurrealQt
