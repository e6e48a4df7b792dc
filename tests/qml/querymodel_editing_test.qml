import QtQuick
import QtTest
import SurrealQt

// QueryModel's ListModel-style editing: every call is a real write, shown at once, rolled back
// when the database refuses it; a second writer sees the results.
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "QueryModelEditing"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "editing"
        user: testCase.server.user
        password: testCase.server.password
    }

    Database {
        id: writer
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "editing"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: modelComponent
        QueryModel {
            database: db // qmllint disable unqualified
            table: "edit"
            orderBy: "n"
            roles: ["n", "name"]
            live: true
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

    // The stored rows as the second writer reads them: "n:name" in order.
    function stored() {
        return settle(writer.query("SELECT n, name FROM edit ORDER BY n"))[0].map(r => r.n + ":" + r.name)
    }

    // Runs the setup again when it met a transaction conflict (a write of the previous test's
    // model still landing).
    function setUp(sql) {
        for (let attempt = 0; ; ++attempt) {
            const box = { done: false }
            writer.query(sql).then(() => { box.done = true }, e => { box.error = e; box.done = true })
            tryVerify(() => box.done, 10000)
            if (!box.error)
                return
            verify(attempt < 5 && box.error.kind === SurrealError.Conflict, box.error.message)
            wait(100)
        }
    }

    function names(model) {
        const out = []
        for (let i = 0; i < model.count; ++i)
            out.push(model.get(i).name)
        return out
    }

    function init() {
        tryCompare(db, "status", Database.Ready, 20000)
        tryCompare(writer, "status", Database.Ready, 20000)
        setUp("DEFINE TABLE IF NOT EXISTS edit SCHEMALESS; REMOVE FIELD IF EXISTS n ON edit;"
              + "REMOVE FIELD IF EXISTS name ON edit; DELETE edit;"
              + "CREATE edit:1 SET n = 1, name = 'a'; CREATE edit:2 SET n = 2, name = 'b'; CREATE edit:3 SET n = 3, name = 'c'")
    }

    function test_append_set_setProperty_remove_clear_write_through() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)

        model.append({ n: 4, name: "d" })
        tryCompare(model, "count", 4, 10000)
        model.append([{ n: 0, name: "z" }, { n: 5, name: "e" }])
        tryCompare(model, "count", 6, 10000)
        compare(names(model), ["z", "a", "b", "c", "d", "e"], "new rows take their place in the order")
        tryVerify(() => stored().length === 6, 10000)

        verify(model.setProperty(1, "name", "A"))
        compare(model.get(1).name, "A", "shown at once")
        verify(model.set(2, { name: "B" }))
        compare(model.get(2).name, "B")
        tryVerify(() => stored().join() === "0:z,1:A,2:B,3:c,4:d,5:e", 10000, "stored")

        verify(model.remove(0))
        verify(model.remove(3, 2))
        compare(names(model), ["A", "B", "c"])
        tryVerify(() => stored().join() === "1:A,2:B,3:c", 10000)
        verify(!model.remove(7), "out of range")

        model.clear()
        compare(model.count, 0)
        tryVerify(() => stored().length === 0, 10000)
    }

    function test_refused_edit_rolls_back_with_the_error() {
        // A value of the right type that the schema's ASSERT refuses: the model converts what it
        // can to the declared type (42 would be stored as "42"), the server refuses the rest.
        settle(writer.query("DEFINE FIELD OVERWRITE n ON edit TYPE int; "
                            + "DEFINE FIELD OVERWRITE name ON edit TYPE string ASSERT string::len($value) < 5"))
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })

        verify(model.setProperty(0, "name", "too long"))
        compare(model.get(0).name, "too long", "shown at once")
        tryCompare(failures, "count", 1, 10000)
        tryVerify(() => model.get(0).name === "a", 10000, "rolled back")
        compare(failures.signalArguments[0][0].toString(), "edit:1")
        const error = failures.signalArguments[0][1]
        compare(error.kind, SurrealError.Validation, error.message)

        model.append({ n: "bad", name: "x" })
        tryCompare(failures, "count", 2, 10000)
        compare(model.count, 3, "the refused create leaves no row")
        compare(stored().join(), "1:a,2:b,3:c")
    }

    function test_values_that_cannot_be_stored_throw() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const cases = [
            [() => model.setProperty(0, "name", () => 1), "name: a function cannot be stored"],
            [() => model.set(0, { name: NaN }), "object.name: NaN cannot be stored"],
            [() => model.append({ name: undefined }), "object.name: undefined cannot be stored"],
            [() => model.append(42), "append() takes an object"],
        ]
        for (const c of cases) {
            let thrown = null
            try {
                c[0]()
            } catch (e) {
                thrown = e
            }
            verify(thrown !== null, c[1])
            compare(thrown.kind, SurrealError.Validation)
            verify(thrown.message.indexOf(c[1]) >= 0, thrown.message)
        }
        compare(names(model), ["a", "b", "c"])
        compare(stored().join(), "1:a,2:b,3:c")
    }
}
