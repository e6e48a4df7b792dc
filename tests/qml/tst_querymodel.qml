import QtQuick
import QtTest
import SurrealQt

TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "QueryModel"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "querymodel"
        user: testCase.server.user
        password: testCase.server.password
    }

    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: modelComponent
        QueryModel {
            database: db // qmllint disable unqualified
            table: "item"
            orderBy: "n"
            roles: ["n", "name"]
            live: true
        }
    }

    // What a QML view sees: one delegate per row, reading the roles by name.
    Component {
        id: repeaterComponent
        Repeater {
            delegate: Item {
                required property int n
                required property string name
                objectName: name + "=" + n
            }
        }
    }

    function settle(promise) {
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 10000, "promise settled")
        verify(box.error === undefined, box.error ? box.error.message : "")
        return box.value
    }

    function names(model) {
        const out = []
        for (let i = 0; i < model.count; ++i)
            out.push(model.get(i).name)
        return out
    }

    function init() {
        tryCompare(db, "status", Database.Ready, 20000)
        settle(db.query("DEFINE TABLE IF NOT EXISTS item SCHEMALESS; DELETE item"))
        const rows = []
        for (let i = 1; i <= 5; ++i)
            rows.push({ n: i, name: "item" + i })
        settle(db.insertMany("item", rows))
    }

    function test_loads_rows_in_order_with_roles() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        compare(model.count, 5)
        compare(names(model), ["item1", "item2", "item3", "item4", "item5"])
        verify(model.idOf(0).startsWith("item:"), model.idOf(0))
        compare(model.error, "")
        // A plain number in QML (the C++ qint64 is shadowed for the tools).
        tryCompare(model, "totalCount", 5, 10000)
        compare(typeof model.totalCount, "number")

        const repeater = createTemporaryObject(repeaterComponent, testCase, { model: model })
        compare(repeater.count, 5)
        compare(repeater.itemAt(2).objectName, "item3=3")
    }

    function test_filter_and_bindings_reload() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        model.bindings = { min: 3 }
        model.filter = "n >= $min"
        tryVerify(() => model.status === QueryModel.Ready && model.count === 3, 10000)
        compare(names(model), ["item3", "item4", "item5"])
        model.bindings = { min: 5 }
        tryVerify(() => model.status === QueryModel.Ready && model.count === 1, 10000)
        compare(model.get(0).name, "item5")
    }

    function test_live_changes_from_the_database_calls() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)

        settle(db.insertOne("item", { n: 3.5, name: "between" }))
        tryCompare(model, "count", 6, 10000)
        compare(model.get(3).name, "between", "a new row appears where the order puts it")

        settle(db.mergeOne(model.idOf(0), { name: "renamed" }))
        tryVerify(() => model.get(0).name === "renamed", 10000)

        settle(db.deleteOne(model.idOf(1)))
        tryCompare(model, "count", 5, 10000)
        compare(names(model), ["renamed", "item3", "between", "item4", "item5"])
    }

    function test_setField_writes_through() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", QueryModel.Ready, 10000)
        const id = model.idOf(4)
        verify(model.setField(4, "name", "edited"))
        compare(model.get(4).name, "edited", "shown at once")
        // The last answer is kept between polls: tryVerify evaluates the function once more
        // after it turned true, and a fresh request could not answer within that call.
        const box = { name: undefined, asking: false }
        tryVerify(() => {
            if (!box.asking) {
                box.asking = true
                db.selectOne(id).then(r => { box.name = r.name; box.asking = false },
                                      () => { box.asking = false })
            }
            return box.name === "edited"
        }, 10000, "stored")
    }

    function test_bad_query_ends_in_error_status() {
        const model = createTemporaryObject(modelComponent, testCase, { table: "", live: false, query: "SELEC nonsense" })
        tryCompare(model, "status", QueryModel.Failed, 10000)
        verify(model.error.length > 0)
        verify(model.errorKind !== "")
    }
}
