// The model and the worker class of docs/examples/*.md, in a header so that the test running
// the examples (tst_doc_examples.cpp) can use them. The "// [name]" blocks are page blocks.
#pragma once

#include <SurrealQt/SurrealQt>

#include <QtCore/QObject>

using namespace Qt::StringLiterals;

// [model]
class Task : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Task)
    Q_CLASSINFO("title", "required maxLength=200")
    Q_CLASSINFO("priority", "index default=0")
    Q_CLASSINFO("createdAt", "autoNowAdd optional")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(int, priority, setPriority)
    SURREALQT_FIELD(bool, done, setDone)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
};
// [model]

// [threads-worker]
// A QObject living in a thread of its own uses the asynchronous calls with itself as the
// context: its continuations run in its thread, never in the GUI thread.
class Indexer : public QObject
{
    Q_OBJECT
public:
    explicit Indexer(SurrealQt::Connection *connection)
        : m_connection(connection)
    {}

    void reindex()
    {
        m_connection->query(u"REBUILD INDEX IF EXISTS task_priority ON task"_s)
            .then(this, [this](const SurrealQt::QueryResult &r) { Q_EMIT finished(r.isOk()); })
            .onFailed(this, [this](const SurrealQt::Exception &) { Q_EMIT finished(false); });
    }

Q_SIGNALS:
    void finished(bool ok);

private:
    SurrealQt::Connection *m_connection; // the manager's, which outlives this object
};
// [threads-worker]
