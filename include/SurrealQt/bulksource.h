#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QList>
#include <QtCore/QVariant>

#include <functional>
#include <iterator>
#include <memory>
#include <optional>

namespace SurrealQt {

/*! The input of a bulk operation, pulled one item at a time: a list, an input-iterator range
    or a generator. Only the batches in flight are held in memory (parallelism x batchSize
    items), so a stream of any length runs in flat memory.

    The job pulls the source from the library's threads (the I/O thread once it runs), one call
    at a time and never concurrently: a generator must not touch objects that live on another
    thread without its own locking. A range's iterators must stay valid until the job finished.

    Items are QVariants: a QVariantMap per record for bulkInsert/bulkUpsert, a BulkUpdateItem,
    a RecordId or a BulkQuery (QVariant::fromValue) for the other operations. */
class SURREALQT_EXPORT BulkSource
{
public:
    /*! Returns the next item, or std::nullopt at the end of the input. */
    using Generator = std::function<std::optional<QVariant>()>;

    BulkSource() = default;
    /*! The items of a list, in order (one QVariant per item). */
    BulkSource(const QVariantList &items); // NOLINT: a list is the common input
    /*! Records, one QVariantMap each (bulkInsert/bulkUpsert). */
    BulkSource(const QList<QVariantMap> &records); // NOLINT

    /*! sizeHint: the number of items if known (for progress), else -1. */
    [[nodiscard]] static BulkSource fromGenerator(Generator generator, qint64 sizeHint = -1);

    /*! The items of [first, last), converted with QVariant::fromValue unless they are QVariants;
        the iterators are read lazily by the job. */
    template<typename InputIt>
    [[nodiscard]] static BulkSource fromRange(InputIt first, InputIt last, qint64 sizeHint = -1)
    {
        using Value = typename std::iterator_traits<InputIt>::value_type;
        auto state = std::make_shared<std::pair<InputIt, InputIt>>(first, last);
        return fromGenerator(
            [state]() -> std::optional<QVariant> {
                if (state->first == state->second)
                    return std::nullopt;
                QVariant v;
                if constexpr (std::is_same_v<Value, QVariant>)
                    v = *state->first;
                else
                    v = QVariant::fromValue(Value(*state->first));
                ++state->first;
                return v;
            },
            sizeHint);
    }

    /*! A copy of items, held by the source (so the list may go away before the job ends). */
    template<typename T>
    [[nodiscard]] static BulkSource fromList(const QList<T> &items)
    {
        auto copy = std::make_shared<const QList<T>>(items);
        return fromRange(copy->cbegin(), copy->cend(), copy->size()).keeping(copy);
    }

    /*! The next item, or std::nullopt at the end; called by the job, one call at a time. */
    [[nodiscard]] std::optional<QVariant> next();
    /*! The number of items, or -1 when the source does not know it. */
    [[nodiscard]] qint64 sizeHint() const { return m_sizeHint; }
    /*! True for a default-constructed source (no input). */
    [[nodiscard]] bool isNull() const { return !m_generator; }

private:
    BulkSource keeping(std::shared_ptr<const void> owner) &&
    {
        m_owner = std::move(owner);
        return std::move(*this);
    }

    Generator m_generator;
    std::shared_ptr<const void> m_owner;
    qint64 m_sizeHint = -1;
};

} // namespace SurrealQt
