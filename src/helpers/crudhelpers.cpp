#include <SurrealQt/crudhelpers.h>

#include "core/postbox_p.h"
#include "crudcore_p.h"

#include <SurrealQt/exception.h>

using namespace Qt::StringLiterals;

namespace SurrealQt {

using namespace Internal;

CrudHelpers::CrudHelpers(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

CrudHelpers::~CrudHelpers() = default;

Connection *CrudHelpers::connection() const
{
    return m_connection;
}

// The caller gets a future of its own (a QFuture keeps one continuation only), and the signal
// is queued to this object's thread once the result is known.
template<typename T, typename Emit>
QFuture<T> CrudHelpers::track(QFuture<T> future, Emit emitResult)
{
    // The continuation runs on the I/O thread while the owner may delete this object: posting
    // goes through a box closed on destruction, never through a QPointer checked over there.
    QPointer<CrudHelpers> self(this);
    std::shared_ptr<Internal::PostBox> box = Internal::PostBox::of(this);
    return future
        .then(QtFuture::Launch::Sync,
              [self, box, emitResult](const T &value) {
                  box->post(
                      [self, emitResult, value] {
                          if (self)
                              emitResult(self.data(), value);
                      },
                      Qt::AutoConnection);
                  return value;
              })
        .onFailed([self, box](const Exception &e) -> T {
            const Error error = e.error();
            box->post(
                [self, error] {
                    if (self)
                        Q_EMIT self->errorOccurred(error);
                },
                Qt::AutoConnection);
            throw e;
        });
}

namespace {

auto emitInsertedOne = [](CrudHelpers *h, const QVariantMap &r) { Q_EMIT h->inserted({r}); };
auto emitInserted = [](CrudHelpers *h, const QVariantList &r) { Q_EMIT h->inserted(r); };
auto emitUpdatedOne = [](CrudHelpers *h, const QVariantMap &r) { Q_EMIT h->updated({r}); };
auto emitUpdated = [](CrudHelpers *h, const QVariantList &r) { Q_EMIT h->updated(r); };
auto emitUpsertedOne = [](CrudHelpers *h, const QVariantMap &r) { Q_EMIT h->upserted({r}); };
auto emitUpserted = [](CrudHelpers *h, const QVariantList &r) { Q_EMIT h->upserted(r); };
auto emitRemovedOne = [](CrudHelpers *h, const QVariantMap &r) { Q_EMIT h->removed({r}); };
auto emitRemoved = [](CrudHelpers *h, const QVariantList &r) { Q_EMIT h->removed(r); };
auto emitSelectedOne = [](CrudHelpers *h, const std::optional<QVariantMap> &r) {
    Q_EMIT h->selected(r ? QVariantList{*r} : QVariantList{});
};
auto emitSelected = [](CrudHelpers *h, const QVariantList &r) { Q_EMIT h->selected(r); };
auto emitCounted = [](CrudHelpers *h, qint64 n) { Q_EMIT h->counted(n); };

SelectOptions selectOptions(const QString &filter, const QVariantMap &vars, int limit, int offset,
                            const QString &orderBy, Qt::SortOrder order)
{
    return SelectOptions{filter, vars, limit, offset, orderBy, order};
}

} // namespace

QFuture<QVariantMap> CrudHelpers::insertOne(const Table &table, const QVariantMap &data)
{
    return track(Crud::insertOne(m_connection, TableTarget::of(table), data), emitInsertedOne);
}
QFuture<QVariantMap> CrudHelpers::insertOne(const QString &table, const QVariantMap &data)
{
    return track(Crud::insertOne(m_connection, TableTarget::of(table), data), emitInsertedOne);
}
QFuture<QVariantList> CrudHelpers::insertMany(const Table &table, const QVariantList &records)
{
    return track(Crud::insertMany(m_connection, TableTarget::of(table), records), emitInserted);
}
QFuture<QVariantList> CrudHelpers::insertMany(const QString &table, const QVariantList &records)
{
    return track(Crud::insertMany(m_connection, TableTarget::of(table), records), emitInserted);
}

QFuture<QVariantMap> CrudHelpers::updateOne(const RecordId &id, const QVariantMap &data, UpdateMode mode)
{
    return track(Crud::updateOne(m_connection, RecordTarget::of(id), data, mode == UpdateMode::Merge),
                 emitUpdatedOne);
}
QFuture<QVariantMap> CrudHelpers::updateOne(const QString &recordId, const QVariantMap &data, UpdateMode mode)
{
    return track(Crud::updateOne(m_connection, RecordTarget::of(recordId), data, mode == UpdateMode::Merge),
                 emitUpdatedOne);
}
QFuture<QVariantList> CrudHelpers::updateMany(const Table &table, const QString &filter,
                                              const QVariantMap &vars, const QVariantMap &data,
                                              UpdateMode mode)
{
    return track(
        Crud::updateMany(m_connection, TableTarget::of(table), filter, vars, data, mode == UpdateMode::Merge),
        emitUpdated);
}
QFuture<QVariantList> CrudHelpers::updateMany(const QString &table, const QString &filter,
                                              const QVariantMap &vars, const QVariantMap &data,
                                              UpdateMode mode)
{
    return track(
        Crud::updateMany(m_connection, TableTarget::of(table), filter, vars, data, mode == UpdateMode::Merge),
        emitUpdated);
}

QFuture<QVariantMap> CrudHelpers::upsertOne(const Table &table, const QString &keyField,
                                            const QVariantMap &data, bool createIndex)
{
    return track(Crud::upsertOne(m_connection, TableTarget::of(table), keyField, data, createIndex),
                 emitUpsertedOne);
}
QFuture<QVariantMap> CrudHelpers::upsertOne(const QString &table, const QString &keyField,
                                            const QVariantMap &data, bool createIndex)
{
    return track(Crud::upsertOne(m_connection, TableTarget::of(table), keyField, data, createIndex),
                 emitUpsertedOne);
}
QFuture<QVariantMap> CrudHelpers::upsertOne(const RecordId &id, const QVariantMap &data)
{
    return track(Crud::upsertOne(m_connection, RecordTarget::of(id), data), emitUpsertedOne);
}
QFuture<QVariantList> CrudHelpers::upsertMany(const Table &table, const QVariantList &records,
                                              const QString &keyField, bool createIndex)
{
    return track(Crud::upsertMany(m_connection, TableTarget::of(table), keyField, records, createIndex),
                 emitUpserted);
}
QFuture<QVariantList> CrudHelpers::upsertMany(const QString &table, const QVariantList &records,
                                              const QString &keyField, bool createIndex)
{
    return track(Crud::upsertMany(m_connection, TableTarget::of(table), keyField, records, createIndex),
                 emitUpserted);
}

QFuture<QVariantMap> CrudHelpers::deleteOne(const RecordId &id)
{
    return track(Crud::deleteOne(m_connection, RecordTarget::of(id)), emitRemovedOne);
}
QFuture<QVariantMap> CrudHelpers::deleteOne(const QString &recordId)
{
    return track(Crud::deleteOne(m_connection, RecordTarget::of(recordId)), emitRemovedOne);
}
QFuture<QVariantList> CrudHelpers::deleteMany(const Table &table, const QString &filter,
                                              const QVariantMap &vars)
{
    return track(Crud::deleteMany(m_connection, TableTarget::of(table), filter, vars), emitRemoved);
}
QFuture<QVariantList> CrudHelpers::deleteMany(const QString &table, const QString &filter,
                                              const QVariantMap &vars)
{
    return track(Crud::deleteMany(m_connection, TableTarget::of(table), filter, vars), emitRemoved);
}

QFuture<std::optional<QVariantMap>> CrudHelpers::selectOne(const RecordId &id)
{
    return track(Crud::selectOne(m_connection, RecordTarget::of(id)), emitSelectedOne);
}
QFuture<std::optional<QVariantMap>> CrudHelpers::selectOne(const QString &recordId)
{
    return track(Crud::selectOne(m_connection, RecordTarget::of(recordId)), emitSelectedOne);
}
QFuture<QVariantList> CrudHelpers::selectMany(const Table &table, const QString &filter,
                                              const QVariantMap &vars, int limit, int offset,
                                              const QString &orderBy, Qt::SortOrder order)
{
    return track(Crud::selectMany(m_connection, TableTarget::of(table),
                                  selectOptions(filter, vars, limit, offset, orderBy, order)),
                 emitSelected);
}
QFuture<QVariantList> CrudHelpers::selectMany(const QString &table, const QString &filter,
                                              const QVariantMap &vars, int limit, int offset,
                                              const QString &orderBy, Qt::SortOrder order)
{
    return track(Crud::selectMany(m_connection, TableTarget::of(table),
                                  selectOptions(filter, vars, limit, offset, orderBy, order)),
                 emitSelected);
}

QFuture<qint64> CrudHelpers::count(const Table &table, const QString &filter, const QVariantMap &vars)
{
    return track(Crud::count(m_connection, TableTarget::of(table), filter, vars), emitCounted);
}
QFuture<qint64> CrudHelpers::count(const QString &table, const QString &filter, const QVariantMap &vars)
{
    return track(Crud::count(m_connection, TableTarget::of(table), filter, vars), emitCounted);
}

QFuture<bool> CrudHelpers::exists(const RecordId &id)
{
    return track(Crud::exists(m_connection, RecordTarget::of(id)),
                 [id](CrudHelpers *h, bool e) { Q_EMIT h->existsChecked(id, e); });
}
QFuture<bool> CrudHelpers::exists(const QString &recordId)
{
    const RecordTarget target = RecordTarget::of(recordId);
    return track(Crud::exists(m_connection, target),
                 [id = target.id](CrudHelpers *h, bool e) { Q_EMIT h->existsChecked(id, e); });
}

} // namespace SurrealQt
