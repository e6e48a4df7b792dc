#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QCborValue>
#include <QtCore/QString>
#include <QtCore/QUuid>
#include <QtCore/QVariant>
#include <QtCore/QVarLengthArray>

#include <utility>

namespace SurrealQt {

// What went wrong and where: offset is the byte offset of the offending item when decoding
// (-1 when encoding), path the position in the value tree, e.g. "result[3].id".
struct CodecError
{
    QString message; // includes the path when there is one
    qint64 offset = -1;
    QString path;

    [[nodiscard]] bool isError() const { return !message.isEmpty(); }
};

// SurrealDB's CBOR dialect <-> QVariant, following the mapping in SurrealQt/values.h.
// Works directly on QCborStreamReader/Writer: no QCborValue tree in between, and every limit
// is checked before anything is allocated, because decode() reads bytes from the network.
//
// Decisions where the protocol leaves a choice:
//  * unsigned integers above INT64_MAX and negative integers below INT64_MIN are decode errors
//    (the server would wrap them silently; we never produce a wrong number);
//  * CBOR undefined decodes as NULL, as the server does; other simple values are errors;
//  * floats are always encoded as double precision;
//  * map keys must be text on decode; a repeated key keeps the last value, like the server.
class SURREALQT_EXPORT CborCodec
{
public:
    using Error = CodecError;

    // Containers and tags nested deeper than this are rejected (the server stops near 256 too).
    static constexpr int MaxNestingDepth = 256;

    // Empty result and *error set when the value holds something that is not a SurrealDB value.
    [[nodiscard]] static QByteArray encode(const QVariant &value, CodecError *error = nullptr);
    // An RPC request, {id, method, params[, session][, txn]}, as encode() writes that map; a null
    // session or transaction is left out.
    [[nodiscard]] static QByteArray encodeRequest(qint64 id, QStringView method, const QVariantList &params,
                                                  const QUuid &session, const QUuid &transaction,
                                                  CodecError *error = nullptr);
    // The whole buffer must be exactly one CBOR item.
    [[nodiscard]] static bool decode(QByteArrayView bytes, QVariant *out, CodecError *error = nullptr);

    // The entries of a buffer that is exactly one map, in wire order, for a reader that takes a
    // few of them and drops the rest (an RPC reply's envelope): no QVariantMap is built. A
    // repeated key is listed each time; the last is the value decode() keeps. *isMap is false, and nothing
    // decoded, when the buffer does not start with a map; otherwise the result and the error
    // are decode()'s.
    using MapEntries = QVarLengthArray<std::pair<QString, QVariant>, 4>;
    [[nodiscard]] static bool decodeMapEntries(QByteArrayView bytes, MapEntries *out, bool *isMap,
                                               CodecError *error = nullptr);

    // For code that wants to inspect or build QCborValue trees (e.g. tests, debugging).
    [[nodiscard]] static QCborValue toCbor(const QVariant &value, CodecError *error = nullptr);
    [[nodiscard]] static bool fromCbor(const QCborValue &value, QVariant *out, CodecError *error = nullptr);
};

} // namespace SurrealQt
