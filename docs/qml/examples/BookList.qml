// A live list in a window: run with the `qml` tool like hello.qml.
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/BookList.qml -- ws://127.0.0.1:8000
import QtQuick
import QtQuick.Controls
import SurrealQt

ApplicationWindow {
    id: window
    width: 360
    height: 400
    visible: true
    title: "Books"

    readonly property var args: {
        const all = Qt.application.arguments
        const at = all.indexOf("--")
        return at < 0 ? [] : all.slice(at + 1)
    }

    Database {
        id: db
        url: window.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "hello"
        user: window.args[1] || "root"
        password: window.args[2] || "root"
    }

    QueryModel {
        id: books
        database: db
        table: "book"
        filter: "pages >= $min"
        bindings: ({ min: minPages.value })
        orderBy: "title"
        roles: ["title", "pages"]
        live: true
        pageSize: 50
    }

    header: Slider {
        id: minPages
        from: 0
        to: 1000
        stepSize: 50
    }

    ListView {
        anchors.fill: parent
        model: books
        delegate: ItemDelegate {
            required property string title
            required property int pages
            required property int index
            width: ListView.view.width
            text: title + " · " + pages + " pages"
            onClicked: ListView.view.model.removeRecord(index)
        }
    }

    footer: Label {
        text: books.status === QueryModel.Failed ? books.error : books.count + " books"
        padding: 6
    }
}
