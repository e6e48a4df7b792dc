#include "qmlquerymodel.h"

#include "jsconvert_p.h"
#include "qmldatabase.h"

#include <SurrealQt/recordid.h>

namespace SurrealQt {

QmlQueryModel::QmlQueryModel(QObject *parent)
    : QueryListModel(parent)
{
    connect(
        this, &QueryListModel::writeFailed, this, [this](const QVariant &id, const SurrealQt::Error &error) {
            const QString text = id.canConvert<RecordId>() ? id.value<RecordId>().toString() : id.toString();
            Q_EMIT writeRefused(text, error.message(), JsConvert::kindName(error.kind()));
        });
}

QmlQueryModel::~QmlQueryModel() = default;

void QmlQueryModel::setDatabase(QmlDatabase *database)
{
    if (m_database == database)
        return;
    if (m_database)
        disconnect(m_database, nullptr, this, nullptr);
    m_database = database;
    if (database)
        connect(database, &QmlDatabase::connectionChanged, this, &QmlQueryModel::attach);
    Q_EMIT databaseChanged();
    attach();
}

QString QmlQueryModel::errorKind() const
{
    const SurrealQt::Error e = QueryListModel::error();
    return e.isValid() ? JsConvert::kindName(e.kind()) : QString();
}

void QmlQueryModel::classBegin() {}

void QmlQueryModel::componentComplete()
{
    m_complete = true;
    attach();
}

void QmlQueryModel::attach()
{
    // Before completion the properties are still being assigned; one load at the end.
    if (!m_complete)
        return;
    setConnection(m_database ? m_database->connection() : nullptr);
}

QString QmlQueryModel::idOf(int row) const
{
    const QVariant id = recordId(row);
    return id.canConvert<RecordId>() ? id.value<RecordId>().toString() : QString();
}

QVariantMap QmlQueryModel::get(int row) const
{
    return JsConvert::toJs(QueryListModel::get(row)).toMap();
}

} // namespace SurrealQt
