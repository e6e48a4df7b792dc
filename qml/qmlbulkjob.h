#pragma once

#include "qmldatabase.h"
#include "surrealqtqml_global.h"

#include <SurrealQt/error.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/QJSValue>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

class BulkOperations;
class BulkResult;

// QML `BulkJob`: writes many records in batches (SurrealQt::BulkOperations) with progress, cancel()
// and a result, for imports and mass edits that must not freeze the screen.
//
//   BulkJob {
//       id: job
//       database: db
//       operation: BulkJob.Insert; table: "book"
//       onFinished: result => console.log(result.written, "written,", result.failed, "failed")
//   }
//   ProgressBar { value: job.progress; visible: job.running }
//   Button { text: "Cancel"; onClicked: job.cancel() }
//   ... job.start(rows)             // a Promise of the result, or start(rows, callback)
//
// Items: objects (Insert, Upsert), objects with an `id` ("table:id") and the fields to write
// (Update: merged into existing records, a missing one is a NotFound failure; Replace: the same,
// replacing the content), or record ids (Delete). The result is an object: total, written,
// failed, notAttempted, unknown, cancelled, stopped, ok, elapsedMs, errors (one per failed item:
// {index, error}, each error with the fields of surrealError) and error (a BulkOperation
// error whose itemErrors are those errors, or null). The promise resolves with it even when items
// failed; it rejects only when the job could not start (bad items or options: Validation).
class SURREALQT_QML_EXPORT QmlBulkJob : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(BulkJob)
    Q_PROPERTY(SurrealQt::QmlDatabase *database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(Operation operation READ operation WRITE setOperation NOTIFY operationChanged)
    Q_PROPERTY(QString table READ table WRITE setTable NOTIFY tableChanged)
    // Upsert: the field that identifies a record (a UNIQUE index unless "id").
    Q_PROPERTY(QString keyField READ keyField WRITE setKeyField NOTIFY keyFieldChanged)
    Q_PROPERTY(int batchSize READ batchSize WRITE setBatchSize NOTIFY batchSizeChanged)
    // false (default): the first failed batch stops the job; true: every item is tried.
    Q_PROPERTY(bool ignoreErrors READ ignoreErrors WRITE setIgnoreErrors NOTIFY ignoreErrorsChanged)
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    // Items settled so far, out of total; progress is their ratio (0 to 1).
    Q_PROPERTY(double done READ done NOTIFY progressChanged)
    Q_PROPERTY(double total READ total NOTIFY progressChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    // The last job's result object (see above), null before the first one finished.
    Q_PROPERTY(QJSValue result READ result NOTIFY finished)
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Operation { Insert, Upsert, Update, Replace, Delete };
    Q_ENUM(Operation)

    explicit QmlBulkJob(QObject *parent = nullptr);
    ~QmlBulkJob() override;

    [[nodiscard]] QmlDatabase *database() const { return m_database; }
    void setDatabase(QmlDatabase *database);
    [[nodiscard]] Operation operation() const { return m_operation; }
    void setOperation(Operation operation);
    [[nodiscard]] QString table() const { return m_table; }
    void setTable(const QString &table);
    [[nodiscard]] QString keyField() const { return m_keyField; }
    void setKeyField(const QString &field);
    [[nodiscard]] int batchSize() const { return m_batchSize; }
    void setBatchSize(int size);
    [[nodiscard]] bool ignoreErrors() const { return m_ignoreErrors; }
    void setIgnoreErrors(bool ignore);
    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] double done() const { return double(m_done); }
    [[nodiscard]] double total() const { return double(m_total); }
    [[nodiscard]] double progress() const;
    [[nodiscard]] QJSValue result() const { return m_result; }
    [[nodiscard]] SurrealQt::Error lastError() const { return m_error; }

    // Starts a job over items (an array); one job at a time. Returns a Promise of the result,
    // or calls callback(result, error).
    Q_INVOKABLE QJSValue start(const QJSValue &items, const QJSValue &callback = {});

public Q_SLOTS:
    // Stops the job: batches in flight finish, the rest ends as notAttempted; the result follows.
    void cancel();

Q_SIGNALS:
    void databaseChanged();
    void operationChanged();
    void tableChanged();
    void keyFieldChanged();
    void batchSizeChanged();
    void ignoreErrorsChanged();
    void runningChanged();
    void progressChanged();
    void lastErrorChanged();
    void finished(const QJSValue &result);
    void errorOccurred(const SurrealQt::Error &error);

private:
    void setError(const SurrealQt::Error &error);
    void end();
    QJSValue resultObject(const BulkResult &result) const;

    QPointer<QmlDatabase> m_database;
    Operation m_operation = Insert;
    QString m_table;
    QString m_keyField = QStringLiteral("id");
    int m_batchSize = 100;
    bool m_ignoreErrors = false;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QJSValue m_result = QJSValue(QJSValue::NullValue);
    SurrealQt::Error m_error;
    QPointer<BulkOperations> m_bulk;
};

} // namespace SurrealQt
