// Code shown in docs/views/modellistmodel.md. Compiled with tst_modellistmodel so the examples
// cannot drift from the API; each function is one snippet.

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modellistmodel.h>

#include <QtCore/QDebug>
#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace DocSnippets {

// [model]
class Task : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Task) // table "task"
    Q_CLASSINFO("title", "required maxLength=80")
    Q_CLASSINFO("priority", "index") // ordering by it pages in constant time
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(int, priority, setPriority)
    SURREALQT_FIELD(bool, done, setDone)
};
// [model]

// [create]
SurrealQt::ModelListModel *openTasks(SurrealQt::DatabaseManager *db, QObject *parent)
{
    // Roles: display, object, id, title, priority, done.
    auto *tasks = SurrealQt::ModelListModel::of<Task>(db->connection(), parent);
    tasks->setFilter(u"done = $done"_s);
    tasks->setBindings({{u"done"_s, false}});
    tasks->setOrderBy(u"priority"_s);
    tasks->setLive(true); // rows and their objects follow the database
    return tasks;         // loads on the next turn of the event loop
}
// [create]

// [object]
void finishFirst(SurrealQt::ModelListModel *tasks)
{
    // The same Task instance for as long as the record is in the list; owned by the list.
    QPointer<Task> task = tasks->object<Task>(0);
    if (!task)
        return;
    QObject::connect(task, &Task::titleChanged, task,
                     [task] { qDebug() << "now called" << task->title(); }); // live changes too
    task->setDone(true); // the row's "done" role changes at once
    task->save();        // written; with a filter on done the row then leaves the list
}
// [object]

// [edit]
void retitle(SurrealQt::ModelListModel *tasks, int row)
{
    // Checked against the field first (required, maxLength): false and writeFailed() if bad.
    // Otherwise shown at once, in the row and in its object, and rolled back with writeFailed()
    // when the database did not apply it (a permission rule refused it).
    tasks->setData(tasks->index(row), u"Call Ada"_s, tasks->roleForField(u"title"_s));
    QObject::connect(tasks, &SurrealQt::ModelListModel::writeFailed, tasks,
                     [](const QVariant &recordId, const SurrealQt::Error &error) {
                         qWarning() << "not saved:" << recordId << error.toString();
                     });
}
// [edit]

} // namespace DocSnippets

#include "doc_snippets_modellistmodel.moc"
