#pragma once

#include <QtCore/QString>
#include <QtCore/QUrl>

// Where the contacts live and who signs in: what the command line gives and the connection bar
// edits.
struct ConnectionSettings
{
    QUrl url;
    QString ns = QStringLiteral("examples");
    QString db = QStringLiteral("contacts");
    QString user = QStringLiteral("root");
    QString password = QStringLiteral("root");

    friend bool operator==(const ConnectionSettings &, const ConnectionSettings &) = default;
};
