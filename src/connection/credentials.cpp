#include <SurrealQt/credentials.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

Credentials Credentials::root(const QString &user, const QString &password)
{
    Credentials c;
    c.m_level = Level::Root;
    c.m_user = user;
    c.m_password = password;
    return c;
}

Credentials Credentials::namespaceUser(const QString &ns, const QString &user, const QString &password)
{
    Credentials c = root(user, password);
    c.m_level = Level::Namespace;
    c.m_ns = ns;
    return c;
}

Credentials Credentials::databaseUser(const QString &ns, const QString &db, const QString &user,
                                      const QString &password)
{
    Credentials c = namespaceUser(ns, user, password);
    c.m_level = Level::Database;
    c.m_db = db;
    return c;
}

Credentials Credentials::recordAccess(const QString &ns, const QString &db, const QString &access,
                                      const QVariantMap &variables)
{
    Credentials c;
    c.m_level = Level::RecordAccess;
    c.m_ns = ns;
    c.m_db = db;
    c.m_access = access;
    c.m_variables = variables;
    return c;
}

Credentials Credentials::token(const QString &token)
{
    Credentials c;
    c.m_level = Level::Token;
    c.m_token = token;
    return c;
}

QVariantMap Credentials::toSigninParams() const
{
    QVariantMap params;
    switch (m_level) {
    case Level::None:
    case Level::Token:
        return params;
    case Level::RecordAccess:
        params = m_variables;
        params.insert(u"ns"_s, m_ns);
        // Namespace-level access methods have no database; an empty one would name "".
        if (m_db.isEmpty())
            params.remove(u"db"_s);
        else
            params.insert(u"db"_s, m_db);
        params.insert(u"ac"_s, m_access);
        return params;
    case Level::Database:
        params.insert(u"db"_s, m_db);
        Q_FALLTHROUGH();
    case Level::Namespace:
        params.insert(u"ns"_s, m_ns);
        Q_FALLTHROUGH();
    case Level::Root:
        params.insert(u"user"_s, m_user);
        params.insert(u"pass"_s, m_password);
        return params;
    }
    return params;
}

Credentials Credentials::fromSigninParams(const QVariantMap &params)
{
    auto take = [&params](const QString &lower) {
        const QVariant v = params.value(lower, params.value(lower.toUpper()));
        return v.toString();
    };
    const QString ns = take(u"ns"_s), db = take(u"db"_s), ac = take(u"ac"_s);
    if (!ac.isEmpty()) {
        QVariantMap vars = params;
        for (const QString &key : {u"ns"_s, u"NS"_s, u"db"_s, u"DB"_s, u"ac"_s, u"AC"_s})
            vars.remove(key);
        return recordAccess(ns, db, ac, vars);
    }
    const QString user = params.value(u"user"_s).toString(), pass = params.value(u"pass"_s).toString();
    if (!db.isEmpty())
        return databaseUser(ns, db, user, pass);
    if (!ns.isEmpty())
        return namespaceUser(ns, user, pass);
    return root(user, pass);
}

} // namespace SurrealQt
