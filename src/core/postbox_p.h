#pragma once

// Not public API. Posting a call to a QObject from another thread (a continuation on the I/O
// thread) while its owner may delete it in its own thread at any moment.
//
// `if (QPointer) QMetaObject::invokeMethod(ptr, ...)` is not enough there: the object can be
// destroyed and freed between the check and the post, and posting then writes to freed memory.
// A PostBox is closed, under its mutex, when the object emits destroyed() (in its own thread,
// before the QObject part is torn down); posting holds the same mutex, so a post either lands
// before the object's posted events are discarded, or sees the box closed.

#include <QtCore/QHash>
#include <QtCore/QMetaObject>
#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QThread>

#include <memory>

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

} // namespace SurrealQt::Internal
