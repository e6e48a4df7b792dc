#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! Who signs in. Kept by the connection so it can sign in again after a reconnect and
    renew a token before it expires; the password never leaves the process otherwise. */
class SURREALQT_EXPORT Credentials
{
    Q_GADGET
    Q_PROPERTY(Level level READ level CONSTANT)
    Q_PROPERTY(QString username READ username CONSTANT)
    Q_PROPERTY(QString namespaceName READ namespaceName CONSTANT)
    Q_PROPERTY(QString databaseName READ databaseName CONSTANT)
    Q_PROPERTY(QString access READ access CONSTANT)

public:
    enum class Level { None, Root, Namespace, Database, RecordAccess, Token };
    Q_ENUM(Level)

    Credentials() = default;

    [[nodiscard]] static Credentials root(const QString &user, const QString &password);
    [[nodiscard]] static Credentials namespaceUser(const QString &ns, const QString &user,
                                                   const QString &password);
    [[nodiscard]] static Credentials databaseUser(const QString &ns, const QString &db, const QString &user,
                                                  const QString &password);
    /*! Record access (DEFINE ACCESS ... TYPE RECORD): the variables are what its SIGNIN/SIGNUP clause reads.
     */
    [[nodiscard]] static Credentials recordAccess(const QString &ns, const QString &db, const QString &access,
                                                  const QVariantMap &variables);
    [[nodiscard]] static Credentials token(const QString &token);

    [[nodiscard]] Level level() const { return m_level; }
    [[nodiscard]] bool isEmpty() const { return m_level == Level::None; }
    [[nodiscard]] QString username() const { return m_user; }
    [[nodiscard]] QString password() const { return m_password; }
    [[nodiscard]] QString namespaceName() const { return m_ns; }
    [[nodiscard]] QString databaseName() const { return m_db; }
    [[nodiscard]] QString access() const { return m_access; }
    [[nodiscard]] QVariantMap variables() const { return m_variables; }
    [[nodiscard]] QString tokenValue() const { return m_token; }

    /*! The parameter map of the signin/signup RPC call. */
    [[nodiscard]] QVariantMap toSigninParams() const;
    /*! The inverse, for a signin the caller sent as a raw parameter map. */
    [[nodiscard]] static Credentials fromSigninParams(const QVariantMap &params);

    friend bool operator==(const Credentials &, const Credentials &) = default;

private:
    Level m_level = Level::None;
    QString m_user;
    QString m_password;
    QString m_ns;
    QString m_db;
    QString m_access;
    QString m_token;
    QVariantMap m_variables;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Credentials)
