#pragma once

#include <SurrealQt/error.h>

#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QVariant>

#include <chrono>

namespace SurrealQt {

/*! One failed input of a bulk operation. */
struct SURREALQT_EXPORT BulkItemError
{
    /*! Position in the input (0-based), the input item itself and why it failed. A bulkInsert
        record that had no id comes back with the id the library generated for it, so retrying it
        names the same record and never stores a second copy. */
    qint64 index = -1;
    /*! The input item (see index). */
    QVariant record;
    /*! Why it failed: kind, server code and message. */
    Error error;
};

/*! The outcome of a bulk operation, input by input.

    Every input has exactly one status: Written (the server confirmed it), Failed (the server
    refused it, or it was rolled back with its atomic batch: it is not in the database),
    NotAttempted (never sent: the job stopped or was cancelled first) or Unknown (its request
    was lost with the connection and the retries ran out, so it may or may not be stored; it is
    listed in errors() with a Connection error). Nothing is left out: the counts add up to total(). */
class SURREALQT_EXPORT BulkResult
{
    Q_GADGET
    Q_PROPERTY(qint64 successCount READ successCount CONSTANT)
    Q_PROPERTY(qint64 errorCount READ errorCount CONSTANT)
    Q_PROPERTY(qint64 total READ total CONSTANT)
    Q_PROPERTY(bool ok READ isOk CONSTANT)

public:
    /*! The outcome of one input (see the class description). */
    enum class ItemStatus { Written, Failed, NotAttempted, Unknown };
    Q_ENUM(ItemStatus)

    /*! A run of consecutive inputs that share a status. */
    struct Range
    {
        /*! The position of the run's first input. */
        qint64 first = 0;
        /*! The number of inputs in the run. */
        qint64 count = 0;
        /*! Their shared status. */
        ItemStatus status = ItemStatus::NotAttempted;
    };

    BulkResult() = default;

    /*! Inputs the server confirmed as written (ItemStatus::Written). */
    [[nodiscard]] qint64 successCount() const { return m_counts[int(ItemStatus::Written)]; }
    /*! Failed plus Unknown inputs: the size of errors(). */
    [[nodiscard]] qint64 errorCount() const { return qint64(m_errors.size()); }
    /*! Inputs never sent (ItemStatus::NotAttempted). */
    [[nodiscard]] qint64 notAttemptedCount() const { return m_counts[int(ItemStatus::NotAttempted)]; }
    /*! Inputs with the given status. */
    [[nodiscard]] qint64 count(ItemStatus status) const { return m_counts[int(status)]; }
    /*! Inputs consumed from the source plus, for a source of known size, those never pulled. */
    [[nodiscard]] qint64 total() const { return m_total; }
    /*! Every failure, ordered by input index. */
    [[nodiscard]] const QList<BulkItemError> &errors() const { return m_errors; }
    /*! One entry per input, in input order: the record as stored (bulkDelete: as it was before
        deletion; bulkQuery: a QueryResult), or an invalid QVariant where nothing was written.
        Empty when BulkOptions::collectResults is false. */
    [[nodiscard]] const QVariantList &results() const { return m_results; }
    /*! Wall time from start to the end of the job. */
    [[nodiscard]] std::chrono::milliseconds elapsed() const { return m_elapsed; }
    /*! The status of input index (0-based); NotAttempted outside the input. */
    [[nodiscard]] ItemStatus status(qint64 index) const;
    /*! The statuses as runs, in input order; adjacent runs differ in status. */
    [[nodiscard]] const QList<Range> &ranges() const { return m_ranges; }
    /*! cancel() was called before the job ended. */
    [[nodiscard]] bool isCancelled() const { return m_cancelled; }
    /*! A failed input stopped the job early (ignoreErrors == false). */
    [[nodiscard]] bool isStopped() const { return m_stopped; }
    /*! Every input was written. */
    [[nodiscard]] bool isOk() const { return successCount() == m_total; }
    /*! A BulkOperation error summarising the failures (itemErrors() holds each); an invalid
        Error when isOk(). */
    [[nodiscard]] Error toError() const;

private:
    friend class BulkJob;
    friend class BulkOperations; // assembles the result of a model call from its two jobs
    void mark(qint64 first, qint64 count, ItemStatus status);

    qint64 m_counts[4] = {0, 0, 0, 0};
    qint64 m_total = 0;
    QList<BulkItemError> m_errors;
    QVariantList m_results;
    QList<Range> m_ranges;
    std::chrono::milliseconds m_elapsed{0};
    bool m_cancelled = false;
    bool m_stopped = false;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::BulkResult)
Q_DECLARE_METATYPE(SurrealQt::BulkItemError)
