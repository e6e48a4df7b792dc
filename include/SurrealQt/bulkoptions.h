#pragma once

#include <SurrealQt/global.h>

#include <QtCore/qglobal.h>

#include <chrono>

namespace SurrealQt {

/*! How a bulk operation cuts its input into batches and what it does when one fails.
    A plain value: copy it, change fields, pass it to BulkOperations / SyncBulkOperations. */
struct SURREALQT_EXPORT BulkOptions
{
    /*! Records per request. 100 measured fastest on SurrealDB 3.0.2 (bench/bench_bulk):
        bigger batches cost more per record on the server, smaller ones more round trips. */
    int batchSize = 100;
    /*! Batches in flight at once. Over a pool they spread across its sockets; over a single
        connection they share its socket (the server runs a socket's requests concurrently).
        8 measured best against a server on the same two cores (bench/bench_bulk: about twice
        the sequential loop; 2 in flight 1.6 times, 4 a little less than 8, 12 and 16 no more).
        Each in-flight batch spends part of its time in transit and in the client, so more in
        flight than the server has cores keeps the engine busy. */
    int parallelism = 8;
    /*! Attempts after the first one for a batch whose request failed retryably (dropped
        connection, timeout, transaction conflict). A resend never duplicates a record: see
        docs/helpers/bulk-operations.md, "Retries". */
    int maxRetries = 3;
    /*! Delay before the first retry; it doubles per attempt up to maxRetryDelay. */
    std::chrono::milliseconds retryDelay{100};
    /*! The longest delay between two retries of a batch. */
    std::chrono::milliseconds maxRetryDelay{2000};
    /*! false: the first batch with a failed input stops the job (batches already in flight
        still finish and are reported). true: every failure is reported and the rest is written. */
    bool ignoreErrors = false;
    /*! true: each batch is one transaction, written wholly or not at all. false: inside a
        failed batch every input that can be written is written, and each failure is reported. */
    bool atomic = false;
    /*! Lets the job pick the batch size while it runs (between minBatchSize and maxBatchSize),
        starting at batchSize and moving towards the best measured throughput. */
    bool adaptiveBatchSize = false;
    /*! The smallest batch adaptiveBatchSize may choose. */
    int minBatchSize = 25;
    /*! The largest batch adaptiveBatchSize may choose. */
    int maxBatchSize = 1600;
    /*! false: BulkResult::results() stays empty, so memory stays flat however long the input. */
    bool collectResults = true;
    /*! bulkUpsert: create the UNIQUE index on the key field when it is missing (otherwise the
        job fails with a NotFound error that says how to create it). */
    bool createKeyIndex = false;
    /*! bulkQuery: the queries may be sent again after a dropped connection. Only set it when
        running a query twice lands on the same end state; bulkQuery never retries otherwise. */
    bool idempotentQueries = false;
};

} // namespace SurrealQt
