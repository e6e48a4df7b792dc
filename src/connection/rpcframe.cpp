#include "rpcframe_p.h"

#include "codec/cborcodec_p.h"

#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

RpcFrame parseRpcFrame(QByteArrayView bytes)
{
    RpcFrame frame;
    QVariant decoded;
    CodecError codecError;
    if (!CborCodec::decode(bytes, &decoded, &codecError)) {
        frame.kind = RpcFrame::Kind::Malformed;
        frame.error =
            Error(Error::Kind::Protocol,
                  u"Undecodable reply: %1 at byte %2"_s.arg(codecError.message).arg(codecError.offset));
        return frame;
    }
    if (decoded.metaType().id() != QMetaType::QVariantMap) {
        frame.kind = RpcFrame::Kind::Malformed;
        frame.error = Error(Error::Kind::Protocol,
                            u"Reply is a %1, not a map"_s.arg(QString::fromLatin1(decoded.typeName())));
        return frame;
    }
    const QVariantMap envelope = decoded.toMap();
    const auto idIt = envelope.constFind(u"id"_s);
    if (idIt != envelope.cend()) {
        bool ok = false;
        const qint64 id = idIt->toLongLong(&ok);
        if (!ok || idIt->metaType().id() != QMetaType::LongLong) {
            frame.kind = RpcFrame::Kind::Malformed;
            frame.error = Error(Error::Kind::Protocol, u"Reply id is not one of ours: "_s + idIt->toString());
            return frame;
        }
        frame.kind = RpcFrame::Kind::Reply;
        frame.id = id;
        if (envelope.contains(u"error"_s)) {
            const QVariant err = envelope.value(u"error"_s);
            frame.error = err.metaType().id() == QMetaType::QVariantMap
                              ? Error::fromServer(err.toMap())
                              : Error(Error::Kind::Protocol, u"Reply 'error' is not a map"_s);
        } else if (envelope.contains(u"result"_s)) {
            frame.result = envelope.value(u"result"_s);
        } else {
            frame.error = Error(Error::Kind::Protocol, u"Reply has neither 'result' nor 'error'"_s);
        }
        return frame;
    }
    const QVariantMap result = envelope.value(u"result"_s).toMap();
    if (result.contains(u"action"_s) && result.value(u"id"_s).metaType() == QMetaType::fromType<QUuid>()) {
        frame.kind = RpcFrame::Kind::Notification;
        frame.notification = result;
        return frame;
    }
    if (envelope.contains(u"error"_s)) {
        frame.kind = RpcFrame::Kind::UncorrelatedError;
        frame.error = Error::fromServer(envelope.value(u"error"_s).toMap(), u"uncorrelated server error"_s);
        return frame;
    }
    frame.kind = RpcFrame::Kind::Ignored;
    return frame;
}

} // namespace SurrealQt
