#include "ioeventdispatcher_p.h"

#if defined(Q_OS_LINUX)

#include "core/logging_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QVarLengthArray>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace SurrealQt {

namespace {

short pollEvents(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return POLLIN;
    case QSocketNotifier::Write:
        return POLLOUT;
    case QSocketNotifier::Exception:
        return POLLPRI;
    }
    return 0;
}

} // namespace

IoEventDispatcher::IoEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{}

IoEventDispatcher::~IoEventDispatcher()
{
    if (m_wakeFd >= 0)
        close(m_wakeFd);
}

bool IoEventDispatcher::isValid() const
{
    return m_wakeFd >= 0;
}

bool IoEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;

    const bool withNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool withTimers = !(flags & QEventLoop::X11ExcludeTimers);
    Clock::time_point holdEnds = Clock::time_point::max();
    if (!m_holds.isEmpty()) {
        const Clock::time_point now = Clock::now();
        m_holds.removeIf([now](const Hold &h) { return h.until <= now; });
        for (const Hold &h : std::as_const(m_holds))
            holdEnds = std::min(holdEnds, h.until);
    }
    QVarLengthArray<pollfd, 8> fds;
    QVarLengthArray<QSocketNotifier *, 8> polled;
    if (withNotifiers) {
        for (QSocketNotifier *n : std::as_const(m_notifiers)) {
            if (n->type() == QSocketNotifier::Read && isHeld(n->socket()))
                continue;
            fds.append(pollfd{int(n->socket()), pollEvents(n->type()), 0});
            polled.append(n);
        }
    }
    // Last: a post from another thread ends the wait.
    fds.append(pollfd{m_wakeFd, POLLIN, 0});

    const qint64 wait = waitNs(flags, holdEnds);
    if (wait != 0)
        Q_EMIT aboutToBlock();
    timespec timeout{};
    if (wait > 0) {
        timeout.tv_sec = time_t(wait / 1000000000);
        timeout.tv_nsec = long(wait % 1000000000);
    }
    const int ready = ppoll(fds.data(), nfds_t(fds.size()), wait < 0 ? nullptr : &timeout, nullptr);
    bool handled = false;
    if (ready < 0 && errno != EINTR)
        qCWarning(lcConnection) << "I/O thread: poll failed, errno" << errno;
    if (ready > 0) {
        if (fds.last().revents & POLLIN) {
            drainWakeUps();
            handled = true;
        }
        // Collected first: a notifier's handler may add, remove or delete others.
        QVarLengthArray<QSocketNotifier *, 8> active;
        for (qsizetype i = 0; i < polled.size(); ++i) {
            const short revents = fds.at(i).revents;
            if (!revents)
                continue;
            QSocketNotifier *n = polled.at(i);
            if (revents & POLLNVAL) {
                qCWarning(lcConnection)
                    << "I/O thread: socket notifier on an invalid descriptor" << n->socket() << "disabled";
                n->setEnabled(false);
                continue;
            }
            // An error or hang-up is news for every kind of notifier: a read or write finds out what.
            if (revents & (fds.at(i).events | POLLERR | POLLHUP))
                active.append(n);
        }
        for (QSocketNotifier *n : std::as_const(active)) {
            if (!m_notifiers.contains(n))
                continue;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(n, &event);
            handled = true;
        }
    }
    if (withTimers)
        handled |= activateTimers();
    return handled;
}

qint64 IoEventDispatcher::waitNs(QEventLoop::ProcessEventsFlags flags, Clock::time_point holdEnds) const
{
    if (!(flags & QEventLoop::WaitForMoreEvents) || m_interrupted.load(std::memory_order_relaxed))
        return 0;
    Clock::time_point earliest = holdEnds;
    if (!(flags & QEventLoop::X11ExcludeTimers))
        for (const Timer &t : m_timers)
            earliest = std::min(earliest, t.due);
    if (earliest == Clock::time_point::max())
        return -1;
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(earliest - Clock::now()).count();
    return std::max<qint64>(0, left);
}

bool IoEventDispatcher::isHeld(qintptr socket) const
{
    for (const Hold &h : m_holds)
        if (h.socket == socket)
            return true;
    return false;
}

void IoEventDispatcher::holdReads(qintptr socket, std::chrono::microseconds duration)
{
    const Clock::time_point until = Clock::now() + duration;
    for (Hold &h : m_holds) {
        if (h.socket == socket) {
            h.until = until;
            return;
        }
    }
    m_holds.append({socket, until});
}

void IoEventDispatcher::releaseReads(qintptr socket)
{
    if (!m_holds.isEmpty())
        m_holds.removeIf([socket](const Hold &h) { return h.socket == socket; });
}

bool IoEventDispatcher::activateTimers()
{
    if (m_timers.isEmpty())
        return false;
    const Clock::time_point now = Clock::now();
    QVarLengthArray<int, 8> due;
    for (const Timer &t : std::as_const(m_timers))
        if (t.due <= now)
            due.append(t.id);
    for (int id : due) {
        // Looked up again: an earlier timer's handler may have killed or restarted this one.
        const auto it =
            std::find_if(m_timers.begin(), m_timers.end(), [id](const Timer &t) { return t.id == id; });
        if (it == m_timers.end() || it->due > now)
            continue;
        const std::chrono::milliseconds interval(it->intervalMs);
        Clock::time_point next = it->due + interval;
        if (next <= now)
            next = now + interval;
        it->due = next;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
    }
    return !due.isEmpty();
}

void IoEventDispatcher::drainWakeUps()
{
    // Read, then reset: a post between the two finds the flag still set and writes nothing, and
    // the next processEvents() delivers it before it polls again.
    quint64 value = 0;
    while (read(m_wakeFd, &value, sizeof value) < 0 && errno == EINTR) {
    }
    m_wakeUps.store(0, std::memory_order_release);
}

void IoEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    if (!m_notifiers.contains(notifier))
        m_notifiers.append(notifier);
}

void IoEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_notifiers.removeOne(notifier);
}

void IoEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    // Every kind runs precisely: coarse timers only allow a dispatcher to be late.
    m_timers.append(
        {timerId, interval, timerType, object, Clock::now() + std::chrono::milliseconds(interval)});
}

bool IoEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.removeIf([timerId](const Timer &t) { return t.id == timerId; }) > 0;
}

bool IoEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const Timer &t) { return t.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> IoEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const Timer &t : m_timers)
        if (t.object == object)
            timers.append(TimerInfo(t.id, int(t.intervalMs), t.type));
    return timers;
}

int IoEventDispatcher::remainingTime(int timerId)
{
    for (const Timer &t : std::as_const(m_timers)) {
        if (t.id != timerId)
            continue;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(t.due - Clock::now()).count();
        return int(std::max<qint64>(0, left));
    }
    return -1;
}

void IoEventDispatcher::wakeUp()
{
    // Through write(), not eventfd_write(): bench_requests counts wake-ups by interposing write().
    if (m_wakeUps.exchange(1, std::memory_order_acq_rel) != 0)
        return;
    const quint64 one = 1;
    while (write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void IoEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace SurrealQt

#endif // Q_OS_LINUX
