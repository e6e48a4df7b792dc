// The task list: add, toggle done, rename, delete, filter; every instance on the same database
// sees the others' changes live. Built on the module's declarative elements: a QueryModel with
// typed roles (QueryRole) edited ListModel-style, a Record for the rename dialog, a LiveQuery
// that tells about other windows' adds and a BulkJob that fills an empty table with examples. When connecting fails, a bar says why in plain words (the
// library's diagnostic behind Details) and lets the user fix the URL, namespace, database or
// credentials and retry.
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
    // Where the tasks live (--namespace / --database; tests run each on a namespace of their own).
    property string databaseNamespace: "examples"
    property string databaseName: "tasks"

    property bool schemaReady: false
    // The setup after connecting failed (the database is up, the schema could not be written).
    property var setupError: null
    // True once the list shows its rows (main.cpp waits for it before a screenshot).
    readonly property bool loaded: schemaReady && tasks.status === QueryModel.Ready && tasks.count > 0
    // True once the list is loaded, with rows or without (--list-tasks).
    readonly property bool listed: schemaReady && tasks.status === QueryModel.Ready
    // True once connecting (or the setup after it) failed for good: the bar shows why and offers
    // Retry. main.cpp ends a --screenshot run here, with the kind deciding the exit code.
    readonly property bool failed: db.status === Database.Failed || setupError !== null
    readonly property string failureKind: db.status === Database.Failed ? db.errorKind
                                                                       : (setupError ? setupError.kind : "")
    // --add-task: added once connected (main.cpp exits when lastAdded says it is stored).
    property string addOnStart: ""
    property string lastAdded: ""
    // Titles this window added and the live query has not reported yet (those are not news).
    property var ownAdds: ({})
    // The sentence the bar shows for a failure (main.cpp prints it as the status line).
    readonly property string failureText: failed ? describe(failureKind) : ""
    readonly property string failureDetails: db.status === Database.Failed
                                             ? db.errorKind + ": " + db.error
                                             : (setupError ? setupError.kind + ": " + setupError.message : "")
    // An active filter: an empty list then means "nothing matches", not "nothing to do".
    readonly property bool filtering: show.currentIndex > 0 || search.text.trim() !== ""
    readonly property string statusText: {
        if (db.status === Database.Connecting)
            return qsTr("Connecting to %1…").arg(db.url)
        if (db.status === Database.Reconnecting)
            return qsTr("Connection lost; reconnecting…")
        if (db.status !== Database.Ready)
            return qsTr("Not connected")
        if (tasks.status === QueryModel.Failed)
            return describe(tasks.errorKind)
        if (tasks.status === QueryModel.Loading)
            return qsTr("Loading…")
        if (seeder.running)
            return qsTr("Adding example tasks… %1%").arg(Math.round(seeder.progress * 100))
        return tasks.count + (tasks.count === 1 ? " task" : " tasks") + " · live"
    }

    width: 420
    height: 520
    visible: true
    title: qsTr("Tasks — %1").arg(db.url)

    // One sentence for a person: what went wrong and what to do. The library's message (bind
    // names, statements) stays behind Details and in the log.
    function describe(kind) {
        switch (kind) {
        case "Connection":
        case "Timeout":
        case "Protocol":
            return qsTr("Could not reach a SurrealDB server at %1. Check the URL and that the server is "
                        + "running, then press Retry.").arg(db.url)
        case "Authentication":
            return qsTr("The server refused user \"%1\" with this password. Check the user and password, "
                        + "then press Retry.").arg(db.user)
        case "NotAllowed":
            return qsTr("User \"%1\" may not use namespace \"%2\", database \"%3\".")
                .arg(db.user).arg(db.namespace).arg(db.database)
        case "NotFound":
            return qsTr("Namespace \"%1\" or database \"%2\" does not exist on the server.")
                .arg(db.namespace).arg(db.database)
        default:
            return qsTr("The server could not load the tasks. The details say why.")
        }
    }

    Database {
        id: db
        url: window.url
        namespace: window.databaseNamespace
        database: window.databaseName
        user: window.user
        password: window.password

        onOpened: window.prepare()
        onStatusChanged: {
            if (status === Database.Connecting) {
                window.schemaReady = false
                window.setupError = null
            }
        }
        onErrorOccurred: error => console.warn("database error: " + error.message)
    }

    QueryModel {
        id: tasks
        // Reading a table that does not exist yet is an error: load once prepare() defined it.
        database: window.schemaReady ? db : null
        table: "task"
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

        onWriteFailed: (recordId, error) => {
            console.warn("not saved: " + error.kindName + ": " + error.message)
            window.flash(qsTr("The change was not saved (the log says why)."))
        }
        onErrorChanged: if (error !== "") console.warn("task list: " + errorKind + ": " + error)

        // Typed rows: the delegate gets a string, a bool (false for a task stored without one)
        // and a Date, whatever another writer stored.
        QueryRole { name: "title"; type: QueryRole.String }
        QueryRole { name: "done"; type: QueryRole.Bool; defaultValue: false }
        QueryRole { name: "created"; type: QueryRole.DateTime }
    }

    // Other windows' adds, as a passing note (this window's own are not news).
    LiveQuery {
        database: window.schemaReady ? db : null
        table: "task"
        onCreated: record => {
            if (window.ownAdds[record.title]) {
                delete window.ownAdds[record.title]
                return
            }
            window.flash(qsTr("Added elsewhere: %1").arg(record.title))
        }
    }

    // Fills an empty table with example tasks (--screenshot), in batches with progress.
    BulkJob {
        id: seeder
        database: db
        operation: BulkJob.Insert
        table: "task"
    }

    function prepare() {
        db.query("DEFINE TABLE IF NOT EXISTS task SCHEMALESS;"
                 + "DEFINE FIELD IF NOT EXISTS created ON task TYPE datetime DEFAULT time::now();"
                 + "DEFINE INDEX IF NOT EXISTS task_created ON task FIELDS created")
            .then(() => db.count("task"))
            .then(n => {
                if (n > 0 || !window.seedDemoData)
                    return null
                return seeder.start([
                    { title: "Write the release notes", done: true },
                    { title: "Review the live list model", done: false },
                    { title: "Try the contacts example", done: false },
                    { title: "Run qmllint on the module", done: true },
                    { title: "Take screenshots for the docs", done: false }
                ])
            })
            .then(() => {
                window.schemaReady = true
                if (window.addOnStart !== "")
                    window.addTitle(window.addOnStart)
            })
            .catch(e => {
                console.warn("setup failed: " + e.kindName + ": " + e.message)
                window.setupError = { kind: e.kindName || "", message: e.message }
            })
    }

    // Add / Enter: the typed title.
    function addTask() {
        addTitle(newTitle.text)
    }

    function addTitle(text) {
        const title = text.trim()
        if (title === "")
            return
        window.ownAdds[title] = true
        // A promise (QueryModel.append has none): the field is cleared once the server has the
        // task, a failed add keeps what was typed.
        db.insertOne("task", { title: title, done: false })
            .then(() => {
                window.lastAdded = title
                if (newTitle.text.trim() === title)
                    newTitle.clear()
            })
            .catch(e => {
                delete window.ownAdds[title]
                console.warn("not added: " + e.kindName + ": " + e.message)
                window.flash(e.kindName === "Validation" || e.kindName === "NotAllowed"
                             ? qsTr("Not added: the database refused this task (the log says why).")
                             : qsTr("Not added: %1").arg(window.describe(e.kindName)))
            })
    }

    // The tasks' titles in the list's order (--list-tasks prints them).
    function taskTitles() {
        const titles = []
        for (let i = 0; i < tasks.count; ++i)
            titles.push(tasks.get(i).title)
        return titles
    }

    // Connect again with what the bar's fields say (Retry / Connect).
    function reconnect() {
        window.setupError = null
        const changed = String(db.url) !== urlField.text.trim() || db.namespace !== nsField.text.trim()
                || db.database !== dbField.text.trim() || db.user !== userField.text
                || db.password !== passwordField.text
        db.url = urlField.text.trim()
        db.namespace = nsField.text.trim()
        db.database = dbField.text.trim()
        db.user = userField.text
        db.password = passwordField.text
        // A changed setting reconnects by itself; the same settings need an explicit open().
        if (!changed)
            db.open()
        connectionBar.editing = false
    }

    // The rename dialog: one task as a Record (its fields bound, saved with save()).
    Dialog {
        id: renameDialog
        objectName: "renameDialog"
        property string recordId: ""
        title: qsTr("Rename task")
        anchors.centerIn: parent
        width: parent.width - 40
        modal: true
        standardButtons: Dialog.Cancel

        Record {
            id: editedTask
            database: renameDialog.recordId !== "" ? db : null
            recordId: renameDialog.recordId
            // Another window's rename shows here too, unless this one is being typed.
            live: true
        }

        ColumnLayout {
            anchors.fill: parent
            TextField {
                id: renameField
                objectName: "renameField"
                Layout.fillWidth: true
                text: editedTask.status === Record.Ready || editedTask.status === Record.Saving
                      ? String(editedTask.fields.title) : ""
                // Typing makes the record dirty (the binding above shows the stored title).
                onTextChanged: {
                    if (editedTask.status === Record.Ready && text !== String(editedTask.fields.title))
                        editedTask.fields.title = text
                }
                onAccepted: renameDialog.saveTitle()
            }
            Button {
                objectName: "renameSave"
                text: qsTr("Save")
                enabled: editedTask.dirty && editedTask.status === Record.Ready
                highlighted: true
                onClicked: renameDialog.saveTitle()
            }
        }

        function edit(recordId) {
            renameDialog.recordId = recordId
            renameDialog.open()
        }
        function saveTitle() {
            editedTask.save()
                .then(() => renameDialog.close())
                .catch(e => {
                    console.warn("not renamed: " + e.kindName + ": " + e.message)
                    window.flash(qsTr("Not renamed: the database refused it (the log says why)."))
                })
        }
        onClosed: recordId = ""
    }

    function flash(text) {
        message.text = text
        messageTimer.restart()
    }

    header: ColumnLayout {
        spacing: 0

        // Why the app is not connected, and the settings to fix it.
        Pane {
            id: connectionBar
            objectName: "connectionBar"
            // File-menu-less QML app: the ⚙ button opens it without a problem.
            property bool editing: false
            Layout.fillWidth: true
            visible: window.failed || editing
            background: Rectangle {
                color: window.failed ? "#fdecd9" : palette.window
                border.color: window.failed ? "#e0a070" : palette.mid
            }

            ColumnLayout {
                id: barContent
                anchors.fill: parent
                Label {
                    objectName: "connectionMessage"
                    Layout.fillWidth: true
                    // A wrapped label's height follows its width: asked of the bar's width
                    // directly, so the rows below never overlap the sentence.
                    Layout.preferredHeight: contentHeight
                    wrapMode: Text.Wrap
                    text: db.status === Database.Connecting
                          ? qsTr("Connecting to %1…").arg(db.url)
                          : window.failed ? window.failureText
                                          : qsTr("Connect to another server, namespace or database.")
                }
                Label {
                    objectName: "connectionDetails"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    visible: detailsButton.checked && window.failed
                    wrapMode: Text.Wrap
                    font.pointSize: 8
                    text: window.failureDetails
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: 4
                    Label { text: qsTr("URL") }
                    TextField {
                        id: urlField
                        objectName: "urlField"
                        Layout.fillWidth: true
                        Layout.columnSpan: 3
                        text: db.url
                        onAccepted: window.reconnect()
                    }
                    Label { text: qsTr("Namespace") }
                    TextField {
                        id: nsField
                        objectName: "namespaceField"
                        Layout.fillWidth: true
                        text: db.namespace
                        onAccepted: window.reconnect()
                    }
                    Label { text: qsTr("Database") }
                    TextField {
                        id: dbField
                        objectName: "databaseField"
                        Layout.fillWidth: true
                        text: db.database
                        onAccepted: window.reconnect()
                    }
                    Label { text: qsTr("User") }
                    TextField {
                        id: userField
                        objectName: "userField"
                        Layout.fillWidth: true
                        text: db.user
                        onAccepted: window.reconnect()
                    }
                    Label { text: qsTr("Password") }
                    TextField {
                        id: passwordField
                        objectName: "passwordField"
                        Layout.fillWidth: true
                        echoMode: TextInput.Password
                        text: db.password
                        onAccepted: window.reconnect()
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    Button {
                        id: detailsButton
                        objectName: "detailsButton"
                        text: qsTr("Details")
                        checkable: true
                        visible: window.failed
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        text: qsTr("Cancel")
                        visible: connectionBar.editing && !window.failed
                        onClicked: connectionBar.editing = false
                    }
                    Button {
                        objectName: "connectButton"
                        text: window.failed ? qsTr("Retry") : qsTr("Connect")
                        enabled: db.status !== Database.Connecting
                        highlighted: true
                        onClicked: window.reconnect()
                    }
                }
            }
        }

        ToolBar {
            Layout.fillWidth: true
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
                        objectName: "addButton"
                        text: qsTr("Add")
                        enabled: db.ready && window.schemaReady
                        onClicked: window.addTask()
                    }
                    ToolButton {
                        objectName: "renameButton"
                        text: "✎"
                        enabled: list.currentIndex >= 0 && list.count > 0
                        onClicked: renameDialog.edit(tasks.idOf(list.currentIndex))
                    }
                    ToolButton {
                        objectName: "settingsButton"
                        text: "⚙"
                        onClicked: connectionBar.editing = !connectionBar.editing
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
                        objectName: "search"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Filter…")
                    }
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
            // The current task is the one Rename acts on.
            highlighted: ListView.isCurrentItem
            onClicked: row.ListView.view.currentIndex = row.index
            contentItem: RowLayout {
                CheckBox {
                    objectName: "doneBox"
                    checked: row.done
                    // Written through the model: shown at once, rolled back (writeFailed) if refused.
                    onToggled: row.ListView.view.model.setProperty(row.index, "done", checked)
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
                    onClicked: row.ListView.view.model.remove(row.index)
                }
            }
        }

        Label {
            objectName: "emptyText"
            anchors.centerIn: parent
            visible: list.count === 0 && tasks.status === QueryModel.Ready
            text: window.filtering ? qsTr("No tasks match the filter.") : qsTr("Nothing to do.")
            opacity: 0.6
        }
    }

    footer: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            Label {
                id: message
                objectName: "statusLine"
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
