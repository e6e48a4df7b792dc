#pragma once

#include <SurrealQt/fieldinfo.h>

#include <QtCore/QList>
#include <QtCore/QMetaObject>
#include <QtCore/QString>

namespace SurrealQt {

class Connection;
class Model;
class ModelInfoPrivate;

/*! Run-time description of a model class (the seed's get_fields()), built once from the class's
    QMetaObject and kept for the life of the program: the table, the fields in declaration order
    and their options. The schema generator, validation, the list model and QML read it.

    The table is Q_CLASSINFO("table", "...") when given, otherwise the class name without its
    namespace in snake_case: User -> user, BlogPost -> blog_post, shop::OrderLine -> order_line.
    Q_CLASSINFO("versionField", "<field>") names an integer field used for optimistic locking. */
class SURREALQT_EXPORT ModelInfo
{
public:
    /*! The description of a Model subclass; registers it on first use. Never null for a
        QMetaObject that derives from SurrealQt::Model; null otherwise. */
    [[nodiscard]] static const ModelInfo *of(const QMetaObject *metaObject);
    /*! The description of model class T (cached in a function-local static). */
    template<typename T>
    [[nodiscard]] static const ModelInfo &of()
    {
        static const ModelInfo *info = of(&T::staticMetaObject);
        return *info;
    }
    /*! A registered model by class name ("User" or "app::User") or by table. */
    [[nodiscard]] static const ModelInfo *find(const QString &classOrTable);
    /*! Every model registered so far. */
    [[nodiscard]] static QList<const ModelInfo *> all();

    /*! The model class's meta-object. */
    [[nodiscard]] const QMetaObject *metaObject() const;
    /*! Fully qualified C++ class name, e.g. "app::User". */
    [[nodiscard]] QString className() const;
    /*! The table the model is stored in (see the class description). */
    [[nodiscard]] QString tableName() const;
    /*! The fields, in declaration order. */
    [[nodiscard]] const QList<FieldInfo> &fields() const;
    /*! Invalid FieldInfo when there is no such field. */
    [[nodiscard]] FieldInfo field(QStringView name) const;
    /*! The position of field name in fields(), or -1. */
    [[nodiscard]] int fieldIndex(QStringView name) const;
    /*! The fields' names, in declaration order. */
    [[nodiscard]] QStringList fieldNames() const;
    /*! Empty when the model has no version field. */
    [[nodiscard]] QString versionField() const;
    /*! Model-level Q_CLASSINFO entries that are not field options. */
    [[nodiscard]] QVariantMap options() const;

    /*! A fresh instance (through the Q_INVOKABLE constructor SURREALQT_MODEL declares). */
    [[nodiscard]] Model *newInstance(QObject *parent = nullptr) const;

    /*! The connection this model class uses when none is given; falls back to
        Model::defaultConnection(). Thread-safe; the connection is watched, not owned. */
    void setDefaultConnection(Connection *connection) const;
    /*! The connection set by setDefaultConnection(), else Model::defaultConnection(); may be null. */
    [[nodiscard]] Connection *defaultConnection() const;

    ModelInfo(const ModelInfo &) = delete;
    ModelInfo &operator=(const ModelInfo &) = delete;
    ~ModelInfo();

    /*! Rule used for the table name when none is given ("BlogPost" -> "blog_post"). */
    [[nodiscard]] static QString tableNameFor(const QString &className);

private:
    explicit ModelInfo(const QMetaObject *metaObject);
    friend class ModelInfoPrivate;
    ModelInfoPrivate *d;
};

} // namespace SurrealQt
