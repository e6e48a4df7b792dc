#pragma once

// Not public API. Posting a call to a QObject from another thread (a continuation on the I/O
// thread) while its owner may delete it in its own thread at any moment.
//
// `if (QPointer) QMetaObject::invokeMethod(ptr, ...)` is not enough there: the object can be
// destroyed and freed between the check and the post, and posting then writes to freed memory.
// A PostBox is closed, under its mutex, when the object emits destroyed() (in its own thread,
// before the QObject part is torn down); posting holds the same mutex, so a post either lands
// before the object's posted events are discarded, or sees the box closed.

#include <SurrealQt/exception.h>

#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QMetaObject>
#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtCore/QThread>

#include <exception>
#include <memory>
#include <type_traits>

namespace SurrealQt::Internal {

class PostBox
{
public:
    explicit PostBox(QObject *target)
        : m_target(target)
    {}

    // The object's one box, made on first use. Call it in the object's thread (or while the
    // object is otherwise known to be alive).
    static std::shared_ptr<PostBox> of(QObject *target)
    {
        QMutexLocker lock(&registryMutex());
        auto &registry = boxes();
        if (auto it = registry.constFind(target); it != registry.constEnd())
            return *it;
        auto box = std::make_shared<PostBox>(target);
        registry.insert(target, box);
        // No context object: runs directly in the destroying thread, inside ~QObject.
        QObject::connect(target, &QObject::destroyed, [target] {
            std::shared_ptr<PostBox> closing;
            {
                QMutexLocker lock(&registryMutex());
                closing = boxes().take(target);
            }
            if (closing)
                closing->close();
        });
        return box;
    }

    // Runs f in the object's thread: queued from another thread, and with Qt::AutoConnection
    // at once when called in that thread. False when the object is gone (f is dropped).
    template<typename F>
    bool post(F &&f, Qt::ConnectionType type = Qt::QueuedConnection)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_target)
            return false;
        if (type == Qt::AutoConnection && m_target->thread() == QThread::currentThread()) {
            // Outside the lock: f may delete the object, which closes this box.
            lock.unlock();
            f();
            return true;
        }
        QMetaObject::invokeMethod(m_target, std::forward<F>(f), Qt::QueuedConnection);
        return true;
    }

private:
    void close()
    {
        QMutexLocker lock(&m_mutex);
        m_target = nullptr;
    }

    // Never destroyed: objects may still be deleted during static destruction.
    static QBasicMutex &registryMutex()
    {
        static QBasicMutex mutex;
        return mutex;
    }
    static QHash<QObject *, std::shared_ptr<PostBox>> &boxes()
    {
        static auto *registry = new QHash<QObject *, std::shared_ptr<PostBox>>;
        return *registry;
    }

    QMutex m_mutex;
    QObject *m_target;
};

namespace Detail {

// The promise of a delivery: settled exactly once, and failed with Cancelled if the delivery
// is dropped (the target died before it ran, or the source future was cancelled), so a caller
// never waits for nothing.
template<typename R>
struct Delivery
{
    QPromise<R> promise;
    const char *what;

    explicit Delivery(const char *what)
        : what(what)
    {
        promise.start();
    }
    ~Delivery()
    {
        if (!promise.future().isFinished()) {
            promise.setException(Exception(
                Error(Error::Kind::Cancelled,
                      QStringLiteral("The answer was not delivered: its receiver was destroyed first, "
                                     "or the request was cancelled"),
                      QString::fromLatin1(what))));
            promise.finish();
        }
    }
    void fail(std::exception_ptr e)
    {
        promise.setException(e);
        promise.finish();
    }
    template<typename OnError>
    void failWith(OnError &onError, const Error &error)
    {
        onError(error);
        promise.setException(Exception(error));
        promise.finish();
    }
};

template<typename T, typename F>
auto invokeWith(F &f, QFuture<T> done)
{
    if constexpr (std::is_void_v<T>) {
        done.waitForFinished(); // rethrows the failure
        return f();
    } else {
        return f(done.result());
    }
}

template<typename T, typename F>
using DeliveredType = decltype(invokeWith<T>(std::declval<F &>(), std::declval<QFuture<T>>()));

} // namespace Detail

// The library's one way to continue a future on an object's thread: the replacement for
// `future.then(target, onValue).onFailed(target, onError)`, which reads the target's QPointer
// on the finishing thread (a race with its deletion; an assert in a debug Qt when it is gone).
//
// Once `future` finishes, onValue(result) (onValue() for QFuture<void>) runs in target's thread
// if target still lives, posted through its PostBox (at once when the future finishes in that
// thread). onValue's return value settles the returned future. A failure of `future`, or an
// exception onValue throws, calls onError(error) there and fails the returned future with it.
// If target is destroyed first, neither runs and the returned future fails with Cancelled
// (`what` names the operation in that error). Call it while target is known to be alive (in
// its thread, or where its owner keeps it alive), as for PostBox::of().
template<typename T, typename OnValue, typename OnError>
auto deliverTo(QObject *target, const char *what, QFuture<T> future, OnValue onValue, OnError onError)
    -> QFuture<Detail::DeliveredType<T, OnValue>>
{
    using R = Detail::DeliveredType<T, OnValue>;
    auto delivery = std::make_shared<Detail::Delivery<R>>(what);
    QFuture<R> result = delivery->promise.future();
    std::shared_ptr<PostBox> box = PostBox::of(target);
    future.then(QtFuture::Launch::Sync, [box, delivery, onValue = std::move(onValue),
                                         onError = std::move(onError)](const QFuture<T> &done) mutable {
        // Dropped with the target: the delivery's last owner then fails the future.
        box->post(
            [delivery, onValue = std::move(onValue), onError = std::move(onError), done]() mutable {
                try {
                    if constexpr (std::is_void_v<R>) {
                        Detail::invokeWith<T>(onValue, done);
                        delivery->promise.finish();
                    } else {
                        delivery->promise.addResult(Detail::invokeWith<T>(onValue, done));
                        delivery->promise.finish();
                    }
                } catch (const Exception &e) {
                    onError(e.error());
                    delivery->fail(std::current_exception());
                } catch (const std::exception &e) {
                    // Something other than a SurrealQt error escaped: keep its text, as an Error.
                    delivery->failWith(onError, Error(Error::Kind::Query,
                                                      QStringLiteral("The operation threw: ") +
                                                          QString::fromLocal8Bit(e.what()),
                                                      QString::fromLatin1(delivery->what)));
                } catch (...) {
                    delivery->failWith(onError,
                                       Error(Error::Kind::Query,
                                             QStringLiteral("The operation threw a non-standard exception"),
                                             QString::fromLatin1(delivery->what)));
                }
            },
            Qt::AutoConnection);
    });
    return result;
}

// The same without an error handler: a failure passes through to the returned future.
template<typename T, typename OnValue>
auto deliverTo(QObject *target, const char *what, QFuture<T> future, OnValue onValue)
{
    return deliverTo(target, what, std::move(future), std::move(onValue), [](const Error &) {});
}

} // namespace SurrealQt::Internal
