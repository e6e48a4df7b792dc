// ModelListModel against the real engine: roles are the model's properties, object(row) hands
// out one instance per record that live changes update in place, edits write back (and roll
// back when a permission rule refuses them), paging, and the item-model contract throughout.

#include "futurewait.h"
#include "setupquery.h"
#include "testserver.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QPointer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace SurrealQt;

class MlmTask : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(MlmTask)
    Q_CLASSINFO("table", "mlm_task")
    Q_CLASSINFO("title", "required maxLength=40")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(int, priority, setPriority)
    SURREALQT_FIELD(bool, done, setDone)
};

class MlmNote : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(MlmNote)
    Q_CLASSINFO("table", "mlm_note")
    SURREALQT_FIELD(QString, text, setText)
    SURREALQT_FIELD(SurrealQt::RecordId, owner, setOwner)
};

namespace {

QVariant taskId(qint64 key)
{
    return QVariant::fromValue(RecordId(u"mlm_task"_s, key));
}

QList<int> rolesOf(const QList<QVariant> &dataChangedArgs)
{
    return dataChangedArgs.at(2).value<QList<int>>();
}

} // namespace

class TestModelListModel : public QObject
{
    Q_OBJECT

private:
    QString m_ns = TestServer::uniqueName("mlm_");
    QString m_db = u"test"_s;
    std::unique_ptr<DatabaseManager> m_db1; // the model's connection
    std::unique_ptr<DatabaseManager> m_db2; // "another user" making changes

    Connection *conn() { return m_db1->connection(); }
    Connection *other() { return m_db2->connection(); }

    void exec(const QString &text, const QVariantMap &vars = {}) { execSetup(other(), text, vars); }

    QVariant serverValue(const QString &text) { return AWAIT(other()->query(text)).last().toList().value(0); }

    static bool waitReady(ModelListModel &m)
    {
        return QTest::qWaitFor(
                   [&] {
                       return m.status() == ModelListModel::Ready || m.status() == ModelListModel::Failed;
                   },
                   20000) &&
               m.status() == ModelListModel::Ready;
    }

    // Five tasks: priority = key, title "t<key>", done for the even ones.
    void fiveTasks()
    {
        exec(u"DELETE mlm_task; FOR $i IN 1..=5 { CREATE type::record('mlm_task', $i) "
             "SET title = 't' + <string>$i, priority = $i, done = ($i % 2 = 0) };"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db1 = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, m_db,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        m_db2 = std::make_unique<DatabaseManager>(TestServer::url(), m_ns, m_db,
                                                  Credentials::root(TestServer::user(), TestServer::pass()));
        AWAIT_VOID(m_db1->open());
        AWAIT_VOID(m_db2->open());
        exec(
            u"DEFINE TABLE mlm_task SCHEMALESS; DEFINE INDEX mlm_task_priority ON mlm_task FIELDS priority;"_s);
    }

    void rolesAreTheModelsProperties()
    {
        fiveTasks();
        auto *m = ModelListModel::of<MlmTask>(conn(), this);
        const std::unique_ptr<ModelListModel> owner(m);
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(m->table(), u"mlm_task"_s);
        QCOMPARE(m->modelClass(), u"MlmTask"_s);
        const QHash<int, QByteArray> names = m->roleNames();
        QCOMPARE(names.value(ModelListModel::ObjectRole), "object");
        QCOMPARE(names.value(ModelListModel::IdRole), "id");
        QCOMPARE(names.value(Qt::DisplayRole), "display");
        QCOMPARE(names.value(m->roleForField(u"title"_s)), "title");
        QCOMPARE(names.value(m->roleForField(u"priority"_s)), "priority");
        QCOMPARE(names.value(m->roleForField(u"done"_s)), "done");
        QCOMPARE(names.value(ModelListModel::DirtyRole), "dirty");
        QCOMPARE(names.size(), 7);
        QCOMPARE(m->roleForField(u"nope"_s), -1);

        m->setOrderBy(u"priority"_s);
        QVERIFY(waitReady(*m));
        QCOMPARE(m->rowCount(), 5);
        QVERIFY(m->isPagedInConstantTime());
        // Values in the properties' C++ types, objects or not.
        const QVariant priority = m->data(m->index(2), m->roleForField(u"priority"_s));
        QCOMPARE(priority.metaType(), QMetaType::fromType<int>());
        QCOMPARE(priority.toInt(), 3);
        QCOMPARE(m->data(m->index(1), m->roleForField(u"done"_s)).metaType(), QMetaType::fromType<bool>());
        QCOMPARE(m->data(m->index(1), m->roleForField(u"done"_s)).toBool(), true);
        QCOMPARE(m->data(m->index(0), m->roleForField(u"title"_s)).toString(), u"t1"_s);
        QCOMPARE(m->data(m->index(0), ModelListModel::IdRole), taskId(1));

        // The object of a row: typed, filled, loaded (not new, not dirty), owned by the list.
        MlmTask *third = m->object<MlmTask>(2);
        QVERIFY(third);
        QCOMPARE(third->title(), u"t3"_s);
        QCOMPARE(third->priority(), 3);
        QCOMPARE(third->done(), false);
        QCOMPARE(third->id(), RecordId(u"mlm_task"_s, 3));
        QVERIFY(!third->isNew());
        QVERIFY(!third->isDirty());
        QCOMPARE(third->parent(), m);
        QCOMPARE(third->connection(), conn());
        QCOMPARE(m->object(2), third); // the same instance every time
        QCOMPARE(m->data(m->index(2), ModelListModel::ObjectRole).value<QObject *>(), third);
        QCOMPARE(m->data(m->index(2), ModelListModel::ObjectRole).value<MlmTask *>(), third);
        QVERIFY(!m->object(5));
        QVERIFY(!m->object(-1));
        QCOMPARE(m->data(m->index(2), m->roleForField(u"title"_s)).toString(), u"t3"_s);

        // An object its user deletes is forgotten; the row gets a new one.
        delete third;
        QVERIFY(m->object<MlmTask>(2));
        QCOMPARE(m->object<MlmTask>(2)->title(), u"t3"_s);
    }

    // A change from another connection updates the same object (its NOTIFY fires) and the row
    // (dataChanged with only the changed role); a row leaving the filter goes, its object too.
    void liveChangesUpdateTheSameObject()
    {
        fiveTasks();
        ModelListModel m(ModelInfo::of<MlmTask>(), conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setFilter(u"done = $done"_s);
        m.setBindings({{u"done"_s, false}});
        m.setOrderBy(u"priority"_s);
        m.setLive(true);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 3); // 1, 3, 5
        const int titleRole = m.roleForField(u"title"_s);

        QPointer<MlmTask> task3 = m.object<MlmTask>(1);
        QVERIFY(task3);
        QCOMPARE(task3->title(), u"t3"_s);
        QSignalSpy titleChanged(task3.data(), &MlmTask::titleChanged);
        QSignalSpy priorityChanged(task3.data(), &MlmTask::priorityChanged);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);

        exec(u"UPDATE mlm_task:3 SET title = 'three'"_s);
        QTRY_COMPARE(titleChanged.size(), 1);
        QCOMPARE(task3->title(), u"three"_s);
        QCOMPARE(priorityChanged.size(), 0);
        QVERIFY(!task3->isDirty());
        QCOMPARE(m.object(1), task3.data());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(rolesOf(changed.at(0)), QList<int>{titleRole});
        QCOMPARE(m.data(m.index(1), titleRole).toString(), u"three"_s);

        // Enters the filter: inserted where the order puts it.
        exec(u"UPDATE mlm_task:2 SET done = false"_s);
        QTRY_COMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);
        QCOMPARE(m.recordId(1), taskId(2));
        QCOMPARE(m.object(2), task3.data()); // moved down a row, same object

        // Leaves the filter: removed, and its object deleted later.
        exec(u"UPDATE mlm_task:3 SET done = true"_s);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 2);
        QCOMPARE(m.rowOf(taskId(3)), -1);
        QTRY_VERIFY(task3.isNull());

        // Deleted on the server: removed too.
        QPointer<MlmTask> task5 = m.object<MlmTask>(m.rowOf(taskId(5)));
        QVERIFY(task5);
        exec(u"DELETE mlm_task:5"_s);
        QTRY_COMPARE(removed.size(), 2);
        QTRY_VERIFY(task5.isNull());
        QCOMPARE(m.rowCount(), 2);

        // Comes back: a new object, not one made for another record.
        exec(u"UPDATE mlm_task:3 SET done = false"_s);
        QTRY_COMPARE(m.rowCount(), 3);
        MlmTask *again = m.object<MlmTask>(m.rowOf(taskId(3)));
        QVERIFY(again);
        QCOMPARE(again->id(), RecordId(u"mlm_task"_s, 3));
        QCOMPARE(again->title(), u"three"_s);
    }

    // The user edits the object and saves it: the row shows the edit at once, the save writes
    // it, and the live change that follows leaves the object as it is.
    void editingTheObjectAndSaving()
    {
        fiveTasks();
        ModelListModel m(ModelInfo::of<MlmTask>(), conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setOrderBy(u"priority"_s);
        m.setLive(true);
        QVERIFY(waitReady(m));
        const int titleRole = m.roleForField(u"title"_s);
        MlmTask *task = m.object<MlmTask>(0);
        QVERIFY(task);
        QSignalSpy titleChanged(task, &MlmTask::titleChanged);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        task->setTitle(u"first"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rolesOf(changed.at(0)), QList<int>{titleRole});
        QCOMPARE(m.data(m.index(0), titleRole).toString(), u"first"_s);
        QVERIFY(task->isDirty(u"title"_s));

        // A change by someone else to another field meanwhile: applied, the unsaved title kept.
        exec(u"UPDATE mlm_task:1 SET priority = 0"_s);
        QTRY_COMPARE(task->priority(), 0);
        QCOMPARE(task->title(), u"first"_s);
        QCOMPARE(m.data(m.index(0), titleRole).toString(), u"first"_s);

        QSignalSpy applied(&m, &ModelListModel::liveChangesApplied);
        AWAIT_VOID(task->save());
        QVERIFY(!task->isDirty());
        QCOMPARE(serverValue(u"SELECT VALUE title FROM mlm_task:1"_s).toString(), u"first"_s);
        QTRY_VERIFY(applied.size() >= 1); // the save's own live change
        QCOMPARE(m.object(0), task);
        QCOMPARE(task->title(), u"first"_s);
        QCOMPARE(titleChanged.size(), 1);
        QCOMPARE(m.data(m.index(0), titleRole).toString(), u"first"_s);
        QCOMPARE(m.get(0).value(u"title"_s).toString(), u"first"_s);
    }

    void setDataWritesBack()
    {
        fiveTasks();
        ModelListModel m(ModelInfo::of<MlmTask>(), conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setOrderBy(u"priority"_s);
        QVERIFY(waitReady(m));
        const int titleRole = m.roleForField(u"title"_s);
        const int doneRole = m.roleForField(u"done"_s);
        MlmTask *task = m.object<MlmTask>(1);
        QSignalSpy titleChanged(task, &MlmTask::titleChanged);
        QSignalSpy failed(&m, &ModelListModel::writeFailed);

        QVERIFY(m.setData(m.index(1), u"two"_s, titleRole));
        QCOMPARE(m.data(m.index(1), titleRole).toString(), u"two"_s); // at once
        QCOMPARE(task->title(), u"two"_s);
        QCOMPARE(titleChanged.size(), 1);
        QVERIFY(!task->isDirty());
        QTRY_COMPARE(serverValue(u"SELECT VALUE title FROM mlm_task:2"_s).toString(), u"two"_s);
        QVERIFY(m.setData(m.index(1), false, doneRole));
        QTRY_COMPARE(serverValue(u"SELECT VALUE done FROM mlm_task:2"_s).toBool(), false);
        QCOMPARE(task->done(), false);
        QCOMPARE(failed.size(), 0);

        // Checked against the field before any request.
        QVERIFY(!m.setData(m.index(1), QString(41, u'x'), titleRole));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(1).value<Error>().kind(), Error::Kind::Validation);
        QVERIFY(!m.setData(m.index(1), QString(), titleRole)); // required
        QCOMPARE(failed.size(), 2);
        QCOMPARE(m.data(m.index(1), titleRole).toString(), u"two"_s);
        QVERIFY(!m.setData(m.index(1), 1, ModelListModel::IdRole));
        QVERIFY(!m.setField(1, u"nope"_s, 1));
    }

    // A record user may read every note but change only their own. The engine answers a refused
    // write like a write to a missing record: the row and its object roll back.
    void refusedWriteRollsBack()
    {
        exec(u"DEFINE TABLE mlm_member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
             "DEFINE ACCESS mlm_member_access ON DATABASE TYPE RECORD "
             "SIGNIN (SELECT * FROM mlm_member WHERE name = $name) DURATION FOR SESSION 1h;"
             "CREATE mlm_member:ann SET name = 'ann'; CREATE mlm_member:bob SET name = 'bob';"
             "DEFINE TABLE mlm_note SCHEMALESS PERMISSIONS FOR select FULL, FOR create FULL,"
             " FOR update, delete WHERE owner = $auth.id;"
             "CREATE mlm_note:mine SET owner = mlm_member:ann, text = 'mine';"
             "CREATE mlm_note:theirs SET owner = mlm_member:bob, text = 'theirs';"_s);
        DatabaseManager ann(
            TestServer::url(), m_ns, m_db,
            Credentials::recordAccess(m_ns, m_db, u"mlm_member_access"_s, {{u"name"_s, u"ann"_s}}));
        AWAIT_VOID(ann.open());
        ModelListModel m(ModelInfo::of<MlmNote>(), ann.connection());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitReady(m));
        QCOMPARE(m.rowCount(), 2);
        const int textRole = m.roleForField(u"text"_s);
        const int theirs = m.rowOf(QVariant::fromValue(RecordId(u"mlm_note"_s, u"theirs"_s)));
        QVERIFY(theirs >= 0);
        MlmNote *note = m.object<MlmNote>(theirs);
        QVERIFY(note);
        QCOMPARE(note->owner(), RecordId(u"mlm_member"_s, u"bob"_s));
        QSignalSpy textChanged(note, &MlmNote::textChanged);
        QSignalSpy failed(&m, &ModelListModel::writeFailed);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        QVERIFY(m.setData(m.index(theirs), u"hacked"_s, textRole));
        QCOMPARE(m.data(m.index(theirs), textRole).toString(), u"hacked"_s);
        QCOMPARE(note->text(), u"hacked"_s);
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0), QVariant::fromValue(RecordId(u"mlm_note"_s, u"theirs"_s)));
        QCOMPARE(failed.at(0).at(1).value<Error>().kind(), Error::Kind::NotAllowed);
        QCOMPARE(m.data(m.index(theirs), textRole).toString(), u"theirs"_s); // rolled back
        QCOMPARE(note->text(), u"theirs"_s);
        QCOMPARE(textChanged.size(), 2);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(m.object(theirs), note);
        QCOMPARE(serverValue(u"SELECT VALUE text FROM mlm_note:theirs"_s).toString(), u"theirs"_s);

        // Their own note: the write goes through.
        const int mine = m.rowOf(QVariant::fromValue(RecordId(u"mlm_note"_s, u"mine"_s)));
        QVERIFY(m.setData(m.index(mine), u"edited"_s, textRole));
        QTRY_COMPARE(serverValue(u"SELECT VALUE text FROM mlm_note:mine"_s).toString(), u"edited"_s);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(m.object<MlmNote>(mine)->text(), u"edited"_s);
    }

    void pagesThroughFetchMore()
    {
        exec(u"DELETE mlm_task; FOR $i IN 1..=25 { CREATE type::record('mlm_task', $i) "
             "SET title = 't' + <string>$i, priority = $i, done = false };"_s);
        // Page by page, as a view asks for them.
        {
            ModelListModel m(ModelInfo::of<MlmTask>(), conn());
            QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
            m.setPageSize(10);
            QCOMPARE(m.status(), ModelListModel::Null);
            QVERIFY(waitReady(m));
            QCOMPARE(m.rowCount(), 10);
            QVERIFY(m.canFetchMore({}));
            QTRY_COMPARE(m.totalCount(), 25);
            MlmTask *first = m.object<MlmTask>(0);
            m.fetchMore({});
            QTRY_COMPARE(m.rowCount(), 20);
            QCOMPARE(inserted.constLast().at(1).toInt(), 10);
            QCOMPARE(inserted.constLast().at(2).toInt(), 19);
            QCOMPARE(m.object<MlmTask>(14)->priority(), 15);
            QCOMPARE(m.object(0), first);
            m.fetchMore({});
            QTRY_COMPARE(m.rowCount(), 25);
            QVERIFY(!m.canFetchMore({}));
        }

        // Live, with the tester (which itself fetches more on every insert) and a change
        // arriving while pages load.
        ModelListModel m(ModelInfo::of<MlmTask>(), conn());
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.setPageSize(10);
        m.setLive(true);
        QVERIFY(waitReady(m));
        MlmTask *first = m.object<MlmTask>(0);
        exec(u"UPDATE mlm_task:3 SET title = 'changed'"_s);
        m.fetchAll();
        QTRY_COMPARE(m.rowCount(), 25);
        QVERIFY(!m.canFetchMore({}));
        int next = 0;
        for (const QList<QVariant> &args : std::as_const(inserted)) {
            QCOMPARE(args.at(1).toInt(), next); // pages appended in order, none twice
            QVERIFY(args.at(2).toInt() - args.at(1).toInt() < 10);
            next = args.at(2).toInt() + 1;
        }
        QCOMPARE(next, 25);
        QTRY_COMPARE(m.object<MlmTask>(2)->title(), u"changed"_s);
        QCOMPARE(m.data(m.index(24), m.roleForField(u"title"_s)).toString(), u"t25"_s);
        QCOMPARE(m.object(0), first);

        // Reload: every object goes (rows were reset), new ones come.
        QPointer<MlmTask> old = first;
        m.reload();
        QVERIFY(QTest::qWaitFor([&] { return m.status() == ModelListModel::Ready && m.rowCount() >= 10; }));
        QTRY_VERIFY(old.isNull());
        QCOMPARE(m.object<MlmTask>(0)->title(), u"t1"_s);
    }

    void noModelClassIsEmpty()
    {
        ModelListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setConnection(conn());
        QTest::qWait(50);
        QCOMPARE(m.status(), ModelListModel::Null);
        QCOMPARE(m.rowCount(), 0);
        QCOMPARE(m.roleNames().size(), 4); // display, object, id, dirty
        m.setModelInfo(&ModelInfo::of<MlmTask>());
        QCOMPARE(m.roleNames().size(), 7);
        QVERIFY(waitReady(m));
        QVERIFY(m.rowCount() > 0);
    }
};

QTEST_GUILESS_MAIN(TestModelListModel)
#include "tst_modellistmodel.moc"
