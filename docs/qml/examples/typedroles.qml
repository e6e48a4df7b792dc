// QueryModel with typed roles (QueryRole), in a plain script: a second Database stores members
// loosely (an age as text, a missing field), the model reads them as the declared types, an
// edit is converted to the role's type, and one that cannot be is refused naming the role.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/typedroles.qml -- ws://127.0.0.1:8000 root root
//
// Exits 0 when done, 1 on any error.
import QtQml
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
    property bool prepared: false

    property Database db: Database {
        url: script.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "typedroles"
        user: script.args[1] || "root"
        password: script.args[2] || "root"
        onErrorOccurred: error => script.fail(error)
    }

    // Another writer, storing values as it likes: text for a number, fields left out.
    property Database writer: Database {
        url: script.db.url
        namespace: "docs"
        database: "typedroles"
        user: script.db.user
        password: script.db.password
        onOpened: script.writer.query("DEFINE TABLE IF NOT EXISTS member SCHEMALESS; DELETE member;"
                                      + "CREATE member:ada SET name = 'Ada', age = '36', joined = '2024-05-01T10:00:00Z';"
                                      + "CREATE member:bob SET name = 'Bob'")
                      .then(() => { script.prepared = true })
                      .catch(e => script.fail(e))
    }

    property QueryModel members: QueryModel {
        database: script.prepared ? script.db : null
        table: "member"
        orderBy: "name"
        QueryRole { name: "name"; type: QueryRole.String }
        QueryRole { name: "age"; type: QueryRole.Int; defaultValue: 18 }
        QueryRole { name: "joined"; type: QueryRole.DateTime }

        onStatusChanged: if (script.members.status === QueryModel.Ready) script.show()
        onWriteFailed: (recordId, error) => script.fail(error)
    }

    // What a ListView's delegate would be: typed required properties.
    property Instantiator rows: Instantiator {
        model: script.members
        delegate: QtObject {
            required property string name
            required property int age
            required property date joined
        }
    }

    property bool shown: false
    function show() {
        if (shown)
            return
        shown = true
        for (let i = 0; i < rows.count; ++i) {
            const row = rows.objectAt(i)
            console.log(row.name + ": " + row.age + " (" + typeof row.age + "), joined "
                        + (isNaN(row.joined.getTime()) ? "unknown" : row.joined.toISOString()))
        }
        // Converted to the role's type before it is written: Bob's age is stored as the int 40.
        members.setProperty(1, "age", "40")
        try {
            members.setProperty(0, "age", "old")
        } catch (e) {
            console.log("refused: " + e.kindName + ": " + e.message)
        }
        storedCheck.start()
    }

    // setProperty() shows the edit at once and writes it in the background: the other writer
    // reads until the write landed.
    property Timer storedCheck: Timer {
        interval: 100
        repeat: true
        property int tries: 0
        onTriggered: {
            if (++tries > 50)
                script.fail({ message: "the edit was not stored", context: "typedroles.qml" })
            script.writer.query("SELECT VALUE type::of(age) FROM member:bob")
                .then(results => {
                    if (results[0][0] === "none" || !script.storedCheck.running)
                        return
                    script.storedCheck.stop()
                    console.log("stored age of Bob: " + results[0][0])
                    Qt.exit(0)
                })
                .catch(e => script.fail(e))
        }
    }

    function fail(error) {
        console.log("failed: " + error.message + " (" + error.context + ")")
        Qt.exit(1)
    }
}
