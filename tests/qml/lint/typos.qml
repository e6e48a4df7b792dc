// Not run: the qmllint test expects exactly the warnings named by the `expect:` lines, each on
// its line. It shows the linter really knows these types: a type it did not know would give
// no such warning (or "was not found" instead), and the test fails.
import QtQuick
import SurrealQt

Item {
    id: root
    ModelListModel { id: tasks; modelName: "Task" }
    property Model first: tasks.object(0)
    readonly property bool a: root.first ? root.first.dirtyy : false // expect: Property "dirtyy" not found on type "SurrealQt::Model"
    readonly property string b: root.first ? root.first.id.tablee : "" // expect: Property "tablee" not found on type "SurrealQt::RecordId"
    readonly property int c: SurrealError.NotAlowed // expect: Property "NotAlowed" not found on type "SurrealQt::ErrorEnums"
    readonly property int d: ModelListModel.Redy // expect: Property "Redy" not found on type "SurrealQt::QmlModelListModel"
    readonly property int e: tasks.cont // expect: Property "cont" not found on type "ModelListModel"
    readonly property int f: Database.Readdy // expect: Property "Readdy" not found on type "SurrealQt::QmlDatabase"
}
