#include "orm/fieldinfo_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/model.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/values.h>

#include <QtCore/QHash>
#include <QtCore/QJsonDocument>
#include <QtCore/QMetaProperty>
#include <QtCore/QMutex>
#include <QtCore/QPointer>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class ModelInfoPrivate
{
public:
    const QMetaObject *metaObject = nullptr;
    QString className;
    QString table;
    QList<FieldInfo> fields;
    QHash<QString, int> indexByName;
    QString versionField;
    QVariantMap options;
    mutable QMutex connectionMutex;
    mutable QPointer<Connection> defaultConnection;

    static QVariantMap parseOptions(const QString &text, QString *error);
    static QVariant parseDefault(const QString &text, const FieldInfoData &field);
};

namespace {

struct Registry
{
    QMutex mutex;
    QHash<const QMetaObject *, ModelInfo *> byMetaObject;
    QList<ModelInfo *> ordered;
};

Registry &registry()
{
    // Never destroyed: the ModelInfo objects live as long as the process (models register from
    // static initialisers, and may be looked up during static destruction). A static Registry
    // freed its containers at exit and left every ModelInfo unreachable (LeakSanitizer).
    static auto *r = new Registry;
    return *r;
}

FieldInfo::Type typeFromName(const QString &name)
{
    static const QHash<QString, FieldInfo::Type> names = {
        {u"any"_s, FieldInfo::Type::Any},           {u"string"_s, FieldInfo::Type::String},
        {u"int"_s, FieldInfo::Type::Int},           {u"float"_s, FieldInfo::Type::Float},
        {u"number"_s, FieldInfo::Type::Float},      {u"bool"_s, FieldInfo::Type::Bool},
        {u"datetime"_s, FieldInfo::Type::DateTime}, {u"duration"_s, FieldInfo::Type::Duration},
        {u"decimal"_s, FieldInfo::Type::Decimal},   {u"uuid"_s, FieldInfo::Type::Uuid},
        {u"geometry"_s, FieldInfo::Type::Geometry}, {u"bytes"_s, FieldInfo::Type::Bytes},
        {u"record"_s, FieldInfo::Type::Record},     {u"array"_s, FieldInfo::Type::List},
        {u"object"_s, FieldInfo::Type::Object},
    };
    return names.value(name.toLower(), FieldInfo::Type::Any);
}

FieldInfo::Type listItemType(QMetaType mt)
{
    if (mt.id() == QMetaType::QStringList)
        return FieldInfo::Type::String;
    const QByteArray name = mt.name();
    if (name.startsWith("QList<") && name.endsWith('>')) {
        const QMetaType item = QMetaType::fromName(name.mid(6, name.size() - 7));
        if (item.isValid() && item.id() != QMetaType::QVariant)
            return FieldInfo::typeFor(item);
    }
    return FieldInfo::Type::Any;
}

} // namespace

QVariantMap ModelInfoPrivate::parseOptions(const QString &text, QString *error)
{
    QVariantMap out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        qsizetype start = i;
        while (i < n && !text.at(i).isSpace() && text.at(i) != u'=')
            ++i;
        const QString key = text.mid(start, i - start);
        if (i < n && text.at(i) == u'=') {
            ++i;
            QString value;
            if (i < n && text.at(i) == u'\'') {
                ++i;
                bool closed = false;
                while (i < n) {
                    const QChar c = text.at(i++);
                    if (c == u'\\' && i < n) {
                        value += text.at(i++);
                    } else if (c == u'\'') {
                        closed = true;
                        break;
                    } else {
                        value += c;
                    }
                }
                if (!closed && error)
                    *error = u"unterminated quote in the value of %1"_s.arg(key);
            } else {
                start = i;
                while (i < n && !text.at(i).isSpace())
                    ++i;
                value = text.mid(start, i - start);
            }
            out.insert(key, value);
        } else {
            out.insert(key, true);
        }
    }
    return out;
}

QVariant ModelInfoPrivate::parseDefault(const QString &text, const FieldInfoData &field)
{
    QVariant v;
    switch (field.type) {
    case FieldInfo::Type::String:
        v = text;
        break;
    case FieldInfo::Type::Int:
        v = text.toLongLong();
        break;
    case FieldInfo::Type::Float:
        v = text.toDouble();
        break;
    case FieldInfo::Type::Bool:
        v = text == u"true"_s || text == u"1"_s;
        break;
    case FieldInfo::Type::DateTime:
        v = QVariant::fromValue(DateTime::fromString(text));
        break;
    case FieldInfo::Type::Duration:
        v = QVariant::fromValue(Duration::fromString(text));
        break;
    case FieldInfo::Type::Decimal:
        v = QVariant::fromValue(Decimal::fromString(text));
        break;
    case FieldInfo::Type::Uuid:
        v = QUuid::fromString(text);
        break;
    case FieldInfo::Type::List:
    case FieldInfo::Type::Object:
    case FieldInfo::Type::Any: {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
        if (err.error == QJsonParseError::NoError)
            v = doc.toVariant();
        else
            v = text;
        break;
    }
    default:
        v = text;
    }
    if (field.metaType.isValid() && field.metaType.id() != QMetaType::QVariant &&
        v.metaType() != field.metaType)
        v.convert(field.metaType);
    return v;
}

ModelInfo::ModelInfo(const QMetaObject *mo)
    : d(new ModelInfoPrivate)
{
    d->metaObject = mo;
    d->className = QString::fromLatin1(mo->className());
    QSet<QString> fieldNames;
    const int first = Model::staticMetaObject.propertyCount();
    for (int i = first; i < mo->propertyCount(); ++i)
        fieldNames.insert(QString::fromLatin1(mo->property(i).name()));

    QHash<QString, QString> fieldOptions;
    for (int i = 0; i < mo->classInfoCount(); ++i) {
        const QMetaClassInfo ci = mo->classInfo(i);
        const QString key = QString::fromUtf8(ci.name());
        const QString value = QString::fromUtf8(ci.value());
        // Later entries (subclasses) override earlier ones (base classes).
        if (fieldNames.contains(key))
            fieldOptions.insert(key, value);
        else
            d->options.insert(key, value);
    }
    d->table = d->options.value(u"table"_s).toString();
    if (d->table.isEmpty())
        d->table = tableNameFor(d->className);
    d->versionField = d->options.value(u"versionField"_s).toString();

    for (int i = first; i < mo->propertyCount(); ++i) {
        const QMetaProperty p = mo->property(i);
        FieldInfo info;
        FieldInfoData &f = *info.d;
        f.name = QString::fromLatin1(p.name());
        f.propertyIndex = i;
        f.metaType = p.metaType();
        f.type = FieldInfo::typeFor(f.metaType);
        QString parseError;
        f.options = ModelInfoPrivate::parseOptions(fieldOptions.value(f.name), &parseError);
        if (!parseError.isEmpty())
            qCWarning(lcOrm, "%s.%s: %s", mo->className(), p.name(), qPrintable(parseError));
        const QVariantMap &o = f.options;
        if (f.type == FieldInfo::Type::Any && o.contains(u"type"_s))
            f.type = typeFromName(o.value(u"type"_s).toString());
        if (f.type == FieldInfo::Type::List)
            f.itemType =
                o.contains(u"of"_s) ? typeFromName(o.value(u"of"_s).toString()) : listItemType(f.metaType);
        f.required = o.value(u"required"_s).toBool();
        f.optional = o.value(u"optional"_s).toBool();
        f.description = o.value(u"description"_s).toString();
        f.maxLength = o.contains(u"maxLength"_s) ? o.value(u"maxLength"_s).toString().toInt() : -1;
        f.autoNow = o.value(u"autoNow"_s).toBool();
        f.autoNowAdd = o.value(u"autoNowAdd"_s).toBool();
        f.unique = o.value(u"unique"_s).toBool();
        f.index = o.value(u"index"_s).toBool();
        f.readOnly = o.value(u"readOnly"_s).toBool() || !p.isWritable();
        f.linkTarget = o.value(u"link"_s).toString();
        if (o.contains(u"default"_s)) {
            f.hasDefault = true;
            f.defaultValue = ModelInfoPrivate::parseDefault(o.value(u"default"_s).toString(), f);
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            static const QSet<QString> known = {
                u"required"_s,   u"optional"_s, u"description"_s, u"maxLength"_s, u"autoNow"_s,
                u"autoNowAdd"_s, u"unique"_s,   u"index"_s,       u"readOnly"_s,  u"link"_s,
                u"default"_s,    u"of"_s,       u"type"_s};
            if (!known.contains(it.key()))
                qCWarning(lcOrm, "%s.%s: unknown field option %s", mo->className(), p.name(),
                          qPrintable(it.key()));
        }
        d->indexByName.insert(f.name, int(d->fields.size()));
        d->fields.append(info);
    }
}

ModelInfo::~ModelInfo()
{
    delete d;
}

const ModelInfo *ModelInfo::of(const QMetaObject *metaObject)
{
    if (!metaObject || !metaObject->inherits(&Model::staticMetaObject))
        return nullptr;
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    if (ModelInfo *info = r.byMetaObject.value(metaObject))
        return info;
    auto *info = new ModelInfo(metaObject);
    r.byMetaObject.insert(metaObject, info);
    r.ordered.append(info);
    return info;
}

const ModelInfo *ModelInfo::find(const QString &classOrTable)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    for (const ModelInfo *info : std::as_const(r.ordered)) {
        const QString cls = info->className();
        if (cls == classOrTable || cls.section(u"::"_s, -1) == classOrTable)
            return info;
    }
    for (const ModelInfo *info : std::as_const(r.ordered)) {
        if (info->tableName() == classOrTable)
            return info;
    }
    return nullptr;
}

QList<const ModelInfo *> ModelInfo::all()
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    return QList<const ModelInfo *>(r.ordered.begin(), r.ordered.end());
}

const QMetaObject *ModelInfo::metaObject() const
{
    return d->metaObject;
}
QString ModelInfo::className() const
{
    return d->className;
}
QString ModelInfo::tableName() const
{
    return d->table;
}
const QList<FieldInfo> &ModelInfo::fields() const
{
    return d->fields;
}
QString ModelInfo::versionField() const
{
    return d->versionField;
}
QVariantMap ModelInfo::options() const
{
    return d->options;
}

int ModelInfo::fieldIndex(QStringView name) const
{
    return d->indexByName.value(name.toString(), -1);
}

FieldInfo ModelInfo::field(QStringView name) const
{
    const int i = fieldIndex(name);
    return i < 0 ? FieldInfo() : d->fields.at(i);
}

QStringList ModelInfo::fieldNames() const
{
    QStringList out;
    out.reserve(d->fields.size());
    for (const FieldInfo &f : d->fields)
        out.append(f.name());
    return out;
}

Model *ModelInfo::newInstance(QObject *parent) const
{
    QObject *o = d->metaObject->newInstance(Q_ARG(QObject *, parent));
    return qobject_cast<Model *>(o);
}

void ModelInfo::setDefaultConnection(Connection *connection) const
{
    QMutexLocker lock(&d->connectionMutex);
    d->defaultConnection = connection;
}

Connection *ModelInfo::defaultConnection() const
{
    {
        QMutexLocker lock(&d->connectionMutex);
        if (d->defaultConnection)
            return d->defaultConnection.data();
    }
    return Model::defaultConnection();
}

QString ModelInfo::tableNameFor(const QString &className)
{
    const QString bare = className.section(u"::"_s, -1);
    QString out;
    out.reserve(bare.size() + 4);
    for (qsizetype i = 0; i < bare.size(); ++i) {
        const QChar c = bare.at(i);
        if (c.isUpper()) {
            // A new word starts at an upper-case letter after a lower-case one or a digit, and at
            // the last capital of an acronym followed by lower case (HTTPRequest -> http_request).
            const bool prevLowerOrDigit = i > 0 && (bare.at(i - 1).isLower() || bare.at(i - 1).isDigit());
            const bool acronymEnd =
                i > 0 && bare.at(i - 1).isUpper() && i + 1 < bare.size() && bare.at(i + 1).isLower();
            if (prevLowerOrDigit || acronymEnd)
                out += u'_';
            out += c.toLower();
        } else {
            out += c;
        }
    }
    return out;
}

namespace detail {
bool registerModel(const QMetaObject *metaObject)
{
    return ModelInfo::of(metaObject) != nullptr;
}

QVariant fieldDefault(const QMetaObject *metaObject, QLatin1String field)
{
    const ModelInfo *info = ModelInfo::of(metaObject);
    if (!info)
        return {};
    const FieldInfo f = info->field(QString(field));
    return f.hasDefault() ? f.defaultValue() : QVariant();
}
} // namespace detail

} // namespace SurrealQt
