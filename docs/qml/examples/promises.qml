// Promise chains and trailing callbacks in Qt 6.4's JavaScript (no async/await): every Database
// call returns a thenable and takes an optional callback as its last argument.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/promises.qml -- ws://127.0.0.1:8000 root root
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
        database: "promises"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onOpened: script.chain()
        onErrorOccurred: error => script.fail(error)
    }

    // 1. A chain: each then() returns the next call's promise; one catch() at the end sees the
    //    first failure, whichever step it was.
    function chain() {
        db.query("DEFINE TABLE IF NOT EXISTS city SCHEMALESS; DELETE city")
            .then(() => db.insertOne("city", { name: "Lyon", people: 522000 }))
            .then(lyon => {
                console.log("created " + lyon.id)
                return db.mergeOne(lyon.id, { people: 523000 })
            })
            .then(lyon => db.count("city", { where: "people > $n", vars: { n: 0 } }).then(n => [lyon, n]))
            .then(([lyon, n]) => {
                console.log(lyon.name + " has " + lyon.people + " people; " + n + " city")
                script.callbacks()
            })
            .catch(e => script.fail(e))
    }

    // 2. The same calls with a callback as the last argument: callback(result, error), called
    //    once, never inside the call itself.
    function callbacks() {
        db.insertOne("city", { name: "Nantes", people: 320000 }, (nantes, error) => {
            if (error)
                return script.fail(error)
            db.count("city", (n, error2) => {
                if (error2)
                    return script.fail(error2)
                console.log("callbacks: " + nantes.name + " added, " + n + " cities")
                script.errors()
            })
        })
    }

    // 3. Branching on an error's kind; a rejected step skips to the catch, then() after catch()
    //    runs again (the chain recovered).
    function errors() {
        db.selectOne("city:nowhere")
            .then(city => {
                console.log("selectOne of a missing record resolves with " + city)
                return db.deleteOne("city:nowhere")
            })
            .then(() => console.log("not reached"))
            .catch(e => {
                if (e.kind !== SurrealError.NotFound)
                    throw e
                console.log("deleteOne: " + e.kindName + " (" + e.context + ")")
            })
            .then(() => {
                console.log("done")
                Qt.exit(0)
            })
            .catch(e => script.fail(e))
    }

    function fail(error) {
        console.log("failed: " + error.kindName + ": " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
