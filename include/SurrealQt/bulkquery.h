#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! One query of BulkOperations::bulkQuery, with its own bind variables ($name in the text). */
struct SURREALQT_EXPORT BulkQuery
{
    QString surrealql;
    QVariantMap vars;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::BulkQuery)
