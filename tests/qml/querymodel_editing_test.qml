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

    // More roles, for writes of several fields at once.
    Component {
        id: wideComponent
        QueryModel {
            database: db // qmllint disable unqualified
            table: "edit"
            orderBy: "n"
            roles: ["n", "name", "tag", "size"]
            live: true
        }
    }

    Component {
        id: spyComponent
        SignalSpy {}
    }

    // Edits kept in the model until submitAll(), with a delegate per row that reads the "dirty"
    // role as a view's delegate would.
    Component {
        id: manualComponent
        QueryModel {
            database: db // qmllint disable unqualified
            table: "edit"
            orderBy: "n"
            roles: ["n", "name"]
            editStrategy: QueryModel.OnManualSubmit
        }
    }

    Component {
        id: rowsComponent
        Instantiator {
            delegate: QtObject {
                required property int index
                required property bool dirty
                required property string name
            }
        }
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
            verify(attempt < 5 && (box.error.retryable || box.error.kind === SurrealError.Conflict), box.error.message)
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
              + "REMOVE FIELD IF EXISTS name ON edit; REMOVE FIELD IF EXISTS size ON edit;"
              + "REMOVE EVENT IF EXISTS log ON edit; DEFINE TABLE IF NOT EXISTS editlog SCHEMALESS;"
              + "DELETE editlog; DELETE edit;"
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

    // The record as a fresh SELECT of the second writer reads it.
    function fresh(id) {
        return settle(writer.query("SELECT * FROM ONLY " + id))[0]
    }

    // set(row, object) is one write: one MERGE of all the fields (separate merges of one record
    // conflict in the engine, and a refusal took back only some of them). An UPDATE event counts
    // the writes the record gets.
    function test_set_writes_all_fields_in_one_write() {
        setUp("DEFINE EVENT OVERWRITE log ON edit WHEN $event = 'UPDATE' THEN (CREATE editlog SET rec = $after.id)")
        const model = createTemporaryObject(wideComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })

        verify(model.set(0, { name: "A", tag: "x", size: 3, note: "four fields" }))
        const shown = model.get(0)
        compare([shown.name, shown.tag, shown.size, shown.note], ["A", "x", 3, "four fields"], "shown at once")
        tryVerify(() => fresh("edit:1").note === "four fields", 10000, "written")
        const r = fresh("edit:1")
        compare([r.n, r.name, r.tag, r.size, r.note], [1, "A", "x", 3, "four fields"], "a fresh SELECT has every field")
        compare(settle(writer.query("SELECT VALUE rec FROM editlog"))[0], ["edit:1"], "one write, not one per field")
        compare(failures.count, 0)

        // Quick sets of many fields of many rows: each row one write, none refused by a conflict.
        for (let row = 0; row < 3; ++row)
            verify(model.set(row, { tag: "t" + row, size: 10 + row, a: row, b: row, c: row, d: row }))
        tryVerify(() => settle(writer.query("SELECT VALUE rec FROM editlog"))[0].length === 4, 10000)
        wait(200)
        compare(failures.count, 0, failures.count ? failures.signalArguments[0][1].message : "")
        const all = settle(writer.query("SELECT n, tag, size, d FROM edit ORDER BY n"))[0]
        compare(all.map(x => [x.n, x.tag, x.size, x.d]), [[1, "t0", 10, 0], [2, "t1", 11, 1], [3, "t2", 12, 2]])
        compare(settle(writer.query("SELECT VALUE rec FROM editlog"))[0].length, 4)
    }

    // A refused set() takes back every field it showed, not only the refused one.
    function test_refused_set_rolls_back_every_field() {
        setUp("DEFINE FIELD OVERWRITE size ON edit ASSERT $value = NONE OR $value < 100")
        const model = createTemporaryObject(wideComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })

        verify(model.set(0, { name: "A", tag: "x", size: 500 }))
        compare(model.get(0).name, "A", "shown at once")
        compare(model.get(0).size, 500)
        tryCompare(failures, "count", 1, 10000)
        tryVerify(() => model.get(0).name === "a", 10000, "rolled back")
        compare(model.get(0).tag, undefined, "a new field is gone again")
        compare(model.get(0).size, undefined)
        compare(failures.signalArguments[0][0].toString(), "edit:1")
        const error = failures.signalArguments[0][1]
        verify(error.message.indexOf("size") >= 0, error.message)
        const r = fresh("edit:1")
        compare([r.name, r.tag, r.size], ["a", undefined, undefined], "nothing stored")
        wait(200)
        compare(failures.count, 1, "one write, one refusal")
    }

    // Edits through the model and another writer's changes to the same records meet: a live
    // model shows both, and the database holds both.
    function test_editing_with_a_second_writer() {
        const model = createTemporaryObject(wideComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        settle(writer.query("CREATE edit:9 SET n = 9, name = 'w'"))
        tryCompare(model, "count", 4, 10000)
        verify(model.setProperty(3, "name", "w2"))
        tryVerify(() => fresh("edit:9").name === "w2", 10000, "the model's write landed")
        // Then the other writer changes another field of that record: the live model shows both.
        // (Not at the same instant: the engine may refuse one of two concurrent writes of a
        // record, and its notifications of such a pair can arrive out of order.)
        setUp("UPDATE edit:9 MERGE { tag: 'from the writer' }")
        tryVerify(() => model.get(3).tag === "from the writer", 10000, "the writer's change shows")
        compare(model.get(3).name, "w2")
        compare(fresh("edit:9").tag, "from the writer")

        verify(model.set(0, { tag: "model" }))
        setUp("DELETE edit:2")
        tryCompare(model, "count", 3, 10000)
        compare(names(model), ["a", "c", "w2"])
        tryVerify(() => fresh("edit:1").tag === "model", 10000)

        // A row the writer deleted while the model still shows it: the write is refused and the
        // model says so (writeFailed), it does not bring the record back.
        const still = createTemporaryObject(wideComponent, testCase, { live: false })
        tryCompare(still, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: still, signalName: "writeFailed" })
        compare(still.idOf(1), "edit:3")
        settle(writer.deleteOne("edit:3"))
        verify(still.setProperty(1, "name", "gone"), "shown at once")
        tryCompare(failures, "count", 1, 10000)
        compare(failures.signalArguments[0][0].toString(), "edit:3")
        compare(still.get(1).name, "c", "rolled back")
        compare(settle(writer.query("SELECT VALUE id FROM edit:3"))[0], [], "not brought back")
    }

    // The dirty role as delegates see it: true for a row with an edit not written yet, false
    // again once submitAll() wrote it or revertAll() dropped it; nothing is stored before that.
    function test_dirty_role_in_delegates_with_manual_submit() {
        const model = createTemporaryObject(manualComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const rows = createTemporaryObject(rowsComponent, testCase, { model: model })
        tryCompare(rows, "count", 3, 10000)
        const dirtyRows = () => [0, 1, 2].filter(i => rows.objectAt(i).dirty)
        compare(dirtyRows(), [], "nothing edited yet")

        verify(model.setProperty(1, "name", "B"))
        compare(rows.objectAt(1).name, "B", "the edit is shown")
        compare(dirtyRows(), [1], "only the edited row is dirty")
        wait(200)
        compare(stored().join(), "1:a,2:b,3:c", "not written before submitAll()")

        verify(model.submitAll())
        tryVerify(() => stored().join() === "1:a,2:B,3:c", 10000, "written by submitAll()")
        tryVerify(() => dirtyRows().length === 0, 10000, "clean once written")

        verify(model.setProperty(2, "name", "C"))
        compare(dirtyRows(), [2])
        model.revertAll()
        compare(dirtyRows(), [], "clean once reverted")
        compare(rows.objectAt(2).name, "c", "the stored value again")
        wait(200)
        compare(stored().join(), "1:a,2:B,3:c", "nothing written by revertAll()")
    }

    // Every argument form of the editing calls.
    function test_editing_call_forms() {
        const model = createTemporaryObject(wideComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        model.append({ n: 4, name: "d" })
        model.append([{ n: 5, name: "e" }, { n: 6, name: "f" }])
        tryCompare(model, "count", 6, 10000)
        verify(model.set(0, {}), "an empty object writes nothing")
        verify(model.set(0, { id: "edit:77", name: "A" }), "an id field is left out")
        verify(!model.set(-1, { name: "x" }), "out of range")
        verify(!model.set(6, { name: "x" }))
        verify(!model.setProperty(6, "name", "x"))
        verify(model.setProperty(1, "size", null), "null clears a field")
        verify(model.remove(5), "count defaults to 1")
        verify(model.remove(3, 2))
        verify(!model.remove(0, 0), "count below 1")
        verify(!model.remove(2, 5), "beyond the end")
        compare(names(model), ["A", "b", "c"])
        tryVerify(() => stored().join() === "1:A,2:b,3:c", 10000)
        compare(settle(writer.query("SELECT VALUE id FROM edit:77"))[0], [])
        const failures = [
            [() => model.set(0, 42), "set() takes a row and an object"],
            [() => model.set(0, [1, 2]), "set() takes a row and an object"],
            [() => model.set(0, () => 1), "set() takes a row and an object"],
            [() => model.set(0, { size: new Array(1000000000) }), "object.size: an array of 1000000000 items"],
            [() => model.setProperty(0, "name", Infinity), "name: Infinity cannot be stored"],
        ]
        const cyclic = { a: 1 }
        cyclic.me = cyclic
        failures.push([() => model.setProperty(0, "tag", cyclic), "tag.me: a cyclic structure cannot be stored"])
        failures.push([() => model.append([{ n: 8 }, cyclic]), "object[1].me: a cyclic structure cannot be stored"])
        for (const c of failures) {
            let thrown = null
            try {
                c[0]()
            } catch (e) {
                thrown = e
            }
            verify(thrown !== null, c[1])
            compare(thrown.kind, SurrealError.Validation, c[1])
            verify(thrown.message.indexOf(c[1]) >= 0, thrown.message)
        }
        wait(200)
        compare(stored().join(), "1:A,2:b,3:c", "nothing written")
    }
}
