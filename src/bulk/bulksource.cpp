#include <SurrealQt/bulksource.h>

namespace SurrealQt {

BulkSource::BulkSource(const QVariantList &items)
{
    *this = fromList(items);
}

BulkSource::BulkSource(const QList<QVariantMap> &records)
{
    *this = fromList(records);
}

BulkSource BulkSource::fromGenerator(Generator generator, qint64 sizeHint)
{
    BulkSource source;
    source.m_generator = std::move(generator);
    source.m_sizeHint = sizeHint;
    return source;
}

std::optional<QVariant> BulkSource::next()
{
    if (!m_generator)
        return std::nullopt;
    return m_generator();
}

} // namespace SurrealQt
