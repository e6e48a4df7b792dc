#pragma once

// Where the integration tests find their real SurrealDB, and a way to run extra
// surreal-local servers that a test may stop and restart.

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>
#include <QtCore/QUuid>
#include <QtTest/QTest>

namespace TestServer {

inline QUrl url()
{
    const QByteArray fromEnv = qgetenv("SURREALQT_TEST_URL");
    if (!fromEnv.isEmpty())
        return QUrl(QString::fromUtf8(fromEnv));
    QFile file(QStringLiteral(SURREALQT_URL_FILE));
    if (file.open(QIODevice::ReadOnly))
        return QUrl(QString::fromUtf8(file.readAll().trimmed()));
    return {};
}

// The same server over HTTP.
inline QUrl httpUrl()
{
    QUrl u = url();
    u.setScheme(u.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    return u;
}

inline QString user()
{
    const QByteArray v = qgetenv("SURREALQT_TEST_USER");
    return v.isEmpty() ? QStringLiteral("root") : QString::fromUtf8(v);
}

inline QString pass()
{
    const QByteArray v = qgetenv("SURREALQT_TEST_PASS");
    return v.isEmpty() ? QStringLiteral("root") : QString::fromUtf8(v);
}

// A fresh namespace per test run keeps runs against a shared external server apart.
inline QString uniqueName(const char *prefix)
{
    return QString::fromLatin1(prefix) + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

// A surreal-local process owned by the test, on a fixed port so it can come back there.
class LocalServer
{
public:
    ~LocalServer() { stop(); }

    // storage: "memory" or "surrealkv:PATH" (survives a restart). extraArgs go to the server as
    // they are (e.g. --tls-cert/--tls-key).
    bool start(int port = 0, const QString &storage = QStringLiteral("memory"),
               const QStringList &extraArgs = {})
    {
        m_process.reset(new QProcess);
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        // The launcher beside server.mjs runs the engine on the allocator `surreal start` uses.
        const QString js = QStringLiteral(SURREALQT_SERVER_JS);
        const QString launcher =
            js.left(js.lastIndexOf(QLatin1Char('/')) + 1) + QStringLiteral("surreal-local");
        m_process->start(QStringLiteral("bash"),
                         QStringList{launcher, QStringLiteral("--bind"),
                                     QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--user"),
                                     QStringLiteral("root"), QStringLiteral("--pass"), QStringLiteral("root"),
                                     QStringLiteral("--storage"), storage} +
                             extraArgs);
        if (!m_process->waitForStarted(10000))
            return false;
        QByteArray line;
        QElapsedTimer timer;
        timer.start();
        while (!line.contains('\n') && timer.elapsed() < 30000) {
            m_process->waitForReadyRead(500);
            line += m_process->readAllStandardOutput();
        }
        const auto match =
            QRegularExpression(QStringLiteral("listening on (\\S+)")).match(QString::fromUtf8(line));
        if (!match.hasMatch())
            return false;
        m_address = match.captured(1);
        return true;
    }

    void stop()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(10000))
            m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
    }

    // SIGKILL: no goodbye to the clients, like a crashed node.
    void kill()
    {
        if (!m_process)
            return;
        m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
    }

    [[nodiscard]] int port() const { return m_address.section(QLatin1Char(':'), -1).toInt(); }
    [[nodiscard]] QUrl wsUrl() const { return QUrl(QStringLiteral("ws://") + m_address); }
    [[nodiscard]] QUrl httpUrl() const { return QUrl(QStringLiteral("http://") + m_address); }
    // For a server started with --tls-cert/--tls-key.
    [[nodiscard]] QUrl wssUrl() const { return QUrl(QStringLiteral("wss://") + m_address); }
    [[nodiscard]] QUrl httpsUrl() const { return QUrl(QStringLiteral("https://") + m_address); }

private:
    std::unique_ptr<QProcess> m_process;
    QString m_address;
};

} // namespace TestServer
