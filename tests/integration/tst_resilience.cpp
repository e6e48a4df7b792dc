// What happens when servers die, come back, or misbehave.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionpool.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/requestoptions.h>
#include <SurrealQt/table.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

// A peer that speaks WebSocket but answers every frame with whatever the test wants.
class FakePeer : public QObject
{
public:
    std::function<QByteArray(const QByteArray &)> answer;
    QString version = u"surrealdb-3.0.2"_s;
    std::function<void()> onConnection;
    // The newest client socket, for frames the test sends unasked.
    QWebSocket *socket = nullptr;

    FakePeer()
        : m_server(u"fake"_s, QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            this->socket = socket;
            if (onConnection)
                onConnection();
            connect(socket, &QWebSocket::binaryMessageReceived, socket,
                    [this, socket](const QByteArray &frame) {
                        // The client asks for the version on connect; everything after that is the test's.
                        const QCborMap in = QCborValue::fromCbor(frame).toMap();
                        if (in.value(u"method"_s).toString() == u"version") {
                            socket->sendBinaryMessage(
                                QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)}, {u"result"_s, version}})
                                    .toCbor());
                            return;
                        }
                        const QByteArray reply = answer(frame);
                        if (!reply.isNull())
                            socket->sendBinaryMessage(reply);
                    });
        });
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

private:
    QWebSocketServer m_server;
};

// A loopback port nobody listens on: connecting there is refused at once.
QUrl deadUrl(const QString &scheme)
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(port));
}

// A node that is slow to come up: its first connection is passed on to target after a delay;
// every later one is closed at once, like a node that refuses.
class SlowFirstNode : public QTcpServer
{
public:
    SlowFirstNode(const QUrl &target, int delayMs)
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this, target, delayMs] {
            while (QTcpSocket *client = nextPendingConnection()) {
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
                if (++connections > 1) {
                    client->abort();
                    continue;
                }
                auto *upstream = new QTcpSocket(client);
                // Bytes the client sends meanwhile wait in its socket until upstream is there.
                QTimer::singleShot(delayMs, Qt::PreciseTimer, upstream, [client, upstream, target] {
                    upstream->connectToHost(target.host(), quint16(target.port()));
                    connect(upstream, &QTcpSocket::connected, client,
                            [client, upstream] { upstream->write(client->readAll()); });
                    connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
                        if (upstream->state() == QAbstractSocket::ConnectedState)
                            upstream->write(client->readAll());
                    });
                    connect(upstream, &QTcpSocket::readyRead, client,
                            [client, upstream] { client->write(upstream->readAll()); });
                    connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(serverPort())); }
    int connections = 0;
};

} // namespace

class tst_Resilience : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverRestartMidRun()
    {
        QTemporaryDir dir;
        const QString storage = u"surrealkv:"_s + dir.filePath(u"db"_s);
        TestServer::LocalServer server;
        QVERIFY(server.start(0, storage));
        const int port = server.port();
        DatabaseManager m(server.wsUrl(), u"res"_s, u"res"_s, Credentials::root(u"root"_s, u"root"_s),
                          ConnectionOptions{.poolSize = 3});
        m.setReconnectBackoff(std::chrono::milliseconds(50), std::chrono::milliseconds(500));
        m.setMaxRetries(40);
        AWAIT_VOID(m.open());
        AWAIT_VOID(m.connection()->let(u"who"_s, u"me"_s));
        // An attached session with its own identity, database and variable.
        RequestOptions inSession;
        inSession.session = QUuid::createUuid();
        AWAIT(m.connection()->call(u"attach"_s, {}, inSession));
        AWAIT(m.connection()->call(u"signin"_s, {Credentials::root(u"root"_s, u"root"_s).toSigninParams()},
                                   inSession));
        AWAIT(m.connection()->call(u"use"_s, {u"res"_s, u"side"_s}, inSession));
        AWAIT(m.connection()->call(u"let"_s, {u"who"_s, u"other"_s}, inSession));
        const QString tb = u"restart_t"_s;
        QVERIFY(AWAIT(m.connection()->query(u"CREATE type::table($tb); DELETE type::table($tb);"_s,
                                            {{u"tb"_s, tb}}))
                    .isOk());
        std::unique_ptr<LiveQuery> live(m.connection()->live(Table(tb)));
        const QUuid firstId = AWAIT(live->started());
        QSignalSpy restarted(live.get(), &LiveQuery::restarted);
        QSignalSpy created(live.get(), &LiveQuery::created);
        QSignalSpy states(&m, &DatabaseManager::stateChanged);

        QList<QFuture<QueryResult>> inflight;
        for (int i = 0; i < 10; ++i)
            inflight.append(m.connection()->query(u"SLEEP 2s; RETURN 1"_s));
        // Marked idempotent: it waits out the outage and runs again on the new connection.
        RequestOptions idempotent;
        idempotent.idempotent = true;
        idempotent.timeout = std::chrono::seconds(60);
        QFuture<QVariant> resent =
            m.connection()->call(u"query"_s, {u"SLEEP 1s; RETURN 'again'"_s}, idempotent);
        QTest::qWait(200);
        server.kill();
        for (const auto &f : inflight) {
            const Error e = failureOf(f);
            QCOMPARE(e.kind(), Error::Kind::Connection);
            QVERIFY(e.isRetryable());
        }
        QTRY_VERIFY_WITH_TIMEOUT(m.state() != DatabaseManager::State::Connected, 5000);

        // The server comes back on the same port with the same data.
        QVERIFY(server.start(port, storage));
        QTRY_COMPARE_WITH_TIMEOUT(m.state(), DatabaseManager::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m.pool()->connectedCount(), 3, 20000);
        QCOMPARE(AWAIT(resent).toList().last().toMap().value(u"result"_s).toString(), u"again"_s);
        // Session state was replayed: namespace, database and variables.
        for (int i = 0; i < 6; ++i) {
            const QueryResult r = AWAIT(m.connection()->query(u"RETURN [$session.ns, $session.db, $who]"_s));
            QCOMPARE(r.last().toList(), (QVariantList{u"res"_s, u"res"_s, u"me"_s}));
        }
        for (int i = 0; i < 6; ++i) {
            const QVariant r =
                AWAIT(m.connection()->call(u"query"_s, {u"RETURN [$session.db, $who]"_s}, inSession));
            QCOMPARE(r.toList().last().toMap().value(u"result"_s).toList(),
                     (QVariantList{u"side"_s, u"other"_s}));
        }
        // The live query was registered again under a new id and still delivers.
        QTRY_COMPARE_WITH_TIMEOUT(restarted.count(), 1, 10000);
        QVERIFY(live->queryId() != firstId);
        AWAIT(m.connection()->create(QVariant::fromValue(RecordId(tb, 1))));
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000);
    }

    void unreachableServerSettlesOpen()
    {
        // Nothing listens on port 9 of loopback.
        DatabaseManager m(QUrl(u"ws://127.0.0.1:9"_s), u"x"_s, u"x"_s, {}, ConnectionOptions{.poolSize = 2});
        m.setMaxRetries(2);
        m.setReconnectBackoff(std::chrono::milliseconds(10), std::chrono::milliseconds(50));
        const Error e = failureOf(m.open(), 30000);
        QCOMPARE(e.kind(), Error::Kind::Connection);
        QVERIFY(e.context().contains(u"127.0.0.1:9"_s));
        QTRY_COMPARE(m.state(), DatabaseManager::State::Disconnected);
    }

    // A cluster whose first node is down: whatever socket lands on it moves on to the next one,
    // even with a single retry, and open() succeeds as soon as one socket is up.
    void deadNodeFirstStillOpens_data()
    {
        QTest::addColumn<QString>("scheme");
        // 0: one socket
        QTest::addColumn<int>("poolSize");
        QTest::newRow("ws pool of 2") << u"ws"_s << 2;
        QTest::newRow("ws pool of 3") << u"ws"_s << 3;
        QTest::newRow("ws single") << u"ws"_s << 0;
        QTest::newRow("http") << u"http"_s << 0;
    }
    void deadNodeFirstStillOpens()
    {
        QFETCH(QString, scheme);
        QFETCH(int, poolSize);
        const ConnectionOptions options =
            poolSize > 0 ? ConnectionOptions{.poolSize = poolSize}
                         : ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single};
        const QUrl live = scheme == u"http" ? TestServer::httpUrl() : TestServer::url();
        DatabaseManager m(QList<QUrl>{deadUrl(scheme), live}, u"res"_s, u"res"_s,
                          Credentials::root(TestServer::user(), TestServer::pass()), options);
        m.setMaxRetries(1);
        m.setReconnectBackoff(std::chrono::milliseconds(10), std::chrono::milliseconds(50));
        QSignalSpy errors(&m, &DatabaseManager::errorOccurred);
        AWAIT_VOID(m.open());
        QCOMPARE(m.state(), DatabaseManager::State::Connected);
        QCOMPARE(AWAIT(m.connection()->query(u"RETURN 7"_s)).last().toLongLong(), 7);
        // Every socket of a pool ends up on the live node; none gives up on the way.
        if (m.pool())
            QTRY_COMPARE_WITH_TIMEOUT(m.pool()->connectedCount(), m.poolSize(), 10000);
        QCOMPARE(errors.count(), 0);
    }

    // Nothing answers anywhere: open() fails once, with a Connection error that says why, after
    // the configured attempts; the manager reports it once, not once per socket.
    void everyNodeDeadFailsOpenInBoundedTime_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("ws") << u"ws"_s;
        QTest::newRow("http") << u"http"_s;
    }
    void everyNodeDeadFailsOpenInBoundedTime()
    {
        QFETCH(QString, scheme);
        const QUrl a = deadUrl(scheme), b = deadUrl(scheme);
        DatabaseManager m(QList<QUrl>{a, b}, u"x"_s, u"x"_s, {}, ConnectionOptions{.poolSize = 3});
        m.setMaxRetries(3);
        m.setReconnectBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(100));
        QSignalSpy errors(&m, &DatabaseManager::errorOccurred);
        QElapsedTimer timer;
        timer.start();
        const Error e = failureOf(m.open(), 15000);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(e.kind(), Error::Kind::Connection);
        // The first try and three retries, over both nodes.
        QVERIFY2(e.message().contains(u"Could not connect after 4 attempts"_s), qPrintable(e.message()));
        // Why: the transport's own words, not only a count.
        QVERIFY2(e.message().contains(u"the last one failed"_s), qPrintable(e.message()));
        QVERIFY2(e.context().contains(a.authority()) || e.context().contains(b.authority()),
                 qPrintable(e.context()));
        QTest::qWait(200);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(m.state(), DatabaseManager::State::Disconnected);
        // Asked again, it tries again and settles again.
        QCOMPARE(failureOf(m.open(), 15000).kind(), Error::Kind::Connection);
    }

    // One socket gives up twice (a second open() restarts it) while the other is still connecting
    // to a slow node: the first open() must wait for that one, not count two failures as two
    // sockets and fail while a socket is about to come up.
    void repeatedFailuresOfOneSocketDoNotFailOpen()
    {
        SlowFirstNode slow(TestServer::url(), 3000);
        // Socket 0 starts on the dead node, socket 1 on the slow one (its first connection).
        DatabaseManager m(QList<QUrl>{deadUrl(u"ws"_s), slow.url()}, u"res"_s, u"res"_s,
                          Credentials::root(TestServer::user(), TestServer::pass()),
                          ConnectionOptions{.poolSize = 2});
        m.setMaxRetries(1);
        m.setReconnectBackoff(std::chrono::milliseconds(100), std::chrono::milliseconds(100));
        QSignalSpy errors(&m, &DatabaseManager::errorOccurred);
        QElapsedTimer timer;
        timer.start();
        QFuture<void> first = m.open();
        // Socket 0: refused by the dead node, then closed by the slow one: it gives up.
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 1500);
        QVERIFY(!first.isFinished());
        // A second open() gives socket 0 another round; it fails the same way.
        QFuture<void> second = m.open();
        QTRY_VERIFY_WITH_TIMEOUT(slow.connections >= 3, 1500);
        QTest::qWait(200);
        QVERIFY2(timer.elapsed() < 2800, "the machine was too slow for the slow node's delay");
        QVERIFY2(!first.isFinished(), qPrintable(failureOf(first).toString()));
        // Socket 1 comes up through the slow node: both opens succeed.
        AWAIT_VOID(first);
        AWAIT_VOID(second);
        QVERIFY(timer.elapsed() >= 3000);
        QCOMPARE(m.state(), DatabaseManager::State::Connected);
        QCOMPARE(AWAIT(m.connection()->query(u"RETURN 1"_s)).last().toLongLong(), 1);
    }

    void scaleOutAcrossTwoNodes()
    {
        TestServer::LocalServer a, b;
        QVERIFY(a.start());
        QVERIFY(b.start());
        DatabaseManager m(QList<QUrl>{a.wsUrl(), b.wsUrl()}, u"so"_s, u"so"_s,
                          Credentials::root(u"root"_s, u"root"_s), ConnectionOptions{.poolSize = 4});
        m.setReconnectBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(200));
        m.setMaxRetries(50);
        AWAIT_VOID(m.open());
        QTRY_COMPARE_WITH_TIMEOUT(m.pool()->connectedCount(), 4, 10000);
        a.kill();
        // Every request made after the loss still succeeds, served by the surviving node.
        for (int i = 0; i < 50; ++i) {
            QFuture<QueryResult> f = m.connection()->query(u"RETURN $i"_s, {{u"i"_s, i}});
            const Error e = failureOf(f);
            if (e.isValid()) {
                // Requests already on the dead node's sockets may fail once, retryably.
                QCOMPARE(e.kind(), Error::Kind::Connection);
                continue;
            }
            QCOMPARE(f.result().last().toLongLong(), i);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m.pool()->connectedCount(), 4, 20000);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(AWAIT(m.connection()->query(u"RETURN $i"_s, {{u"i"_s, i}})).last().toLongLong(), i);
    }

    void tooOldServerIsRefused()
    {
        FakePeer peer;
        peer.version = u"surrealdb-1.5.4"_s;
        peer.answer = [](const QByteArray &) { return QByteArray(); };
        DatabaseManager m(peer.url(), {}, {}, {},
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        const Error e = failureOf(m.open());
        QCOMPARE(e.kind(), Error::Kind::Protocol);
        QVERIFY(!e.isRetryable());
        QVERIFY2(e.message().contains(u"1.5.4"_s) && e.message().contains(u"needs SurrealDB"_s),
                 qPrintable(e.message()));
        QTRY_COMPARE(m.state(), DatabaseManager::State::Disconnected);
    }

    void keepAliveDetectsASilentPeer()
    {
        FakePeer peer;
        bool silent = false;
        int connections = 0;
        peer.onConnection = [&connections] { ++connections; };
        peer.answer = [&silent](const QByteArray &frame) {
            if (silent)
                return QByteArray();
            const QCborMap in = QCborValue::fromCbor(frame).toMap();
            return QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)},
                                       {u"result"_s, QCborValue(QCborTag(6), nullptr)}})
                .toCbor();
        };
        DatabaseManager m(peer.url(), {}, {}, {},
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        m.setKeepAliveInterval(std::chrono::milliseconds(150));
        m.setRequestTimeout(std::chrono::milliseconds(300));
        m.setReconnectBackoff(std::chrono::milliseconds(10), std::chrono::milliseconds(50));
        AWAIT_VOID(m.open());
        QTRY_COMPARE(connections, 1);
        QSignalSpy states(&m, &DatabaseManager::stateChanged);
        // A half-open socket: TCP stays up, nothing answers. Only the ping can tell.
        silent = true;
        QTRY_VERIFY_WITH_TIMEOUT(connections >= 2, 5000);
        bool sawReconnecting = false;
        for (const auto &args : states)
            sawReconnecting |=
                args.at(0).value<DatabaseManager::State>() == DatabaseManager::State::Reconnecting;
        QVERIFY(sawReconnecting);
    }

    void strayFrameInTheHandshakeIsRetried()
    {
        FakePeer peer;
        int connections = 0;
        peer.onConnection = [&connections] { ++connections; };
        peer.answer = [&connections](const QByteArray &frame) {
            // The first socket gets garbage in answer to 'use'; the next one a proper reply.
            if (connections == 1)
                return QByteArray("\xff\x00garbage", 9);
            const QCborMap in = QCborValue::fromCbor(frame).toMap();
            return QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)}, {u"result"_s, QCborValue(nullptr)}})
                .toCbor();
        };
        DatabaseManager m(peer.url(), u"ns"_s, u"db"_s, {},
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        m.setReconnectBackoff(std::chrono::milliseconds(10), std::chrono::milliseconds(50));
        const Error e = failureOf(m.open());
        QVERIFY2(!e.isValid(), qPrintable(e.toString()));
        QCOMPARE(connections, 2);
        QCOMPARE(m.state(), DatabaseManager::State::Connected);
    }

    void notificationBeforeTheRegistrationReplyIsDelivered()
    {
        FakePeer peer;
        const QUuid liveId = QUuid::createUuid();
        peer.answer = [&peer, liveId](const QByteArray &frame) {
            const QCborMap in = QCborValue::fromCbor(frame).toMap();
            if (in.value(u"method"_s).toString() == u"query") {
                // The change is announced before the server answers the LIVE SELECT itself.
                peer.socket->sendBinaryMessage(
                    QCborValue(QCborMap{{u"result"_s, QCborMap{{u"action"_s, u"CREATE"_s},
                                                               {u"id"_s, QCborValue(liveId)},
                                                               {u"result"_s, QCborMap{{u"n"_s, 1}}}}}})
                        .toCbor());
                return QCborValue(
                           QCborMap{{u"id"_s, in.value(u"id"_s)},
                                    {u"result"_s, QCborArray{QCborMap{{u"status"_s, u"OK"_s},
                                                                      {u"time"_s, u"1ms"_s},
                                                                      {u"result"_s, QCborValue(liveId)}}}}})
                    .toCbor();
            }
            return QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)}, {u"result"_s, QCborValue(nullptr)}})
                .toCbor();
        };
        DatabaseManager m(peer.url(), {}, {}, {},
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m.open());
        std::unique_ptr<LiveQuery> live(m.connection()->liveQuery(u"LIVE SELECT * FROM t"_s));
        QSignalSpy created(live.get(), &LiveQuery::created);
        QCOMPARE(AWAIT(live->started()), liveId);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 5000);
        QCOMPARE(created.at(0).at(0).toMap().value(u"n"_s).toInt(), 1);
    }

    void malformedRepliesGiveProtocolErrors()
    {
        FakePeer peer;
        peer.answer = [](const QByteArray &) { return QByteArray("\xff\x00garbage", 9); };
        DatabaseManager m(peer.url(), {}, {}, {},
                          ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        m.setRequestTimeout(std::chrono::seconds(5));
        AWAIT_VOID(m.open()); // no credentials and no namespace: nothing to ask on connect
        const Error e = failureOf(m.connection()->query(u"RETURN 1"_s));
        QCOMPARE(e.kind(), Error::Kind::Protocol);
        QVERIFY2(e.message().contains(u"byte"_s), qPrintable(e.message()));

        // A reply with our id but neither result nor error.
        peer.answer = [](const QByteArray &frame) {
            const QCborMap in = QCborValue::fromCbor(frame).toMap();
            return QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)}}).toCbor();
        };
        const Error e2 = failureOf(m.connection()->query(u"RETURN 1"_s));
        QCOMPARE(e2.kind(), Error::Kind::Protocol);

        // A query reply that is not a list of statements.
        peer.answer = [](const QByteArray &frame) {
            const QCborMap in = QCborValue::fromCbor(frame).toMap();
            return QCborValue(QCborMap{{u"id"_s, in.value(u"id"_s)}, {u"result"_s, 42}}).toCbor();
        };
        const Error e3 = failureOf(m.connection()->query(u"RETURN 1"_s));
        QCOMPARE(e3.kind(), Error::Kind::Protocol);

        // Silence: the request times out alone.
        peer.answer = [](const QByteArray &) { return QByteArray(); };
        RequestOptions o;
        o.timeout = std::chrono::milliseconds(300);
        QCOMPARE(failureOf(m.connection()->call(u"ping"_s, {}, o)).kind(), Error::Kind::Timeout);
    }
};

QTEST_GUILESS_MAIN(tst_Resilience)
#include "tst_resilience.moc"
