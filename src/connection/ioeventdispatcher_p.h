#pragma once

// Not public API. The I/O thread's event loop: poll() on the sockets and one eventfd, timers in
// a plain list. It replaces GLib's loop there (Qt's default on Linux), which costs the I/O
// thread a wake-up write per posted event and per poll-set change: QAbstractSocket turns its
// write notifier on for every frame it buffers and off once it is written, and GLib wakes its
// own loop through its eventfd for each of those changes (bench/README.md, bench_requests). Here
// a notifier change only edits a list, and wake-ups from other threads are coalesced: one
// eventfd write until the loop has woken.

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QList>
#include <QtCore/qsystemdetection.h>

#include <atomic>
#include <chrono>

// Linux only (eventfd, ppoll); elsewhere the I/O thread keeps Qt's loop.
#if defined(Q_OS_LINUX)

namespace SurrealQt {

class IoEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit IoEventDispatcher(QObject *parent = nullptr);
    ~IoEventDispatcher() override;
    // False when the eventfd could not be made: the thread keeps Qt's default loop then.
    [[nodiscard]] bool isValid() const;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    [[nodiscard]] QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    // The dispatcher's own thread only. Leaves socket's read notifiers out of the poll for a
    // while: the frames that arrive meanwhile are read in one wake-up instead of one each. Used
    // while a socket delivers nothing but live notifications (WebSocketClient); a request sent
    // on it releases the hold, so no reply waits for it.
    void holdReads(qintptr socket, std::chrono::microseconds duration);
    void releaseReads(qintptr socket);

    // Thread-safe.
    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        Clock::time_point due;
    };

    struct Hold
    {
        qintptr socket;
        Clock::time_point until;
    };

    // Delivers the timers due now, each at most once per call; true if one fired.
    bool activateTimers();
    // How long poll() may wait: -1 forever, 0 not at all.
    [[nodiscard]] qint64 waitNs(QEventLoop::ProcessEventsFlags flags, Clock::time_point holdEnds) const;
    [[nodiscard]] bool isHeld(qintptr socket) const;
    void drainWakeUps();

    int m_wakeFd = -1;
    std::atomic<int> m_wakeUps{0};
    std::atomic<bool> m_interrupted{false};
    QList<QSocketNotifier *> m_notifiers;
    QList<Timer> m_timers;
    QList<Hold> m_holds;
};

} // namespace SurrealQt

#endif // Q_OS_LINUX
