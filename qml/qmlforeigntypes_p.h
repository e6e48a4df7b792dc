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

#include <QtCore/QMetaEnum>
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
// property (kind, kindName, message, serverKind, context, ...). An extension value type, as Qt
// Quick's `color` is for QColor: QML reads the members through this gadget, which wraps the Error
// it is laid over (its only member), so it can add kindName, the name the JavaScript errors carry,
// without a change to the core library. The engine reads a value type through its extension's
// meta object alone, so every member of Error that QML sees is forwarded here.
struct ErrorForeign
{
    SurrealQt::Error v;

    Q_GADGET
    QML_FOREIGN(SurrealQt::Error)
    QML_VALUE_TYPE(surrealError)
    QML_EXTENDED(SurrealQt::ErrorForeign)
    Q_PROPERTY(SurrealQt::Error::Kind kind READ kind CONSTANT FINAL)
    // The kind's enumerator name ("Validation", "NotFound"; "NoError" when valid is false).
    Q_PROPERTY(QString kindName READ kindName CONSTANT FINAL)
    Q_PROPERTY(QString message READ message CONSTANT FINAL)
    Q_PROPERTY(int serverCode READ serverCode CONSTANT FINAL)
    Q_PROPERTY(QString serverKind READ serverKind CONSTANT FINAL)
    Q_PROPERTY(QVariantMap details READ details CONSTANT FINAL)
    Q_PROPERTY(QString context READ context CONSTANT FINAL)
    Q_PROPERTY(bool retryable READ retryable CONSTANT FINAL)
    Q_PROPERTY(bool valid READ valid CONSTANT FINAL)

public:
    [[nodiscard]] SurrealQt::Error::Kind kind() const { return v.kind(); }
    [[nodiscard]] QString kindName() const
    {
        return QString::fromLatin1(QMetaEnum::fromType<SurrealQt::Error::Kind>().valueToKey(int(v.kind())));
    }
    [[nodiscard]] QString message() const { return v.message(); }
    [[nodiscard]] int serverCode() const { return v.serverCode(); }
    [[nodiscard]] QString serverKind() const { return v.serverKind(); }
    [[nodiscard]] QVariantMap details() const { return v.details(); }
    [[nodiscard]] QString context() const { return v.context(); }
    [[nodiscard]] bool retryable() const { return v.isRetryable(); }
    [[nodiscard]] bool valid() const { return v.isValid(); }
};
static_assert(sizeof(ErrorForeign) == sizeof(SurrealQt::Error), "laid over an Error");

// `SurrealError.NotAllowed`, `SurrealError.Validation`, ...: the kinds of an error by name, to
// compare surrealError.kind with (as `Font` holds the enums of `font`: a value type's enums
// cannot be reached through its lowercase name). Not `Error`: that would hide JavaScript's
// Error constructor.
namespace ErrorEnums {
Q_NAMESPACE
QML_NAMED_ELEMENT(SurrealError)
QML_NAMESPACE_EXTENDED(SurrealQt::Error)
} // namespace ErrorEnums

// The Connection behind ModelListModel.connection (C++ side; QML uses Database), with its bases,
// so that the tools know it is a QObject (a Connections element can target it).
struct QueryInterfaceForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::QueryInterface)
    QML_ANONYMOUS
};

struct RequestInterfaceForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::RequestInterface)
    QML_ANONYMOUS
};

struct ConnectionForeign
{
    Q_GADGET
    QML_FOREIGN(SurrealQt::Connection)
    QML_ANONYMOUS
};

} // namespace SurrealQt
