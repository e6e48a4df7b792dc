#pragma once

// Not public API: what the QML models share in following a `Database`.

#include "qmldatabase.h"

#include <QtCore/QPointer>

namespace SurrealQt {

// Points a QML model at another Database: stops following the old one's connection changes
// and follows the new one's with `attach`. False when it is the same database.
template<typename QmlModel>
bool rebindDatabase(QmlModel *model, QPointer<QmlDatabase> &current, QmlDatabase *next,
                    void (QmlModel::*attach)())
{
    if (current == next)
        return false;
    if (current)
        QObject::disconnect(current, nullptr, model, nullptr);
    current = next;
    if (next)
        QObject::connect(next, &QmlDatabase::connectionChanged, model, attach);
    return true;
}

} // namespace SurrealQt
