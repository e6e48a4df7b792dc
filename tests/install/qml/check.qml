// Run twice by tests/install/check.cmake against the installed module only: by the `qml` tool
// with the installed import path, and by the C++ app of this project (which links SurrealQt::Qml).
// Writes two rows, reads them back and exits 0, or prints what failed and exits 1.
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
        url: script.args[0]
        namespace: "install"
        database: "qml"
        user: script.args[1]
        password: script.args[2]

        onOpened: script.run()
        onErrorOccurred: (message, kind) => {
            console.log("error (" + kind + "): " + message)
            Qt.exit(1)
        }
    }

    function run() {
        db.query("DEFINE TABLE IF NOT EXISTS consumer SCHEMALESS; DELETE consumer")
            .then(() => db.insertMany("consumer", [{ n: 1 }, { n: 2 }]))
            .then(() => db.selectMany("consumer", { orderBy: "n" }))
            .then(rows => {
                console.log("qml consumer read " + rows.map(r => r.n).join(","))
                Qt.exit(rows.length === 2 && rows[1].n === 2 ? 0 : 1)
            })
            .catch(e => {
                console.log("failed: " + e.kind + ": " + e.message)
                Qt.exit(1)
            })
    }
}
