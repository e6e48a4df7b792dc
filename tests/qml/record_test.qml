import QtQuick
import QtTest
import SurrealQt

// Record against the real engine, with a second writer (another Database: its own sockets).
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "Record"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "record"
        user: testCase.server.user
        password: testCase.server.password
    }

    Database {
        id: writer
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "record"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: recordComponent
        Record {
            database: db // qmllint disable unqualified
            recordId: "person:tobie"
        }
    }

    // What a screen does: bind a field into a property.
    Component {
        id: labelComponent
        Text {
            property Record record
            text: record && record.fields.name !== undefined ? record.fields.name : ""
        }
    }

    function settle(promise) {
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 10000, "promise settled")
        return box
    }

    function ok(box) {
        verify(box.error === undefined, box.error ? box.error.kindName + ": " + box.error.message : "")
        return box.value
    }

    function initTestCase() {
        tryCompare(db, "status", Database.Ready, 20000)
        tryCompare(writer, "status", Database.Ready, 20000)
    }

    function init() {
        ok(settle(writer.query("DEFINE TABLE IF NOT EXISTS person SCHEMALESS; DELETE person;"
                               + "CREATE person:tobie SET name = 'Tobie', age = 30, tags = ['a']")))
    }

    function test_fields_bind_and_save_writes_the_edits() {
        const record = createTemporaryObject(recordComponent, testCase)
        tryCompare(record, "status", Record.Ready, 10000)
        compare(record.fields.name, "Tobie")
        compare(record.fields.age, 30)
        compare(record.fields.tags, ["a"])
        compare(record.fields.id, "person:tobie")
        verify(!record.dirty)

        const label = createTemporaryObject(labelComponent, testCase, { record: record })
        compare(label.text, "Tobie")
        record.fields.name = "Tobie M."
        compare(label.text, "Tobie M.", "bindings follow the fields")
        verify(record.dirty)
        record.set("nickname", "tm")
        compare(record.value("nickname"), "tm")

        const stored = ok(settle(record.save()))
        compare(stored.name, "Tobie M.")
        compare(stored.age, 30, "a merge: the other fields stay")
        verify(!record.dirty)
        compare(record.status, Record.Ready)
        const read = ok(settle(writer.selectOne("person:tobie")))
        compare(read.name, "Tobie M.")
        compare(read.nickname, "tm")
    }

    function test_live_follows_another_writer_and_keeps_local_edits() {
        const record = createTemporaryObject(recordComponent, testCase, { live: true })
        tryCompare(record, "status", Record.Ready, 10000)
        record.fields.age = 31
        ok(settle(writer.mergeOne("person:tobie", { name: "Renamed", age: 99 })))
        tryCompare(record.fields, "name", "Renamed", 10000)
        compare(record.fields.age, 31, "a field edited here is not overwritten")
        verify(record.dirty)

        ok(settle(writer.deleteOne("person:tobie")))
        tryCompare(record, "status", Record.NotFound, 10000)
    }

    function test_missing_record_is_created_by_save() {
        const record = createTemporaryObject(recordComponent, testCase, { recordId: "person:new" })
        tryCompare(record, "status", Record.NotFound, 10000)
        record.set("name", "New")
        ok(settle(record.save()))
        compare(record.status, Record.Ready)
        compare(ok(settle(writer.selectOne("person:new"))).name, "New")

        const removed = ok(settle(record.remove()))
        compare(removed.name, "New")
        compare(record.status, Record.NotFound)
        compare(ok(settle(writer.selectOne("person:new"))), null)
    }

    function test_refused_and_bad_values_keep_the_edits() {
        ok(settle(writer.query("DEFINE FIELD OVERWRITE age ON person TYPE option<int>")))
        const record = createTemporaryObject(recordComponent, testCase)
        tryCompare(record, "status", Record.Ready, 10000)

        record.fields.age = "not a number"
        const refused = settle(record.save())
        verify(refused.error !== undefined, "the schema refuses a text age")
        compare(refused.error.kind, SurrealError.Validation, refused.error.kindName + ": " + refused.error.message)
        verify(record.dirty, "the edit is kept")
        compare(record.fields.age, "not a number")
        compare(record.lastError.kind, SurrealError.Validation)
        compare(record.status, Record.Ready)
        compare(ok(settle(writer.selectOne("person:tobie"))).age, 30, "nothing was written")

        record.set("onDone", () => 1)
        const bad = settle(record.save())
        compare(bad.error.kind, SurrealError.Validation)
        verify(bad.error.message.indexOf("fields.onDone: a function cannot be stored") >= 0, bad.error.message)

        record.reload()
        tryCompare(record, "status", Record.Ready, 10000)
        verify(!record.dirty, "reload drops the edits")
        compare(record.fields.age, 30)
        ok(settle(writer.query("REMOVE FIELD age ON person")))
    }

    function test_bad_record_id() {
        const record = createTemporaryObject(recordComponent, testCase, { recordId: "no id" })
        tryCompare(record, "status", Record.Failed, 10000)
        compare(record.lastError.kind, SurrealError.Validation)
    }

    // save() and remove() in both forms: a promise (above) and a trailing callback, called once.
    function test_save_and_remove_with_a_callback() {
        const record = createTemporaryObject(recordComponent, testCase)
        tryCompare(record, "status", Record.Ready, 10000)
        record.fields.age = 40
        const calls = []
        compare(record.save((result, error) => calls.push([result, error])), undefined, "no promise with a callback")
        tryVerify(() => calls.length === 1, 10000)
        verify(!calls[0][1], "no error")
        compare(calls[0][0].age, 40)
        compare(ok(settle(writer.selectOne("person:tobie"))).age, 40)

        record.set("bad", NaN)
        record.save((result, error) => calls.push([result, error]))
        tryVerify(() => calls.length === 2, 10000)
        compare(calls[1][1].kind, SurrealError.Validation)
        verify(calls[1][1].message.indexOf("fields.bad: NaN cannot be stored") >= 0, calls[1][1].message)
        const notAFunction = settle(record.save(42))
        compare(notAFunction.error.kind, SurrealError.Validation)
        verify(notAFunction.error.message.indexOf("callback must be a function") >= 0, notAFunction.error.message)
        record.reload()
        tryCompare(record, "status", Record.Ready, 10000)

        compare(record.remove((result, error) => calls.push([result, error])), undefined)
        tryVerify(() => calls.length === 3, 10000)
        verify(!calls[2][1], "no error")
        compare(calls[2][0].name, "Tobie")
        tryCompare(record, "status", Record.NotFound, 10000)
        compare(ok(settle(writer.selectOne("person:tobie"))), null)
        wait(50)
        compare(calls.length, 3, "each callback ran once")
    }

    // Another writer deletes the record under an edit: save() creates it again, with the
    // record's fields (not only the edited one).
    function test_second_writer_deletes_during_an_edit() {
        const record = createTemporaryObject(recordComponent, testCase, { live: true })
        tryCompare(record, "status", Record.Ready, 10000)
        record.fields.age = 50
        ok(settle(writer.deleteOne("person:tobie")))
        tryCompare(record, "status", Record.NotFound, 10000)
        verify(record.dirty, "the edit is kept")
        compare(record.fields.age, 50, "and still shown")
        compare(record.fields.name, undefined, "the other fields are gone with the record")
        ok(settle(record.save()))
        compare(record.status, Record.Ready)
        const stored = ok(settle(writer.selectOne("person:tobie")))
        compare(stored.age, 50)
    }
}
