// A plain QML script for the `qml` tool: connect, write with the CRUD helpers, read back, quit.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/hello.qml -- ws://127.0.0.1:8000 root root
//
// (An installed module needs no QML_IMPORT_PATH.) Exits 0 on success, 1 on any error.
import QtQuick
import SurrealQt

// The qml tool of Qt 6.4 exits at once ("Did not load any objects") unless the root is a window
// or an item, so a script is an invisible Window.
Window {
    id: script
    visible: false

    // Everything after "--" on the qml tool's command line.
    readonly property var args: {
        const all = Qt.application.arguments
        const at = all.indexOf("--")
        return at < 0 ? [] : all.slice(at + 1)
    }

    property Database db: Database {
        url: script.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "hello"
        user: script.args[1] || "root"
        password: script.args[2] || "root"

        onOpened: script.run()
        onErrorOccurred: error => {
            console.log("error: " + error.message + " (" + error.context + ")")
            Qt.exit(1)
        }
    }

    function run() {
        // Promises chain; values always travel as bind variables.
        db.query("DEFINE TABLE IF NOT EXISTS book SCHEMALESS; DELETE book")
            .then(() => db.insertMany("book", [
                { title: "Dune", pages: 412 },
                { title: "Emma", pages: 474 },
                { title: "Coraline", pages: 162 }
            ]))
            .then(() => db.selectMany("book", { where: "pages > $min", vars: { min: 400 }, orderBy: "pages" }))
            .then(books => {
                for (const book of books)
                    console.log(book.title + " (" + book.pages + " pages) " + book.id)
                return db.count("book")
            })
            .then(n => {
                // The callback form: function(result, error).
                db.deleteMany("book", { where: "pages < $max", vars: { max: 200 } }, (removed, error) => {
                    console.log(n + " books, " + removed.length + " short one removed")
                    Qt.exit(error ? 1 : 0)
                })
            })
            .catch(e => {
                console.log("failed: " + e.kindName + ": " + e.message)
                Qt.exit(1)
            })
    }
}
