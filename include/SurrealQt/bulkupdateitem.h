#pragma once

#include <SurrealQt/recordid.h>

#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! One record of BulkOperations::bulkUpdate: replace its content (merge = false) or merge
    data into it (merge = true). A record that does not exist is not created: it is reported
    as a NotFound failure. */
struct SURREALQT_EXPORT BulkUpdateItem
{
    /*! The record to write; it must exist. */
    RecordId recordId;
    /*! The new content (merge = false) or the fields to change (merge = true). */
    QVariantMap data;
    /*! Merge data into the record instead of replacing it. */
    bool merge = false;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::BulkUpdateItem)
