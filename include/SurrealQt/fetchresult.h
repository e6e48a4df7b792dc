#pragma once

#include <SurrealQt/recordid.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSharedPointer>
#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! What Relations::fetch() returns: the objects of a query and, from the same reply, the
    records their link fields point to. The objects' link fields stay RecordIds; look the linked
    record up by that id. A link whose target is gone has no entry in linked. */
template<typename T>
struct FetchResult
{
    /*! The query's objects, in the order of the reply; shared with the caller, no parent. */
    QList<QSharedPointer<T>> items;
    /*! The linked records of the reply, by id (see record()). */
    QHash<RecordId, QVariantMap> linked;

    /*! The linked record id points to; an empty map when the reply did not carry it. */
    [[nodiscard]] QVariantMap record(const RecordId &id) const { return linked.value(id); }
};

} // namespace SurrealQt
