#pragma once

#include <SurrealQt/error.h>

#include <QtCore/QMetaType>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVariant>

namespace SurrealQt {

class FieldInfoData;
class ModelInfo;

/*! What the library knows about one field of a model: its SurrealDB type, taken from the C++
    type of the Q_PROPERTY, and its options, taken from the model's Q_CLASSINFO("<field>", "...")
    entry. Built once per model class by ModelInfo; cheap to copy (shared, immutable).

    Options (space separated, values with spaces in single quotes):
    ```
      required            the value must be present (and a non-empty string for string fields)
      optional            NONE-able: an empty value (null string, invalid DateTime, ...) is sent
                          as NONE, i.e. the field is removed instead of stored
      default=<text>      initial value of a fresh object, read as the field's type
      description='...'   free text, for schema comments and UIs
      maxLength=<n>       string fields: at most n characters
      autoNow             datetime fields: set to now on every save
      autoNowAdd          datetime fields: set to now when the record is created
      link=<Model|table>  record-link fields (RecordId), and lists of links
                          (QList<SurrealQt::RecordId>): the target model class or table
      of=<type>           list fields: the item type (string, int, float, bool, datetime, duration,
                          decimal, uuid, record, object, any)
      unique, index       index hints for the schema generator and for constant-cost paging
      readOnly            loaded from the database but never written by save()
    ``` */
class SURREALQT_EXPORT FieldInfo
{
    Q_GADGET
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(Type type READ type CONSTANT)
    Q_PROPERTY(bool required READ isRequired CONSTANT)
    Q_PROPERTY(bool optional READ isOptional CONSTANT)
    Q_PROPERTY(QString description READ description CONSTANT)
    Q_PROPERTY(int maxLength READ maxLength CONSTANT)
    Q_PROPERTY(QString surrealType READ surrealType CONSTANT)

public:
    /*! The SurrealDB type of a field, derived from its C++ type. */
    enum class Type {
        Any,      //!< QVariant: any value, stored as it is
        String,   //!< QString
        Int,      //!< int, qint64, ...
        Float,    //!< double, float
        Bool,     //!< bool
        DateTime, //!< SurrealQt::DateTime (nanoseconds) or QDateTime (milliseconds)
        Duration, //!< SurrealQt::Duration
        Decimal,  //!< SurrealQt::Decimal
        Uuid,     //!< QUuid
        Geometry, //!< SurrealQt::Geometry
        Bytes,    //!< QByteArray
        Record,   //!< SurrealQt::RecordId: a record link
        List,     //!< QVariantList, QStringList, QList<T>
        Object,   //!< QVariantMap: a dict
    };
    Q_ENUM(Type)

    FieldInfo();
    /*! Copies share the description (implicitly shared, immutable). */
    FieldInfo(const FieldInfo &other);
    /*! Moves the description. */
    FieldInfo(FieldInfo &&other) noexcept;
    /*! Shares other's description. */
    FieldInfo &operator=(const FieldInfo &other);
    /*! Takes other's description. */
    FieldInfo &operator=(FieldInfo &&other) noexcept;
    ~FieldInfo();

    /*! False for a default-constructed FieldInfo (ModelInfo::field() of an unknown name). */
    [[nodiscard]] bool isValid() const;
    /*! The field's name: the Q_PROPERTY's name, also the name in the database. */
    [[nodiscard]] QString name() const;
    /*! The SurrealDB type, from the C++ type. */
    [[nodiscard]] Type type() const;
    /*! The C++ type of the property. */
    [[nodiscard]] QMetaType metaType() const;
    /*! Index of the Q_PROPERTY in the model's QMetaObject. */
    [[nodiscard]] int propertyIndex() const;

    /*! The `required` option. */
    [[nodiscard]] bool isRequired() const;
    /*! The `optional` option: empty values are sent as NONE. */
    [[nodiscard]] bool isOptional() const;
    /*! True when a `default=` option is given. */
    [[nodiscard]] bool hasDefault() const;
    /*! Already converted to metaType(). */
    [[nodiscard]] QVariant defaultValue() const;
    /*! The `description` option; empty when none. */
    [[nodiscard]] QString description() const;
    /*! -1 when unlimited. */
    [[nodiscard]] int maxLength() const;
    /*! The `autoNow` option: set to now on every save. */
    [[nodiscard]] bool isAutoNow() const;
    /*! The `autoNowAdd` option: set to now when created. */
    [[nodiscard]] bool isAutoNowAdd() const;
    /*! The `unique` option. */
    [[nodiscard]] bool isUnique() const;
    /*! True for the `unique` or `index` option. */
    [[nodiscard]] bool isIndexed() const; // unique or index
    /*! The `readOnly` option: loaded, never written by save(). */
    [[nodiscard]] bool isReadOnly() const;
    /*! A record link, or a list of them (List whose items are Records). */
    [[nodiscard]] bool isLink() const { return type() == Type::Record || isLinkList(); }
    /*! A list of record links (`QList<SurrealQt::RecordId>`). */
    [[nodiscard]] bool isLinkList() const { return type() == Type::List && itemType() == Type::Record; }
    /*! Record links: the target as written in the options (a model class name or a table). */
    [[nodiscard]] QString linkTarget() const;
    /*! Record links: the target's table (the model's table when the target names a model class). */
    [[nodiscard]] QString linkTable() const;
    /*! Record links: the target model, when it names a registered model class. */
    [[nodiscard]] const ModelInfo *linkModel() const;
    /*! List fields: the item type (Any when not given and not implied by the C++ type). */
    [[nodiscard]] Type itemType() const;
    /*! Every option as parsed, e.g. {"maxLength": "80", "required": true}. */
    [[nodiscard]] QVariantMap options() const;

    /*! SurrealQL type text for DEFINE FIELD, e.g. "string", "option<int>", "record<post>",
        "array<string>". */
    [[nodiscard]] QString surrealType() const;
    /*! The SurrealQL name of type: "string", "int", "datetime", "record", "array", ... */
    [[nodiscard]] static QString typeName(Type type);
    /*! The Type a C++ type maps to. */
    [[nodiscard]] static Type typeFor(QMetaType metaType);

    /*! Checks one value against this field (type, required, maxLength); returns an invalid Error
        when it is fine, otherwise a Validation error naming model, field and value. */
    [[nodiscard]] Error check(const QVariant &value, const QString &modelName) const;

private:
    friend class ModelInfo;
    QSharedDataPointer<FieldInfoData> d;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::FieldInfo)
