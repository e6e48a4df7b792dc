#include <SurrealQt/schema.h>

#include "codec/valueformatter_p.h"
#include "connection/syncwait_p.h"
#include "orm/orm_p.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/exception.h>
#include <SurrealQt/model.h>

#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// The definitions of one model, written for a given table name: the real one for
// statements(), a scratch one when the server is asked for its canonical text.
struct Definitions
{
    QString table;
    QList<std::pair<QString, QString>> fields;  // name, DEFINE FIELD ...
    QList<std::pair<QString, QString>> indexes; // name, DEFINE INDEX ...
};

QString assertionFor(const FieldInfo &field)
{
    QStringList conditions;
    if (field.type() == FieldInfo::Type::String) {
        if (field.isRequired())
            conditions << u"string::len($value) > 0"_s;
        if (field.maxLength() >= 0)
            conditions << u"string::len($value) <= %1"_s.arg(field.maxLength());
    }
    if (conditions.isEmpty())
        return {};
    QString text = conditions.join(u" AND "_s);
    // An optional field may be absent; only a present value has to pass.
    if (field.isOptional())
        text = u"$value == NONE OR (%1)"_s.arg(text);
    return text;
}

QString defaultFor(const FieldInfo &field)
{
    if (field.isAutoNow() || field.isAutoNowAdd())
        return u"time::now()"_s;
    if (field.hasDefault())
        return ValueFormatter::toSurrealQL(field.defaultValue());
    return {};
}

// The seed's fields are optional unless required: a row written by another client may leave a
// field out, unless the server can fill it in (a default).
QString typeFor(const FieldInfo &field)
{
    const QString type = field.surrealType();
    const bool mayBeAbsent = !field.isRequired() && defaultFor(field).isEmpty();
    if (!mayBeAbsent || field.isOptional() || field.type() == FieldInfo::Type::Any)
        return type;
    return u"option<%1>"_s.arg(type);
}

Definitions definitionsFor(const ModelInfo &model, const QString &tableIdent)
{
    Definitions defs;
    defs.table = tableIdent;
    for (const FieldInfo &field : model.fields()) {
        const QString name = ValueFormatter::escapeIdent(field.name());
        QString text = u"DEFINE FIELD OVERWRITE %1 ON %2 TYPE %3"_s.arg(name, tableIdent, typeFor(field));
        if (const QString def = defaultFor(field); !def.isEmpty())
            text += u" DEFAULT "_s + def;
        if (field.isReadOnly())
            text += u" READONLY"_s;
        if (const QString assertion = assertionFor(field); !assertion.isEmpty())
            text += u" ASSERT "_s + assertion;
        if (!field.description().isEmpty())
            text += u" COMMENT "_s + ValueFormatter::quoteString(field.description());
        defs.fields.append({field.name(), text});

        if (field.isIndexed()) {
            const QString index = model.tableName() + u'_' + field.name();
            defs.indexes.append({index, u"DEFINE INDEX OVERWRITE %1 ON %2 FIELDS %3%4"_s.arg(
                                            ValueFormatter::escapeIdent(index), tableIdent, name,
                                            field.isUnique() ? u" UNIQUE"_s : QString())});
        }
    }
    return defs;
}

QString tableStatement(const QString &tableIdent, const SchemaOptions &options)
{
    return u"DEFINE TABLE IF NOT EXISTS %1 TYPE NORMAL %2"_s.arg(
        tableIdent, options.schemafull ? u"SCHEMAFULL"_s : u"SCHEMALESS"_s);
}

// The server's text for a definition made on the scratch table, as it reads for the real one.
QString retarget(QString text, const QString &scratch, const QString &tableIdent)
{
    const QString from = u" ON "_s + scratch + u' ';
    const qsizetype at = text.indexOf(from);
    if (at >= 0)
        text.replace(at, from.size(), u" ON "_s + tableIdent + u' ');
    return text;
}

// "DEFINE FIELD x ..." -> "DEFINE FIELD OVERWRITE x ...": the canonical text, made to replace.
QString overwriting(const QString &canonical)
{
    static const QStringList kinds{u"DEFINE FIELD "_s, u"DEFINE INDEX "_s};
    for (const QString &kind : kinds) {
        if (canonical.startsWith(kind))
            return kind + u"OVERWRITE "_s + canonical.mid(kind.size());
    }
    return canonical;
}

Connection *resolve(Connection *connection)
{
    Connection *c = connection ? connection : Model::defaultConnection();
    if (!c)
        throw Exception(Error(Error::Kind::Validation,
                              u"Schema has no connection: pass one, or set Model::setDefaultConnection()"_s,
                              u"schema"_s));
    return c;
}

QList<SchemaChange> compare(const ModelInfo &model, const SchemaOptions &options, const QString &scratch,
                            const QueryResult &result)
{
    const QString tableIdent = ValueFormatter::escapeIdent(model.tableName());
    // Statement layout: table, fields..., indexes..., INFO probe, INFO DB, REMOVE probe, INFO table.
    const int n = result.size();
    if (n < 4)
        throw Exception(
            Error(Error::Kind::Protocol, u"unexpected reply to the schema probe"_s, model.tableName()));
    for (int i = 0; i < n - 4; ++i) {
        if (!result.at(i).isOk())
            throw Exception(result.at(i).error());
    }
    const QVariantMap probe = result.value(n - 4).toMap();
    const QVariantMap dbInfo = result.value(n - 3).toMap();
    const QVariantMap current = result.value(n - 1).toMap();
    const QVariantMap tables = dbInfo.value(u"tables"_s).toMap();

    QList<SchemaChange> changes;
    const QString currentTable = tables.value(model.tableName()).toString();
    if (currentTable.isEmpty()) {
        const QString stmt = tableStatement(tableIdent, options);
        changes.append(
            {SchemaChange::Kind::CreateTable,
             model.tableName(),
             {},
             retarget(tables.value(scratch).toString().replace(u"DEFINE TABLE "_s + scratch + u' ',
                                                               u"DEFINE TABLE "_s + tableIdent + u' '),
                      scratch, tableIdent),
             stmt});
    } else if (options.schemafull && currentTable.contains(u" SCHEMALESS"_s)) {
        changes.append({SchemaChange::Kind::MakeSchemafull,
                        model.tableName(),
                        currentTable,
                        {},
                        u"ALTER TABLE %1 SCHEMAFULL"_s.arg(tableIdent)});
    }

    auto diffSection = [&](const QString &section, SchemaChange::Kind add, SchemaChange::Kind change,
                           SchemaChange::Kind remove, const QString &removeVerb) {
        const QVariantMap want = probe.value(section).toMap();
        const QVariantMap have = current.value(section).toMap();
        for (auto it = want.cbegin(); it != want.cend(); ++it) {
            const QString desired = retarget(it.value().toString(), scratch, tableIdent);
            const QString existing = have.value(it.key()).toString();
            if (existing.isEmpty())
                changes.append({add, it.key(), {}, desired, overwriting(desired)});
            else if (existing != desired)
                changes.append({change, it.key(), existing, desired, overwriting(desired)});
        }
        for (auto it = have.cbegin(); it != have.cend(); ++it) {
            if (!want.contains(it.key()))
                changes.append({remove,
                                it.key(),
                                it.value().toString(),
                                {},
                                u"REMOVE %1 IF EXISTS %2 ON %3"_s.arg(removeVerb, it.key(), tableIdent)});
        }
    };
    diffSection(u"fields"_s, SchemaChange::Kind::AddField, SchemaChange::Kind::ChangeField,
                SchemaChange::Kind::RemoveField, u"FIELD"_s);
    diffSection(u"indexes"_s, SchemaChange::Kind::AddIndex, SchemaChange::Kind::ChangeIndex,
                SchemaChange::Kind::RemoveIndex, u"INDEX"_s);
    return changes;
}

QFuture<QList<SchemaChange>> planOn(Connection *connection, const ModelInfo *model,
                                    const SchemaOptions &options)
{
    // A scratch table per call: concurrent plans never see each other's definitions.
    const QString scratch = u"_surrealqt_schema_"_s + QUuid::createUuid().toString(QUuid::Id128);
    const Definitions defs = definitionsFor(*model, scratch);
    QStringList script{tableStatement(scratch, options)};
    for (const auto &[name, text] : defs.fields)
        script << text;
    for (const auto &[name, text] : defs.indexes)
        script << text;
    script << u"INFO FOR TABLE %1"_s.arg(scratch) << u"INFO FOR DB"_s
           << u"REMOVE TABLE IF EXISTS %1"_s.arg(scratch)
           << u"INFO FOR TABLE %1"_s.arg(ValueFormatter::escapeIdent(model->tableName()));
    return connection->query(script.join(u";\n"_s) + u';')
        .then(QtFuture::Launch::Sync, [model, options, scratch](const QueryResult &r) {
            return compare(*model, options, scratch, r);
        });
}

bool applies(const SchemaChange &change, const SchemaOptions &options)
{
    return !change.isDestructive() || options.removeUndeclared;
}

QFuture<QList<SchemaChange>> applyOn(Connection *connection, const ModelInfo *model,
                                     const SchemaOptions &options)
{
    return planOn(connection, model, options)
        .then(QtFuture::Launch::Sync,
              [connection, options](const QList<SchemaChange> &plan) {
                  QList<SchemaChange> todo;
                  QStringList script;
                  for (const SchemaChange &change : plan) {
                      if (!applies(change, options))
                          continue;
                      todo.append(change);
                      script << change.statement();
                  }
                  if (todo.isEmpty())
                      return QtFuture::makeReadyFuture(todo);
                  // One transaction: a refused statement (a UNIQUE index over duplicates) leaves
                  // the schema as it was, not half migrated.
                  const QString text = u"BEGIN;\n"_s + script.join(u";\n"_s) + u";\nCOMMIT;"_s;
                  return connection->query(text).then(QtFuture::Launch::Sync, [todo](const QueryResult &r) {
                      if (const Error e = r.firstError(); e.isValid())
                          throw Exception(e);
                      return todo;
                  });
              })
        .unwrap();
}

} // namespace

Schema::Schema(Connection *connection)
    : m_connection(connection)
{}

Connection *Schema::connection() const
{
    return m_connection ? m_connection : Model::defaultConnection();
}

QStringList Schema::statements(const ModelInfo &model, const SchemaOptions &options)
{
    const QString tableIdent = ValueFormatter::escapeIdent(model.tableName());
    const Definitions defs = definitionsFor(model, tableIdent);
    QStringList out{tableStatement(tableIdent, options)};
    if (options.schemafull)
        out << u"ALTER TABLE %1 SCHEMAFULL"_s.arg(tableIdent);
    for (const auto &[name, text] : defs.fields)
        out << text;
    for (const auto &[name, text] : defs.indexes)
        out << text;
    return out;
}

QFuture<QList<SchemaChange>> Schema::plan(const ModelInfo &model, const SchemaOptions &options) const
{
    try {
        return planOn(resolve(m_connection), &model, options);
    } catch (const Exception &e) {
        return QtFuture::makeExceptionalFuture<QList<SchemaChange>>(std::make_exception_ptr(e));
    }
}

QFuture<QList<SchemaChange>> Schema::apply(const ModelInfo &model, const SchemaOptions &options) const
{
    try {
        return applyOn(resolve(m_connection), &model, options);
    } catch (const Exception &e) {
        return QtFuture::makeExceptionalFuture<QList<SchemaChange>>(std::make_exception_ptr(e));
    }
}

QList<SchemaChange> Schema::planSync(const ModelInfo &model, const SchemaOptions &options) const
{
    return blockOn("Schema::planSync", [&] { return plan(model, options); });
}

QList<SchemaChange> Schema::applySync(const ModelInfo &model, const SchemaOptions &options) const
{
    return blockOn("Schema::applySync", [&] { return apply(model, options); });
}

} // namespace SurrealQt
