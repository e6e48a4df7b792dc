#pragma once

#include <SurrealQt/model.h>
#include <SurrealQt/recordid.h>

// A book: table "book", with a record link to its Author (the relation: `record<author>` in the
// generated schema; validate() refuses an id of another table).
class Book : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Book)
    Q_CLASSINFO("title", "required maxLength=200 index")
    Q_CLASSINFO("author", "required link=Author index")
    Q_CLASSINFO("year", "optional")
    Q_CLASSINFO("available", "default=true")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(SurrealQt::RecordId, author, setAuthor)
    SURREALQT_FIELD(int, year, setYear)
    SURREALQT_FIELD(bool, available, setAvailable)
};
