// BulkJob: many records in batches, with progress, cancel() and a result.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/bulkjob.qml -- ws://127.0.0.1:8000 root root
//
// Exits 0 when done, 1 on any error.
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
        database: "bulkjob"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onOpened: script.run()
        onErrorOccurred: error => script.fail(error)
    }

    property BulkJob job: BulkJob {
        database: script.db
        table: "reading"
        batchSize: 250
        ignoreErrors: true // try every item; failures are listed in the result
        // A ProgressBar would bind `value: job.progress`.
        onProgressChanged: {
            if (running)
                console.log("progress " + Math.round(progress * 100) + "%")
        }
    }

    function run() {
        const readings = []
        for (let i = 0; i < 5000; ++i)
            readings.push({ sensor: "s" + (i % 10), value: i % 100, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })
        readings[42].value = "broken" // refused by the schema: reported, the rest is written
        db.query("DEFINE TABLE IF NOT EXISTS reading SCHEMALESS; DELETE reading;"
                 + "DEFINE FIELD OVERWRITE value ON reading TYPE int")
            .then(() => job.start(readings))
            .then(result => {
                console.log(result.written + " written, " + result.failed + " failed in " + result.elapsedMs + " ms")
                for (const item of result.errors)
                    console.log("item " + item.index + ": " + item.error.kindName)
                return db.count("reading")
            })
            .then(n => {
                console.log(n + " readings stored")
                Qt.exit(0)
            })
            .catch(e => script.fail(e))
    }

    function fail(error) {
        // A rejection (a JavaScript Error) or a lastError (a surrealError): the same fields.
        console.log("failed: " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
