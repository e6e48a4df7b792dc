#pragma once

#include "qmldatabase.h"
#include "surrealqtqml_global.h"

#include <SurrealQt/error.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QVariant>
#include <QtQml/QJSValue>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqmlregistration.h>

#include <map>
#include <memory>

class QQmlPropertyMap;

namespace SurrealQt {

class CrudHelpers;
class LiveQuery;

// QML `Record`: one record, by id, as properties a screen binds to and edits.
//
//   Record {
//       id: person
//       database: db
//       recordId: "person:tobie"
//       live: true                      // follow other writers' changes
//   }
//   TextField { text: person.fields.name; onEditingFinished: person.fields.name = text }
//   Button { enabled: person.dirty; onClicked: person.save() }
//
// `fields` holds one property per field of the record (record ids as "table:id" text, datetimes
// as Date); assigning one (or set(field, value) for a field the record does not have yet) marks
// it dirty. save() writes the dirty fields (a merge; it creates the record when it does not exist)
// and returns a Promise (or takes a callback) like the Database calls; a refused save keeps the
// edits, sets lastError and rejects. With `live`, changes by other writers update the fields
// that are not dirty, and a delete by another writer turns status to NotFound.
class SURREALQT_QML_EXPORT QmlRecord : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_NAMED_ELEMENT(Record)
    Q_PROPERTY(SurrealQt::QmlDatabase *database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(QString recordId READ recordId WRITE setRecordId NOTIFY recordIdChanged)
    Q_PROPERTY(bool live READ isLive WRITE setLive NOTIFY liveChanged)
    // A QQmlPropertyMap (typed var: its properties are the record's fields, unknown to tools).
    Q_PROPERTY(QVariant fields READ fieldsObject CONSTANT)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(bool dirty READ isDirty NOTIFY dirtyChanged)
    Q_PROPERTY(SurrealQt::Error lastError READ lastError NOTIFY lastErrorChanged)

public:
    // Null: no database or record id. Loading: reading it. Ready: fields hold the record.
    // NotFound: there is no such record (save() creates it). Saving: a save() is under way.
    // Failed: it could not be read (see lastError). Error: the old name of Failed (deprecated;
    // the same value, so existing QML keeps working); Failed as QueryModel's status says it.
    enum Status { Null, Loading, Ready, NotFound, Saving, Failed, Error = Failed };
    Q_ENUM(Status)

    explicit QmlRecord(QObject *parent = nullptr);
    ~QmlRecord() override;

    [[nodiscard]] QmlDatabase *database() const { return m_database; }
    void setDatabase(QmlDatabase *database);
    [[nodiscard]] QString recordId() const { return m_recordId; }
    void setRecordId(const QString &recordId);
    [[nodiscard]] bool isLive() const { return m_live; }
    void setLive(bool live);
    [[nodiscard]] QVariant fieldsObject() const;
    [[nodiscard]] QQmlPropertyMap *fields() const { return m_fields; }
    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] bool isDirty() const { return !m_dirty.isEmpty(); }
    [[nodiscard]] SurrealQt::Error lastError() const { return m_error; }

    void classBegin() override;
    void componentComplete() override;

    // A field's value (undefined when the record has no such field).
    Q_INVOKABLE QVariant value(const QString &field) const;
    // Sets a field (adding it when the record does not have it) and marks it dirty.
    Q_INVOKABLE void set(const QString &field, const QVariant &value);
    // Writes the dirty fields; resolves with the record as stored.
    Q_INVOKABLE QJSValue save(const QJSValue &callback = {});
    // Deletes the record; resolves with the record as it was.
    Q_INVOKABLE QJSValue remove(const QJSValue &callback = {});

public Q_SLOTS:
    // Reads the record again; unsaved edits are dropped.
    void reload();

Q_SIGNALS:
    void databaseChanged();
    void recordIdChanged();
    void liveChanged();
    void statusChanged();
    void dirtyChanged();
    void lastErrorChanged();
    void loaded();
    void saved();
    void removed();
    // Another writer changed (or deleted) the record (live only).
    void changedRemotely();
    void errorOccurred(const SurrealQt::Error &error);

private:
    void scheduleReload();
    void attach();
    void subscribe();
    void dropLive();
    void setStatus(Status status);
    void setError(const SurrealQt::Error &error);
    void apply(const QVariantMap &record, bool keepDirty);
    void clearFields();
    void markDirty(const QString &field);
    CrudHelpers *helpers();
    // The JavaScript side of a save()/remove() stays in this thread: the continuations carry
    // only its number.
    quint64 keepReply(const QJSValue &callback, QJSValue *returnValue);
    void resolveReply(quint64 ticket, const QVariant &result);
    void rejectReply(quint64 ticket, const SurrealQt::Error &error);

    QPointer<QmlDatabase> m_database;
    QString m_recordId;
    bool m_live = false;
    bool m_complete = false;
    bool m_reloadPending = false;
    Status m_status = Null;
    SurrealQt::Error m_error;
    QQmlPropertyMap *m_fields = nullptr;
    QSet<QString> m_dirty;
    QPointer<CrudHelpers> m_helpers;
    QPointer<LiveQuery> m_liveQuery;
    quint64 m_generation = 0;
    quint64 m_nextTicket = 0;
    std::map<quint64, std::shared_ptr<void>> m_replies;
};

} // namespace SurrealQt
