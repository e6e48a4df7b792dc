import QtQuick
import QtTest
import SurrealQt

// Run by Qt's own qmltestrunner (no C++ of the project) against the installed module, with no
// server: every documented call that takes values, in its promise and its callback form, and
// every element that takes values, given each hostile JavaScript value: a Validation error that
// names the value's path, never a crash and never a call sent. (The same against the real engine,
// and what reaches the database, in calls_test.qml and the element tests.)
TestCase {
    id: testCase
    name: "Standalone"

    // No url: nothing is ever sent; the arguments are checked first.
    Database {
        id: db
    }

    QueryModel {
        id: model
        database: db
        table: "t"
    }

    Component {
        id: recordComponent
        Record {
            database: db // qmllint disable unqualified
            recordId: "t:1"
        }
    }

    function settle(promise) {
        verify(promise && typeof promise.then === "function", "a thenable")
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 5000, "promise settled")
        return box
    }

    function viaCallback(start) {
        const calls = []
        const returned = start((result, error) => calls.push({ value: result, error: error }))
        compare(returned, undefined, "no promise with a callback")
        tryVerify(() => calls.length > 0, 5000, "callback called")
        wait(5)
        compare(calls.length, 1, "the callback runs exactly once")
        return calls[0]
    }

    function validation(error, texts, where) {
        verify(error !== undefined && error !== null, where + ": an error")
        compare(error.kind, SurrealError.Validation, where + ": " + error.kindName + ": " + error.message)
        for (const text of texts)
            verify(error.message.indexOf(text) >= 0, where + ": '" + error.message + "' names '" + text + "'")
    }

    // Each hostile value, and what its error must say.
    function hostileValues() {
        const cyclic = { name: "loop" }
        cyclic.self = cyclic
        const deep = {}
        let at = deep
        for (let i = 0; i < 200; ++i) {
            at.next = {}
            at = at.next
        }
        return [
            ["function", function() { return 1 }, "a function cannot be stored"],
            ["arrow function", () => 1, "a function cannot be stored"],
            ["method", Math.max, "a function cannot be stored"],
            ["cyclic object", cyclic, "a cyclic structure cannot be stored"],
            ["undefined", undefined, "undefined cannot be stored"],
            ["NaN", NaN, "NaN cannot be stored"],
            ["Infinity", Infinity, "Infinity cannot be stored"],
            ["huge array", new Array(1000000000), "an array of 1000000000 items cannot be sent"],
            ["deep nesting", deep, "too deeply nested"],
            ["QML object", testCase, "a QML object"],
            ["RegExp", /x+/, "a RegExp cannot be stored"],
            ["Error object", new Error("boom"), "an Error object cannot be stored"],
            ["invalid Date", new Date("no date"), "an invalid Date cannot be stored"],
        ]
    }

    // Every documented call that takes values; `v` is where the hostile value goes, `path` how
    // the error names it.
    function test_every_call_refuses_hostile_values_data() {
        return [
            { tag: "query(sql, vars)", call: (v, cb) => db.query("RETURN $v", { v: v }, cb), path: "vars.v" },
            { tag: "create(table, data)", call: (v, cb) => db.create("t", { v: v }, cb), path: "data.v" },
            { tag: "create(id, data)", call: (v, cb) => db.create("t:1", { v: v }, cb), path: "data.v" },
            { tag: "insert(table, object)", call: (v, cb) => db.insert("t", { v: v }, cb), path: ".v" },
            { tag: "insert(table, array)", call: (v, cb) => db.insert("t", [{ a: 1 }, { v: v }], cb), path: "[1].v" },
            { tag: "update(id, data)", call: (v, cb) => db.update("t:1", { v: v }, cb), path: "data.v" },
            { tag: "merge(id, data)", call: (v, cb) => db.merge("t:1", { v: v }, cb), path: "data.v" },
            { tag: "upsert(id, data)", call: (v, cb) => db.upsert("t:1", { v: v }, cb), path: "data.v" },
            { tag: "insertOne", call: (v, cb) => db.insertOne("t", { v: v }, cb), path: "data.v" },
            { tag: "insertMany", call: (v, cb) => db.insertMany("t", [{ a: 1 }, { v: v }], cb), path: "rows[1].v" },
            { tag: "selectMany options.vars", call: (v, cb) => db.selectMany("t", { where: "a = $v", vars: { v: v } }, cb), path: "options.vars.v" },
            { tag: "updateOne", call: (v, cb) => db.updateOne("t:1", { v: v }, cb), path: "data.v" },
            { tag: "mergeOne", call: (v, cb) => db.mergeOne("t:1", { v: v }, cb), path: "data.v" },
            { tag: "updateMany data", call: (v, cb) => db.updateMany("t", { where: "true" }, { v: v }, cb), path: "data.v" },
            { tag: "updateMany options.vars", call: (v, cb) => db.updateMany("t", { where: "a = $v", vars: { v: v } }, { a: 1 }, cb), path: "options.vars.v" },
            { tag: "upsertOne", call: (v, cb) => db.upsertOne("t:1", { v: v }, cb), path: "data.v" },
            { tag: "deleteMany options.vars", call: (v, cb) => db.deleteMany("t", { where: "a = $v", vars: { v: v } }, cb), path: "options.vars.v" },
            { tag: "count options.vars", call: (v, cb) => db.count("t", { where: "a = $v", vars: { v: v } }, cb), path: "options.vars.v" },
        ]
    }

    function test_every_call_refuses_hostile_values(data) {
        for (const [what, value, text] of hostileValues()) {
            // The promise form (no callback), then the callback form.
            validation(settle(data.call(value, undefined)).error, [data.path, text], what + " (promise)")
            validation(viaCallback(cb => data.call(value, cb)).error, [data.path, text], what + " (callback)")
        }
    }

    // A callback where data belongs (the first defect of issue 16 crashed here).
    function test_function_in_place_of_data() {
        validation(viaCallback(cb => db.insertOne("t", cb)).error, ["data is missing"], "insertOne(table, cb)")
        validation(settle(db.insertOne("t", { a: 1 }, "not a function")).error, ["callback must be a function"], "a callback that is none")
    }

    function test_record_id_throws() {
        for (const [what, value, text] of hostileValues()) {
            if (what === "undefined")
                continue // recordId(table) without a key: a record id of the table alone
            let thrown = null
            try {
                db.recordId("t", value)
            } catch (e) {
                thrown = e
            }
            validation(thrown, ["id", text], what)
        }
    }

    function test_query_model_editing_throws() {
        for (const [what, value, text] of hostileValues()) {
            let thrown = null
            try {
                model.append({ a: 1, v: value })
            } catch (e) {
                thrown = e
            }
            validation(thrown, ["object.v", text], "append " + what)
        }
        let thrown = null
        try {
            model.append(() => 1)
        } catch (e) {
            thrown = e
        }
        validation(thrown, ["append() takes an object"], "append(function)")
        compare(model.count, 0, "nothing added")
        verify(!model.setProperty(0, "v", 1), "no such row")
        verify(!model.remove(0), "no such row")
    }

    function test_record_save_refuses_hostile_fields() {
        for (const [what, value, text] of hostileValues()) {
            const record = createTemporaryObject(recordComponent, testCase)
            record.set("v", value)
            const r = settle(record.save())
            verify(r.error !== undefined, what)
            // A value the engine cannot even hold as a QVariant (undefined, a function) may
            // arrive as nothing; either way save() refuses, naming the field when it can.
            verify(r.error.kind === SurrealError.Validation || r.error.kind === SurrealError.Connection,
                   what + ": " + r.error.kindName + ": " + r.error.message)
        }
    }

    function test_status_names() {
        compare(db.status, Database.Null)
        compare(Database.Error, Database.Failed, "the deprecated name is the same value")
        compare(Record.Error, Record.Failed)
        compare(LiveQuery.Error, LiveQuery.Failed)
    }
}
