// Not run: linted only (ctest -R qmllint_surrealqt). Every use here needs the module's type
// information: a type, property, method or enum that drops out of SurrealQtQml.qmltypes makes
// the linter warn ("was not found", "Unqualified access", "not found on type") and the test fail.
// It uses every property, method and signal of every SurrealQt type (ctest -R
// qmllint_api_coverage checks that against the .qmltypes).
import QtQuick
import SurrealQt

Item {
    id: root

    Database {
        id: db
        url: "ws://127.0.0.1:8000"
        namespace: "lint"
        database: "lint"
        user: "root"
        password: "root"
        credentials: ({ level: "root", user: "root", password: "root" })
        poolSize: 2
        caCertificates: []
        onOpened: console.log("opened")
        onClosed: console.log("closed")
        onErrorOccurred: error => console.warn(error.kind === SurrealError.Authentication, error.kindName,
                                               error.message, error.details, error.context, error.serverKind,
                                               error.serverCode, error.retryable)
    }

    ModelListModel {
        id: tasks
        database: db
        modelName: "Task"
        filter: "done = $done"
        bindings: ({ done: false })
        orderBy: "priority"
        live: true
        descending: false
        pageSize: 50
        displayField: "title"
        onWriteFailed: (recordId, error) => console.warn(recordId, error.kind === SurrealError.NotAllowed, error.message)
        onWriteRefused: (recordId, message, kind) => console.warn(recordId, message, kind)
        onPageLoaded: (first, last) => console.log(first, last)
        onFullyLoaded: console.log("all rows")
        onLiveChangesApplied: console.log("live changes")
    }

    QueryModel {
        id: rows
        database: db
        table: "task"
        descending: true
        liveTables: ["task"]
        pageSize: 100
        columns: ["title", "done"]
        displayField: "title"
        onWriteRefused: (recordId, message, kind) => console.warn(recordId, message, kind)
        onPageLoaded: (first, last) => console.log(first, last)
        onFullyLoaded: console.log("all rows")
        onLiveChangesApplied: console.log("live changes")
        onSubmitAllFinished: (ok) => console.log(ok ? "every edit written" : "some edits were not written")

        // Typed roles: every type, a default, and the role list they make.
        QueryRole { id: titleRole; name: "title"; type: QueryRole.String; defaultValue: "" }
        QueryRole { name: "done"; type: QueryRole.Bool; defaultValue: false }
        QueryRole { name: "n"; type: QueryRole.Int }
        QueryRole { name: "score"; type: QueryRole.Real }
        QueryRole { name: "due"; type: QueryRole.DateTime }
        QueryRole { name: "owner"; type: QueryRole.RecordId }
        QueryRole { name: "extra"; type: QueryRole.Var }
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
                                       || changes.status === LiveQuery.Failed || changes.status === LiveQuery.Null
    readonly property string liveError: changes.lastError.message
    readonly property bool recordState: task.status === Record.Ready || task.status === Record.NotFound
                                        || task.status === Record.Saving || task.status === Record.Loading
                                        || task.status === Record.Failed || task.status === Record.Null
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
    readonly property bool failed: db.status === Database.Failed || tasks.status === ModelListModel.Failed
    // Error, the deprecated old name of Failed (the same value), still lints.
    readonly property bool failedByOldName: db.status === Database.Error || changes.status === LiveQuery.Error
                                            || task.status === Record.Error
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
    readonly property string titleRoleName: titleRole.name + (titleRole.type === QueryRole.String) + titleRole.defaultValue
    readonly property int typedRoles: rows.queryRoles.length
    readonly property string errorTexts: rows.errorString + tasks.errorString + db.lastError.kindName
    readonly property bool paging: rows.pagedInConstantTime && tasks.pagedInConstantTime
    readonly property var fieldSlot: tasks.objectFieldChanged
    readonly property string credentialsUser: db.user + db.password + db.poolSize + db.credentials
                                              + db.caCertificates.length
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
        function onRefreshed() { console.log("refreshed") }
    }

    Connections {
        target: tasks.connection
        function onDatabaseSelected(ns, db) { console.log("database selected", ns, db) }
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
        watchConnection()
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
        // Every call of the Database, promise and callback forms.
        db.select("task").then(r => console.log(r))
        db.create("task", { title: "a" }).then(r => console.log(r))
        db.insert("task", [{ title: "b" }], (r, error) => console.log(r, error))
        db.update("task:1", { title: "c" }).then(r => console.log(r))
        db.merge("task:1", { done: true }).then(r => console.log(r))
        db.upsert("task:2", { title: "d" }).then(r => console.log(r))
        db.insertOne("task", { title: "e" }).then(r => console.log(r.id))
        db.insertMany("task", [{ title: "f" }]).then(r => console.log(r.length))
        db.selectMany("task", { where: "done = $d", vars: { d: false }, orderBy: "title DESC", limit: 10, start: 0 })
            .then(r => console.log(r.length))
        db.updateOne("task:1", { title: "g" }).then(r => console.log(r))
        db.mergeOne("task:1", { title: "h" }).then(r => console.log(r))
        db.updateMany("task", { where: "true" }, { done: false }).then(r => console.log(r))
        db.upsertOne("task:3", { title: "i" }).then(r => console.log(r))
        db.deleteOne("task:3").then(r => console.log(r))
        db.deleteMany("task", { where: "done = true" }).then(r => console.log(r))
        db.exists("task:1").then(yes => console.log(yes))
        db.close()
        db.open()
        db.count("task", (n, error) => console.log(n, error ? error.kindName : ""))
        rows.append({ title: "z" })
        rows.set(0, { title: "w" })
        rows.setProperty(0, "title", "v")
        rows.remove(0, 1)
        rows.clear()
        rows.editStrategy = QueryModel.OnManualSubmit
        console.log(rows.isDirty())
        rows.submitAll()
        rows.revertRow(0)
        rows.revertAll()
        task.set("title", "t")
        task.save().then(r => console.log(r))
        task.remove()
        task.reload()
        changes.restart()
        job.start([{ title: "a" }]).then(result => console.log(result.written))
        job.cancel()
    }
}
