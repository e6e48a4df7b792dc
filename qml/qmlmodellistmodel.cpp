#include "qmlmodellistmodel.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"

#include <SurrealQt/querylistmodel.h>

#include <QtQml/QQmlEngine>
#include <QtQml/QQmlInfo>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QmlModelListModel::QmlModelListModel(QObject *parent)
    : ModelListModel(parent)
{
    connect(this, &ModelListModel::writeFailed, this,
            [this](const QVariant &id, const SurrealQt::Error &error) {
                Q_EMIT writeRefused(JsConvert::recordIdText(id), error.message(),
                                    JsConvert::kindName(error.kind()));
            });
}

QmlModelListModel::~QmlModelListModel() = default;

void QmlModelListModel::setDatabase(QmlDatabase *database)
{
    if (!rebindDatabase(this, m_database, database, &QmlModelListModel::attach))
        return;
    Q_EMIT databaseChanged();
    attach();
}

void QmlModelListModel::setModelName(const QString &name)
{
    if (m_modelName == name)
        return;
    m_modelName = name;
    Q_EMIT modelNameChanged();
    attach();
}

QString QmlModelListModel::errorText() const
{
    return m_modelError.isEmpty() ? errorString() : m_modelError;
}

QString QmlModelListModel::errorKind() const
{
    if (!m_modelError.isEmpty())
        return JsConvert::kindName(Error::Kind::Validation);
    const SurrealQt::Error e = ModelListModel::error();
    return e.isValid() ? JsConvert::kindName(e.kind()) : QString();
}

SurrealQt::Error QmlModelListModel::lastError() const
{
    if (!m_modelError.isEmpty())
        return SurrealQt::Error(Error::Kind::Validation, m_modelError, u"ModelListModel.modelName"_s);
    return ModelListModel::error();
}

void QmlModelListModel::classBegin() {}

void QmlModelListModel::componentComplete()
{
    m_complete = true;
    attach();
}

void QmlModelListModel::attach()
{
    // Before completion the properties are still being assigned; one load at the end.
    if (!m_complete)
        return;
    // The model classes are the application's C++ classes: registered at start-up by
    // SURREALQT_MODEL, found here by class name or table.
    const ModelInfo *info = m_modelName.isEmpty() ? nullptr : ModelInfo::find(m_modelName);
    const QString modelError =
        (info || m_modelName.isEmpty())
            ? QString()
            : u"no model class or table named \"%1\" is registered (a SURREALQT_MODEL class of the application)"_s
                  .arg(m_modelName);
    if (modelError != m_modelError) {
        m_modelError = modelError;
        if (!modelError.isEmpty())
            qmlWarning(this) << modelError;
        Q_EMIT errorChanged();
    }
    setModelInfo(info);
    setConnection(m_database ? m_database->connection() : nullptr);
}

Model *QmlModelListModel::object(int row) const
{
    Model *object = ModelListModel::object(row);
    if (object)
        QQmlEngine::setObjectOwnership(object, QQmlEngine::CppOwnership);
    return object;
}

QString QmlModelListModel::idOf(int row) const
{
    const QVariant id = recordId(row);
    return JsConvert::recordIdText(id);
}

QVariantMap QmlModelListModel::get(int row) const
{
    return JsConvert::toJs(QueryListModel::get(row)).toMap();
}

} // namespace SurrealQt
