// Not run: linted only (ctest -R qmllint_surrealqt). Every use here needs the module's type
// information: a type, property, method or enum that drops out of SurrealQtQml.qmltypes makes
// the linter warn ("was not found", "Unqualified access", "not found on type") and the test fail.
import QtQuick
import SurrealQt

Item {
    id: root

    Database {
        id: db
        url: "ws://127.0.0.1:8000"
        namespace: "lint"
        database: "lint"
        onErrorOccurred: (message, kind) => console.warn(kind, message)
    }

    ModelListModel {
        id: tasks
        database: db
        modelName: "Task"
        filter: "done = $done"
        bindings: ({ done: false })
        orderBy: "priority"
        live: true
        onWriteRefused: (recordId, message, kind) => console.warn(recordId, message, kind)
    }

    QueryModel {
        id: rows
        database: db
        table: "task"
        roles: ["title"]
    }

    // What object(row) returns, and the value types of its API.
    property Model first: tasks.object(0)
    readonly property bool firstIsNew: root.first ? root.first.isNew : true
    readonly property bool firstDirty: root.first ? root.first.dirty : false
    readonly property string firstTable: root.first ? root.first.id.table : ""
    readonly property string firstId: root.first ? root.first.id.toString() : ""
    readonly property bool firstIdValid: root.first ? root.first.id.valid : false

    // Enums by name: connection status, model status, roles, error kinds.
    readonly property bool ready: db.status === Database.Ready && tasks.status === ModelListModel.Ready
                                  && rows.status === QueryModel.Ready
    readonly property bool failed: db.status === Database.Error || tasks.status === ModelListModel.Error
    readonly property int objectRole: ModelListModel.ObjectRole
    readonly property int recordRole: QueryModel.RecordRole
    readonly property var kinds: [SurrealError.NotAllowed, SurrealError.Validation, SurrealError.NotFound,
        SurrealError.Conflict, SurrealError.Connection, SurrealError.Authentication]

    Connections {
        target: root.first
        function onErrorOccurred(error) {
            console.warn(error.kind === SurrealError.Validation, error.message, error.serverKind, error.context)
        }
        function onSaved() { console.log("saved") }
    }

    ListView {
        anchors.fill: parent
        model: tasks
        delegate: Text {
            required property Model object
            required property int index
            required property string title
            text: title + (object.dirty ? " *" : "") + " " + object.id.toString()
            TapHandler {
                onTapped: parent.object.save()
            }
        }
    }

    Component.onCompleted: {
        const task = tasks.object(0)
        if (task)
            task.refresh()
        console.log(tasks.count, tasks.totalCount, tasks.fieldNames, tasks.table, tasks.modelClass,
                    tasks.idOf(0), tasks.get(0), tasks.rowOf(tasks.recordId(0)), tasks.error, tasks.errorKind,
                    rows.count, rows.idOf(0), rows.get(0), rows.error)
        tasks.setField(0, "title", "x")
        tasks.createRecord({ title: "y" })
        tasks.removeRecord(0)
        tasks.fetchAll()
        rows.reload()
        db.selectOne("task:1").then(r => console.log(r))
    }
}
