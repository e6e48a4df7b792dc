#pragma once

// Not public API: the core library's types that QML code meets (as property types, invokable
// results and signal arguments), described to the QML type system from here because the core
// library does not depend on QtQml. qmltyperegistrar reads their meta objects from the moc JSON
// of their headers (see qml/CMakeLists.txt) and writes them to the module's .qmltypes, so
// qmllint, qmlls and Qt Creator know their properties, methods and enums.

#include <SurrealQt/connection.h>
#include <SurrealQt/error.h>
#include <SurrealQt/model.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QObject>
#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

namespace SurrealQt {

// `Model`: what ModelListModel.object(row) and the delegates' `object` role hold. A type name,
// so a delegate can say `required property Model object`; instances come only from the models
// (the application's SURREALQT_MODEL classes), never from QML.
struct ModelForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::Model)
    QML_NAMED_ELEMENT(Model)
    QML_UNCREATABLE("Model objects come from a ModelListModel (object(row) or the object role).")
};

// `recordId`: the value type of Model.id and of the models' id role (table, id, toString()).
struct RecordIdForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::RecordId)
    QML_VALUE_TYPE(recordId)
};

// `surrealError`: the value type of Model.errorOccurred's argument and of the C++ models' error
// property (kind, message, serverKind, context, ...).
struct ErrorForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::Error)
    QML_VALUE_TYPE(surrealError)
};

// `SurrealError.NotAllowed`, `SurrealError.Validation`, ...: the kinds of an error by name, to
// compare surrealError.kind with (as `Font` holds the enums of `font`: a value type's enums
// cannot be reached through its lowercase name). Not `Error`: that would hide JavaScript's
// Error constructor.
namespace ErrorEnums {
Q_NAMESPACE
QML_NAMED_ELEMENT(SurrealError)
QML_NAMESPACE_EXTENDED(SurrealQt::Error)
} // namespace ErrorEnums

// The Connection behind ModelListModel.connection (C++ side; QML uses Database).
struct ConnectionForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::Connection)
    QML_ANONYMOUS
};

} // namespace SurrealQt
