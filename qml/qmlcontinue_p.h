#pragma once

// Not public API: how the QML elements continue a future on their own (GUI) thread.
//
// No `then(this, …)` (docs/threading.md): the continuation runs where the future finishes
// (QtFuture::Launch::Sync), takes the value or the error there, and posts the rest to the element
// through its PostBox, which drops it if the element was destroyed meanwhile.

#include "../src/core/postbox_p.h"

#include <SurrealQt/error.h>
#include <SurrealQt/exception.h>

#include <QtCore/QFuture>

#include <optional>

namespace SurrealQt::QmlDetail {

template<typename T, typename OnValue, typename OnError>
void continueOn(QObject *target, QFuture<T> future, OnValue onValue, OnError onError)
{
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(target);
    future.then(QtFuture::Launch::Sync, [box, onValue = std::move(onValue),
                                         onError = std::move(onError)](QFuture<T> done) mutable {
        std::optional<T> value;
        Error error;
        try {
            // Rethrows the future's failure.
            done.waitForFinished();
            if (done.resultCount() > 0)
                value = done.result();
            else
                error = Error(Error::Kind::Cancelled, QStringLiteral("the request was cancelled"));
        } catch (const Exception &e) {
            error = e.error();
        } catch (...) {
            error = Error(Error::Kind::Protocol, QStringLiteral("unexpected failure"));
        }
        box->post(
            [value = std::move(value), error, onValue = std::move(onValue), onError = std::move(onError)] {
                if (value)
                    onValue(*value);
                else
                    onError(error);
            });
    });
}

} // namespace SurrealQt::QmlDetail
