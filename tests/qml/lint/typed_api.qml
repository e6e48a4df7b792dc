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
        onErrorOccurred: error => console.warn(error.kind === SurrealError.Authentication, error.message,
                                               error.details, error.context, error.serverKind, error.retryable)
    }

    ModelListModel {
        id: tasks
        database: db
        modelName: "Task"
        filter: "done = $done"
        bindings: ({ done: false })
        orderBy: "priority"
        live: true
        onWriteFailed: (recordId, error) => console.warn(recordId, error.kind === SurrealError.NotAllowed, error.message)
    }

    QueryModel {
        id: rows
        database: db
        table: "task"
        roles: ["title"]
    }

    LiveQuery {
        id: changes
        database: db
        table: "task"
        filter: "done = $done"
        bindings: ({ done: false })
        query: ""
        active: true
        onCreated: record => console.log(record)
        onUpdated: record => console.log(record)
        onDeleted: (recordId, before) => console.log(recordId, before)
        onChanged: (action, recordId, record) => console.log(action === LiveQuery.Create, action === LiveQuery.Update,
                                                           action === LiveQuery.Delete, recordId, record)
        onResyncRequired: rows.reload()
        onErrorOccurred: error => console.warn(error.kind, error.message)
    }

    Record {
        id: task
        database: db
        recordId: "task:1"
        live: true
        onLoaded: console.log(task.fields, task.value("title"))
        onSaved: console.log("saved")
        onRemoved: console.log("removed")
        onChangedRemotely: console.log("changed")
        onErrorOccurred: error => console.warn(error.kind === SurrealError.Validation)
    }

    BulkJob {
        id: job
        database: db
        table: "task"
        operation: BulkJob.Insert
        keyField: "id"
        batchSize: 100
        ignoreErrors: true
        onFinished: result => console.log(result)
        onErrorOccurred: error => console.warn(error.message)
    }

    readonly property bool liveActive: changes.status === LiveQuery.Active || changes.status === LiveQuery.Starting
                                       || changes.status === LiveQuery.Error || changes.status === LiveQuery.Null
    readonly property string liveError: changes.lastError.message
    readonly property bool recordState: task.status === Record.Ready || task.status === Record.NotFound
                                        || task.status === Record.Saving || task.status === Record.Loading
                                        || task.status === Record.Error || task.status === Record.Null
    readonly property bool recordDirty: task.dirty
    readonly property string recordError: task.lastError.message
    readonly property real jobProgress: job.progress + job.done + job.total
    readonly property bool jobRunning: job.running
    readonly property var jobResult: job.result
    readonly property bool jobOps: job.operation === BulkJob.Upsert || job.operation === BulkJob.Update
                                   || job.operation === BulkJob.Replace || job.operation === BulkJob.Delete
    readonly property string jobError: job.lastError.message

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
    // totalCount (rows in the source, -1 until known) read in a binding, where the linter checks
    // its type: a qint64 property was "Type qlonglong ... not found".
    readonly property real totals: rows.totalCount + tasks.totalCount
    readonly property bool known: rows.totalCount >= 0
    // One error shape: lastError (a surrealError) on the database and the models.
    readonly property bool refused: db.lastError.kind === SurrealError.NotAllowed
                                    || rows.lastError.kind === SurrealError.NotAllowed
                                    || tasks.lastError.kind === SurrealError.NotAllowed
    readonly property string lastMessage: db.lastError.message + rows.lastError.message
    readonly property bool hasError: db.lastError.valid
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
        db.count("task", (n, error) => console.log(n, error ? error.kindName : ""))
        rows.append({ title: "z" })
        rows.set(0, { title: "w" })
        rows.setProperty(0, "title", "v")
        rows.remove(0, 1)
        rows.clear()
        task.set("title", "t")
        task.save().then(r => console.log(r))
        task.remove()
        task.reload()
        changes.restart()
        job.start([{ title: "a" }]).then(result => console.log(result.written))
        job.cancel()
    }
}
