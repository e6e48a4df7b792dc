#pragma once

#include <SurrealQt/model.h>

// The quickstart's model: one Q_PROPERTY per field, stored in table "person" (the class name,
// lower-cased). The Q_CLASSINFO lines are the field options (docs/models/defining-models.md).
// [model]
class Person : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Person)
    Q_CLASSINFO("name", "required maxLength=80")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
};
// [model]
