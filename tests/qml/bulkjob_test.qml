import QtQuick
import QtTest
import SurrealQt

// BulkJob against the real engine: progress, cancel(), the result with per-item errors, and a
// second reader (another Database) that sees what was written.
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "BulkJob"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "bulkjob"
        user: testCase.server.user
        password: testCase.server.password
    }

    Database {
        id: reader
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "bulkjob"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: jobComponent
        BulkJob {
            database: db // qmllint disable unqualified
            table: "row"
            batchSize: 100
        }
    }

    Component {
        id: spyComponent
        SignalSpy {}
    }

    function settle(promise) {
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 30000, "promise settled")
        return box
    }

    function ok(box) {
        verify(box.error === undefined, box.error ? box.error.kindName + ": " + box.error.message : "")
        return box.value
    }

    function rows(n, from) {
        const out = []
        for (let i = 0; i < n; ++i)
            out.push({ n: (from || 0) + i, name: "r" + i })
        return out
    }

    function initTestCase() {
        tryCompare(db, "status", Database.Ready, 20000)
        tryCompare(reader, "status", Database.Ready, 20000)
    }

    function init() {
        ok(settle(reader.query("DEFINE TABLE IF NOT EXISTS row SCHEMALESS; REMOVE FIELD IF EXISTS n ON row; DELETE row")))
    }

    function test_insert_with_progress_and_result() {
        const job = createTemporaryObject(jobComponent, testCase)
        const progress = createTemporaryObject(spyComponent, testCase, { target: job, signalName: "progressChanged" })
        const finished = createTemporaryObject(spyComponent, testCase, { target: job, signalName: "finished" })
        const promise = job.start(rows(2000))
        verify(job.running)
        compare(job.total, 2000)
        const result = ok(settle(promise))
        compare(result.total, 2000)
        compare(result.written, 2000)
        compare(result.failed, 0)
        compare(result.ok, true)
        compare(result.errors, [])
        compare(result.error, null)
        verify(!job.running)
        compare(job.progress, 1)
        verify(progress.count > 3, "progress while it ran: " + progress.count)
        compare(finished.count, 1)
        compare(job.result.written, 2000)
        compare(ok(settle(reader.count("row"))), 2000)
    }

    function test_per_item_errors_and_the_callback_form() {
        ok(settle(reader.query("DEFINE FIELD OVERWRITE n ON row TYPE int")))
        const job = createTemporaryObject(jobComponent, testCase, { ignoreErrors: true, batchSize: 10 })
        const items = rows(30)
        items[5].n = "five"
        items[25].n = "twenty-five"
        const calls = []
        compare(job.start(items, (result, error) => calls.push([result, error])), undefined)
        tryVerify(() => calls.length === 1, 30000)
        const result = calls[0][0]
        compare(calls[0][1], undefined)
        verify(result.failed >= 2, JSON.stringify(result))
        compare(result.written + result.failed + result.notAttempted + result.unknown, 30)
        verify(result.errors.some(e => e.index === 5), JSON.stringify(result.errors.map(e => e.index)))
        verify(result.errors.some(e => e.index === 25))
        const bad = result.errors.find(e => e.index === 5).error
        compare(bad.kind, SurrealError.Validation, bad.kindName + ": " + bad.message)
        compare(result.error.kind, SurrealError.BulkOperation)
        compare(result.error.itemErrors.length, result.errors.length)
        compare(ok(settle(reader.count("row"))), result.written)
    }

    function test_cancel_stops_and_reports_what_was_not_attempted() {
        const job = createTemporaryObject(jobComponent, testCase, { batchSize: 20 })
        const promise = job.start(rows(20000))
        tryVerify(() => job.done > 0, 30000)
        job.cancel()
        const result = ok(settle(promise))
        compare(result.cancelled, true)
        verify(result.notAttempted > 0, JSON.stringify(result))
        compare(result.written + result.failed + result.notAttempted + result.unknown, 20000)
        compare(ok(settle(reader.count("row"))), result.written)
    }

    function test_update_and_delete() {
        const job = createTemporaryObject(jobComponent, testCase)
        const created = ok(settle(job.start(rows(50))))
        compare(created.written, 50)
        const stored = ok(settle(reader.selectMany("row", { orderBy: "n" })))
        job.operation = BulkJob.Update
        compare(ok(settle(job.start(stored.slice(0, 10).map(r => ({ id: r.id, done: true }))))).written, 10)
        compare(ok(settle(reader.count("row", "done = true"))), 10)
        compare(ok(settle(reader.selectOne(stored[0].id))).name, "r0", "a merge")
        job.operation = BulkJob.Delete
        compare(ok(settle(job.start(stored.slice(0, 20).map(r => r.id)))).written, 20)
        compare(ok(settle(reader.count("row"))), 30)
    }

    function cyclicItem() {
        const item = { n: 1 }
        item.again = [item]
        return item
    }

    function test_bad_input_is_a_rejection() {
        const job = createTemporaryObject(jobComponent, testCase)
        const cases = [
            [[{ n: 1 }, { f: () => 1 }], "items[1].f: a function cannot be stored"],
            [[{ n: NaN }], "items[0].n: NaN cannot be stored"],
            [{ n: 1 }, "items must be an array"],
            [[1, 2], "items[0]: an object is expected"],
            [[{ n: 1 }, { n: undefined }], "items[1].n: undefined cannot be stored"],
            // BulkJob has the same limit per start() as the calls: the message must not send
            // the user to BulkJob for more.
            [new Array(1000000000), "items: an array of 1000000000 items cannot be sent in one call "
                                    + "(at most 1000000, BulkJob.start() included: split it over several calls)"],
            [[cyclicItem()], "items[0].again[0]: a cyclic structure cannot be stored"],
        ]
        for (const c of cases) {
            const r = settle(job.start(c[0]))
            verify(r.error !== undefined, c[1])
            compare(r.error.kind, SurrealError.Validation)
            verify(r.error.message.indexOf(c[1]) >= 0, r.error.message)
        }
        const missing = []
        job.start(e => missing.push(e))
        tryVerify(() => missing.length === 1)
        compare(ok(settle(reader.count("row"))), 0)
    }

    // A second writer adds records to the table while the job inserts: both sets are stored,
    // the job's result counts its own.
    function test_insert_while_a_second_writer_writes() {
        const job = createTemporaryObject(jobComponent, testCase, { batchSize: 50 })
        const promise = job.start(rows(3000))
        let added = 0
        do {
            ok(settle(reader.insertOne("row", { n: -1, name: "writer" })))
            ++added
        } while (job.running && added < 20)
        const result = ok(settle(promise))
        compare(result.written, 3000)
        compare(result.failed, 0)
        verify(added > 0)
        compare(ok(settle(reader.count("row", "name = 'writer'"))), added)
        compare(ok(settle(reader.count("row"))), 3000 + added)
    }
}
