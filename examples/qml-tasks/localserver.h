#pragma once

// Starts tools/surreal-local (Node + the official SurrealDB engine, in memory) for an example
// app that was given no --url, like tools/demo.sh does. The server stops with the app.

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>

#include <memory>

class LocalServer
{
public:
    ~LocalServer()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(5000))
            m_process->kill();
    }

    // Blocks until the server prints its address (start-up, before the event loop runs).
    QUrl start(const QString &user, const QString &password, QString *error)
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->start(QStringLiteral("node"),
                         {QStringLiteral(SURREALQT_SERVER_JS), QStringLiteral("--bind"),
                          QStringLiteral("127.0.0.1:0"), QStringLiteral("--user"), user,
                          QStringLiteral("--pass"), password, QStringLiteral("--log-level"),
                          QStringLiteral("warn")});
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
        return QUrl(QStringLiteral("ws://") + match.captured(1));
    }

private:
    std::unique_ptr<QProcess> m_process;
};
