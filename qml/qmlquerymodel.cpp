#include "qmlquerymodel.h"

#include "databasebinding_p.h"
#include "jsconvert_p.h"
#include "qmldatabase.h"
#include "views/querylistmodel_p.h"

#include <QtQml/QJSEngine>
#include <QtQml/QJSValueIterator>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// The list model's write-back, for writes of values already in a declared role's type: they are
// stored as that type, not converted again to the type the record holds now.
WriteBack &writerOf(QmlQueryModel *model)
{
    return QueryListModelPrivate::get(model)->writer;
}

} // namespace

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
    applyRoles();
    attach();
}

void QmlQueryModel::attach()
{
    // Before completion the properties are still being assigned; one load at the end.
    if (!m_complete)
        return;
    setConnection(m_database ? m_database->connection() : nullptr);
}

QQmlListProperty<QmlQueryRole> QmlQueryModel::queryRoles()
{
    return QQmlListProperty<QmlQueryRole>(this, &m_roles, &QmlQueryModel::appendRole,
                                          &QmlQueryModel::roleCount, &QmlQueryModel::roleAt,
                                          &QmlQueryModel::clearRoles);
}

void QmlQueryModel::appendRole(QQmlListProperty<QmlQueryRole> *list, QmlQueryRole *role)
{
    auto *model = static_cast<QmlQueryModel *>(list->object);
    if (!role)
        return;
    model->m_roles.append(role);
    connect(role, &QmlQueryRole::changed, model, &QmlQueryModel::applyRoles);
    model->applyRoles();
}

qsizetype QmlQueryModel::roleCount(QQmlListProperty<QmlQueryRole> *list)
{
    return static_cast<QmlQueryModel *>(list->object)->m_roles.size();
}

QmlQueryRole *QmlQueryModel::roleAt(QQmlListProperty<QmlQueryRole> *list, qsizetype index)
{
    return static_cast<QmlQueryModel *>(list->object)->m_roles.value(index);
}

void QmlQueryModel::clearRoles(QQmlListProperty<QmlQueryRole> *list)
{
    auto *model = static_cast<QmlQueryModel *>(list->object);
    for (QmlQueryRole *role : std::as_const(model->m_roles))
        disconnect(role, nullptr, model, nullptr);
    model->m_roles.clear();
    model->applyRoles();
}

void QmlQueryModel::applyRoles()
{
    // While the document is built the roles arrive one by one: one change at the end.
    if (!m_complete || m_roles.isEmpty())
        return;
    QStringList names;
    for (const QmlQueryRole *role : std::as_const(m_roles)) {
        if (!role->name().isEmpty() && !names.contains(role->name()))
            names.append(role->name());
    }
    if (names != roles())
        setRoles(names);
    else if (rowCount() > 0) // a type or default changed: the same roles read differently
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

QmlQueryRole *QmlQueryModel::queryRole(const QString &name) const
{
    for (QmlQueryRole *role : m_roles) {
        if (role->name() == name)
            return role;
    }
    return nullptr;
}

QVariant QmlQueryModel::data(const QModelIndex &index, int role) const
{
    const QVariant value = QueryListModel::data(index, role);
    if (role < FirstFieldRole || m_roles.isEmpty() || !index.isValid())
        return value;
    if (const QmlQueryRole *declared = queryRole(fieldNames().value(role - FirstFieldRole)))
        return declared->read(value);
    return value;
}

bool QmlQueryModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const QmlQueryRole *declared =
        role >= FirstFieldRole ? queryRole(fieldNames().value(role - FirstFieldRole)) : nullptr;
    if (!declared || !index.isValid())
        return QueryListModel::setData(index, value, role);
    QVariant converted;
    QString why;
    if (!declared->convert(value, &converted, &why)) {
        Q_EMIT writeFailed(recordId(index.row()),
                           SurrealQt::Error(SurrealQt::Error::Kind::Validation, why, u"QueryModel"_s));
        return false;
    }
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    return writerOf(this).writeField(index.row(), declared->name(), converted);
}

bool QmlQueryModel::throwValidation(const QString &message, const QString &call)
{
    if (QJSEngine *engine = qjsEngine(this))
        engine->throwError(JsConvert::errorObject(
            engine, SurrealQt::Error(SurrealQt::Error::Kind::Validation, message, call)));
    return false;
}

bool QmlQueryModel::typeFields(QVariantMap *fields, bool withDefaults, const QString &call)
{
    for (const QmlQueryRole *role : std::as_const(m_roles)) {
        const auto it = fields->find(role->name());
        if (it == fields->end()) {
            if (withDefaults && role->defaultValue().isValid() && !role->name().isEmpty()) {
                QVariant stored;
                QString why;
                if (!role->convert(role->defaultValue(), &stored, &why))
                    return throwValidation(u"defaultValue of "_s + why, call);
                fields->insert(role->name(), stored);
            }
            continue;
        }
        QVariant stored;
        QString why;
        if (!role->convert(it.value(), &stored, &why))
            return throwValidation(why, call);
        *it = stored;
    }
    return true;
}

QString QmlQueryModel::idOf(int row) const
{
    const QVariant id = recordId(row);
    return JsConvert::recordIdText(id);
}

QVariantMap QmlQueryModel::get(int row) const
{
    const QVariantMap stored = QueryListModel::get(row);
    QVariantMap out = JsConvert::toJs(stored).toMap();
    if (row < 0 || row >= rowCount())
        return out;
    for (const QmlQueryRole *role : std::as_const(m_roles)) {
        if (!role->name().isEmpty())
            out.insert(role->name(), JsConvert::toJs(role->read(stored.value(role->name()))));
    }
    return out;
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
        throwValidation(u"append() takes an object or an array of objects"_s, u"QueryModel.append"_s);
        return;
    }
    QVariant converted;
    if (!convert(object, u"object"_s, u"QueryModel.append"_s, &converted))
        return;
    QList<QVariantMap> rows;
    if (!many) {
        rows.append(converted.toMap());
    } else {
        const QVariantList list = converted.toList();
        for (const QVariant &row : list)
            rows.append(row.toMap());
    }
    // All or nothing: one object that cannot be typed creates none of them.
    for (QVariantMap &row : rows) {
        if (!typeFields(&row, true, u"QueryModel.append"_s))
            return;
    }
    for (const QVariantMap &row : std::as_const(rows))
        createRecord(row);
}

bool QmlQueryModel::set(int row, const QJSValue &object)
{
    if (!object.isObject() || object.isArray() || object.isCallable() || object.isDate() ||
        object.isQObject())
        return throwValidation(u"set() takes a row and an object of fields"_s, u"QueryModel.set"_s);
    if (row < 0 || row >= rowCount())
        return false;
    QVariant converted;
    if (!convert(object, u"object"_s, u"QueryModel.set"_s, &converted))
        return false;
    QVariantMap fields = converted.toMap();
    fields.remove(u"id"_s);
    if (!typeFields(&fields, false, u"QueryModel.set"_s))
        return false;
    // One write for all the fields: separate merges of one record conflict in the engine, and a
    // refusal takes back the whole object, not some of its fields.
    QVariantMap typed;
    for (auto it = fields.begin(); it != fields.end();) {
        if (queryRole(it.key())) {
            typed.insert(it.key(), it.value());
            it = fields.erase(it);
        } else {
            ++it;
        }
    }
    return writerOf(this).setEditedFields(row, fields, typed);
}

bool QmlQueryModel::setProperty(int row, const QString &role, const QJSValue &value)
{
    if (row < 0 || row >= rowCount())
        return false;
    QVariant converted;
    if (!convert(value, role, u"QueryModel.setProperty"_s, &converted))
        return false;
    if (const QmlQueryRole *declared = queryRole(role)) {
        QVariant typed;
        QString why;
        if (!declared->convert(converted, &typed, &why))
            return throwValidation(why, u"QueryModel.setProperty"_s);
        return writerOf(this).writeField(row, role, typed);
    }
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
