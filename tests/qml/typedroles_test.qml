import QtQml
import QtQuick
import QtTest
import SurrealQt

// Typed roles declared in QML (QueryRole): values read as their type whatever the stored one,
// defaults for missing fields, edits converted to the type (or refused, naming the role), with a
// second writer that stores untyped values and reads back what the model wrote.
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "TypedRoles"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "typed"
        user: testCase.server.user
        password: testCase.server.password
    }

    Database {
        id: writer
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "typed"
        user: testCase.server.user
        password: testCase.server.password
    }

    Component {
        id: modelComponent
        QueryModel {
            database: db // qmllint disable unqualified
            table: "member"
            orderBy: "n"
            live: true
            QueryRole { name: "n"; type: QueryRole.Int }
            QueryRole { name: "name"; type: QueryRole.String; defaultValue: "anonymous" }
            QueryRole { name: "age"; type: QueryRole.Int; defaultValue: 18 }
            QueryRole { name: "score"; type: QueryRole.Real }
            QueryRole { name: "active"; type: QueryRole.Bool }
            QueryRole { name: "joined"; type: QueryRole.DateTime }
            QueryRole { name: "team"; type: QueryRole.RecordId }
            QueryRole { name: "notes" }
        }
    }

    // Delegates with typed required properties, as a ListView's would be.
    Component {
        id: rowsComponent
        Instantiator {
            delegate: QtObject {
                required property int n
                required property string name
                required property int age
                required property real score
                required property bool active
                required property date joined
                required property string team
                required property var notes
                required property var model
            }
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

    // What the second writer reads: the stored value and its SurrealQL type, per row.
    function storedAs(field) {
        return settle(writer.query("SELECT n, type::of(" + field + ") AS t, " + field
                                   + " AS v FROM member ORDER BY n"))[0]
    }

    function expectThrow(call, text) {
        let thrown = null
        try {
            call()
        } catch (e) {
            thrown = e
        }
        verify(thrown !== null, "throws: " + text)
        compare(thrown.kind, SurrealError.Validation)
        compare(thrown.kindName, "Validation")
        verify(thrown.message.indexOf(text) >= 0, thrown.message)
    }

    function init() {
        tryCompare(db, "status", Database.Ready, 20000)
        tryCompare(writer, "status", Database.Ready, 20000)
        settle(writer.query("DEFINE TABLE IF NOT EXISTS member SCHEMALESS; REMOVE FIELD IF EXISTS team ON member;"
            + "DELETE member;"
            + "CREATE member:1 SET n = 1, name = 'Ada', age = 36, score = 3, active = true,"
            + "  joined = d'2024-05-01T10:00:00Z', team = team:red, notes = [1, 2];"
            // stored with other types than the roles declare
            + "CREATE member:2 SET n = 2, name = 7, age = '41', score = '2.5', active = 'true',"
            + "  joined = '2023-01-02T03:04:05Z', team = 'team:blue';"
            // nothing but its order
            + "CREATE member:3 SET n = 3;"))
    }

    function test_rows_read_as_their_declared_types() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        compare(model.roles, ["n", "name", "age", "score", "active", "joined", "team", "notes"])
        const rows = createTemporaryObject(rowsComponent, testCase, { model: model })
        compare(rows.count, 3)

        const ada = rows.objectAt(0)
        compare(ada.name, "Ada")
        compare(ada.age, 36)
        compare(ada.score, 3)
        compare(ada.active, true)
        compare(ada.joined.getTime(), Date.UTC(2024, 4, 1, 10, 0, 0))
        compare(ada.team, "team:red")
        compare(ada.notes, [1, 2], "an untyped (Var) role is the stored value")

        const converted = rows.objectAt(1)
        compare(converted.name, "7")
        compare(converted.age, 41)
        compare(converted.score, 2.5)
        compare(converted.active, true)
        compare(converted.joined.getTime(), Date.UTC(2023, 0, 2, 3, 4, 5))
        compare(converted.team, "team:blue")

        const empty = rows.objectAt(2)
        compare(empty.name, "anonymous", "defaultValue")
        compare(empty.age, 18, "defaultValue")
        compare(empty.score, 0, "the type's empty value")
        compare(empty.active, false)
        verify(isNaN(empty.joined.getTime()), "no date")
        compare(empty.team, "")
        compare(empty.notes, undefined)

        const row = model.get(1)
        compare(typeof row.age, "number")
        compare(row.age, 41)
        compare(row.name, "7")
        compare(model.get(2).age, 18)
    }

    function test_second_writer_rows_get_types_and_defaults() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        settle(writer.query("CREATE member:4 SET n = 4, age = '70'"))
        tryCompare(model, "count", 4, 10000)
        compare(model.get(3).age, 70)
        compare(model.get(3).name, "anonymous")
        settle(writer.query("UPDATE member:4 UNSET age"))
        tryVerify(() => model.get(3).age === 18, 10000, "a field removed by another writer reads as its default")
    }

    function test_edits_are_converted_to_the_declared_type() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)

        verify(model.setProperty(2, "age", "42"))
        compare(model.get(2).age, 42, "shown at once")
        tryVerify(() => storedAs("age")[2].t === "int" && storedAs("age")[2].v === 42, 10000, "stored as an int")
        // One field at a time: concurrent merges of one record can meet a transaction conflict.
        const edits = [["score", "1.25", "float", 1.25], ["active", "false", "bool", false],
                       ["joined", "2025-02-03T00:00:00Z", "datetime", undefined], ["team", "team:green", "record", undefined]]
        for (const [field, text, type, value] of edits) {
            verify(model.set(2, { [field]: text }), field)
            tryVerify(() => storedAs(field)[2].t === type, 10000, field + " stored as " + type)
            if (value !== undefined)
                compare(storedAs(field)[2].v, value)
        }

        // Through a delegate, as a TextField's onEditingFinished would write it.
        const rows = createTemporaryObject(rowsComponent, testCase, { model: model })
        rows.objectAt(0).model.age = "37"
        tryVerify(() => storedAs("age")[0].v === 37 && storedAs("age")[0].t === "int", 10000)
        compare(rows.objectAt(0).age, 37)
    }

    function test_edits_that_cannot_be_converted_are_refused() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })

        expectThrow(() => model.setProperty(0, "age", "abc"),
               "age: \"abc\" cannot be stored as a whole number (QueryRole.Int)")
        expectThrow(() => model.set(0, { age: 1.5 }), "age: 1.5 cannot be stored as a whole number")
        expectThrow(() => model.setProperty(0, "joined", "yesterday"), "joined: \"yesterday\" cannot be stored as a date")
        expectThrow(() => model.setProperty(0, "active", "maybe"), "active: \"maybe\" cannot be stored as true or false")
        compare(model.get(0).age, 36, "unchanged")

        const rows = createTemporaryObject(rowsComponent, testCase, { model: model })
        rows.objectAt(0).model.age = "thirty"
        compare(failures.count, 1)
        const error = failures.signalArguments[0][1]
        compare(error.kind, SurrealError.Validation)
        compare(error.kindName, "Validation", "the surrealError value type names its kind")
        verify(error.message.indexOf("age: \"thirty\" cannot be stored as a whole number") >= 0, error.message)
        compare(failures.signalArguments[0][0].toString(), "member:1")
        compare(rows.objectAt(0).age, 36)
        compare(storedAs("age")[0].v, 36, "nothing written")
    }

    function test_append_fills_defaults_and_converts() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        model.append({ n: "5", score: "9" })
        tryCompare(model, "count", 4, 10000)
        tryVerify(() => storedAs("age").length === 4, 10000)
        const age = storedAs("age")[3], name = storedAs("name")[3], score = storedAs("score")[3]
        compare(age.t, "int")
        compare(age.v, 18, "defaultValue stored")
        compare(name.v, "anonymous")
        compare(score.t, "float")
        compare(storedAs("n")[3].t, "int")
        compare(storedAs("notes")[3].t, "none", "no default, nothing stored")

        expectThrow(() => model.append([{ n: 6 }, { n: 7, age: "old" }]), "age: \"old\" cannot be stored as a whole number")
        wait(300)
        compare(model.count, 4, "all or nothing")
        compare(storedAs("n").length, 4)
    }

    // The declared type wins over the type a record holds now: member:2 was stored with text
    // (and a number for its name) by a second writer; edits store the roles' types.
    function test_declared_type_wins_over_the_stored_type() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })
        compare(storedAs("age")[1].t, "string", "stored as text by the second writer")

        verify(model.setProperty(1, "age", 42))
        tryVerify(() => storedAs("age")[1].t === "int", 10000, "stored as the declared Int, not as text")
        compare(storedAs("age")[1].v, 42)
        compare(model.get(1).age, 42)

        verify(model.set(1, { name: "Bob", score: 3.5, active: false }))
        tryVerify(() => storedAs("score")[1].t === "float", 10000, "one write of three fields")
        compare(storedAs("score")[1].v, 3.5)
        compare(storedAs("name")[1].t, "string", "was a number")
        compare(storedAs("name")[1].v, "Bob")
        compare(storedAs("active")[1].t, "bool", "was text")
        compare(storedAs("active")[1].v, false)

        const rows = createTemporaryObject(rowsComponent, testCase, { model: model })
        rows.objectAt(1).model.joined = "2022-01-01T00:00:00Z"
        tryVerify(() => storedAs("joined")[1].t === "datetime", 10000, "a delegate's edit, was text")
        rows.objectAt(1).model.team = "team:green"
        tryVerify(() => storedAs("team")[1].t === "record", 10000, "was text")
        compare(failures.count, 0)
        compare(rows.objectAt(1).name, "Bob")
        compare(rows.objectAt(1).age, 42)
    }

    // A table's schema has the last word: a field it types string gets the record link the role
    // declares, the database refuses it, and the edit is rolled back with its error.
    function test_schema_type_has_the_last_word() {
        settle(writer.query("DEFINE FIELD OVERWRITE team ON member TYPE option<string>"))
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const failures = createTemporaryObject(spyComponent, testCase, { target: model, signalName: "writeFailed" })

        verify(model.setProperty(2, "team", "team:green"))
        compare(model.get(2).team, "team:green", "shown at once")
        tryCompare(failures, "count", 1, 10000)
        tryVerify(() => model.get(2).team === "", 10000, "rolled back")
        compare(failures.signalArguments[0][0].toString(), "member:3")
        const error = failures.signalArguments[0][1]
        verify(error.message.indexOf("team") >= 0, error.message)
        compare(storedAs("team")[2].t, "none", "nothing stored")
    }
}
