#include "rpcframe_p.h"

#include "codec/cborcodec_p.h"

#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

RpcFrame undecodable(const CodecError &codecError)
{
    RpcFrame frame;
    frame.kind = RpcFrame::Kind::Malformed;
    frame.error = Error(Error::Kind::Protocol,
                        u"Undecodable reply: %1 at byte %2"_s.arg(codecError.message).arg(codecError.offset));
    return frame;
}

// The last entry of that name: a repeated key keeps its last value, as in a decoded map.
QVariant *find(CborCodec::MapEntries &entries, QStringView key)
{
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        if (it->first == key)
            return &it->second;
    return nullptr;
}

} // namespace

RpcFrame parseRpcFrame(QByteArrayView bytes)
{
    RpcFrame frame;
    // The envelope's entries are read without building a map of them: it is dropped at once.
    CborCodec::MapEntries envelope;
    bool isMap = false;
    CodecError codecError;
    if (!CborCodec::decodeMapEntries(bytes, &envelope, &isMap, &codecError)) {
        if (isMap)
            return undecodable(codecError);
        QVariant decoded;
        if (!CborCodec::decode(bytes, &decoded, &codecError))
            return undecodable(codecError);
        frame.kind = RpcFrame::Kind::Malformed;
        frame.error = Error(Error::Kind::Protocol,
                            u"Reply is a %1, not a map"_s.arg(QString::fromLatin1(decoded.typeName())));
        return frame;
    }
    QVariant *result = find(envelope, u"result");
    const QVariant *error = find(envelope, u"error");
    if (const QVariant *id = find(envelope, u"id")) {
        bool ok = false;
        const qint64 value = id->toLongLong(&ok);
        if (!ok || id->metaType().id() != QMetaType::LongLong) {
            frame.kind = RpcFrame::Kind::Malformed;
            frame.error = Error(Error::Kind::Protocol, u"Reply id is not one of ours: "_s + id->toString());
            return frame;
        }
        frame.kind = RpcFrame::Kind::Reply;
        frame.id = value;
        if (error) {
            frame.error = error->metaType().id() == QMetaType::QVariantMap
                              ? Error::fromServer(error->toMap())
                              : Error(Error::Kind::Protocol, u"Reply 'error' is not a map"_s);
        } else if (result) {
            frame.result = std::move(*result);
        } else {
            frame.error = Error(Error::Kind::Protocol, u"Reply has neither 'result' nor 'error'"_s);
        }
        return frame;
    }
    const QVariantMap notification = result ? result->toMap() : QVariantMap();
    if (notification.contains(u"action"_s) &&
        notification.value(u"id"_s).metaType() == QMetaType::fromType<QUuid>()) {
        frame.kind = RpcFrame::Kind::Notification;
        frame.notification = notification;
        return frame;
    }
    if (error) {
        frame.kind = RpcFrame::Kind::UncorrelatedError;
        frame.error = Error::fromServer(error->toMap(), u"uncorrelated server error"_s);
        return frame;
    }
    frame.kind = RpcFrame::Kind::Ignored;
    return frame;
}

} // namespace SurrealQt
