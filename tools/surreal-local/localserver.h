#pragma once

// Starts tools/surreal-local (Node + the official SurrealDB engine, in memory) from a Qt
// program: the benchmarks and the library example given no --url (not SurrealQt::LocalServer,
// which apps use: persistent, with generated credentials). The server stops with the
// object. Needs SURREALQT_SERVER_JS, the path of server.mjs, defined by the build.

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>

#include <memory>

class SurrealLocalProcess
{
public:
    ~SurrealLocalProcess()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(10000))
            m_process->kill();
        m_process->waitForFinished(5000);
    }

    // For apps: blocks until the server prints its address (start-up, before the event loop
    // runs) and returns ws://host:port; the server's log goes to this program's stderr.
    QUrl start(const QString &user, const QString &password, QString *error)
    {
        const QString address = launch(user, password, QStringLiteral("warn"), error);
        return address.isEmpty() ? QUrl() : QUrl(QStringLiteral("ws://") + address);
    }

    // For benchmarks: root/root, the log discarded; returns host:port, empty on failure.
    QString start()
    {
        QString error;
        return launch(QStringLiteral("root"), QStringLiteral("root"), QStringLiteral("error"), &error);
    }

    // The server's process id (0 when not started), for benchmarks that read its CPU time.
    qint64 processId() const { return m_process ? m_process->processId() : 0; }

private:
    QString launch(const QString &user, const QString &password, const QString &logLevel, QString *error)
    {
        m_process = std::make_unique<QProcess>();
        if (logLevel == QStringLiteral("error")) {
            m_process->setProcessChannelMode(QProcess::SeparateChannels);
            m_process->setStandardErrorFile(QProcess::nullDevice());
        } else {
            m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        }
        m_process->start(QStringLiteral("bash"),
                         {launcherPath(), QStringLiteral("--bind"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--user"), user, QStringLiteral("--pass"), password,
                          QStringLiteral("--storage"), QStringLiteral("memory"),
                          QStringLiteral("--log-level"), logLevel});
        if (!m_process->waitForStarted(10000)) {
            *error = QStringLiteral("could not start node: %1").arg(m_process->errorString());
            return {};
        }
        QByteArray firstLine;
        QElapsedTimer timer;
        timer.start();
        while (!firstLine.contains('\n') && timer.elapsed() < 60000 &&
               m_process->state() == QProcess::Running) {
            m_process->waitForReadyRead(200);
            firstLine += m_process->readAllStandardOutput();
        }
        const auto match =
            QRegularExpression(QStringLiteral("listening on (\\S+)")).match(QString::fromUtf8(firstLine));
        if (!match.hasMatch()) {
            *error = QStringLiteral("surreal-local did not start (%1)")
                         .arg(QString::fromUtf8(firstLine.trimmed()));
            return {};
        }
        return match.captured(1);
    }

    // tools/surreal-local/surreal-local beside server.mjs: it runs the engine on the allocator
    // `surreal start` uses.
    static QString launcherPath()
    {
        const QString js = QStringLiteral(SURREALQT_SERVER_JS);
        return js.left(js.lastIndexOf(QLatin1Char('/')) + 1) + QStringLiteral("surreal-local");
    }

    std::unique_ptr<QProcess> m_process;
};
