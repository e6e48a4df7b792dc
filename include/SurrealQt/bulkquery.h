#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! One query of BulkOperations::bulkQuery, with its own bind variables ($name in the text). */
struct SURREALQT_EXPORT BulkQuery
{
    /*! The SurrealQL text; values only as `$name` bind variables. */
    QString surrealql;
    /*! The bind variables of surrealql, by name (without the `$`). */
    QVariantMap vars;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::BulkQuery)
