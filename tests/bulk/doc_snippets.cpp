// The examples of docs/helpers/bulk-operations.md, compiled with the bulk tests so they cannot
// rot. Each function is one snippet; they are compiled, not run.

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/syncbulkoperations.h>

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace DocSnippets {

Q_LOGGING_CATEGORY(lcApp, "app.import")

// [insert-async]
void importPeople(DatabaseManager *db, QObject *context, const QList<QVariantMap> &people)
{
    auto *bulk = new BulkOperations(db->connection(), {}, context);
    QObject::connect(bulk, &BulkOperations::progress, context,
                     [](qint64 done, qint64 total) { qCInfo(lcApp) << done << "of" << total; });
    bulk->bulkInsert(u"person"_s, people)
        .then(context,
              [bulk](const BulkResult &result) {
                  for (const BulkItemError &e : result.errors())
                      qCWarning(lcApp) << "input" << e.index << "failed:" << e.error.message();
                  bulk->deleteLater();
              })
        .onFailed(context, [bulk](const Exception &e) {
            // The job could not start: bad table name, bad options, missing key index.
            qCWarning(lcApp) << e.error().toString();
            bulk->deleteLater();
        });
}
// [insert-async]

// [options]
BulkOptions importOptions()
{
    BulkOptions o;
    o.batchSize = 100;     // the measured default
    o.parallelism = 2;     // batches in flight at once
    o.ignoreErrors = true; // report every failure, write everything else
    o.atomic = true;       // ... but each batch wholly or not at all
    o.maxRetries = 5;      // resend after a dropped connection, checked first
    return o;
}
// [options]

// [stream]
BulkResult importJsonLines(Connection *connection, const QString &path)
{
    // A worker thread: the sync twin blocks. Memory stays at parallelism x batchSize records.
    auto file = std::make_shared<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return {};
    BulkOptions o;
    o.collectResults = false; // keep nothing per record: flat memory for any file size
    o.adaptiveBatchSize = true;
    SyncBulkOperations bulk(connection, o);
    return bulk.bulkInsert(u"event"_s, BulkSource::fromGenerator([file]() -> std::optional<QVariant> {
                               const QByteArray line = file->readLine();
                               if (line.isEmpty())
                                   return std::nullopt;
                               return QJsonDocument::fromJson(line).object().toVariantMap();
                           }));
}
// [stream]

// [upsert]
QFuture<BulkResult> syncContacts(BulkOperations *bulk, const QList<QVariantMap> &contacts)
{
    // "email" needs a UNIQUE index: without one the future fails with a Validation error
    // quoting the DEFINE INDEX statement, unless createKeyIndex asks for it to be made.
    BulkOptions o = bulk->options();
    o.createKeyIndex = true;
    bulk->setOptions(o);
    return bulk->bulkUpsert(u"contact"_s, contacts, u"email"_s);
}
// [upsert]

// [update-delete-query]
void maintenance(SyncBulkOperations &bulk)
{
    bulk.bulkUpdate({{RecordId(u"person"_s, 1), {{u"active"_s, false}}, /*merge*/ true},
                     {RecordId(u"person"_s, 2), {{u"name"_s, u"Bo"_s}}, /*merge*/ false}});
    bulk.bulkDelete(QList<RecordId>{RecordId(u"person"_s, 3), RecordId(u"person"_s, 4)});
    const BulkResult r = bulk.bulkQuery(
        {{u"UPDATE person SET score += $d WHERE team = $t"_s, {{u"d"_s, 10}, {u"t"_s, u"red"_s}}},
         {u"DELETE session WHERE expires < $now"_s, {{u"now"_s, QDateTime::currentDateTimeUtc()}}}});
    for (const QVariant &each : r.results())
        qCInfo(lcApp) << each.value<QueryResult>().isOk();
}
// [update-delete-query]

// [statuses]
void report(const BulkResult &result)
{
    if (result.isOk())
        return;
    for (const BulkResult::Range &run : result.ranges())
        qCInfo(lcApp) << run.first << ".." << run.first + run.count - 1 << run.status;
    if (result.status(42) == BulkResult::ItemStatus::Unknown)
        qCWarning(lcApp) << "input 42 may or may not be stored: check before writing it again";
}
// [statuses]

} // namespace DocSnippets
