import QtQuick
import QtTest
import SurrealQt

// Every Database call in every argument form a script may write (with and without each optional
// argument, a callback or a promise), hostile JavaScript values, and the one error shape.
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "Calls"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "calls"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: badLogin
        Database {
            url: testCase.server.url // qmllint disable unqualified
            namespace: testCase.server.namespace // qmllint disable unqualified
            database: "calls"
            user: testCase.server.user // qmllint disable unqualified
            password: "wrong password"
        }
    }

    Component {
        id: spyComponent
        SignalSpy {}
    }

    // Waits for a Promise; returns {value} or {error}.
    function settle(promise) {
        verify(promise && typeof promise.then === "function", "a call returns a thenable")
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 10000, "promise settled")
        return box
    }

    // Calls `start(callback)`; returns {value, error, returned} once the callback ran (exactly once).
    function viaCallback(start) {
        const calls = []
        const returned = start((result, error) => calls.push({ value: result, error: error }))
        tryVerify(() => calls.length > 0, 10000, "callback called")
        wait(20)
        compare(calls.length, 1, "the callback runs exactly once")
        calls[0].returned = returned
        return calls[0]
    }

    function ok(box) {
        verify(box.error === undefined || box.error === null,
               box.error ? box.error.kindName + ": " + box.error.message : "")
        return box.value
    }

    function validation(box, text) {
        verify(box.error !== undefined && box.error !== null, "an error, not " + JSON.stringify(box.value))
        compare(box.error.kind, SurrealError.Validation, box.error.kindName + ": " + box.error.message)
        compare(box.error.kindName, "Validation")
        if (text !== undefined)
            verify(box.error.message.indexOf(text) >= 0, "'" + box.error.message + "' names '" + text + "'")
    }

    function noteCount() {
        return ok(settle(db.count("note")))
    }

    function initTestCase() {
        tryCompare(db, "status", Database.Ready, 20000)
        ok(settle(db.query("DEFINE TABLE IF NOT EXISTS note SCHEMALESS; DEFINE TABLE IF NOT EXISTS person SCHEMALESS")))
    }

    function init() {
        ok(settle(db.query("DELETE note; DELETE person; CREATE person:one SET name = 'one', age = 10;"
                           + "CREATE person:two SET name = 'two', age = 20")))
    }

    // Defect 1: a callback where the call expects vars/data, and a function inside data, crashed
    // the engine (JsConvert::fromJs recursed without end on a function value).
    function test_callback_in_place_of_vars_or_data_argument() {
        const q = viaCallback(cb => db.query("SELECT VALUE name FROM person ORDER BY name", cb))
        compare(q.returned, undefined, "with a callback there is no promise")
        compare(ok(q), [["one", "two"]])

        const c = viaCallback(cb => db.create("note", cb))
        verify(ok(c)[0].id.startsWith("note:"), JSON.stringify(c.value))
        compare(noteCount(), 1)
    }

    function test_hostile_values_are_validation_errors_naming_their_path_data() {
        const cyclic = { title: "loop" }
        cyclic.self = { parent: cyclic }
        const deep = {}
        let at = deep
        for (let i = 0; i < 500; ++i) {
            at.next = {}
            at = at.next
        }
        return [
            { tag: "function field", call: () => db.create("note", { text: "x", onDone: function() {} }),
              text: "data.onDone: a function cannot be stored" },
            { tag: "arrow in vars", call: () => db.query("RETURN $x", { x: () => 1 }),
              text: "vars.x: a function cannot be stored" },
            { tag: "function in an array of rows", call: () => db.insertMany("note", [{ a: 1 }, { b: [1, () => 2] }]),
              text: "rows[1].b[1]: a function cannot be stored" },
            { tag: "cyclic object", call: () => db.insertOne("note", cyclic),
              text: "data.self.parent: a cyclic structure cannot be stored" },
            { tag: "undefined field", call: () => db.insertOne("note", { a: undefined }),
              text: "data.a: undefined cannot be stored" },
            { tag: "hole in an array", call: () => db.insertOne("note", { list: [1, , 3] }),
              text: "data.list[1]: undefined cannot be stored" },
            { tag: "NaN", call: () => db.mergeOne("person:one", { age: NaN }),
              text: "data.age: NaN cannot be stored" },
            { tag: "Infinity", call: () => db.query("RETURN $n", { n: -Infinity }),
              text: "vars.n: -Infinity cannot be stored" },
            { tag: "invalid Date", call: () => db.insertOne("note", { when: new Date("no date") }),
              text: "data.when: an invalid Date cannot be stored" },
            { tag: "huge array", call: () => db.insertOne("note", { list: new Array(1000000000) }),
              text: "data.list: an array of 1000000000 items" },
            { tag: "deep nesting", call: () => db.insertOne("note", deep),
              text: "too deeply nested" },
            { tag: "QObject", call: () => db.insertOne("note", { item: testCase }),
              text: "data.item: a QML object" },
            { tag: "RegExp", call: () => db.insertOne("note", { re: /x/ }),
              text: "data.re: a RegExp cannot be stored" },
            { tag: "filter vars", call: () => db.selectMany("person", { where: "age > $f", vars: { f: () => 1 } }),
              text: "options.vars.f: a function cannot be stored" },
            { tag: "quoted key", call: () => db.insertOne("note", { "two words": NaN }),
              text: "data[\"two words\"]: NaN cannot be stored" },
        ]
    }

    function test_hostile_values_are_validation_errors_naming_their_path(data) {
        validation(settle(data.call()), data.text)
        compare(noteCount(), 0, "nothing was written")
        compare(ok(settle(db.selectOne("person:one"))).age, 10, "nothing was changed")
    }

    function test_hostile_values_reach_the_callback_too() {
        const r = viaCallback(cb => db.insertOne("note", { f: Math.max }, cb))
        compare(r.value, undefined)
        validation(r, "data.f: a function cannot be stored")
        compare(r.returned, undefined)
    }

    function test_values_that_can_be_stored_round_trip() {
        const when = new Date(Date.UTC(2024, 1, 29, 12, 30, 0))
        const stored = ok(settle(db.insertOne("note", {
            n: 3, x: 1.5, big: 9007199254740993, neg: -7, yes: true, none: null, text: "t", when: when,
            list: [1, "a", [2, { deep: true }]], nested: { a: { b: { c: 1 } } }, empty: {}, author: db.recordId("person", "one")
        })))
        compare(stored.n, 3)
        compare(stored.x, 1.5)
        compare(stored.neg, -7)
        compare(stored.yes, true)
        compare(stored.none, null)
        compare(stored.when.getTime(), when.getTime())
        compare(stored.list, [1, "a", [2, { deep: true }]])
        compare(stored.nested.a.b.c, 1)
        compare(stored.author, "person:one")
    }

    // Defect 2: every optional argument may be left out, the callback may be the last argument
    // everywhere, and an argument of the wrong kind is an error.
    function test_every_call_form_data() {
        return [
            { tag: "query(sql)", call: cb => db.query("RETURN 1", cb), expect: [1] },
            { tag: "query(sql, vars)", call: cb => db.query("RETURN $a", { a: 2 }, cb), expect: [2] },
            { tag: "select(table)", call: cb => db.select("person", cb), check: v => v.length === 2 },
            { tag: "select(id)", call: cb => db.select("person:one", cb), check: v => v.name === "one" },
            { tag: "create(table)", call: cb => db.create("note", cb), check: v => v[0].id.startsWith("note:") },
            { tag: "create(id, data)", call: cb => db.create("note:c", { t: 1 }, cb), check: v => v.t === 1 },
            { tag: "insert(table, data)", call: cb => db.insert("note", [{ t: 1 }, { t: 2 }], cb), check: v => v.length === 2 },
            { tag: "update(id, data)", call: cb => db.update("person:one", { name: "u" }, cb), check: v => v.name === "u" && v.age === undefined },
            { tag: "merge(id, data)", call: cb => db.merge("person:one", { name: "m" }, cb), check: v => v.name === "m" && v.age === 10 },
            { tag: "upsert(id, data)", call: cb => db.upsert("person:three", { name: "3" }, cb), check: v => v.name === "3" },
            { tag: "remove(id)", call: cb => db.remove("person:one", cb), check: v => v.name === "one" },
            { tag: "insertOne", call: cb => db.insertOne("note", { t: 1 }, cb), check: v => v.t === 1 },
            { tag: "insertMany", call: cb => db.insertMany("note", [{ t: 1 }], cb), check: v => v.length === 1 },
            { tag: "selectOne", call: cb => db.selectOne("person:two", cb), check: v => v.age === 20 },
            { tag: "selectMany(table)", call: cb => db.selectMany("person", cb), check: v => v.length === 2 },
            { tag: "selectMany(table, where)", call: cb => db.selectMany("person", "age > 15", cb), check: v => v.length === 1 },
            { tag: "selectMany(table, options)", call: cb => db.selectMany("person", { orderBy: "age DESC", limit: 1 }, cb), check: v => v[0].age === 20 },
            { tag: "updateOne", call: cb => db.updateOne("person:one", { name: "r" }, cb), check: v => v.name === "r" && v.age === undefined },
            { tag: "mergeOne", call: cb => db.mergeOne("person:one", { age: 11 }, cb), check: v => v.age === 11 },
            { tag: "updateMany", call: cb => db.updateMany("person", { where: "age > $a", vars: { a: 15 } }, { old: true }, cb), check: v => v.length === 1 },
            { tag: "upsertOne", call: cb => db.upsertOne("person:four", { age: 4 }, cb), check: v => v.age === 4 },
            { tag: "deleteOne", call: cb => db.deleteOne("person:two", cb), check: v => v.age === 20 },
            { tag: "deleteMany", call: cb => db.deleteMany("person", { where: "age < 15" }, cb), check: v => v.length === 1 },
            { tag: "count(table)", call: cb => db.count("person", cb), expect: 2 },
            { tag: "count(table, where)", call: cb => db.count("person", "age > 15", cb), expect: 1 },
            { tag: "count(table, options)", call: cb => db.count("person", { where: "age > $a", vars: { a: 5 } }, cb), expect: 2 },
            { tag: "exists", call: cb => db.exists("person:one", cb), expect: true },
            { tag: "exists(missing)", call: cb => db.exists("person:nobody", cb), expect: false },
            { tag: "create(table, data)", call: cb => db.create("note", { t: 2 }, cb), check: v => v[0].t === 2 },
            { tag: "select(recordId value)", call: cb => db.select(db.recordId("person", "two"), cb), check: v => v.age === 20 },
            { tag: "remove(table)", call: cb => db.remove("person", cb), check: v => v.length === 2 },
            { tag: "insert(table, object)", call: cb => db.insert("note", { t: 3 }, cb), check: v => (Array.isArray(v) ? v[0] : v).t === 3 },
            { tag: "selectOne(recordId value)", call: cb => db.selectOne(db.recordId("person", "one"), cb), check: v => v.name === "one" },
            { tag: "selectOne(missing)", call: cb => db.selectOne("person:nobody", cb), expect: null },
            { tag: "mergeOne(recordId value)", call: cb => db.mergeOne(db.recordId("person", "two"), { age: 21 }, cb), check: v => v.age === 21 },
            { tag: "updateMany(table, where, data)", call: cb => db.updateMany("person", "age > 15", { old: true }, cb), check: v => v.length === 1 && v[0].old },
            { tag: "deleteMany(table, where)", call: cb => db.deleteMany("person", "age < 15", cb), check: v => v.length === 1 },
            { tag: "deleteMany(table, options)", call: cb => db.deleteMany("person", { where: "age > $a", vars: { a: 0 } }, cb), check: v => v.length === 2 },
            { tag: "selectMany(table, all options)", call: cb => db.selectMany("person", { where: "age > $a", vars: { a: 0 }, orderBy: "age", limit: 1, start: 1 }, cb), check: v => v.length === 1 && v[0].age === 20 },
        ]
    }

    function test_every_call_form(data) {
        // With a callback as the last argument...
        const viaCb = viaCallback(data.call)
        compare(viaCb.returned, undefined, "with a callback there is no promise")
        const v1 = ok(viaCb)
        if (data.check)
            verify(data.check(v1), JSON.stringify(v1))
        else
            compare(v1, data.expect)
        // ... and the same call without it: a promise.
        init()
        const v2 = ok(settle(data.call(undefined)))
        if (data.check)
            verify(data.check(v2), JSON.stringify(v2))
        else
            compare(v2, data.expect)
    }

    function test_wrong_kind_of_argument_data() {
        return [
            { tag: "record id as a number", call: cb => db.selectOne(42, cb), text: "recordId must be" },
            { tag: "table as an object", call: cb => db.count({ table: "person" }, cb), text: "table must be" },
            { tag: "options as a number", call: cb => db.count("person", 5, cb), text: "options must be" },
            { tag: "data as text", call: cb => db.insertOne("person", "x", cb), text: "data must be an object" },
            { tag: "rows as an object", call: cb => db.insertMany("person", { a: 1 }, cb), text: "rows must be an array" },
            { tag: "vars as an array", call: cb => db.query("RETURN 1", [1], cb), text: "vars must be an object" },
            { tag: "sql as a function", call: cb => db.query(cb), text: "surrealql is missing" },
            { tag: "missing data", call: cb => db.insertOne("person", cb), text: "data is missing" },
            { tag: "missing data of updateMany", call: cb => db.updateMany("person", { where: "true" }, cb), text: "data is missing" },
            { tag: "missing options of deleteMany", call: cb => db.deleteMany("person", cb), text: "options is missing" },
            { tag: "models' names in a call", call: cb => db.selectMany("person", { filter: "age > $a", bindings: { a: 1 } }, cb),
              text: "'filter' (calls say where and vars" },
            { tag: "limit as text", call: cb => db.selectMany("person", { limit: "ten" }, cb), text: "limit must be" },
        ]
    }

    function test_wrong_kind_of_argument(data) {
        const r = viaCallback(data.call)
        validation(r, data.text)
        validation(settle(data.call(undefined)), data.text)
        compare(ok(settle(db.count("person"))), 2, "nothing was touched")
    }

    function test_callback_that_is_not_a_function_is_a_rejection() {
        const r = settle(db.count("person", {}, "not a function"))
        validation(r, "callback must be a function")
    }

    // Defect 3: one error shape for promise rejections, Database.errorOccurred and the models.
    function test_error_shape_of_a_rejection() {
        const r = settle(db.deleteOne("person:nobody"))
        verify(r.error instanceof Error)
        compare(r.error.kind, SurrealError.NotFound)
        compare(r.error.kindName, "NotFound")
        verify(r.error.message.length > 0)
        compare(typeof r.error.details, "object")
        compare(r.error.retryable, false)
        compare(r.error.valid, true)
        compare(r.error.itemErrors, [])
        verify(r.error.context.length > 0)

        const parse = settle(db.query("SELEC * FROM person"))
        compare(parse.error.kind, SurrealError.Parse, parse.error.kindName)
        compare(typeof parse.error.serverKind, "string")
    }

    function test_error_shape_of_database_and_models() {
        const other = createTemporaryObject(badLogin, testCase)
        const spy = createTemporaryObject(spyComponent, testCase, { target: other, signalName: "errorOccurred" })
        tryCompare(other, "status", Database.Failed, 20000)
        verify(spy.count >= 1)
        const e = spy.signalArguments[0][0]
        compare(e.kind, SurrealError.Authentication)
        verify(e.message.length > 0)
        compare(other.lastError.kind, SurrealError.Authentication)
        compare(other.lastError.message, e.message)
        compare(settle(other.count("person")).error.kind, SurrealError.Authentication)

        const model = createTemporaryQmlObject(
            "import SurrealQt; QueryModel { query: 'SELEC nonsense' }", testCase)
        model.database = db
        tryCompare(model, "status", QueryModel.Failed, 10000)
        compare(model.lastError.kind, SurrealError.Parse)
        verify(model.lastError.message.length > 0)
        compare(model.errorKind, "Parse", "the deprecated text property still works")
    }

    function test_hostile_credentials_end_in_error_status() {
        const other = createTemporaryObject(badLogin, testCase, {
            credentials: { level: "record", access: "user", variables: { email: "a@b", check: () => true } }
        })
        tryCompare(other, "status", Database.Failed, 10000)
        compare(other.lastError.kind, SurrealError.Validation)
        verify(other.lastError.message.indexOf("credentials.variables.check: a function cannot be stored") >= 0,
               other.lastError.message)
    }

    function test_record_id_with_a_value_that_is_no_key_throws() {
        let thrown = null
        try {
            db.recordId("person", () => 1)
        } catch (e) {
            thrown = e
        }
        verify(thrown !== null, "recordId() answers at once, so it throws")
        compare(thrown.kind, SurrealError.Validation)
        verify(thrown.message.indexOf("id: a function cannot be stored") >= 0, thrown.message)
    }

    // Status names: Failed everywhere (as QueryModel and ModelListModel); the elements' old name
    // Error is kept as a deprecated alias of the same value, so existing QML keeps working.
    function test_status_failed_and_its_deprecated_alias() {
        compare(Database.Error, Database.Failed)
        compare(Record.Error, Record.Failed)
        compare(LiveQuery.Error, LiveQuery.Failed)
        verify(Database.Failed !== Database.Ready && Database.Failed !== Database.Closed)
        const other = createTemporaryObject(badLogin, testCase)
        tryCompare(other, "status", Database.Failed, 20000)
        verify(other.status === Database.Error, "the old name still matches")
    }
}
