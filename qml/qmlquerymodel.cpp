#include "qmlquerymodel.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"

namespace SurrealQt {

QmlQueryModel::QmlQueryModel(QObject *parent)
    : QueryListModel(parent)
{
    connect(this, &QueryListModel::writeFailed, this,
            [this](const QVariant &id, const SurrealQt::Error &error) {
                Q_EMIT writeRefused(JsConvert::recordIdText(id), error.message(),
                                    JsConvert::kindName(error.kind()));
            });
}

QmlQueryModel::~QmlQueryModel() = default;

void QmlQueryModel::setDatabase(QmlDatabase *database)
{
    if (!rebindDatabase(this, m_database, database, &QmlQueryModel::attach))
        return;
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
    return JsConvert::recordIdText(id);
}

QVariantMap QmlQueryModel::get(int row) const
{
    return JsConvert::toJs(QueryListModel::get(row)).toMap();
}

} // namespace SurrealQt
