#pragma once

// Waiting for a change made in one instance of an example app to show in the other one, within
// a bound, and keeping the slowest time seen. Shared by the two-instance live tests
// (tst_contacts_live, tst_qmltasks_live).

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <algorithm>

class LiveWait
{
public:
    // How long a change may take to reach the other instance (tens of ms on this machine; the
    // bound leaves room for a loaded CI box).
    static constexpr int BoundMs = 5000;

    // Polls check() in the event loop until it holds; false (with a warning naming `what`) after
    // BoundMs. Logs how long it took.
    template<typename Check>
    bool seen(Check check, const char *what)
    {
        QElapsedTimer t;
        t.start();
        while (!check()) {
            if (t.elapsed() > BoundMs) {
                qWarning("%s: not seen within %d ms", what, BoundMs);
                return false;
            }
            QTest::qWait(5);
        }
        m_slowestMs = std::max(m_slowestMs, t.elapsed());
        qInfo("%s: seen by the other window after %lld ms", what, (long long)t.elapsed());
        return true;
    }

    void reportSlowest() const
    {
        qInfo("slowest change to reach the other window: %lld ms (bound %d ms)", (long long)m_slowestMs,
              BoundMs);
    }

private:
    qint64 m_slowestMs = 0;
};
