#include "connectionbar.h"

#include <SurrealQt/error.h>

#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

ConnectionBar::ConnectionBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_detailsButton(new QPushButton(u"Details"_s, this))
    , m_detailsText(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_ns(new QLineEdit(this))
    , m_db(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_connect(new QPushButton(u"Connect"_s, this))
{
    setObjectName(u"connectionBar"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    m_text->setObjectName(u"connectionMessage"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsButton->setObjectName(u"detailsButton"_s);
    m_detailsButton->setCheckable(true);
    m_detailsText->setObjectName(u"connectionDetails"_s);
    m_detailsText->setWordWrap(true);
    m_detailsText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsText->hide();
    connect(m_detailsButton, &QPushButton::toggled, m_detailsText, &QWidget::setVisible);

    auto *close = new QToolButton(this);
    close->setText(u"✕"_s);
    close->setToolTip(u"Hide"_s);
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    m_url->setObjectName(u"urlField"_s);
    m_url->setPlaceholderText(u"ws://127.0.0.1:8000"_s);
    m_ns->setObjectName(u"namespaceField"_s);
    m_db->setObjectName(u"databaseField"_s);
    m_user->setObjectName(u"userField"_s);
    m_password->setObjectName(u"passwordField"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_connect->setObjectName(u"connectButton"_s);
    m_connect->setDefault(true);
    for (QLineEdit *field : {m_url, m_ns, m_db, m_user, m_password})
        connect(field, &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::requestConnect);

    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(24, 24));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);
    top->addWidget(m_text, 1);
    top->addWidget(m_detailsButton, 0, Qt::AlignTop);
    top->addWidget(close, 0, Qt::AlignTop);

    auto *fields = new QGridLayout;
    auto label = [this](const QString &text, QLineEdit *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    fields->addWidget(label(u"&URL"_s, m_url), 0, 0);
    fields->addWidget(m_url, 0, 1, 1, 3);
    fields->addWidget(label(u"&Namespace"_s, m_ns), 0, 4);
    fields->addWidget(m_ns, 0, 5);
    fields->addWidget(label(u"Data&base"_s, m_db), 0, 6);
    fields->addWidget(m_db, 0, 7);
    fields->addWidget(label(u"U&ser"_s, m_user), 1, 0);
    fields->addWidget(m_user, 1, 1);
    fields->addWidget(label(u"&Password"_s, m_password), 1, 2);
    fields->addWidget(m_password, 1, 3);
    fields->addWidget(m_connect, 1, 5, 1, 3, Qt::AlignRight);
    fields->setColumnStretch(1, 2);
    fields->setColumnStretch(3, 2);
    fields->setColumnStretch(5, 1);
    fields->setColumnStretch(7, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_detailsText);
    layout->addLayout(fields);
    hide();
}

void ConnectionBar::setSettings(const ConnectionSettings &settings)
{
    m_url->setText(settings.url.toString());
    m_ns->setText(settings.ns);
    m_db->setText(settings.db);
    m_user->setText(settings.user);
    m_password->setText(settings.password);
}

ConnectionSettings ConnectionBar::settings() const
{
    return {QUrl::fromUserInput(m_url->text().trimmed()), m_ns->text().trimmed(), m_db->text().trimmed(),
            m_user->text(), m_password->text()};
}

void ConnectionBar::showProblem(const QString &text, const QString &details)
{
    m_problem = true;
    m_text->setText(text);
    m_details = details;
    m_detailsText->setText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    // A warm background marks a problem; the settings form alone keeps the window's colours.
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0xfd, 0xec, 0xd9));
    setPalette(p);
    m_connect->setText(u"Retry"_s);
    setConnecting(false);
    show();
}

void ConnectionBar::showSettings()
{
    m_problem = false;
    m_text->setText(u"Connect to another server, namespace or database, or as another user."_s);
    m_details.clear();
    m_detailsButton->setChecked(false);
    m_detailsButton->hide();
    setPalette(QPalette());
    m_connect->setText(u"Connect"_s);
    setConnecting(false);
    show();
    m_url->setFocus();
}

void ConnectionBar::setConnecting(bool connecting)
{
    m_connect->setEnabled(!connecting);
    if (connecting)
        m_text->setText(u"Connecting to %1…"_s.arg(settings().url.toString()));
}

QString ConnectionBar::text() const
{
    return m_text->text();
}

void ConnectionBar::requestConnect()
{
    if (!m_connect->isEnabled())
        return;
    Q_EMIT connectRequested(settings());
}

QString ConnectionBar::describe(const Error &error, const ConnectionSettings &settings)
{
    const QString server = settings.url.toString(QUrl::RemoveUserInfo);
    switch (error.kind()) {
    case Error::Kind::Connection:
    case Error::Kind::Timeout:
    case Error::Kind::Protocol:
        return u"Could not reach a SurrealDB server at %1. Check the URL and that the server is running, "
               u"then press Retry."_s.arg(server);
    case Error::Kind::Authentication:
        return u"The server at %1 refused user \"%2\" with this password. Check the user and password, "
               u"then press Retry."_s.arg(server, settings.user);
    case Error::Kind::NotAllowed:
        return u"User \"%1\" may not use namespace \"%2\", database \"%3\". Sign in as another user or "
               u"pick another database, then press Retry."_s.arg(settings.user, settings.ns, settings.db);
    case Error::Kind::NotFound:
        return u"Namespace \"%1\" or database \"%2\" does not exist on the server. Check the names, then "
               u"press Retry."_s.arg(settings.ns, settings.db);
    case Error::Kind::Tls:
        return u"The server at %1 presented a certificate this computer does not trust (%2). Check the URL, "
               u"or trust the server's certificate authority, then press Retry."_s.arg(server,
                                                                                       error.message());
    case Error::Kind::Cancelled:
        return u"The connection was closed before the server answered."_s;
    default:
        return u"The server at %1 could not load the contacts. The details say why."_s.arg(server);
    }
}
