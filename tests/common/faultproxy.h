#pragma once

// A TCP proxy between the client and surreal-local that injects the faults a real network
// produces: a reply lost after the server applied the request, a connection cut in the middle
// of a frame, a server that goes silent, a slow reply. It reads the WebSocket frames in both
// directions (never re-encodes them) so that a fault hits the reply to one chosen request:
// requests are picked by a byte pattern in their unmasked payload (the query text is plain
// UTF-8 inside the CBOR), replies are matched to them by the RPC id.
//
// The proxy runs on its own thread, so tests may block in …Sync calls while it works.

#include <QtCore/QByteArray>
#include <QtCore/QMutex>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <atomic>
#include <memory>

class FaultProxyEngine;

class FaultProxy
{
public:
    enum class Fault {
        // Forward the request, wait for the server's reply, discard it and close the client's
        // connection: the server applied the request, the client never hears of it.
        DropReplyAndClose,
        // Forward the request, then send the client only the first half of the reply's bytes and
        // close the connection: a frame cut in the middle.
        CutReplyMidFrame,
        // Forward the request and discard the reply, leaving the connection open: a silent server.
        SwallowReply,
        // Hold the reply back for delayMs, then deliver it.
        DelayReply,
    };

    struct Rule
    {
        QByteArray needle; // requests whose unmasked payload contains these bytes
        Fault fault = Fault::DropReplyAndClose;
        int every = 1;  // fault the 1st, (1+every)th, … matching request
        int skip = 0;   // let this many matching requests through first
        int limit = -1; // at most this many faults; -1 = no limit
        int delayMs = 0;
    };

    // The proxy forwards to the WebSocket server at `upstream` (ws://host:port/path).
    explicit FaultProxy(const QUrl &upstream);
    ~FaultProxy();
    FaultProxy(const FaultProxy &) = delete;
    FaultProxy &operator=(const FaultProxy &) = delete;

    // Listens on 127.0.0.1 on a free port; false when that failed.
    bool start();
    // The upstream URL with the proxy's host and port.
    [[nodiscard]] QUrl url() const;

    void setRule(const Rule &rule);
    void clearRule();
    // Faults injected so far, and requests that matched the rule's needle.
    [[nodiscard]] int faultsInjected() const { return m_faults.load(); }
    [[nodiscard]] int matchedRequests() const { return m_matched.load(); }
    // Client connections accepted so far (reconnects show up here).
    [[nodiscard]] int connectionsAccepted() const { return m_accepted.load(); }

private:
    friend class FaultProxyEngine;
    // Called on the proxy thread for every complete request message: whether to fault it.
    bool decide(const QByteArray &payload, Rule *rule);

    QUrl m_upstream;
    quint16 m_port = 0;
    QThread m_thread;
    FaultProxyEngine *m_engine = nullptr;
    mutable QMutex m_mutex;
    Rule m_rule;
    bool m_hasRule = false;
    int m_ruleMatches = 0;
    int m_planned = 0; // faults decided, some perhaps still waiting for their reply
    std::atomic<int> m_faults{0};
    std::atomic<int> m_matched{0};
    std::atomic<int> m_accepted{0};
};
