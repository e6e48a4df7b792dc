import QtQuick
import QtTest
import SurrealQt

// LiveQuery against the real engine, with a second writer (another Database: its own sockets).
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "LiveQuery"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "livequery"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The second writer.
    Database {
        id: writer
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "livequery"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: liveComponent
        LiveQuery {
            property var events: []
            database: db // qmllint disable unqualified
            table: "event"
            onCreated: record => events.push(["created", record.id, record.n])
            onUpdated: record => events.push(["updated", record.id, record.n])
            onDeleted: (recordId, before) => events.push(["deleted", recordId, before.n])
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
        tryVerify(() => box.done, 10000, "promise settled")
        verify(box.error === undefined, box.error ? box.error.kindName + ": " + box.error.message : "")
        return box.value
    }

    function initTestCase() {
        tryCompare(db, "status", Database.Ready, 20000)
        tryCompare(writer, "status", Database.Ready, 20000)
    }

    function init() {
        settle(writer.query("DEFINE TABLE IF NOT EXISTS event SCHEMALESS; DELETE event"))
    }

    function test_signals_for_another_writers_changes() {
        const live = createTemporaryObject(liveComponent, testCase)
        tryCompare(live, "status", LiveQuery.Active, 10000)
        const changes = createTemporaryObject(spyComponent, testCase, { target: live, signalName: "changed" })

        settle(writer.create("event:a", { n: 1 }))
        settle(writer.mergeOne("event:a", { n: 2 }))
        settle(writer.deleteOne("event:a"))
        tryVerify(() => live.events.length === 3, 10000, JSON.stringify(live.events))
        compare(live.events, [["created", "event:a", 1], ["updated", "event:a", 2], ["deleted", "event:a", 2]])
        compare(changes.count, 3)
        compare(changes.signalArguments[0][0], LiveQuery.Create)
        compare(changes.signalArguments[1][0], LiveQuery.Update)
        compare(changes.signalArguments[2][0], LiveQuery.Delete)
        compare(changes.signalArguments[2][1], "event:a")
    }

    function test_filter_with_bindings_and_a_change_of_them() {
        const live = createTemporaryObject(liveComponent, testCase, { filter: "n >= $min", bindings: { min: 10 } })
        tryCompare(live, "status", LiveQuery.Active, 10000)
        settle(writer.insertMany("event", [{ n: 5 }, { n: 15 }]))
        tryVerify(() => live.events.length === 1, 10000)
        wait(200)
        compare(live.events.length, 1, "only rows matching the filter")
        compare(live.events[0][2], 15)

        live.bindings = { min: 100 }
        tryCompare(live, "status", LiveQuery.Active, 10000)
        wait(100)
        settle(writer.insertOne("event", { n: 50 }))
        settle(writer.insertOne("event", { n: 500 }))
        tryVerify(() => live.events.length === 2, 10000)
        compare(live.events[1][2], 500)
    }

    function test_inactive_and_bad_input() {
        const live = createTemporaryObject(liveComponent, testCase, { active: false })
        wait(100)
        compare(live.status, LiveQuery.Null)
        settle(writer.insertOne("event", { n: 1 }))
        wait(200)
        compare(live.events.length, 0)

        live.table = "event; DELETE event"
        live.active = true
        tryCompare(live, "status", LiveQuery.Failed, 10000)
        compare(live.lastError.kind, SurrealError.Validation)

        live.table = "event"
        tryCompare(live, "status", LiveQuery.Active, 10000)
        live.bindings = { f: () => 1 }
        live.filter = "n = $f"
        tryCompare(live, "status", LiveQuery.Failed, 10000)
        compare(live.lastError.kind, SurrealError.Validation)
        verify(live.lastError.message.indexOf("bindings.f: a function cannot be stored") >= 0, live.lastError.message)
    }

    function test_a_whole_live_select() {
        const live = createTemporaryObject(liveComponent, testCase,
                                           { table: "", query: "LIVE SELECT * FROM event WHERE n < $max", bindings: { max: 3 } })
        tryCompare(live, "status", LiveQuery.Active, 10000)
        settle(writer.insertMany("event", [{ n: 1 }, { n: 7 }, { n: 2 }]))
        tryVerify(() => live.events.length === 2, 10000)
        compare(live.events.map(e => e[2]).sort(), [1, 2])
    }

    // restart() subscribes again: changes keep coming; after a Failed state it starts over.
    function test_restart() {
        const live = createTemporaryObject(liveComponent, testCase)
        tryCompare(live, "status", LiveQuery.Active, 10000)
        live.restart()
        tryCompare(live, "status", LiveQuery.Active, 10000)
        settle(writer.create("event:r", { n: 1 }))
        tryVerify(() => live.events.length === 1, 10000, JSON.stringify(live.events))
        wait(200)
        compare(live.events.length, 1, "one subscription after the restart, not two")

        live.bindings = { f: NaN }
        live.filter = "n = $f"
        tryCompare(live, "status", LiveQuery.Failed, 10000)
        compare(live.status, LiveQuery.Error, "the deprecated name of Failed")
        verify(live.lastError.message.indexOf("bindings.f: NaN cannot be stored") >= 0, live.lastError.message)
        live.bindings = { f: 2 }
        live.restart()
        tryCompare(live, "status", LiveQuery.Active, 10000)
        settle(writer.create("event:s", { n: 3 }))
        settle(writer.create("event:t", { n: 2 }))
        tryVerify(() => live.events.length === 2, 10000, JSON.stringify(live.events))
        compare(live.events[1], ["created", "event:t", 2], "the filter with its new binding")
    }
}
