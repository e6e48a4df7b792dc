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
    /*! Which kind of user signs in (None: no sign-in). */
    enum class Level { None, Root, Namespace, Database, RecordAccess, Token };
    Q_ENUM(Level)

    Credentials() = default;

    /*! A root user (the server's system users). */
    [[nodiscard]] static Credentials root(const QString &user, const QString &password);
    /*! A user defined on namespace ns. */
    [[nodiscard]] static Credentials namespaceUser(const QString &ns, const QString &user,
                                                   const QString &password);
    /*! A user defined on database db of namespace ns. */
    [[nodiscard]] static Credentials databaseUser(const QString &ns, const QString &db, const QString &user,
                                                  const QString &password);
    /*! Record access (DEFINE ACCESS ... TYPE RECORD): the variables are what its SIGNIN/SIGNUP clause reads.
     */
    [[nodiscard]] static Credentials recordAccess(const QString &ns, const QString &db, const QString &access,
                                                  const QVariantMap &variables);
    /*! An existing token (e.g. from a previous signin); it is not renewed when it expires. */
    [[nodiscard]] static Credentials token(const QString &token);

    /*! Which kind of user this is. */
    [[nodiscard]] Level level() const { return m_level; }
    /*! True for no credentials (Level::None). */
    [[nodiscard]] bool isEmpty() const { return m_level == Level::None; }
    /*! The user name (root, namespace and database users). */
    [[nodiscard]] QString username() const { return m_user; }
    /*! The password (root, namespace and database users). */
    [[nodiscard]] QString password() const { return m_password; }
    /*! The namespace of a namespace, database or record-access user. */
    [[nodiscard]] QString namespaceName() const { return m_ns; }
    /*! The database of a database or record-access user. */
    [[nodiscard]] QString databaseName() const { return m_db; }
    /*! The access method's name (record access). */
    [[nodiscard]] QString access() const { return m_access; }
    /*! The variables of a record access (what its SIGNIN reads). */
    [[nodiscard]] QVariantMap variables() const { return m_variables; }
    /*! The token of Credentials::token(). */
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
