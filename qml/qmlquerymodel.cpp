#include "qmlquerymodel.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"

#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>

using namespace Qt::StringLiterals;

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

SurrealQt::Error QmlQueryModel::lastError() const
{
    return QueryListModel::error();
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

bool QmlQueryModel::convert(const QJSValue &value, const QString &path, const QString &call, QVariant *out)
{
    SurrealQt::Error error;
    *out = JsConvert::fromJs(value, path, &error);
    if (!error.isValid())
        return true;
    // A synchronous call: the script sees the error where it called.
    if (QJSEngine *engine = qjsEngine(this))
        engine->throwError(JsConvert::errorObject(engine, error.setContext(call)));
    return false;
}

void QmlQueryModel::append(const QJSValue &object)
{
    const bool many = object.isArray();
    if (!many && (!object.isObject() || object.isCallable() || object.isDate() || object.isQObject())) {
        if (QJSEngine *engine = qjsEngine(this))
            engine->throwError(JsConvert::errorObject(
                engine, SurrealQt::Error(SurrealQt::Error::Kind::Validation,
                                         u"append() takes an object or an array of objects"_s,
                                         u"QueryModel.append"_s)));
        return;
    }
    QVariant converted;
    if (!convert(object, u"object"_s, u"QueryModel.append"_s, &converted))
        return;
    if (!many) {
        createRecord(converted.toMap());
        return;
    }
    const QVariantList rows = converted.toList();
    for (const QVariant &row : rows)
        createRecord(row.toMap());
}

bool QmlQueryModel::set(int row, const QJSValue &object)
{
    if (row < 0 || row >= rowCount())
        return false;
    QVariant converted;
    if (!convert(object, u"object"_s, u"QueryModel.set"_s, &converted))
        return false;
    const QVariantMap fields = converted.toMap();
    bool all = true;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (it.key() != QLatin1String("id"))
            all = setField(row, it.key(), it.value()) && all;
    }
    return all;
}

bool QmlQueryModel::setProperty(int row, const QString &role, const QJSValue &value)
{
    if (row < 0 || row >= rowCount())
        return false;
    QVariant converted;
    if (!convert(value, role, u"QueryModel.setProperty"_s, &converted))
        return false;
    return setField(row, role, converted);
}

bool QmlQueryModel::remove(int row, int count)
{
    if (row < 0 || count < 1 || row + count > rowCount())
        return false;
    return removeRows(row, count);
}

void QmlQueryModel::clear()
{
    if (rowCount() > 0)
        removeRows(0, rowCount());
}

} // namespace SurrealQt
