#include "qmlbulkjob.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"

#include <SurrealQt/bulkoperations.h>
#include <SurrealQt/bulkresult.h>
#include <SurrealQt/bulkupdateitem.h>
#include <SurrealQt/connection.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtQml/QJSEngine>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using JsConvert::Reply;

namespace {

SurrealQt::Error validation(const QString &message)
{
    return SurrealQt::Error(SurrealQt::Error::Kind::Validation, message, u"BulkJob.start"_s);
}

bool isIdentifier(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    return re.match(name).hasMatch();
}

RecordId recordIdOf(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<RecordId>())
        return value.value<RecordId>();
    return value.metaType().id() == QMetaType::QString ? RecordId::parse(value.toString()) : RecordId();
}

} // namespace

QmlBulkJob::QmlBulkJob(QObject *parent)
    : QObject(parent)
{}

QmlBulkJob::~QmlBulkJob() = default;

void QmlBulkJob::setDatabase(QmlDatabase *database)
{
    if (m_database == database)
        return;
    m_database = database;
    Q_EMIT databaseChanged();
}

void QmlBulkJob::setOperation(Operation operation)
{
    if (m_operation == operation)
        return;
    m_operation = operation;
    Q_EMIT operationChanged();
}

void QmlBulkJob::setTable(const QString &table)
{
    if (m_table == table)
        return;
    m_table = table;
    Q_EMIT tableChanged();
}

void QmlBulkJob::setKeyField(const QString &field)
{
    if (m_keyField == field)
        return;
    m_keyField = field;
    Q_EMIT keyFieldChanged();
}

void QmlBulkJob::setBatchSize(int size)
{
    size = qMax(1, size);
    if (m_batchSize == size)
        return;
    m_batchSize = size;
    Q_EMIT batchSizeChanged();
}

void QmlBulkJob::setIgnoreErrors(bool ignore)
{
    if (m_ignoreErrors == ignore)
        return;
    m_ignoreErrors = ignore;
    Q_EMIT ignoreErrorsChanged();
}

bool QmlBulkJob::isRunning() const
{
    return !m_bulk.isNull();
}

double QmlBulkJob::progress() const
{
    return m_total > 0 ? double(m_done) / double(m_total) : 0.0;
}

void QmlBulkJob::setError(const SurrealQt::Error &error)
{
    m_error = error;
    Q_EMIT lastErrorChanged();
    if (error.isValid())
        Q_EMIT errorOccurred(error);
}

void QmlBulkJob::cancel()
{
    if (m_bulk)
        m_bulk->cancel();
}

void QmlBulkJob::end()
{
    if (!m_bulk)
        return;
    BulkOperations *bulk = m_bulk;
    m_bulk = nullptr;
    disconnect(bulk, nullptr, this, nullptr);
    bulk->deleteLater();
    Q_EMIT runningChanged();
}

QJSValue QmlBulkJob::resultObject(const BulkResult &result) const
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine)
        return QJSValue(QJSValue::NullValue);
    QJSValue object = engine->newObject();
    object.setProperty(u"total"_s, double(result.total()));
    object.setProperty(u"written"_s, double(result.successCount()));
    object.setProperty(u"failed"_s, double(result.count(BulkResult::ItemStatus::Failed)));
    object.setProperty(u"notAttempted"_s, double(result.notAttemptedCount()));
    object.setProperty(u"unknown"_s, double(result.count(BulkResult::ItemStatus::Unknown)));
    object.setProperty(u"cancelled"_s, result.isCancelled());
    object.setProperty(u"stopped"_s, result.isStopped());
    object.setProperty(u"ok"_s, result.isOk());
    object.setProperty(u"elapsedMs"_s, double(result.elapsed().count()));
    const QList<BulkItemError> &errors = result.errors();
    QJSValue list = engine->newArray(quint32(errors.size()));
    for (qsizetype i = 0; i < errors.size(); ++i) {
        QJSValue item = engine->newObject();
        item.setProperty(u"index"_s, double(errors.at(i).index));
        item.setProperty(u"error"_s, JsConvert::errorObject(engine, errors.at(i).error));
        list.setProperty(quint32(i), item);
    }
    object.setProperty(u"errors"_s, list);
    const SurrealQt::Error summary = result.toError();
    object.setProperty(u"error"_s, summary.isValid() ? JsConvert::errorObject(engine, summary)
                                                     : QJSValue(QJSValue::NullValue));
    return object;
}

QJSValue QmlBulkJob::start(const QJSValue &items, const QJSValue &callback)
{
    // The callback may stand in the items' place (then the items are missing).
    const bool shifted = items.isCallable() && callback.isUndefined();
    const QJSValue input = shifted ? QJSValue() : items;
    const QJSValue cb = shifted ? items : callback;
    auto reply = std::make_shared<Reply>(qjsEngine(this), cb.isCallable() ? cb : QJSValue());
    const QJSValue returned = reply->returnValue();
    const auto refuse = [this, reply](const SurrealQt::Error &error) {
        setError(error);
        QTimer::singleShot(0, this, [reply, error] { reply->reject(error); });
    };
    if (!cb.isUndefined() && !cb.isNull() && !cb.isCallable()) {
        refuse(validation(u"callback must be a function"_s));
        return returned;
    }
    if (m_bulk) {
        refuse(validation(u"a job is running already (one at a time; cancel() stops it)"_s));
        return returned;
    }
    Connection *connection = m_database ? m_database->connection() : nullptr;
    if (!connection) {
        refuse(SurrealQt::Error(SurrealQt::Error::Kind::Connection, u"BulkJob has no open database"_s,
                                u"BulkJob.start"_s));
        return returned;
    }
    if (!input.isArray()) {
        refuse(
            validation(input.isUndefined() ? u"items is missing (an array)"_s : u"items must be an array"_s));
        return returned;
    }
    SurrealQt::Error error;
    const QVariantList list = JsConvert::fromJs(input, u"items"_s, &error).toList();
    if (error.isValid()) {
        refuse(error.setContext(u"BulkJob.start"_s));
        return returned;
    }
    if ((m_operation == Insert || m_operation == Upsert) && !isIdentifier(m_table)) {
        refuse(validation(u"table '%1' is not a table name"_s.arg(m_table)));
        return returned;
    }
    QVariantList prepared;
    prepared.reserve(list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QVariant &item = list.at(i);
        const QString path = u"items[%1]"_s.arg(i);
        if (m_operation == Delete) {
            const RecordId id = recordIdOf(item);
            if (!id.isValid()) {
                refuse(validation(path + u": a record id (\"table:id\") is expected"_s));
                return returned;
            }
            prepared.append(QVariant::fromValue(id));
            continue;
        }
        if (item.metaType().id() != QMetaType::QVariantMap) {
            refuse(validation(path + u": an object is expected"_s));
            return returned;
        }
        QVariantMap map = item.toMap();
        if (m_operation == Update || m_operation == Replace) {
            const RecordId id = recordIdOf(map.take(u"id"_s));
            if (!id.isValid()) {
                refuse(validation(path + u".id: the record id (\"table:id\") to write is expected"_s));
                return returned;
            }
            prepared.append(QVariant::fromValue(BulkUpdateItem{id, map, m_operation == Update}));
            continue;
        }
        prepared.append(map);
    }

    BulkOptions options;
    options.batchSize = m_batchSize;
    options.ignoreErrors = m_ignoreErrors;
    auto *bulk = new BulkOperations(connection, options, this);
    m_bulk = bulk;
    if (m_error.isValid())
        setError(SurrealQt::Error());
    m_done = 0;
    m_total = prepared.size();
    Q_EMIT progressChanged();
    Q_EMIT runningChanged();
    // Signals of an object of this thread: no future continuation needed.
    connect(bulk, &BulkOperations::progress, this, [this](qint64 done, qint64 total) {
        m_done = done;
        if (total >= 0)
            m_total = total;
        Q_EMIT progressChanged();
    });
    connect(bulk, &BulkOperations::finished, this, [this, reply](const BulkResult &result) {
        end();
        m_done = result.total() - result.notAttemptedCount();
        m_total = result.total();
        Q_EMIT progressChanged();
        m_result = resultObject(result);
        Q_EMIT finished(m_result);
        reply->resolve(QVariant::fromValue(m_result));
    });
    connect(bulk, &BulkOperations::errorOccurred, this, [this, reply](const SurrealQt::Error &error) {
        end();
        setError(error);
        reply->reject(error);
    });
    switch (m_operation) {
    case Insert:
        (void)bulk->bulkInsert(m_table, prepared);
        break;
    case Upsert:
        (void)bulk->bulkUpsert(m_table, prepared, m_keyField);
        break;
    case Update:
    case Replace:
        (void)bulk->bulkUpdate(BulkSource(prepared));
        break;
    case Delete:
        (void)bulk->bulkDelete(BulkSource(prepared));
        break;
    }
    return returned;
}

} // namespace SurrealQt
