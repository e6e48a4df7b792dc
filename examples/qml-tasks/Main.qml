// The task list: add, toggle done, delete, filter; every instance on the same database
// sees the others' changes live.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SurrealQt

ApplicationWindow {
    id: window

    required property url url
    required property string user
    required property string password
    // Fill an empty table with a few tasks (the --screenshot run starts on an empty database).
    property bool seedDemoData: false
    // The namespace the tasks live in (tests run each on a namespace of their own).
    property string databaseNamespace: "examples"

    property bool schemaReady: false
    // True once the list shows its rows (main.cpp waits for it before a screenshot).
    readonly property bool loaded: schemaReady && tasks.status === QueryModel.Ready && tasks.count > 0
    readonly property string statusText: {
        if (db.status !== Database.Ready)
            return db.error !== "" ? "Database: " + db.error : "Connecting to " + db.url + "…"
        if (tasks.status === QueryModel.Error)
            return "Error: " + tasks.error
        if (tasks.status === QueryModel.Loading)
            return "Loading…"
        return tasks.count + (tasks.count === 1 ? " task" : " tasks") + " · live"
    }

    width: 420
    height: 520
    visible: true
    title: qsTr("Tasks")

    Database {
        id: db
        url: window.url
        namespace: window.databaseNamespace
        database: "tasks"
        user: window.user
        password: window.password

        onOpened: window.prepare()
        onErrorOccurred: error => console.warn("database error: " + error.message)
    }

    QueryModel {
        id: tasks
        // Reading a table that does not exist yet is an error: load once prepare() defined it.
        database: window.schemaReady ? db : null
        table: "task"
        roles: ["title", "done", "created"]
        orderBy: "created"
        live: true
        filter: {
            const parts = []
            if (show.currentIndex > 0)
                parts.push("done = $done")
            if (search.text.trim() !== "")
                parts.push("string::contains(string::lowercase(title), $q)")
            return parts.join(" AND ")
        }
        // Values reach the database only as bind variables.
        bindings: ({ done: show.currentIndex === 2, q: search.text.trim().toLowerCase() })

        onWriteRefused: (recordId, message) => window.flash("Not saved: " + message)
    }

    function prepare() {
        db.query("DEFINE TABLE IF NOT EXISTS task SCHEMALESS;"
                 + "DEFINE FIELD IF NOT EXISTS created ON task TYPE datetime DEFAULT time::now();"
                 + "DEFINE INDEX IF NOT EXISTS task_created ON task FIELDS created")
            .then(() => db.count("task"))
            .then(n => {
                if (n > 0 || !window.seedDemoData)
                    return null
                return db.insertMany("task", [
                    { title: "Write the release notes", done: true },
                    { title: "Review the live list model", done: false },
                    { title: "Try the contacts example", done: false },
                    { title: "Run qmllint on the module", done: true },
                    { title: "Take screenshots for the docs", done: false }
                ])
            })
            .then(() => { window.schemaReady = true })
            .catch(e => window.flash("Setup failed: " + e.message))
    }

    function addTask() {
        const title = newTitle.text.trim()
        if (title === "")
            return
        newTitle.clear()
        // A CRUD helper: resolves with the created record (its id as "task:…" text).
        db.insertOne("task", { title: title, done: false })
            .catch(e => window.flash("Could not add: " + e.message))
    }

    function flash(text) {
        message.text = text
        messageTimer.restart()
    }

    header: ToolBar {
        ColumnLayout {
            anchors.fill: parent
            anchors.margins: 6
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: newTitle
                    objectName: "newTitle"
                    Layout.fillWidth: true
                    placeholderText: qsTr("What needs doing?")
                    onAccepted: window.addTask()
                }
                Button {
                    text: qsTr("Add")
                    enabled: db.ready
                    onClicked: window.addTask()
                }
            }
            RowLayout {
                Layout.fillWidth: true
                ComboBox {
                    id: show
                    objectName: "showFilter"
                    model: [qsTr("All"), qsTr("Open"), qsTr("Done")]
                }
                TextField {
                    id: search
                    Layout.fillWidth: true
                    placeholderText: qsTr("Filter…")
                }
            }
        }
    }

    ListView {
        id: list
        objectName: "taskList"
        anchors.fill: parent
        clip: true
        model: tasks

        delegate: ItemDelegate {
            id: row
            required property int index
            required property string title
            required property bool done

            width: ListView.view.width
            contentItem: RowLayout {
                CheckBox {
                    objectName: "doneBox"
                    checked: row.done
                    // Written through the model: shown at once, rolled back (writeRefused) if refused.
                    onToggled: row.ListView.view.model.setField(row.index, "done", checked)
                }
                Label {
                    Layout.fillWidth: true
                    text: row.title
                    elide: Text.ElideRight
                    font.strikeout: row.done
                    opacity: row.done ? 0.55 : 1
                }
                ToolButton {
                    objectName: "removeButton"
                    text: "✕"
                    onClicked: row.ListView.view.model.removeRecord(row.index)
                }
            }
        }

        Label {
            anchors.centerIn: parent
            visible: list.count === 0 && tasks.status === QueryModel.Ready
            text: qsTr("Nothing to do.")
            opacity: 0.6
        }
    }

    footer: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            Label {
                id: message
                Layout.fillWidth: true
                text: window.statusText
                elide: Text.ElideRight
                Timer {
                    id: messageTimer
                    interval: 5000
                    onTriggered: message.text = Qt.binding(() => window.statusText)
                }
            }
        }
    }
}
