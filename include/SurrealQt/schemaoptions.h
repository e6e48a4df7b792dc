#pragma once

#include <SurrealQt/global.h>

namespace SurrealQt {

/*! How Schema turns a model into table, field and index definitions. */
struct SURREALQT_EXPORT SchemaOptions
{
    /*! SCHEMAFULL: the server refuses fields the model does not declare. A schemaless table is
        switched to schemafull when this is set; a schemafull one is never switched back. */
    bool schemafull = false;
    /*! Fields and indexes the database holds but the model does not declare are listed by
        Schema::plan() either way; apply() removes them only when this is set (their data goes too). */
    bool removeUndeclared = false;
};

} // namespace SurrealQt
