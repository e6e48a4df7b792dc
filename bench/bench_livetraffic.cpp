// What a live filtered view costs on the wire, two ways, side by side in one run against a real
// SurrealDB (tools/surreal-local, started here, or SURREALQT_BENCH_URL):
//
//   table+recheck     what QueryListModel does: one table-level LIVE query, and each changed id
//                     re-checked on the server (`SELECT * FROM $ids WHERE filter`, 100 per batch)
//   filtered+negated  `LIVE SELECT * FROM t WHERE c` for rows inside, plus
//                     `LIVE SELECT id FROM t WHERE !(c)` to hear about rows that leave
//                     (a filtered live query alone never says so: surrealdb-rpc.md 7.7)
//   table ids+recheck a proposed variant of the first: the table-level query asks for ids only
//                     (`LIVE SELECT id FROM t`), the re-check reads the rows anyway
//   filtered only     the naive single filtered live query, for its correctness only (it rides
//                     on the filtered+negated client's first query, so it has no byte count)
//
// A table of --rows rows, a view filtered to 10% of it (`v >= 90`, v uniform in 0..99). A third
// connection applies a stream of --changes changes in two mixes: "uniform" (changes fall on
// random rows, so most land outside the view, as on a shared table) and "view-heavy" (half of
// them touch rows inside the view). Each strategy's client sits behind its own TCP relay that
// counts the bytes and WebSocket messages it receives and sends, so both pay for exactly the
// same changes, at the socket level (frame headers included). "last msg" is when the client's
// last message arrived, in ms after the writer's last request was answered. At the end each
// strategy's rows are compared with `SELECT * FROM t WHERE c`.
//
//   bench_livetraffic [--rows 10000] [--changes 2000] [--payload 80] [--burst 50] [--seed 1]

#include "benchutil.h"
#include "localserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/livenotification.h>
#include <SurrealQt/livequery.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/queryresult.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <cstdio>
#include <functional>
#include <map>
#include <set>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {

const QString Condition = u"v >= 90"_s;

// Counts the WebSocket messages in one direction of a relayed byte stream (RFC 6455 framing:
// client frames are masked, server frames are not; a message ends with a FIN data frame).
class FrameCounter
{
public:
    void feed(const QByteArray &bytes)
    {
        m_buffer += bytes;
        for (;;) {
            if (m_buffer.size() < 2)
                return;
            const auto b0 = quint8(m_buffer.at(0)), b1 = quint8(m_buffer.at(1));
            qsizetype header = 2;
            quint64 length = b1 & 0x7f;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = (quint64(quint8(m_buffer.at(2))) << 8) | quint8(m_buffer.at(3));
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | quint8(m_buffer.at(i));
                header = 10;
            }
            if (b1 & 0x80)
                header += 4; // mask key
            if (quint64(m_buffer.size()) < header + length)
                return;
            const int opcode = b0 & 0x0f;
            if ((b0 & 0x80) && opcode < 0x8) // FIN of a text, binary or continuation frame
                ++messages;
            m_buffer.remove(0, header + qsizetype(length));
        }
    }
    qint64 messages = 0;

private:
    QByteArray m_buffer;
};

// A TCP relay in front of the server: one per strategy, so each client's traffic is counted on
// its own. The HTTP upgrade handshake passes through uncounted as frames (it precedes them).
class CountingRelay : public QObject
{
public:
    explicit CountingRelay(const QString &upstream)
    {
        const qsizetype colon = upstream.lastIndexOf(u':');
        m_host = upstream.left(colon);
        m_port = quint16(upstream.mid(colon + 1).toUInt());
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                relay(client);
        });
    }
    [[nodiscard]] QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    void reset()
    {
        bytesIn = bytesOut = 0;
        m_in.clear();
        m_out.clear();
    }
    [[nodiscard]] qint64 messagesIn() const { return sum(m_in); }
    [[nodiscard]] qint64 messagesOut() const { return sum(m_out); }

    qint64 bytesIn = 0;          // server -> client
    qint64 bytesOut = 0;         // client -> server
    QElapsedTimer lastTraffic;   // any byte
    QElapsedTimer lastMessageIn; // a data message to the client (not a ping or pong)

private:
    static qint64 sum(const std::map<QTcpSocket *, FrameCounter> &counters)
    {
        qint64 n = 0;
        for (const auto &[socket, counter] : counters)
            n += counter.messages;
        return n;
    }
    void relay(QTcpSocket *client)
    {
        auto *server = new QTcpSocket(client);
        client->setParent(this);
        auto handshakeDone = std::make_shared<std::pair<bool, bool>>(false, false);
        auto pass = [this, handshakeDone](QTcpSocket *from, QTcpSocket *to, bool down) {
            QByteArray bytes = from->readAll();
            to->write(bytes);
            lastTraffic.start();
            bool &done = down ? handshakeDone->first : handshakeDone->second;
            if (!done) {
                // Frames start after the HTTP upgrade's blank line.
                const qsizetype end = bytes.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                done = true;
                bytes = bytes.mid(end + 4);
            }
            (down ? bytesIn : bytesOut) += bytes.size();
            FrameCounter &counter = (down ? m_in : m_out)[from];
            const qint64 before = counter.messages;
            counter.feed(bytes);
            if (down && counter.messages > before)
                lastMessageIn.start();
        };
        connect(client, &QTcpSocket::readyRead, this, [=] { pass(client, server, false); });
        connect(server, &QTcpSocket::readyRead, this, [=] { pass(server, client, true); });
        connect(server, &QTcpSocket::connected, this, [=] {
            if (client->bytesAvailable())
                pass(client, server, false);
        });
        connect(client, &QTcpSocket::disconnected, server, &QTcpSocket::disconnectFromHost);
        connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        server->connectToHost(m_host, m_port);
    }

    QTcpServer m_server;
    QString m_host;
    quint16 m_port = 0;
    std::map<QTcpSocket *, FrameCounter> m_in, m_out;
};

using Rows = std::map<QString, QVariantMap>; // record id text -> record

QString keyOf(const QVariant &id)
{
    return id.value<RecordId>().toString();
}

// Records without their id, to compare contents.
QVariantMap content(QVariantMap record)
{
    record.remove(u"id"_s);
    return record;
}

struct Correctness
{
    qint64 missing = 0, stale = 0, wrong = 0;
    [[nodiscard]] bool ok() const { return missing == 0 && stale == 0 && wrong == 0; }
    [[nodiscard]] QString text() const
    {
        return ok() ? u"right rows"_s
                    : u"WRONG: %1 missing, %2 stale, %3 outdated"_s.arg(missing).arg(stale).arg(wrong);
    }
};

Correctness compare(const Rows &truth, const Rows &shown)
{
    Correctness c;
    for (const auto &[id, record] : truth) {
        const auto it = shown.find(id);
        if (it == shown.end())
            ++c.missing;
        else if (content(it->second) != content(record))
            ++c.wrong;
    }
    for (const auto &[id, record] : shown)
        if (!truth.count(id))
            ++c.stale;
    return c;
}

// The alternative strategy, as a client would write it.
class FilteredNegated
{
public:
    FilteredNegated(Connection *c, const QString &table)
    {
        m_inside = c->liveQuery(u"LIVE SELECT * FROM "_s + table + u" WHERE "_s + Condition);
        m_outside = c->liveQuery(u"LIVE SELECT id FROM "_s + table + u" WHERE !("_s + Condition + u")"_s);
        QObject::connect(m_inside, &LiveQuery::notification, m_inside, [this](const LiveNotification &n) {
            const QString id = keyOf(n.record());
            if (n.action() == LiveNotification::Action::Delete) {
                rows.erase(id);
                naive.erase(id);
            } else {
                // An UPDATE for an unknown id is a row entering (7.7).
                rows[id] = n.result().toMap();
                naive[id] = n.result().toMap();
            }
        });
        QObject::connect(m_outside, &LiveQuery::notification, m_outside,
                         [this](const LiveNotification &n) { rows.erase(keyOf(n.record())); });
        auto a = m_inside->started(), b = m_outside->started();
        if (!spinUntil([&] { return a.isFinished() && b.isFinished(); }, 30000))
            die(u"live queries did not start"_s);
        // Subscribed first, then read: nothing falls between.
        for (const QVariant &r :
             run(c, u"SELECT * FROM "_s + table + u" WHERE "_s + Condition).last().toList()) {
            rows[keyOf(r.toMap().value(u"id"_s))] = r.toMap();
            naive[keyOf(r.toMap().value(u"id"_s))] = r.toMap();
        }
    }
    ~FilteredNegated()
    {
        delete m_inside;
        delete m_outside;
    }
    Rows rows;
    Rows naive; // what the filtered query alone would show

private:
    LiveQuery *m_inside;
    LiveQuery *m_outside;
};

// A variant of the model's strategy, measured as a proposal: the table-level live query asks
// for ids only (`LIVE SELECT id FROM t`), since every changed id is re-read by the re-check
// anyway; the re-check is the model's (`SELECT * FROM $ids WHERE c`, 100 ids a batch, one batch
// in flight, deletes applied directly).
class IdsRecheck
{
public:
    IdsRecheck(Connection *c, const QString &table)
        : m_connection(c)
        , m_table(table)
    {
        m_live = c->liveQuery(u"LIVE SELECT id FROM "_s + table);
        QObject::connect(m_live, &LiveQuery::notification, m_live, [this](const LiveNotification &n) {
            const QString id = keyOf(n.record());
            if (n.action() == LiveNotification::Action::Delete) {
                rows.erase(id);
                m_queued.removeAll(n.record());
                return;
            }
            if (!m_queued.contains(n.record()))
                m_queued.append(n.record());
            next();
        });
        auto started = m_live->started();
        if (!spinUntil([&] { return started.isFinished(); }, 30000))
            die(u"live query did not start"_s);
        for (const QVariant &r :
             run(c, u"SELECT * FROM "_s + table + u" WHERE "_s + Condition).last().toList())
            rows[keyOf(r.toMap().value(u"id"_s))] = r.toMap();
    }
    ~IdsRecheck() { delete m_live; }
    Rows rows;

private:
    void next()
    {
        if (m_busy || m_queued.isEmpty())
            return;
        m_busy = true;
        const QVariantList batch = m_queued.mid(0, 100);
        m_queued.remove(0, batch.size());
        m_connection->query(u"SELECT * FROM $ids WHERE "_s + Condition, {{u"ids"_s, batch}})
            .then(m_live, [this, batch](const QueryResult &r) {
                std::set<QString> matching;
                for (const QVariant &rec : r.last().toList()) {
                    const QString id = keyOf(rec.toMap().value(u"id"_s));
                    matching.insert(id);
                    rows[id] = rec.toMap();
                }
                for (const QVariant &id : batch)
                    if (!matching.count(keyOf(id)))
                        rows.erase(keyOf(id));
                m_busy = false;
                next();
            });
    }

    Connection *m_connection;
    QString m_table;
    LiveQuery *m_live;
    QVariantList m_queued;
    bool m_busy = false;
};

Rows modelRows(const QueryListModel &m)
{
    Rows rows;
    for (int i = 0; i < m.rowCount(); ++i) {
        const QVariantMap r = m.get(i);
        rows[keyOf(r.value(u"id"_s))] = r;
    }
    return rows;
}

struct Kinds
{
    int inside = 0, outside = 0, entering = 0, leaving = 0, deleteInside = 0, deleteOutside = 0,
        createInside = 0, createOutside = 0;
};

struct Figures
{
    qint64 bytesIn = 0, bytesOut = 0, messagesIn = 0, messagesOut = 0;
    double settleMs = 0;
    Correctness correctness;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int rowCount = argValue(args, u"--rows"_s, 10000);
    const int changes = argValue(args, u"--changes"_s, 2000);
    const int payload = argValue(args, u"--payload"_s, 80);
    // Changes per request of the writer: 50 is a busy table; 1 is one change at a time, as
    // people editing make them (each change then costs the re-checking client a round trip).
    const int burst = std::max(1, argValue(args, u"--burst"_s, 50));
    QRandomGenerator random(quint32(argValue(args, u"--seed"_s, 1)));

    SurrealLocalProcess server;
    QString address;
    QString user = u"root"_s, pass = u"root"_s;
    if (const QByteArray env = qgetenv("SURREALQT_BENCH_URL"); !env.isEmpty()) {
        const QUrl u(QString::fromUtf8(env));
        address = u"%1:%2"_s.arg(u.host()).arg(u.port(8000));
        user = qEnvironmentVariableIsSet("SURREALQT_BENCH_USER")
                   ? qEnvironmentVariable("SURREALQT_BENCH_USER")
                   : user;
        pass = qEnvironmentVariableIsSet("SURREALQT_BENCH_PASS")
                   ? qEnvironmentVariable("SURREALQT_BENCH_PASS")
                   : pass;
    } else {
        address = server.start();
        if (address.isEmpty())
            die(u"could not start surreal-local (node " SURREALQT_SERVER_JS
                "); run npm ci in tools/surreal-local"_s);
    }
    const QString ns = u"bench_livetraffic_%1"_s.arg(QCoreApplication::applicationPid());
    const Credentials credentials = Credentials::root(user, pass);
    ConnectionOptions single;
    single.sockets = ConnectionOptions::Sockets::Single;

    DatabaseManager writer(QUrl(u"ws://"_s + address), ns, u"bench"_s, credentials, single);
    auto opened = writer.open();
    if (!spinUntil([&] { return opened.isFinished(); }, 30000))
        die(u"cannot connect to "_s + address);
    Connection *w = writer.connection();

    CountingRelay relayModel(address), relayPair(address), relayIds(address);
    DatabaseManager dbModel(relayModel.url(), ns, u"bench"_s, credentials, single);
    DatabaseManager dbPair(relayPair.url(), ns, u"bench"_s, credentials, single);
    DatabaseManager dbIds(relayIds.url(), ns, u"bench"_s, credentials, single);
    auto o1 = dbModel.open(), o2 = dbPair.open(), o3 = dbIds.open();
    if (!spinUntil([&] { return o1.isFinished() && o2.isFinished() && o3.isFinished(); }, 30000))
        die(u"cannot connect through the relays"_s);

    const QString filler(payload, u'x');
    std::printf("rows %d, view %s (~10%%), %d changes per mix in requests of %d, ~%d B of text per row\n",
                rowCount, qPrintable(Condition), changes, burst, payload);
    std::printf("%-10s %-17s %10s %8s %10s %8s %9s  %s\n", "mix", "strategy", "bytes in", "msgs in",
                "bytes out", "msgs out", "last msg", "rows at the end");

    double ratioUniform = 0, ratioHeavy = 0, ratioAllUniform = 0, ratioAllHeavy = 0;
    double ratioIdsUniform = 0, ratioIdsHeavy = 0;
    bool allRight = true, idsRight = true;
    for (const bool viewHeavy : {false, true}) {
        const char *mix = viewHeavy ? "view-heavy" : "uniform";
        // A table per mix: nothing of the first mix's live queries can reach the second.
        const QString table = viewHeavy ? u"item_heavy"_s : u"item_uniform"_s;
        run(w,
            u"DEFINE TABLE %1 SCHEMALESS; FOR $i IN 1..=$n { CREATE type::record('%1', $i) SET v = "
            u"rand::int(0, 99), label = 'item ' + <string>$i, note = $filler }"_s.arg(table),
            {{u"n"_s, rowCount}, {u"filler"_s, filler}});
        // Row state kept here to pick changes of each kind.
        std::map<qint64, int> values;
        for (const QVariant &r : run(w, u"SELECT id, v FROM "_s + table).last().toList()) {
            const QVariantMap m = r.toMap();
            values[m.value(u"id"_s).value<RecordId>().id().toLongLong()] = m.value(u"v"_s).toInt();
        }

        QueryListModel model(dbModel.connection());
        model.setTable(table);
        model.setFilter(Condition);
        model.setPageSize(1000);
        model.setLive(true);
        // fetchAll() before the first page is ignored (the load has not started): after it.
        spinUntil([&] { return model.status() == QueryListModel::Ready; }, 60000);
        model.fetchAll();
        if (!spinUntil([&] { return model.status() == QueryListModel::Ready && !model.canFetchMore(); },
                       60000))
            die(u"model did not load: status %1, %2 rows, %3"_s.arg(int(model.status()))
                    .arg(model.rowCount())
                    .arg(model.errorString()));
        FilteredNegated pair(dbPair.connection(), table);
        IdsRecheck ids(dbIds.connection(), table);
        spinUntil([] { return false; }, 300);
        relayModel.reset();
        relayPair.reset();
        relayIds.reset();

        // The change stream, in requests of --burst statements, every value bound.
        Kinds kinds;
        qint64 nextId = rowCount + 1;
        QStringList statements;
        QVariantMap vars;
        auto flush = [&] {
            if (statements.isEmpty())
                return;
            run(w, statements.join(u';'), vars);
            statements.clear();
            vars.clear();
        };
        auto pick = [&](bool inside) {
            for (;;) {
                auto it = values.begin();
                std::advance(it, random.bounded(int(values.size())));
                if ((it->second >= 90) == inside)
                    return it;
            }
        };
        for (int i = 0; i < changes; ++i) {
            const QString n = QString::number(i);
            const int dice = random.bounded(100);
            // Uniform: the row is random, so ~90% of changes fall on rows outside the view;
            // view-heavy: half of them fall on rows inside it.
            const bool touchInside = viewHeavy ? random.bounded(2) == 0 : random.bounded(10) == 0;
            if (dice < 10) { // delete
                auto it = pick(touchInside);
                (touchInside ? kinds.deleteInside : kinds.deleteOutside)++;
                statements.append(u"DELETE $r"_s + n);
                vars.insert(u"r"_s + n, QVariant::fromValue(RecordId(table, it->first)));
                values.erase(it);
            } else if (dice < 20) { // create
                const int v = touchInside ? 90 + random.bounded(10) : random.bounded(90);
                (touchInside ? kinds.createInside : kinds.createOutside)++;
                statements.append(u"CREATE $r%1 SET v = $v%1, label = $l%1, note = $filler"_s.arg(n));
                vars.insert(u"r"_s + n, QVariant::fromValue(RecordId(table, nextId)));
                vars.insert(u"v"_s + n, v);
                vars.insert(u"l"_s + n, u"item %1"_s.arg(nextId));
                values[nextId++] = v;
            } else { // update: stays, enters or leaves
                auto it = pick(touchInside);
                // Uniform: any new value (1% stay inside, 9% enter, 9% leave, 81% stay outside);
                // view-heavy: a fifth of the touched rows change sides.
                const bool endsInside = viewHeavy ? (random.bounded(5) == 0 ? !touchInside : touchInside)
                                                  : random.bounded(10) == 0;
                const int v = endsInside ? 90 + random.bounded(10) : random.bounded(90);
                if (touchInside)
                    (endsInside ? kinds.inside : kinds.leaving)++;
                else
                    (endsInside ? kinds.entering : kinds.outside)++;
                statements.append(u"UPDATE $r%1 SET v = $v%1, label = $l%1"_s.arg(n));
                vars.insert(u"r"_s + n, QVariant::fromValue(RecordId(table, it->first)));
                vars.insert(u"v"_s + n, v);
                vars.insert(u"l"_s + n, u"changed %1"_s.arg(i));
                it->second = v;
            }
            vars.insert(u"filler"_s, filler);
            if (statements.size() >= burst)
                flush();
        }
        flush();
        QElapsedTimer sinceWrites;
        sinceWrites.start();

        // Settled: no byte on either relay for 500 ms.
        auto settle = [&](CountingRelay &relay) {
            spinUntil([&] { return relay.lastTraffic.isValid() && relay.lastTraffic.elapsed() > 500; },
                      60000);
            return double(sinceWrites.elapsed() - relay.lastMessageIn.elapsed());
        };
        Figures fm, fp, fi;
        fm.settleMs = settle(relayModel);
        fp.settleMs = settle(relayPair);
        fi.settleMs = settle(relayIds);

        Rows truth;
        for (const QVariant &r :
             run(w, u"SELECT * FROM "_s + table + u" WHERE "_s + Condition).last().toList())
            truth[keyOf(r.toMap().value(u"id"_s))] = r.toMap();
        fm.correctness = compare(truth, modelRows(model));
        fp.correctness = compare(truth, pair.rows);
        fi.correctness = compare(truth, ids.rows);
        const Correctness naive = compare(truth, pair.naive);
        allRight = allRight && fm.correctness.ok() && fp.correctness.ok();
        for (auto [f, relay] :
             {std::pair{&fm, &relayModel}, std::pair{&fp, &relayPair}, std::pair{&fi, &relayIds}}) {
            f->bytesIn = relay->bytesIn;
            f->bytesOut = relay->bytesOut;
            f->messagesIn = relay->messagesIn();
            f->messagesOut = relay->messagesOut();
        }
        std::printf("%-10s %-17s %10lld %8lld %10lld %8lld %9.0f  %zu, %s\n", mix, "table+recheck",
                    (long long)fm.bytesIn, (long long)fm.messagesIn, (long long)fm.bytesOut,
                    (long long)fm.messagesOut, fm.settleMs, size_t(model.rowCount()),
                    qPrintable(fm.correctness.text()));
        std::printf("%-10s %-17s %10lld %8lld %10lld %8lld %9.0f  %zu, %s\n", mix, "filtered+negated",
                    (long long)fp.bytesIn, (long long)fp.messagesIn, (long long)fp.bytesOut,
                    (long long)fp.messagesOut, fp.settleMs, pair.rows.size(),
                    qPrintable(fp.correctness.text()));
        std::printf("%-10s %-17s %10lld %8lld %10lld %8lld %9.0f  %zu, %s\n", mix, "table ids+recheck",
                    (long long)fi.bytesIn, (long long)fi.messagesIn, (long long)fi.bytesOut,
                    (long long)fi.messagesOut, fi.settleMs, ids.rows.size(),
                    qPrintable(fi.correctness.text()));
        std::printf("%-10s %-17s %10s %8s %10s %8s %9s  %zu, %s\n", mix, "filtered only", "-", "-", "-", "-",
                    "-", pair.naive.size(), qPrintable(naive.text()));
        std::printf("%-10s changes: %d inside, %d outside, %d entering, %d leaving, %d/%d deletes in/out, "
                    "%d/%d creates in/out; the view ends with %zu rows\n",
                    mix, kinds.inside, kinds.outside, kinds.entering, kinds.leaving, kinds.deleteInside,
                    kinds.deleteOutside, kinds.createInside, kinds.createOutside, truth.size());
        const double ratio = double(fm.bytesIn) / double(std::max<qint64>(1, fp.bytesIn));
        const double ratioAll =
            double(fm.bytesIn + fm.bytesOut) / double(std::max<qint64>(1, fp.bytesIn + fp.bytesOut));
        (viewHeavy ? ratioHeavy : ratioUniform) = ratio;
        (viewHeavy ? ratioAllHeavy : ratioAllUniform) = ratioAll;
        (viewHeavy ? ratioIdsHeavy : ratioIdsUniform) =
            double(fi.bytesIn) / double(std::max<qint64>(1, fp.bytesIn));
        idsRight = idsRight && fi.correctness.ok();
    }

    std::printf("\nratio bytes table+recheck / filtered+negated = %.2f (uniform), %.2f (view-heavy)   "
                "[received by the client]\n",
                ratioUniform, ratioHeavy);
    std::printf(
        "ratio bytes both ways table+recheck / filtered+negated = %.2f (uniform), %.2f (view-heavy)\n",
        ratioAllUniform, ratioAllHeavy);
    std::printf("ratio bytes table ids+recheck / filtered+negated = %.2f (uniform), %.2f (view-heavy)   "
                "[the variant: %s]\n",
                ratioIdsUniform, ratioIdsHeavy, idsRight ? "right rows" : "WRONG rows");
    std::printf("correctness: %s\n", allRight ? "both strategies end with the right rows"
                                              : "a strategy ended with wrong rows (see above)");
    return allRight ? 0 : 2;
}
