#include "faultproxy.h"

#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QHash>
#include <QtCore/QMetaObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <list>

namespace {

struct Frame
{
    bool fin = false;
    int opcode = 0;
    qsizetype headerSize = 0;
    qsizetype payloadSize = 0;
    bool masked = false;
    uchar mask[4] = {0, 0, 0, 0};
    [[nodiscard]] qsizetype size() const { return headerSize + payloadSize; }
};

// RFC 6455 §5.2. False while the frame at `pos` is not complete in `buf`.
bool parseFrame(const QByteArray &buf, qsizetype pos, Frame *f)
{
    const qsizetype avail = buf.size() - pos;
    if (avail < 2)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(buf.constData() + pos);
    f->fin = (p[0] & 0x80) != 0;
    f->opcode = p[0] & 0x0f;
    f->masked = (p[1] & 0x80) != 0;
    quint64 len = p[1] & 0x7f;
    qsizetype h = 2;
    if (len == 126) {
        if (avail < 4)
            return false;
        len = (quint64(p[2]) << 8) | p[3];
        h = 4;
    } else if (len == 127) {
        if (avail < 10)
            return false;
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | p[2 + i];
        h = 10;
    }
    if (f->masked) {
        if (avail < h + 4)
            return false;
        for (int i = 0; i < 4; ++i)
            f->mask[i] = p[h + i];
        h += 4;
    }
    f->headerSize = h;
    f->payloadSize = qsizetype(len);
    return avail >= f->size();
}

QByteArray payloadOf(const QByteArray &buf, qsizetype pos, const Frame &f)
{
    QByteArray out = buf.mid(pos + f.headerSize, f.payloadSize);
    if (f.masked) {
        for (qsizetype i = 0; i < out.size(); ++i)
            out[i] = char(uchar(out[i]) ^ f.mask[i % 4]);
    }
    return out;
}

// The RPC id of a request or reply, as text; empty for messages without one (notifications).
QString rpcId(const QByteArray &payload)
{
    const QCborValue v = QCborValue::fromCbor(payload);
    if (!v.isMap())
        return {};
    const QCborValue id = v.toMap().value(QStringLiteral("id"));
    return id.isUndefined() ? QString() : id.toDiagnosticNotation();
}

} // namespace

// Lives on the proxy's thread; every socket is its child.
class FaultProxyEngine : public QObject
{
public:
    explicit FaultProxyEngine(FaultProxy *owner)
        : m_owner(owner)
    {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        return m_server->serverPort();
    }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> server;
        QByteArray fromClient;
        QByteArray fromServer;
        bool clientUpgraded = false;
        bool serverUpgraded = false;
        QByteArray requestMessage;
        QByteArray replyRaw;
        QByteArray replyPayload;
        QHash<QString, FaultProxy::Rule> faulted;
        bool dead = false;
    };

    void accept()
    {
        while (QTcpSocket *client = m_server->nextPendingConnection()) {
            ++m_owner->m_accepted;
            client->setParent(this);
            auto *server = new QTcpSocket(this);
            m_pairs.emplace_back();
            Pair *pair = &m_pairs.back();
            pair->client = client;
            pair->server = server;
            QObject::connect(client, &QTcpSocket::readyRead, this, [this, pair] { fromClient(pair); });
            QObject::connect(server, &QTcpSocket::connected, this, [this, pair] { fromClient(pair); });
            QObject::connect(server, &QTcpSocket::readyRead, this, [this, pair] { fromServer(pair); });
            QObject::connect(client, &QTcpSocket::disconnected, this, [this, pair] { close(pair, false); });
            QObject::connect(server, &QTcpSocket::disconnected, this, [this, pair] { close(pair, false); });
            QObject::connect(server, &QTcpSocket::errorOccurred, this, [this, pair] { close(pair, false); });
            server->connectToHost(m_owner->m_upstream.host(), quint16(m_owner->m_upstream.port()));
        }
    }

    void fromClient(Pair *pair)
    {
        if (pair->dead || !pair->server || pair->server->state() != QAbstractSocket::ConnectedState)
            return; // kept in the client socket until the upstream connection is there
        pair->fromClient += pair->client->readAll();
        QByteArray &buf = pair->fromClient;
        if (!pair->clientUpgraded) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            pair->server->write(buf.left(end + 4));
            buf.remove(0, end + 4);
            pair->clientUpgraded = true;
        }
        qsizetype pos = 0;
        Frame f;
        while (parseFrame(buf, pos, &f)) {
            if (f.opcode < 8) {
                pair->requestMessage += payloadOf(buf, pos, f);
                if (f.fin) {
                    FaultProxy::Rule rule;
                    if (m_owner->decide(pair->requestMessage, &rule)) {
                        const QString id = rpcId(pair->requestMessage);
                        if (!id.isEmpty())
                            pair->faulted.insert(id, rule);
                    }
                    pair->requestMessage.clear();
                }
            }
            // Registered before it is forwarded: the reply cannot overtake the bookkeeping.
            pair->server->write(buf.constData() + pos, f.size());
            pos += f.size();
        }
        buf.remove(0, pos);
    }

    void fromServer(Pair *pair)
    {
        if (pair->dead || !pair->client)
            return;
        pair->fromServer += pair->server->readAll();
        QByteArray &buf = pair->fromServer;
        if (!pair->serverUpgraded) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            pair->client->write(buf.left(end + 4));
            buf.remove(0, end + 4);
            pair->serverUpgraded = true;
        }
        qsizetype pos = 0;
        Frame f;
        while (!pair->dead && parseFrame(buf, pos, &f)) {
            const QByteArray raw = buf.mid(pos, f.size());
            const QByteArray payload = f.opcode < 8 ? payloadOf(buf, pos, f) : QByteArray();
            pos += f.size();
            if (f.opcode >= 8) {
                pair->client->write(raw);
                continue;
            }
            pair->replyRaw += raw;
            pair->replyPayload += payload;
            if (!f.fin)
                continue;
            const QByteArray message = std::exchange(pair->replyRaw, {});
            const QString id = rpcId(std::exchange(pair->replyPayload, {}));
            auto it = id.isEmpty() ? pair->faulted.end() : pair->faulted.find(id);
            if (it == pair->faulted.end()) {
                pair->client->write(message);
                continue;
            }
            const FaultProxy::Rule rule = it.value();
            pair->faulted.erase(it);
            ++m_owner->m_faults;
            switch (rule.fault) {
            case FaultProxy::Fault::DropReplyAndClose:
                close(pair, true);
                break;
            case FaultProxy::Fault::CutReplyMidFrame:
                pair->client->write(message.left(message.size() / 2));
                pair->client->flush();
                close(pair, true);
                break;
            case FaultProxy::Fault::SwallowReply:
                break;
            case FaultProxy::Fault::DelayReply: {
                QPointer<QTcpSocket> client = pair->client;
                QTimer::singleShot(rule.delayMs, Qt::PreciseTimer, this, [client, message] {
                    if (client)
                        client->write(message);
                });
                break;
            }
            }
        }
        if (!pair->dead)
            buf.remove(0, pos);
    }

    // abort: drop both connections at once, with whatever is still buffered.
    void close(Pair *pair, bool abort)
    {
        if (pair->dead)
            return;
        pair->dead = true;
        for (QTcpSocket *s : {pair->client.data(), pair->server.data()}) {
            if (!s)
                continue;
            s->disconnect(this);
            if (abort)
                s->abort();
            else
                s->disconnectFromHost();
            s->deleteLater();
        }
        // The pair itself is freed later: queued signals of this event loop pass may still name it.
        QTimer::singleShot(1000, this,
                           [this, pair] { m_pairs.remove_if([pair](const Pair &p) { return &p == pair; }); });
    }

    FaultProxy *m_owner;
    QTcpServer *m_server = nullptr;
    std::list<Pair> m_pairs; // stable addresses
};

FaultProxy::FaultProxy(const QUrl &upstream)
    : m_upstream(upstream)
{}

FaultProxy::~FaultProxy()
{
    if (m_engine) {
        FaultProxyEngine *engine = m_engine;
        QMetaObject::invokeMethod(
            engine, [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

bool FaultProxy::start()
{
    m_thread.setObjectName(QStringLiteral("FaultProxy"));
    m_thread.start();
    m_engine = new FaultProxyEngine(this);
    m_engine->moveToThread(&m_thread);
    FaultProxyEngine *engine = m_engine;
    quint16 port = 0;
    QMetaObject::invokeMethod(
        engine, [engine, &port] { port = engine->listen(); }, Qt::BlockingQueuedConnection);
    m_port = port;
    return port != 0;
}

QUrl FaultProxy::url() const
{
    QUrl u = m_upstream;
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_port);
    return u;
}

void FaultProxy::setRule(const Rule &rule)
{
    QMutexLocker lock(&m_mutex);
    m_rule = rule;
    m_hasRule = true;
    m_ruleMatches = 0;
    m_planned = 0;
}

void FaultProxy::clearRule()
{
    QMutexLocker lock(&m_mutex);
    m_hasRule = false;
}

bool FaultProxy::decide(const QByteArray &payload, Rule *rule)
{
    QMutexLocker lock(&m_mutex);
    if (!m_hasRule || m_rule.needle.isEmpty() || !payload.contains(m_rule.needle))
        return false;
    ++m_matched;
    const int k = m_ruleMatches++ - m_rule.skip;
    if (k < 0 || k % std::max(1, m_rule.every) != 0)
        return false;
    if (m_rule.limit >= 0 && m_planned >= m_rule.limit)
        return false;
    ++m_planned;
    *rule = m_rule;
    return true;
}
