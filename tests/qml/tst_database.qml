import QtQuick
import QtTest
import SurrealQt

TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "Database"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "database"
        user: testCase.server.user
        password: testCase.server.password
    }

    SignalSpy { id: openedSpy; target: db; signalName: "opened" }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: badLogin
        Database {
            url: testCase.server.url // qmllint disable unqualified
            namespace: testCase.server.namespace // qmllint disable unqualified
            database: "database"
            user: testCase.server.user // qmllint disable unqualified
            password: "wrong password"
        }
    }

    // A record user of the "database" database (initTestCase defines the access).
    Component {
        id: memberLogin
        Database {
            url: testCase.server.url // qmllint disable unqualified
            namespace: testCase.server.namespace // qmllint disable unqualified
            database: "database"
            credentials: ({ level: "record", access: "member", variables: { name: "ann" } })
        }
    }

    // Waits for a Promise; returns {value} or {error}.
    function settle(promise) {
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 10000, "promise settled")
        return box
    }

    function initTestCase() {
        tryCompare(db, "status", Database.Ready, 20000)
        compare(openedSpy.count, 1)
        verify(db.ready)
        compare(db.error, "")
        const r = settle(db.query("DEFINE TABLE IF NOT EXISTS person SCHEMALESS;"
                                  + "DEFINE TABLE IF NOT EXISTS note SCHEMALESS; DELETE person; DELETE note"))
        verify(r.error === undefined, r.error ? r.error.message : "")
    }

    function test_insert_select_update_delete_with_promises() {
        const created = settle(db.insertOne("person", { name: "Ada", age: 36, tags: ["math"] }))
        verify(created.error === undefined)
        compare(created.value.name, "Ada")
        compare(created.value.age, 36)
        verify(created.value.id.startsWith("person:"), created.value.id)

        const id = created.value.id
        compare(settle(db.selectOne(id)).value.tags, ["math"])
        compare(settle(db.exists(id)).value, true)

        const merged = settle(db.mergeOne(id, { age: 37 }))
        compare(merged.value.age, 37)
        compare(merged.value.name, "Ada")

        // A record handed back from JavaScript keeps its text id; the target id wins.
        const record = settle(db.selectOne(id)).value
        record.name = "Ada L."
        compare(settle(db.updateOne(id, record)).value.name, "Ada L.")

        compare(settle(db.deleteOne(id)).value.name, "Ada L.", "deleteOne gives the record as it was")
        compare(settle(db.deleteOne(id)).error.kind, SurrealError.NotFound, "nothing deleted is an error, not a silent success")
        compare(settle(db.mergeOne(id, { age: 1 })).error.kind, SurrealError.NotFound)
        compare(settle(db.selectOne(id)).value, null)
        compare(settle(db.exists(id)).value, false)
    }

    // The engine answers a write a permission rule refused like one on a missing record (nothing, no
    // error). The helpers read the record back, as Model and the list models do: NotAllowed when it is
    // still there, NotFound when it is not.
    function test_refused_and_missing_writes_are_told_apart() {
        const setup = settle(db.query(
            "DEFINE TABLE OVERWRITE member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
            + "DEFINE ACCESS OVERWRITE member ON DATABASE TYPE RECORD"
            + " SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;"
            + "UPSERT member:ann SET name = 'ann';"
            + "DEFINE TABLE OVERWRITE guarded SCHEMALESS PERMISSIONS FOR select FULL, FOR create FULL,"
            + " FOR update, delete WHERE owner = $auth.id;"
            + "DELETE guarded; CREATE guarded:theirs SET owner = member:bob, text = 'keep'"))
        verify(setup.error === undefined, setup.error ? setup.error.message : "")
        const ann = createTemporaryObject(memberLogin, testCase)
        tryCompare(ann, "status", Database.Ready, 20000)

        const refused = settle(ann.mergeOne("guarded:theirs", { text: "x" })).error
        compare(refused.kind, SurrealError.NotAllowed, refused.kindName + ": " + refused.message)
        compare(settle(ann.updateOne("guarded:theirs", { text: "x" })).error.kind, SurrealError.NotAllowed)
        compare(settle(ann.deleteOne("guarded:theirs")).error.kind, SurrealError.NotAllowed)
        compare(settle(db.selectOne("guarded:theirs")).value.text, "keep")

        const missing = settle(ann.mergeOne("guarded:gone", { text: "x" })).error
        compare(missing.kind, SurrealError.NotFound, missing.kindName + ": " + missing.message)
        compare(settle(ann.deleteOne("guarded:gone")).error.kind, SurrealError.NotFound)
    }

    function test_callbacks_run_once_with_result_or_error() {
        const calls = []
        const returned = db.insertOne("note", { text: "callback" }, (result, error) => calls.push([result, error]))
        compare(returned, undefined, "with a callback there is no promise")
        tryVerify(() => calls.length === 1, 10000)
        compare(calls[0][0].text, "callback")
        compare(calls[0][1], undefined)

        db.selectOne("no id here", (result, error) => calls.push([result, error]))
        tryVerify(() => calls.length === 2, 10000)
        compare(calls[1][0], undefined)
        compare(calls[1][1].kind, SurrealError.Validation)
        wait(50)
        compare(calls.length, 2, "each callback exactly once")
    }

    function test_query_binds_values_and_returns_every_statement() {
        const r = settle(db.query("CREATE note:q SET text = $text; SELECT VALUE text FROM note:q",
                                  { text: "it's \"bound\"; DROP TABLE note" }))
        verify(r.error === undefined, r.error ? r.error.message : "")
        compare(r.value.length, 2)
        compare(r.value[1], ["it's \"bound\"; DROP TABLE note"])
    }

    function test_select_many_count_delete_many_with_options() {
        settle(db.query("DELETE person"))
        const rows = []
        for (let i = 1; i <= 6; ++i)
            rows.push({ name: "p" + i, age: 10 * i })
        compare(settle(db.insertMany("person", rows)).value.length, 6)

        const older = settle(db.selectMany("person", { where: "age >= $min", vars: { min: 30 }, orderBy: "age DESC", limit: 2 }))
        compare(older.value.map(p => p.age), [60, 50])
        compare(settle(db.count("person")).value, 6)
        compare(settle(db.count("person", { where: "age < $max", vars: { max: 25 } })).value, 2)
        compare(settle(db.deleteMany("person", { where: "age < $max", vars: { max: 25 } })).value.map(p => p.age).sort(), [10, 20])
        compare(settle(db.updateMany("person", { where: "age > $min", vars: { min: 45 } }, { senior: true })).value.length, 2)
        compare(settle(db.count("person", { where: "senior = true" })).value, 2)
        compare(settle(db.count("person")).value, 4)
    }

    function test_bad_input_is_a_validation_error_before_any_request() {
        settle(db.query("DELETE person; CREATE person:one SET name = 'one'; CREATE person:two SET name = 'two'"))
        compare(settle(db.selectMany("person; DROP TABLE x")).error.kind, SurrealError.Validation)
        compare(settle(db.selectMany("person", { orderBy: "age; DELETE person" })).error.kind, SurrealError.Validation)
        compare(settle(db.selectMany("person", { limt: 3 })).error.kind, SurrealError.Validation)
        compare(settle(db.insertOne("person", [1, 2])).error.kind, SurrealError.Validation)
        compare(settle(db.count("person")).value, 2, "nothing was touched")
    }

    function test_server_errors_carry_kind_and_message() {
        const r = settle(db.query("SELEC * FROM person"))
        verify(r.error instanceof Error)
        verify(r.error.message.length > 0)
        verify(r.error.kind !== SurrealError.NoError, r.error.kindName)
    }

    function test_record_id_values_link_records() {
        const author = settle(db.create("person:tobie", { name: "Tobie" })).value
        compare(author.id, "person:tobie")
        const note = settle(db.insertOne("note", { text: "linked", author: db.recordId("person", "tobie") })).value
        compare(note.author, "person:tobie")
        const r = settle(db.query("SELECT VALUE author.name FROM ONLY $n", { n: db.recordId("note", note.id.split(":")[1]) }))
        compare(r.value[0], "Tobie")
    }

    function test_wrong_password_ends_in_error_status() {
        const other = createTemporaryObject(badLogin, testCase)
        tryCompare(other, "status", Database.Failed, 20000)
        verify(other.error.length > 0)
        compare(other.errorKind, "Authentication")
        compare(settle(other.count("person")).error.kind, SurrealError.Authentication, "calls fail with the sign-in error")
    }

    function test_close_and_open_again() {
        settle(db.query("DELETE person; CREATE person:one SET name = 'one'"))
        const closedSpy = createTemporaryQmlObject("import QtTest; SignalSpy { signalName: \"closed\" }", testCase)
        closedSpy.target = db
        db.close()
        compare(closedSpy.count, 1)
        compare(db.status, Database.Closed)
        compare(settle(db.count("person")).error.kind, SurrealError.Connection)
        db.open()
        tryCompare(db, "status", Database.Ready, 20000)
        compare(settle(db.count("person")).value, 1)
    }
}
