// The screens docs/qml/README.md shows for Record and BulkJob, as one window (qmllint-checked in
// CI, as every line the README shows): a profile form bound to a Record, and an import with a
// progress bar and Cancel. Run with the `qml` tool like BookList.qml:
//
//   QML_IMPORT_PATH=<build>/qml /usr/lib/qt6/bin/qml docs/qml/examples/Screens.qml -- ws://127.0.0.1:8000
import QtQuick
import QtQuick.Controls
import SurrealQt

ApplicationWindow {
    id: window
    width: 360
    height: 240
    visible: true
    title: "Profile"

    readonly property var args: {
        const all = Qt.application.arguments
        const at = all.indexOf("--")
        return at < 0 ? [] : all.slice(at + 1)
    }

    Database {
        id: db
        url: window.args[0] || "ws://127.0.0.1:8000"
        namespace: "docs"
        database: "record"
        user: window.args[1] || "root"
        password: window.args[2] || "root"
    }

    Record {
        id: profile
        database: db
        recordId: "profile:ada"
        live: true
    }

    BulkJob {
        id: job
        database: db
        table: "reading"
        batchSize: 250
        ignoreErrors: true
    }

    Column {
        anchors.fill: parent
        spacing: 8
        Text { text: profile.fields.name ?? "" }                 // follows every change
        TextField { onEditingFinished: profile.fields.name = text } // marks it dirty
        Button { enabled: profile.dirty; onClicked: profile.save().catch(e => console.warn(e.message)) }

        ProgressBar { value: job.progress; visible: job.running }
        Button { text: "Cancel"; onClicked: job.cancel() }
        Button {
            text: "Import"
            enabled: !job.running
            onClicked: window.importReadings()
        }
    }

    function importReadings() {
        const readings = []
        for (let i = 0; i < 1000; ++i)
            readings.push({ sensor: "s" + (i % 10), value: i % 100 })
        job.start(readings).then(result => console.log(result.written + " written, " + result.failed + " failed"))
    }
}
