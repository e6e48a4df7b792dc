#pragma once

#include "surrealqtqml_global.h"

#include <QtCore/QObject>
#include <QtCore/QVariant>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

/*! QML `QueryRole`: one typed role of a `QueryModel`, declared in QML as `XmlListModelRole` is
    for `XmlListModel`:

      QueryModel {
          database: db; table: "person"
          QueryRole { name: "name"; type: QueryRole.String }
          QueryRole { name: "age"; type: QueryRole.Int; defaultValue: 0 }
          QueryRole { name: "born"; type: QueryRole.DateTime }
      }

    The declared roles are the model's roles (its `roles` list is set from their names). A row
    reads each as a value of its type: a stored value of another type is converted when it can be
    (the text "42" is the Int 42), a missing field, or one that cannot be converted, reads as
    defaultValue (or, without one, the type's empty value: 0, false, "", an invalid Date; Var gives
    undefined). Edits through the model (setProperty(), set(), append(), a delegate's
    `model.age = ...`) are converted to the role's type and stored as that type: the declared
    type wins over the one a record holds now (an edit of age, stored as the text "41", to 42
    stores the Int 42). A table whose schema fixes the field's type (DEFINE FIELD ... TYPE) has
    the last word: the database refuses a value of another type, and the edit is rolled back
    with writeFailed carrying the database's error. An edit that
    cannot be (the text "abc" for an Int) is refused with a Validation error naming the role, and
    append() fills the fields its object leaves out with their defaultValue. Lives on the GUI
    thread with its model. */
class SURREALQT_QML_EXPORT QmlQueryRole : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(QueryRole)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(Type type READ type WRITE setType NOTIFY typeChanged)
    Q_PROPERTY(QVariant defaultValue READ defaultValue WRITE setDefaultValue NOTIFY defaultValueChanged)

public:
    /*! What a role's values are in QML (and what edits are converted to before they are stored):
        Var: the stored value as it is, unconverted. String: text. Int: a whole number (stored as
        a SurrealDB int). Real: a number (stored as a float). Bool: true or false. DateTime: a
        Date (stored as a datetime). RecordId: "table:key" text (stored as a record link). */
    enum Type { Var, String, Int, Real, Bool, DateTime, RecordId };
    Q_ENUM(Type)

    /*! Makes a role of type Var without a name (set one before the model completes). */
    explicit QmlQueryRole(QObject *parent = nullptr);
    ~QmlQueryRole() override;

    /*! The role's name in delegates (`model.age`, `required property int age`): also the
        record's field it reads and writes. */
    [[nodiscard]] QString name() const { return m_name; }
    void setName(const QString &name);
    /*! The role's type (Var by default). */
    [[nodiscard]] Type type() const { return m_type; }
    void setType(Type type);
    /*! What a row shows for a missing field, and what append() stores for it; undefined (the
        default) means the type's empty value on reads and nothing on append(). */
    [[nodiscard]] QVariant defaultValue() const { return m_defaultValue; }
    void setDefaultValue(const QVariant &value);

    /*! \a stored as a value of this role's type for QML: the default (see defaultValue) when the
        field is missing or cannot be converted. */
    [[nodiscard]] QVariant read(const QVariant &stored) const;
    /*! \a edited (already a SurrealDB value, as JsConvert::fromJs makes it) converted to the
        stored form of this role's type. Returns false, with the reason in \a why (naming the
        role), when it cannot be converted. A null value (clearing the field) always passes. */
    [[nodiscard]] bool convert(const QVariant &edited, QVariant *out, QString *why) const;

Q_SIGNALS:
    void nameChanged();
    void typeChanged();
    void defaultValueChanged();
    /*! Any of the three changed (the model re-reads its rows). */
    void changed();

private:
    QString m_name;
    Type m_type = Var;
    QVariant m_defaultValue;
};

} // namespace SurrealQt
