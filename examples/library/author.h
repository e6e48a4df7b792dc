#pragma once

#include <SurrealQt/model.h>

// An author: table "author". The name is indexed, so the author list pages in constant time in
// name order (docs/models/model-operations.md, "Paging through whole tables").
class Author : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Author)
    Q_CLASSINFO("name", "required maxLength=120 index")
    Q_CLASSINFO("born", "optional")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(int, born, setBorn)
};
