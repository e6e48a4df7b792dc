// QueryModel's ListModel-style editing: append(), set(), setProperty(), remove() and clear() are
// real writes, shown at once and rolled back when the database refuses them; a second writer
// (another connection, as another window or process would be) adds a task the live model shows.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/editing.qml -- ws://127.0.0.1:8000 root root
//
// Exits 0 when done, 1 on any unexpected error.
import QtQuick
import SurrealQt

Window {
    id: script
    visible: false

    readonly property var args: {
        const all = Qt.application.arguments
        const at = all.indexOf("--")
        return at < 0 ? [] : all.slice(at + 1)
    }

    property Database db: Database {
        url: script.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "editing"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onOpened: script.db.query("DEFINE TABLE IF NOT EXISTS task SCHEMALESS; DELETE task;"
                                  + "DEFINE FIELD OVERWRITE title ON task TYPE string ASSERT string::len($value) < 20")
                      .then(() => { script.tasks.database = script.db })
                      .catch(e => script.fail(e))
        onErrorOccurred: error => script.fail(error)
    }

    property Database other: Database {
        url: script.db.url
        namespace: "docs"
        database: "editing"
        user: script.db.user
        password: script.db.password
    }

    property QueryModel tasks: QueryModel {
        table: "task"
        orderBy: "n"
        roles: ["n", "title", "done"]
        live: true
        onWriteFailed: (recordId, error) => {
            console.log("refused (" + error.kindName + "): " + recordId + " shows \"" + get(rowOf(recordId)).title + "\" again")
            script.refusals += 1
        }
        onStatusChanged: {
            if (status === QueryModel.Ready && !script.started) {
                script.started = true
                script.run()
            }
        }
    }
    property bool started: false
    property int refusals: 0

    function run() {
        tasks.append([{ n: 1, title: "write docs" }, { n: 2, title: "test" }, { n: 3, title: "ship" }])
        when(() => tasks.count === 3)
            .then(() => {
                tasks.set(0, { title: "write the docs", done: true }) // one write of both fields
                tasks.setProperty(1, "title", "a title far too long") // refused by the ASSERT: rolled back
                return when(() => script.refusals === 1)
            })
            .then(() => storedWhen(rows => rows.length === 3 && rows[0].done === true))
            .then(rows => {
                console.log("stored: " + rows.map(r => r.title + (r.done ? " (done)" : "")).join(", "))
                return other.insertOne("task", { n: 4, title: "from elsewhere" })
            })
            .then(() => when(() => tasks.count === 4))
            .then(() => {
                console.log("the live model shows the other writer's task: " + tasks.get(3).title)
                tasks.remove(2, 2)
                return storedWhen(rows => rows.length === 2)
            })
            .then(rows => {
                console.log("after remove: " + rows.length + " tasks")
                tasks.clear()
                return storedWhen(rows => rows.length === 0)
            })
            .then(() => {
                console.log("after clear: 0 tasks")
                Qt.exit(0)
            })
            .catch(e => script.fail(e))
    }

    // Resolves after `ms` milliseconds (Qt 6.4's JavaScript has no setTimeout in QML).
    function wait(ms) {
        return new Promise(resolve => {
            const timer = Qt.createQmlObject("import QtQml; Timer { running: true }", script)
            timer.interval = ms
            timer.triggered.connect(() => {
                timer.destroy()
                resolve()
            })
        })
    }

    // Resolves once condition() holds (checked every 20 ms).
    function when(condition) {
        return condition() ? Promise.resolve() : wait(20).then(() => when(condition))
    }

    // The rows as the second writer reads them, once they satisfy check(rows).
    function storedWhen(check) {
        return other.selectMany("task", { orderBy: "n" })
            .then(rows => check(rows) ? rows : wait(50).then(() => storedWhen(check)))
    }

    function fail(error) {
        console.log("failed: " + error.kindName + ": " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
