// Record: one record as properties to bind and edit, save() to write the edits, `live` to follow
// another writer.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/record.qml -- ws://127.0.0.1:8000 root root
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
        database: "record"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onOpened: script.db.query("DEFINE TABLE IF NOT EXISTS profile SCHEMALESS; DELETE profile")
                      .then(() => { script.profile.recordId = "profile:ada" })
                      .catch(e => script.fail(e))
        onErrorOccurred: error => script.fail(error)
    }

    property Record profile: Record {
        database: script.db
        live: true
        // What a screen binds: it follows every change of the field.
        readonly property string title: fields.name !== undefined ? fields.name + " (" + fields.born + ")" : "-"
        onTitleChanged: console.log("title: " + title)

        onStatusChanged: {
            if (status === Record.NotFound && !script.created) {
                // No such record yet: save() creates it with the fields set here.
                script.created = true
                set("name", "Ada")
                set("born", 1815)
                save().then(() => script.otherWriter())
                      .catch(e => script.fail(e))
            }
        }
        onChangedRemotely: {
            if (fields.name === "Ada Lovelace") {
                console.log("changed by the other writer, dirty: " + dirty)
                Qt.exit(0)
            }
        }
        onErrorOccurred: error => script.fail(error)
    }
    property bool created: false

    // Another connection renames her; the Record follows because it is live.
    property Database other: Database {
        url: script.db.url
        namespace: "docs"
        database: "record"
        user: script.db.user
        password: script.db.password
    }

    function otherWriter() {
        other.mergeOne("profile:ada", { name: "Ada Lovelace" }).catch(e => script.fail(e))
    }

    function fail(error) {
        // A rejection (a JavaScript Error) or a lastError (a surrealError): the same fields.
        console.log("failed: " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
