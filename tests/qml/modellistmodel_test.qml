import QtQuick
import QtTest
import SurrealQt

// The QML ModelListModel: a C++ model class (QmlTask, table qml_task, defined by the test's C++
// setup as an application would) shown in QML, its objects handed out to delegates.
TestCase {
    id: testCase
    // The server of the surreal_server fixture: a context property the C++ runner sets, which
    // tools cannot see (every other name in this file is checked by the qmllint test).
    readonly property var server: testServer // qmllint disable unqualified
    name: "ModelListModel"

    Database {
        id: db
        url: testCase.server.url
        namespace: testCase.server.namespace
        database: "modellist"
        user: testCase.server.user
        password: testCase.server.password
    }

    // [qml]
    // The 6.4 linter reports the document's ids inside a Component as unqualified; they resolve.
    Component {
        id: modelComponent
        ModelListModel {
            database: db // qmllint disable unqualified
            modelName: "QmlTask" // a SURREALQT_MODEL class of the application (or its table)
            filter: "done = $done"
            bindings: ({ done: false })
            orderBy: "priority"
            live: true
        }
    }

    Component {
        id: repeaterComponent
        Repeater {
            delegate: Item {
                required property string title     // a field of the model class
                required property int priority
                required property Model object     // the row's QmlTask: fields, save(), ...
                objectName: title + "=" + priority
            }
        }
    }
    // [qml]

    SignalSpy {
        id: savedSpy
        signalName: "saved"
    }

    SignalSpy {
        id: errorSpy
        signalName: "errorOccurred"
    }

    // A typed Model property (as an app declares one): its properties are type-checked by the
    // linter through the module's .qmltypes, and here they are read from the real objects.
    QtObject {
        id: holder
        property Model task: null
        readonly property string idText: holder.task ? holder.task.id.table + "|" + holder.task.id.toString() : ""
        readonly property bool dirty: holder.task ? holder.task.dirty : false
        readonly property bool isNew: holder.task ? holder.task.isNew : true
    }

    function settle(promise) {
        const box = { done: false }
        promise.then(v => { box.value = v; box.done = true },
                     e => { box.error = e; box.done = true })
        tryVerify(() => box.done, 10000, "promise settled")
        verify(box.error === undefined, box.error ? box.error.message : "")
        return box.value
    }

    // Polls the stored record until its title is `title`. The last answer is kept between
    // polls: tryVerify evaluates the function once more after it turned true, and a fresh
    // request could not answer within that call.
    function waitForStoredTitle(id, title) {
        const box = { title: undefined, asking: false }
        tryVerify(() => {
            if (!box.asking) {
                box.asking = true
                db.selectOne(id).then(r => { box.title = r.title; box.asking = false },
                                      () => { box.asking = false })
            }
            return box.title === title
        }, 10000, id + " stored with title " + title)
    }

    function init() {
        tryCompare(db, "status", Database.Ready, 20000)
        settle(db.query("DEFINE TABLE IF NOT EXISTS qml_task SCHEMALESS; DELETE qml_task;"
                        + "CREATE qml_task:1 SET title = 'one', priority = 1, done = false;"
                        + "CREATE qml_task:2 SET title = 'two', priority = 2, done = false;"
                        + "CREATE qml_task:3 SET title = 'three', priority = 3, done = true"))
    }

    function test_rows_roles_and_objects() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", ModelListModel.Ready, 10000)
        compare(model.count, 2)
        compare(model.error, "")
        compare(model.table, "qml_task")
        compare(model.fieldNames, ["title", "priority", "done"])
        compare(model.idOf(0), "qml_task:1")

        const repeater = createTemporaryObject(repeaterComponent, testCase, { model: model })
        compare(repeater.count, 2)
        compare(repeater.itemAt(1).objectName, "two=2")
        const task = model.object(1)
        compare(task.title, "two")
        compare(task.priority, 2)
        verify(repeater.itemAt(1).object === task)
        gc()
        verify(model.object(1) === task, "the model keeps its objects, the engine does not collect them")
    }

    function test_live_change_updates_object_and_delegate() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", ModelListModel.Ready, 10000)
        const repeater = createTemporaryObject(repeaterComponent, testCase, { model: model })
        const task = model.object(0)
        settle(db.mergeOne("qml_task:1", { title: "uno" }))
        tryCompare(task, "title", "uno", 10000)
        verify(model.object(0) === task)
        compare(repeater.itemAt(0).objectName, "uno=1")

        // Leaves the filter: the row goes.
        settle(db.mergeOne("qml_task:1", { done: true }))
        tryCompare(model, "count", 1, 10000)
        compare(repeater.itemAt(0).objectName, "two=2")
    }

    function test_edit_object_and_save() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", ModelListModel.Ready, 10000)
        const repeater = createTemporaryObject(repeaterComponent, testCase, { model: model })
        const task = model.object(1)
        task.title = "deux"
        compare(repeater.itemAt(1).objectName, "deux=2", "the row shows the object's edit at once")
        savedSpy.clear()
        savedSpy.target = task
        task.save()
        tryCompare(savedSpy, "count", 1, 10000)
        waitForStoredTitle("qml_task:2", "deux")
        verify(model.object(1) === task)
        compare(task.title, "deux")

        // And through the model: shown at once, in the object too.
        verify(model.setField(1, "title", "dos"))
        compare(task.title, "dos")
        compare(repeater.itemAt(1).objectName, "dos=2")
        verify(!model.setField(1, "title", ""), "required: refused before any request")
        // setField writes in the background: wait for it to land, or it could land after the
        // next test's init() has recreated the rows.
        waitForStoredTitle("qml_task:2", "dos")
    }

    function test_typed_object_id_state_and_error_kind() {
        const model = createTemporaryObject(modelComponent, testCase)
        tryCompare(model, "status", ModelListModel.Ready, 10000)
        compare(model.status, ModelListModel.Ready)
        holder.task = model.object(1)
        verify(holder.task !== null, "object(row) is assignable to a Model property")
        compare(holder.idText, "qml_task|qml_task:2")
        compare(holder.task.id.valid, true)
        verify(!holder.isNew)
        verify(!holder.dirty)

        // The row's object through the typed role is the same instance.
        const repeater = createTemporaryObject(repeaterComponent, testCase, { model: model })
        verify(repeater.itemAt(1).object === holder.task)

        // A required field emptied: save() fails before any request, with the kind by name.
        const task = model.object(1)
        errorSpy.clear()
        errorSpy.target = holder.task
        task.title = ""
        verify(holder.dirty, "dirty follows the edit (NOTIFY)")
        holder.task.save()
        tryCompare(errorSpy, "count", 1, 10000)
        const error = errorSpy.signalArguments[0][0]
        compare(typeof error.kind, "number")
        compare(error.kind, SurrealError.Validation)
        verify(error.kind !== SurrealError.NotAllowed)
        verify(error.message.indexOf("title") >= 0, error.message)
        verify(error.valid)
        task.title = "two"
        holder.task = null
    }

    function test_unknown_model_name_is_an_error() {
        ignoreWarning(/no model class or table named "Nope"/)
        const model = createTemporaryObject(modelComponent, testCase, { modelName: "Nope" })
        compare(model.status, ModelListModel.Null)
        verify(model.error.indexOf("Nope") >= 0, model.error)
        compare(model.errorKind, "Validation")
        model.modelName = "qml_task" // by table works too
        tryCompare(model, "status", ModelListModel.Ready, 10000)
        compare(model.error, "")
        compare(model.count, 2)
    }
}
