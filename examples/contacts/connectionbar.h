#pragma once

#include "connectionsettings.h"

#include <QtWidgets/QFrame>

class QLabel;
class QLineEdit;
class QPushButton;

namespace SurrealQt {
class Error;
}

// The bar above the table that says, in words a person understands, why the app is not
// connected, keeps the library's diagnostic behind a Details button, and lets the user fix the
// URL, namespace, database or credentials and connect again (Retry).
class ConnectionBar : public QFrame
{
    Q_OBJECT

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    // Fills the fields (what the app connects with).
    void setSettings(const ConnectionSettings &settings);
    // What the fields say now.
    [[nodiscard]] ConnectionSettings settings() const;

    // Shows the bar with a sentence for people and the diagnostic behind Details; the button
    // reads Retry.
    void showProblem(const QString &text, const QString &details);
    // Shows the fields without a problem (File > Connection…); the button reads Connect.
    void showSettings();
    // While a connection attempt runs: the button is disabled and the text says so.
    void setConnecting(bool connecting);

    [[nodiscard]] QString text() const;
    [[nodiscard]] QString details() const { return m_details; }

    // One sentence for an error the connection or a request ran into, for the person at the
    // screen: what went wrong and what to do, without the library's internals (bind names,
    // statement texts), which belong in Details.
    [[nodiscard]] static QString describe(const SurrealQt::Error &error, const ConnectionSettings &settings);

Q_SIGNALS:
    // Connect or Retry was pressed (or Enter in a field) with these settings.
    void connectRequested(const ConnectionSettings &settings);

private:
    void requestConnect();

    QLabel *m_text;
    QPushButton *m_detailsButton;
    QLabel *m_detailsText;
    QLineEdit *m_url;
    QLineEdit *m_ns;
    QLineEdit *m_db;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QPushButton *m_connect;
    QString m_details;
    bool m_problem = false;
};
