#pragma once

#include <SurrealQt/error.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/modelmacros.h>
#include <SurrealQt/query.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QVariantMap>

namespace SurrealQt {

class Connection;
class DatabaseManager;

/*! Base class of persistent objects (the seed's BaseModel/AsyncModel/SyncModel in one).
    A subclass declares its fields as Q_PROPERTYs with SURREALQT_FIELD (see modelmacros.h and
    docs/models/defining-models.md); the table and field options come from Q_CLASSINFO.

    Operations come in three flavours with the same semantics:
     - save(), remove(), refresh() return a QFuture<void> that fails with SurrealQt::Exception;
     - saveSync(), removeSync(), refreshSync() block and throw SurrealQt::Exception;
     - either way the object emits saved(), removed() or refreshed() on success, or
       errorOccurred(error) on failure, exactly once per operation, on the object's thread.
    Asynchronous continuations are bound to the object: if it is destroyed first, nothing runs.

    An object is not thread-safe; use it on the thread it lives in. Instances returned by
    queries are owned by the QSharedPointer that carries them and live in the calling thread. */
class SURREALQT_EXPORT Model : public QObject
{
    Q_OBJECT
    Q_PROPERTY(SurrealQt::RecordId id READ id WRITE setId NOTIFY idChanged)
    Q_PROPERTY(bool isNew READ isNew NOTIFY isNewChanged)
    Q_PROPERTY(bool dirty READ isDirty NOTIFY dirtyChanged)

public:
    /*! A new, unsaved object (isNew() true) with the fields' default values. */
    explicit Model(QObject *parent = nullptr);
    ~Model() override;

    /*! The description of this object's model class. */
    [[nodiscard]] const ModelInfo &modelInfo() const;

    /*! Invalid until the record was created, unless set to choose the key of a new record. */
    [[nodiscard]] RecordId id() const { return m_id; }
    /*! The id must be of the model's table; an invalid RecordId clears it. idOrKey is read by
        RecordId::inTable: a key alone (42 or "ann") becomes user:42 / user:ann, record-id text
        ("user:42") names that record. Another table's id, or text with a ':' that is not a
        record id, is refused: the id stays as it was, the Validation error is returned (and
        logged as a warning, for property writes that cannot return it). */
    Error setId(const RecordId &id);
    /*! Sets the id from a RecordId, a key or record-id text (see setId(const RecordId &)). */
    Error setId(const QVariant &idOrKey);
    /*! True until the object was created in or loaded from the database (and again after remove()). */
    [[nodiscard]] bool isNew() const { return !m_persisted; }

    /*! Dirty fields: changed through their setter (or setProperty) since the object was
        loaded or last saved. save() of a stored object sends only these. */
    [[nodiscard]] bool isDirty() const { return !m_dirty.isEmpty(); }
    /*! True when field is dirty. */
    [[nodiscard]] bool isDirty(const QString &field) const { return m_dirty.contains(field); }
    /*! The dirty fields' names. */
    [[nodiscard]] QStringList dirtyFields() const;
    /*! Marks field as changed, so the next save() sends it (for changes a setter cannot see). */
    void markDirty(const QString &field);
    /*! Forgets every change: the next save() of a stored object sends nothing. */
    void clearDirty();

    /*! Every field (and "id" when set), with SurrealDB types kept exact: DateTime, Decimal,
        Duration, RecordId, QUuid, Geometry stay themselves; an empty optional field is NONE. */
    [[nodiscard]] QVariantMap toMap() const;
    /*! The named fields only (and "id" when set). */
    [[nodiscard]] QVariantMap toMap(const QStringList &fields) const;
    /*! Sets the fields present in map (and the id), converting server types to the property
        types. Keys that are not fields are ignored. Loaded fields are not dirty; NOTIFY signals
        fire for values that changed. Fails (Validation error, nothing changed) when a value
        cannot be converted to its field's type. */
    Error fromMap(const QVariantMap &map);

    /*! The seed's validate step: required fields, max lengths, value types. An invalid Error
        when everything is fine, otherwise a Validation error naming model, field and value. */
    [[nodiscard]] virtual Error validate() const;

    /*! The connection used by this object: the one set here, else the model class's default,
        else the application's default (Model::setDefaultConnection). */
    [[nodiscard]] Connection *connection() const;
    /*! Uses connection for this object (null: back to the defaults); not owned, watched. */
    void setConnection(Connection *connection);
    /*! The application's default connection for every model class (not owned, watched; thread-safe). */
    static void setDefaultConnection(Connection *connection);
    /*! Uses manager's connection() as the application's default. */
    static void setDefaultConnection(DatabaseManager *manager);
    /*! Clears the application's default connection. */
    static void setDefaultConnection(std::nullptr_t)
    {
        setDefaultConnection(static_cast<Connection *>(nullptr));
    }
    /*! The application's default connection; null when none is set or it was deleted. */
    [[nodiscard]] static Connection *defaultConnection();
    /*! manager's connection(), or null for a null manager. */
    [[nodiscard]] static Connection *connectionOf(DatabaseManager *manager);

    /*! Create when new, otherwise merge only the dirty fields. autoNow fields get the current
        time, autoNowAdd fields too when creating. A write the server did not perform fails:
        NotAllowed when a permission rule refused it and the record is still there (a refused
        create, too), NotFound when the record is gone or cannot be read; a stale version (see
        ModelInfo::versionField) with Conflict (serverKind "VersionConflict"). */
    Q_INVOKABLE QFuture<void> save();
    /*! Deletes the record; fails like save() when nothing was deleted (NotAllowed, NotFound). */
    Q_INVOKABLE QFuture<void> remove();
    /*! Reloads every field; fails with NotFound when the record is gone. */
    Q_INVOKABLE QFuture<void> refresh();

    /*! Blocking save(); throws SurrealQt::Exception. Not on the connection's I/O thread. */
    void saveSync();
    /*! Blocking remove(); throws SurrealQt::Exception. */
    void removeSync();
    /*! Blocking refresh(); throws SurrealQt::Exception. */
    void refreshSync();

Q_SIGNALS:
    /*! id() changed (created, loaded or set). */
    void idChanged();
    /*! isNew() changed. */
    void isNewChanged();
    /*! The object became dirty or clean. */
    void dirtyChanged();
    /*! A save() or saveSync() (or bulkCreate/bulkSave) succeeded. */
    void saved();
    /*! A remove() or removeSync() succeeded. */
    void removed();
    /*! A refresh() or refreshSync() succeeded. */
    void refreshed();
    /*! An operation failed with error (its future fails with the same error). */
    void errorOccurred(const SurrealQt::Error &error);

protected:
    /*! Called by the setters SURREALQT_FIELD generates. */
    void fieldChanged(QLatin1String field);

private:
    friend class ModelRowLoader;
    friend class ModelOperations;
    // Loads a row from the server: fields, id, persisted, not dirty.
    Error loadRow(const QVariantMap &row);
    void setPersisted(bool persisted);

    RecordId m_id;
    QSet<QString> m_dirty;
    QPointer<Connection> m_connection;
    bool m_persisted = false;
    bool m_loading = false;
};

} // namespace SurrealQt
