#pragma once

// Not public API: what saving a Model object sends, shared by Model::save() and
// BulkOperations::bulkSave()/bulkCreate(), so that both write an object the same way.

#include <SurrealQt/model.h>

#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class ModelWrites
{
public:
    // Sets the autoNow fields (and autoNowAdd ones when creating) to now: they are part of what
    // is validated and sent.
    static void stampAutoFields(Model *m, bool creating);
    // A new object's content: every field but the id and read-only ones, with its version.
    [[nodiscard]] static QVariantMap contentOf(const Model *m);
    // A stored object's fields to write: the dirty and autoNow ones, without read-only fields
    // and the version field (which the save itself moves on).
    [[nodiscard]] static QStringList changedFields(const Model *m);
};

} // namespace SurrealQt
