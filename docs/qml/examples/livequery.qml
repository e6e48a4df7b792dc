// LiveQuery: the changes of a table as signals. A second Database (its own sockets: another
// writer) creates, edits and deletes messages; the LiveQuery reports each change.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/livequery.qml -- ws://127.0.0.1:8000 root root
//
// Exits 0 once it saw the five changes, 1 on any error.
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
    property int changes: 0

    property Database db: Database {
        url: script.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "livequery"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onErrorOccurred: error => script.fail(error)
    }

    property Database writer: Database {
        url: script.db.url
        namespace: "docs"
        database: "livequery"
        user: script.db.user
        password: script.db.password
        onOpened: script.writer.query("DEFINE TABLE IF NOT EXISTS message SCHEMALESS; DELETE message")
                      .then(() => { script.live.active = true })
                      .catch(e => script.fail(e))
    }

    property LiveQuery live: LiveQuery {
        database: script.db
        table: "message"
        filter: "room = $room"
        bindings: ({ room: "general" })
        active: false // until the table is there

        onStatusChanged: {
            if (status === LiveQuery.Active)
                script.write()
            else if (status === LiveQuery.Failed)
                script.fail(lastError)
        }
        onCreated: record => script.seen("created " + record.text)
        onUpdated: record => script.seen("updated " + record.text)
        onDeleted: (recordId, before) => script.seen("deleted " + recordId + " (" + before.text + ")")
    }

    // The other writer; the message of another room is not reported.
    function write() {
        writer.create("message:one", { room: "general", text: "hello" })
            .then(() => writer.create("message:two", { room: "general", text: "world" }))
            .then(() => writer.create("message:three", { room: "random", text: "elsewhere" }))
            .then(() => writer.mergeOne("message:one", { text: "hello again" }))
            .then(() => writer.deleteOne("message:two"))
            .then(() => writer.create("message:four", { room: "general", text: "bye" }))
            .catch(e => script.fail(e))
    }

    function seen(line) {
        console.log(line)
        if (++changes === 5) {
            console.log(changes + " changes")
            Qt.exit(0)
        }
    }

    function fail(error) {
        // A rejection (a JavaScript Error) or a lastError (a surrealError): the same fields.
        console.log("failed: " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
