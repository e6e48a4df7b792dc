#pragma once

#include "surrealqtqml_global.h"

#include <SurrealQt/databasemanager.h>
#include <SurrealQt/error.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace SurrealQt {

class Connection;
class CrudHelpers;

// QML `Database`: one SurrealDB deployment (a pool of sockets on the manager's I/O thread).
// It connects by itself once the component is complete and `url` is set, and reconnects
// when url, namespace, database or the credentials change.
//
// The data calls return a Promise, or take a callback `function(result, error)` as their
// last argument (then they return undefined). Errors are JavaScript Error objects with the
// fields of SurrealQt::Error: `kind` (a SurrealError number: SurrealError.NotAllowed, ...),
// `kindName` ("NotAllowed"), `message`, `details`, `serverCode`, `serverKind`, `context`,
// `retryable` and `itemErrors`.
//
// Record ids travel as "table:id" text: an argument named `recordId` is parsed as one,
// `table` is a table name, and `what` is a record id when it contains ':' else a table.
class SURREALQT_QML_EXPORT QmlDatabase : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(Database)
    Q_PROPERTY(QUrl url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QString namespace READ namespaceName WRITE setNamespaceName NOTIFY namespaceChanged)
    Q_PROPERTY(QString database READ databaseName WRITE setDatabaseName NOTIFY databaseChanged)
    Q_PROPERTY(QString user READ user WRITE setUser NOTIFY credentialsChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY credentialsChanged)
    // For other sign-ins than a root user: {level: "namespace"|"database"|"record"|"token",
    // user, password, namespace, database, access, variables, token}. Overrides user/password.
    Q_PROPERTY(QVariantMap credentials READ credentials WRITE setCredentials NOTIFY credentialsChanged)
    Q_PROPERTY(int poolSize READ poolSize WRITE setPoolSize NOTIFY poolSizeChanged)
    // PEM files (paths, file: or qrc: URLs) of certificate authorities to trust for wss:// and
    // https:// besides the system's: for a server whose certificate a private CA signed. A file
    // that cannot be read or holds no certificate fails the connection (status Failed) with a
    // Tls error naming it. Changing it reconnects, as a change of url does.
    Q_PROPERTY(
        QList<QUrl> caCertificates READ caCertificates WRITE setCaCertificates NOTIFY caCertificatesChanged)
    // false keeps it closed; true (default) connects as soon as url is set.
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(bool ready READ isReady NOTIFY statusChanged)
    // The last error (a `surrealError`: kind, kindName, message, details, ...; valid is false
    // when there is none): the same fields as the calls' rejections and the models' lastError.
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY errorChanged)
    // Deprecated: lastError.message and lastError.kindName.
    Q_PROPERTY(QString error READ errorString NOTIFY errorChanged)
    Q_PROPERTY(QString errorKind READ errorKind NOTIFY errorChanged)

public:
    // Failed: opening failed (unreachable, credentials refused or malformed; see lastError).
    // Error: the old name of Failed (deprecated; the same value, so existing QML keeps working);
    // Failed as QueryModel's status says it.
    enum Status { Null, Connecting, Ready, Reconnecting, Failed, Closed, Error = Failed };
    Q_ENUM(Status)

    explicit QmlDatabase(QObject *parent = nullptr);
    ~QmlDatabase() override;

    [[nodiscard]] QUrl url() const { return m_url; }
    void setUrl(const QUrl &url);
    [[nodiscard]] QString namespaceName() const { return m_ns; }
    void setNamespaceName(const QString &ns);
    [[nodiscard]] QString databaseName() const { return m_db; }
    void setDatabaseName(const QString &db);
    [[nodiscard]] QString user() const { return m_user; }
    void setUser(const QString &user);
    [[nodiscard]] QString password() const { return m_password; }
    void setPassword(const QString &password);
    [[nodiscard]] QVariantMap credentials() const { return m_credentials; }
    void setCredentials(const QVariantMap &credentials);
    [[nodiscard]] int poolSize() const { return m_poolSize; }
    void setPoolSize(int size);
    [[nodiscard]] QList<QUrl> caCertificates() const { return m_caCertificates; }
    void setCaCertificates(const QList<QUrl> &files);
    [[nodiscard]] bool isActive() const { return m_active; }
    void setActive(bool active);

    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] bool isReady() const { return m_status == Ready; }
    [[nodiscard]] QString errorString() const { return m_error.message(); }
    [[nodiscard]] QString errorKind() const;
    [[nodiscard]] SurrealQt::Error lastError() const { return m_error; }

    // C++ side: the manager this item uses (null until it connects), or hand it one the
    // application already opened; the item then ignores url/namespace/credentials.
    [[nodiscard]] DatabaseManager *manager() const { return m_manager; }
    void setManager(DatabaseManager *manager);
    [[nodiscard]] Connection *connection() const;

    void classBegin() override;
    void componentComplete() override;

    // The data calls. Each returns a Promise, or, given a function as its last argument, calls it
    // once with (result, error) and returns undefined. Arguments shown with a default may be left
    // out (a callback may follow the ones given); an argument of the wrong kind, a missing one or
    // a value that cannot be stored is a Validation error (rejected, or passed to the callback).

    // Raw data calls (SurrealDB RPC).
    Q_INVOKABLE QJSValue query(const QJSValue &surrealql, const QJSValue &vars = {},
                               const QJSValue &callback = {});
    Q_INVOKABLE QJSValue select(const QJSValue &what, const QJSValue &callback = {});
    Q_INVOKABLE QJSValue create(const QJSValue &what, const QJSValue &data = {},
                                const QJSValue &callback = {});
    Q_INVOKABLE QJSValue insert(const QJSValue &table, const QJSValue &data = {},
                                const QJSValue &callback = {});
    Q_INVOKABLE QJSValue update(const QJSValue &what, const QJSValue &data = {},
                                const QJSValue &callback = {});
    Q_INVOKABLE QJSValue merge(const QJSValue &what, const QJSValue &data = {},
                               const QJSValue &callback = {});
    Q_INVOKABLE QJSValue upsert(const QJSValue &what, const QJSValue &data = {},
                                const QJSValue &callback = {});
    Q_INVOKABLE QJSValue remove(const QJSValue &what, const QJSValue &callback = {});

    // CRUD helpers (SurrealQt::CrudHelpers: same input rules and result shapes). A single-record
    // write the server did not perform is an error (NotFound / NotAllowed), never a silent null.
    Q_INVOKABLE QJSValue insertOne(const QJSValue &table, const QJSValue &data = {},
                                   const QJSValue &callback = {});
    Q_INVOKABLE QJSValue insertMany(const QJSValue &table, const QJSValue &rows = {},
                                    const QJSValue &callback = {});
    // Resolves with the record, or null when it does not exist (or is not visible).
    Q_INVOKABLE QJSValue selectOne(const QJSValue &recordId, const QJSValue &callback = {});
    // options: {where: "done = $done", vars: {done: false}, orderBy: "title DESC", limit: 10, start: 0},
    // or a where condition as text.
    Q_INVOKABLE QJSValue selectMany(const QJSValue &table, const QJSValue &options = {},
                                    const QJSValue &callback = {});
    Q_INVOKABLE QJSValue updateOne(const QJSValue &recordId, const QJSValue &data = {},
                                   const QJSValue &callback = {});
    Q_INVOKABLE QJSValue mergeOne(const QJSValue &recordId, const QJSValue &data = {},
                                  const QJSValue &callback = {});
    // options: {where, vars} (where "true" for every record); merges data; resolves with the records.
    Q_INVOKABLE QJSValue updateMany(const QJSValue &table, const QJSValue &options = {},
                                    const QJSValue &data = {}, const QJSValue &callback = {});
    Q_INVOKABLE QJSValue upsertOne(const QJSValue &recordId, const QJSValue &data = {},
                                   const QJSValue &callback = {});
    // Resolves with the record as it was.
    Q_INVOKABLE QJSValue deleteOne(const QJSValue &recordId, const QJSValue &callback = {});
    // options: {where, vars} (where "true" for every record); resolves with the records as they were.
    Q_INVOKABLE QJSValue deleteMany(const QJSValue &table, const QJSValue &options = {},
                                    const QJSValue &callback = {});
    Q_INVOKABLE QJSValue count(const QJSValue &table, const QJSValue &options = {},
                               const QJSValue &callback = {});
    Q_INVOKABLE QJSValue exists(const QJSValue &recordId, const QJSValue &callback = {});

    // A record id value for data fields that link to records ("author: db.recordId('person', 'tobie')").
    // Throws a Validation error for a key that is no value (a function, undefined, ...).
    Q_INVOKABLE QVariant recordId(const QString &table, const QJSValue &id) const;

public Q_SLOTS:
    void open();
    void close();

Q_SIGNALS:
    void urlChanged();
    void namespaceChanged();
    void databaseChanged();
    void credentialsChanged();
    void poolSizeChanged();
    void caCertificatesChanged();
    void activeChanged();
    void statusChanged();
    void errorChanged();
    // Emitted whenever the underlying connection is replaced (reconnect after a setting changed).
    void connectionChanged();
    void opened();
    void closed();
    // A connection or sign-in error (the calls' own errors go to their promise or callback).
    void errorOccurred(const SurrealQt::Error &error);

private:
    void scheduleReopen();
    void reopen();
    void setStatus(Status status);
    void setError(const SurrealQt::Error &error);
    void releaseManager();
    QJSValue failed(const QJSValue &callback, const SurrealQt::Error &error);

    template<typename Start, typename Finish>
    QJSValue run(const QJSValue &callback, Start start, Finish finish);
    template<typename Start, typename Convert>
    QJSValue runHelpers(const QJSValue &callback, Start start, Convert convert);
    template<typename Start>
    QJSValue runHelpers(const QJSValue &callback, Start start);
    QJSValue runVariant(const QJSValue &callback, const std::function<QFuture<QVariant>(Connection *)> &start,
                        const std::function<QVariant(const QVariant &)> &finish = {});
    // The shared argument handling of the calls of one shape: (what, callback) for select/remove,
    // (what, data, callback) for update/merge/upsert, (recordId, callback) for selectOne/deleteOne/
    // exists, (recordId, data, callback) for updateOne/mergeOne.
    using WhatCall = std::function<QFuture<QVariant>(Connection *, const QVariant &)>;
    using WhatDataCall =
        std::function<QFuture<QVariant>(Connection *, const QVariant &, const QVariantMap &)>;
    QJSValue callWhat(const QString &name, const QJSValue &what, const QJSValue &callback,
                      const WhatCall &start);
    QJSValue callWhatData(const QString &name, const QJSValue &what, const QJSValue &data,
                          const QJSValue &callback, const WhatDataCall &start);
    template<typename Start, typename Convert>
    QJSValue callRecordId(const QString &name, const QJSValue &recordId, const QJSValue &callback,
                          Start start, Convert convert);
    QJSValue callUpdateOne(const QString &name, const QJSValue &recordId, const QJSValue &data,
                           const QJSValue &callback, bool merge);
    // Assigns a connection setting; true (and the reconnect scheduled) when it changed.
    template<typename T>
    bool assignSetting(T &member, const T &value);

    QUrl m_url;
    QString m_ns;
    QString m_db;
    QString m_user;
    QString m_password;
    QVariantMap m_credentials;
    int m_poolSize = 2;
    QList<QUrl> m_caCertificates;
    bool m_active = true;
    bool m_complete = false;
    bool m_reopenPending = false;
    bool m_ownsManager = false;
    Status m_status = Null;
    SurrealQt::Error m_error;
    QPointer<DatabaseManager> m_manager;
    QPointer<CrudHelpers> m_helpers;
    quint64 m_generation = 0;
};

} // namespace SurrealQt
