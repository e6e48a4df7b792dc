#pragma once

// Not public API: the one door through which ORM code outside Model turns a server row into a
// persisted object (Model::loadRow is private so user code cannot fake a loaded state).

#include <SurrealQt/error.h>
#include <SurrealQt/model.h>

#include <QtCore/QVariantMap>

namespace SurrealQt {

class ModelRowLoader
{
public:
    static Error load(Model *m, const QVariantMap &row) { return m->loadRow(row); }
};

} // namespace SurrealQt
