#include "orm/orm_p.h"
#include "orm/querycompiler_p.h"

#include "codec/valueformatter_p.h"
#include "orm/keysetpager_p.h"

#include <SurrealQt/modelinfo.h>
#include <SurrealQt/values.h>

#include <QtCore/QSequentialIterable>
#include <QtCore/QtNumeric>

#include <limits>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QueryCompiler::QueryCompiler(const ModelInfo &info)
    : m_info(info)
{}

const QStringList &QueryCompiler::operators()
{
    static const QStringList ops = {u"exact"_s,      u"iexact"_s,   u"ne"_s,    u"gt"_s,       u"gte"_s,
                                    u"lt"_s,         u"lte"_s,      u"in"_s,    u"contains"_s, u"icontains"_s,
                                    u"startswith"_s, u"endswith"_s, u"isnull"_s};
    return ops;
}

bool QueryCompiler::fail(const QString &message)
{
    if (!m_error.isValid())
        m_error = Orm::validationError(message, m_info.className());
    return false;
}

QString QueryCompiler::tableName() const
{
    // Spliced, escaped: SurrealDB 3.0.2 sorts wrongly with a bound table (`SELECT * FROM $tb
    // ORDER BY age DESC LIMIT 1` returned the smallest age), and a model's table comes from its
    // class, never from input.
    return ValueFormatter::escapeIdent(m_info.tableName());
}

QString QueryCompiler::bind(const QVariant &value)
{
    const QString name = u"v%1"_s.arg(m_next++);
    m_vars.insert(name, value);
    return u'$' + name;
}

bool QueryCompiler::fieldPath(const QString &path, QString *out, FieldInfo *field, bool *nested)
{
    const QStringList parts = path.split(u"__"_s);
    const QString &head = parts.first();
    FieldInfo f;
    if (head != u"id"_s) {
        f = m_info.field(head);
        if (!f.isValid())
            return fail(u"%1 has no field %2"_s.arg(m_info.className(), Orm::describeValue(head)));
    }
    QString text = head; // a declared C++ identifier or "id": plain
    for (qsizetype i = 1; i < parts.size(); ++i) {
        if (parts.at(i).isEmpty())
            return fail(u"%1: empty path segment in %2"_s.arg(m_info.className(), Orm::describeValue(path)));
        text += u'.' + ValueFormatter::escapeIdent(parts.at(i));
    }
    if (field)
        *field = f;
    if (nested)
        *nested = parts.size() > 1;
    *out = text;
    return true;
}

QVariant QueryCompiler::normalised(const QVariant &value, const FieldInfo &field, bool isId,
                                   QString *error) const
{
    // A bare key compared with an id or a record link means that record of the right table;
    // record-id text ("user:42") is read as RecordId::inTable reads it everywhere.
    QString table;
    if (isId)
        table = m_info.tableName();
    else if (field.isValid() && field.type() == FieldInfo::Type::Record)
        table = field.linkTable();
    if (table.isEmpty() || isNone(value) || isNull(value) ||
        value.metaType() == QMetaType::fromType<RecordId>())
        return value;
    if (value.typeId() == QMetaType::QString) {
        const RecordId id = RecordId::inTable(table, value, error);
        return id.isValid() ? QVariant::fromValue(id) : QVariant();
    }
    return QVariant::fromValue(RecordId(table, value));
}

bool QueryCompiler::lookup(const QString &lookupText, const QVariant &rawValue, QString *out)
{
    QString path = lookupText;
    QString op = u"exact"_s;
    const qsizetype sep = lookupText.lastIndexOf(u"__"_s);
    if (sep > 0) {
        const QString tail = lookupText.mid(sep + 2);
        if (operators().contains(tail)) {
            op = tail;
            path = lookupText.left(sep);
        }
    }
    QString p;
    FieldInfo field;
    bool nested = false;
    if (!fieldPath(path, &p, &field, &nested))
        return false;
    const bool isId = path == u"id"_s;
    const QString where = u"%1.%2"_s.arg(m_info.className(), lookupText);
    if (nested &&
        (isId || (field.isValid() && field.type() != FieldInfo::Type::Any &&
                  field.type() != FieldInfo::Type::Object && field.type() != FieldInfo::Type::Record &&
                  field.type() != FieldInfo::Type::List))) {
        const QString head = path.section(u"__"_s, 0, 0);
        return fail(u"%1: %2 is a %3 field; %4 is neither a lookup (%5) nor a nested key"_s.arg(
            where, head, FieldInfo::typeName(isId ? FieldInfo::Type::Record : field.type()),
            Orm::describeValue(lookupText.mid(head.size() + 2)), operators().join(u", "_s)));
    }
    // Typed comparisons only where the field's type is known: top-level, declared fields.
    const FieldInfo::Type type = (nested || !field.isValid()) ? FieldInfo::Type::Any : field.type();
    const auto typeError = [&](const QVariant &v, FieldInfo::Type expected) {
        return fail(u"%1: %2 (%3) is not a %4"_s.arg(
            where, Orm::describeValue(v), QString::fromLatin1(v.typeName()), FieldInfo::typeName(expected)));
    };
    QString idError;
    QVariant value = normalised(rawValue, field, isId, &idError);
    if (!idError.isEmpty())
        return fail(u"%1: %2"_s.arg(where, idError));
    const bool plainValue = !isNone(value) && !isNull(value);

    if (op == u"isnull"_s) {
        if (value.metaType().id() != QMetaType::Bool)
            return fail(u"%1: isnull takes true or false, not %2"_s.arg(where, Orm::describeValue(value)));
        *out =
            value.toBool() ? u"(%1 = NONE OR %1 = NULL)"_s.arg(p) : u"(%1 != NONE AND %1 != NULL)"_s.arg(p);
        return true;
    }
    if (op == u"in"_s) {
        if (value.metaType().id() == QMetaType::QString ||
            !QMetaType::canView(value.metaType(), QMetaType::fromType<QSequentialIterable>()))
            return fail(u"%1: in takes a list, not %2"_s.arg(where, Orm::describeValue(value)));
        QVariantList items;
        const QSequentialIterable it = value.value<QSequentialIterable>();
        for (const QVariant &item : it) {
            const QVariant v = normalised(item, field, isId, &idError);
            if (!idError.isEmpty())
                return fail(u"%1: %2"_s.arg(where, idError));
            if (type != FieldInfo::Type::Any && !isNone(v) && !isNull(v) && !Orm::accepts(type, v))
                return typeError(v, type);
            items.append(v);
        }
        *out = u"%1 IN %2"_s.arg(p, bind(items));
        return true;
    }
    const bool textOp =
        op == u"iexact"_s || op == u"icontains"_s || op == u"startswith"_s || op == u"endswith"_s;
    if (textOp) {
        if (value.metaType().id() != QMetaType::QString)
            return fail(u"%1: %2 takes a string, not %3"_s.arg(where, op, Orm::describeValue(value)));
        if (type != FieldInfo::Type::Any && type != FieldInfo::Type::String)
            return fail(
                u"%1: %2 needs a string field, %3 is a %4"_s.arg(where, op, path, FieldInfo::typeName(type)));
        const QString v = bind(value);
        // A missing field (NONE) would make the string functions fail the whole statement.
        const QString f = u"(%1 ?? '')"_s.arg(p);
        if (op == u"iexact"_s)
            *out = u"string::lowercase(%1) = string::lowercase(%2)"_s.arg(f, v);
        else if (op == u"icontains"_s)
            *out = u"string::contains(string::lowercase(%1), string::lowercase(%2))"_s.arg(f, v);
        else if (op == u"startswith"_s)
            *out = u"string::starts_with(%1, %2)"_s.arg(f, v);
        else
            *out = u"string::ends_with(%1, %2)"_s.arg(f, v);
        return true;
    }
    if (op == u"contains"_s) {
        if (type == FieldInfo::Type::String && value.metaType().id() != QMetaType::QString)
            return typeError(value, FieldInfo::Type::String);
        // A bare key looked for in a list of links means that record of the link's table.
        if (type == FieldInfo::Type::List && field.isLinkList() && !field.linkTable().isEmpty() &&
            plainValue && value.metaType() != QMetaType::fromType<RecordId>())
            value = QVariant::fromValue(RecordId(field.linkTable(), value));
        if (type == FieldInfo::Type::List && field.itemType() != FieldInfo::Type::Any && plainValue &&
            !Orm::accepts(field.itemType(), value))
            return typeError(value, field.itemType());
        if (type != FieldInfo::Type::Any && type != FieldInfo::Type::String && type != FieldInfo::Type::List)
            return fail(u"%1: contains needs a string or list field, %2 is a %3"_s.arg(
                where, path, FieldInfo::typeName(type)));
        *out = u"%1 CONTAINS %2"_s.arg(p, bind(value));
        return true;
    }
    if (type != FieldInfo::Type::Any && plainValue && !Orm::accepts(type, value))
        return typeError(value, type);
    static const QHash<QString, QString> comparisons = {{u"exact"_s, u"="_s}, {u"ne"_s, u"!="_s},
                                                        {u"gt"_s, u">"_s},    {u"gte"_s, u">="_s},
                                                        {u"lt"_s, u"<"_s},    {u"lte"_s, u"<="_s}};
    *out = u"%1 %2 %3"_s.arg(p, comparisons.value(op), bind(value));
    return true;
}

bool QueryCompiler::condition(const Condition &c, QString *out)
{
    switch (c.kind()) {
    case Condition::Kind::Empty:
        *out = u"true"_s;
        return true;
    case Condition::Kind::Lookup:
        return lookup(c.lookup(), c.value(), out);
    case Condition::Kind::Not: {
        QString inner;
        if (!condition(c.children().first(), &inner))
            return false;
        *out = u"!(%1)"_s.arg(inner);
        return true;
    }
    case Condition::Kind::And:
    case Condition::Kind::Or: {
        const QList<Condition> kids = c.children();
        QString a, b;
        if (!condition(kids.at(0), &a) || !condition(kids.at(1), &b))
            return false;
        *out = u"(%1 %2 %3)"_s.arg(a, c.kind() == Condition::Kind::And ? u"AND"_s : u"OR"_s, b);
        return true;
    }
    }
    return fail(u"unknown condition"_s);
}

bool QueryCompiler::orderClause(const QStringList &ordering, QString *out)
{
    QStringList parts;
    for (const QString &entry : ordering) {
        const bool desc = entry.startsWith(u'-');
        QString p;
        if (!fieldPath(desc ? entry.mid(1) : entry, &p))
            return false;
        parts.append(p + (desc ? u" DESC"_s : u" ASC"_s));
    }
    *out = parts.join(u", "_s);
    return true;
}

bool QueryCompiler::whereClause(const Condition &where, QString *out)
{
    if (where.isEmpty())
        return true;
    QString c;
    if (!condition(where, &c))
        return false;
    *out += u" WHERE "_s + c;
    return true;
}

namespace {
// SurrealDB 3.0.2 pushes LIMIT into an index scan before the rest of the WHERE clause is applied:
// `SELECT * FROM user WHERE city = 'Oslo' AND age < 40 LIMIT 1` (index on age) returned nothing
// although a row matches. An ORDER BY keeps the limit after the filter.
bool needsIdOrder(const QuerySpec &spec)
{
    return !spec.where.isEmpty() && spec.ordering.isEmpty() && (spec.limit >= 0 || spec.offset > 0);
}

// A page token's offset comes from the caller (PageToken::make is public, tokens may be kept and
// handed back): rows counted past it saturate instead of overflowing, a negative count is 0.
qint64 rowsAfter(qint64 offset, qint64 rows)
{
    qint64 sum = 0;
    if (qAddOverflow(qMax<qint64>(0, offset), qMax<qint64>(0, rows), &sum))
        return std::numeric_limits<qint64>::max();
    return sum;
}

CompiledQuery finish(QueryCompiler &qc, QString text, bool ok)
{
    CompiledQuery q;
    if (ok) {
        q.text = std::move(text);
        q.vars = qc.vars();
    } else {
        q.error = qc.error();
    }
    return q;
}
CompiledQuery finishWrite(QueryCompiler &qc, const Internal::RecordWrite &write)
{
    CompiledQuery q;
    if (qc.error().isValid()) {
        q.error = qc.error();
        return q;
    }
    q.text = write.text();
    q.vars = write.vars();
    q.write = write;
    return q;
}
} // namespace

CompiledQuery QueryCompiler::select(const QuerySpec &spec)
{
    QueryCompiler qc(*spec.info);
    QString text = u"SELECT * FROM "_s + qc.tableName();
    bool ok = qc.whereClause(spec.where, &text);
    ok = ok && qc.orderLimitStart(spec, &text);
    return finish(qc, text, ok);
}

CompiledQuery QueryCompiler::count(const QuerySpec &spec)
{
    QueryCompiler qc(*spec.info);
    QString text = u"SELECT count() FROM "_s + qc.tableName();
    const bool ok = qc.whereClause(spec.where, &text);
    text += u" GROUP ALL"_s;
    return finish(qc, text, ok);
}

CompiledQuery QueryCompiler::exists(const QuerySpec &spec)
{
    QueryCompiler qc(*spec.info);
    QString text = u"SELECT id FROM "_s + qc.tableName();
    const bool ok = qc.whereClause(spec.where, &text);
    if (!spec.where.isEmpty())
        text += u" ORDER BY id ASC"_s;
    text += u" LIMIT 1"_s;
    return finish(qc, text, ok);
}

CompiledQuery QueryCompiler::updateMany(const QuerySpec &spec, const QVariantMap &data)
{
    QueryCompiler qc(*spec.info);
    if (spec.limit >= 0 || spec.offset > 0 || !spec.ordering.isEmpty()) {
        qc.fail(
            u"%1: updateMany() applies to every matching record; it takes no limit, offset or order"_s.arg(
                spec.info->className()));
        return finish(qc, {}, false);
    }
    if (data.isEmpty()) {
        qc.fail(u"%1: updateMany() without data"_s.arg(spec.info->className()));
        return finish(qc, {}, false);
    }
    for (auto it = data.begin(); it != data.end(); ++it) {
        const FieldInfo f = spec.info->field(it.key());
        if (!f.isValid()) {
            qc.fail(u"%1 has no field %2"_s.arg(spec.info->className(), Orm::describeValue(it.key())));
            return finish(qc, {}, false);
        }
        if (f.isReadOnly()) {
            qc.fail(u"%1.%2 is read-only"_s.arg(spec.info->className(), it.key()));
            return finish(qc, {}, false);
        }
        const Error e = f.check(it.value(), spec.info->className());
        if (e.isValid()) {
            qc.m_error = e;
            return finish(qc, {}, false);
        }
    }
    QString condition;
    if (!spec.where.isEmpty() && !qc.condition(spec.where, &condition))
        return finish(qc, {}, false);
    // Through the write path, which tells records a permission rule kept from the write.
    return finishWrite(
        qc, Internal::RecordWrite::mergeWhere(Table(spec.info->tableName()), condition, qc.vars(), data)
                .returningIds()
                .inContext(u"%1 updateMany"_s.arg(spec.info->className())));
}

CompiledQuery QueryCompiler::deleteMany(const QuerySpec &spec)
{
    QueryCompiler qc(*spec.info);
    if (spec.limit >= 0 || spec.offset > 0 || !spec.ordering.isEmpty()) {
        qc.fail(
            u"%1: deleteMany() applies to every matching record; it takes no limit, offset or order"_s.arg(
                spec.info->className()));
        return finish(qc, {}, false);
    }
    QString condition;
    if (!spec.where.isEmpty() && !qc.condition(spec.where, &condition))
        return finish(qc, {}, false);
    return finishWrite(qc,
                       Internal::RecordWrite::removeWhere(Table(spec.info->tableName()), condition, qc.vars())
                           .returningIds()
                           .inContext(u"%1 deleteMany"_s.arg(spec.info->className())));
}

CompiledQuery QueryCompiler::values(const QuerySpec &spec, const QStringList &fields)
{
    QueryCompiler qc(*spec.info);
    QStringList projection{u"id"_s};
    bool ok = true;
    for (const QString &f : fields) {
        QString p;
        if (!qc.fieldPath(f, &p)) {
            ok = false;
            break;
        }
        if (p != u"id"_s)
            projection.append(p);
    }
    QString text = u"SELECT %1 FROM %2"_s.arg(projection.join(u", "_s), qc.tableName());
    ok = ok && qc.whereClause(spec.where, &text);
    ok = ok && qc.orderLimitStart(spec, &text);
    return finish(qc, text, ok);
}

// ORDER BY (or the id order a filtered, limited query needs), LIMIT and START of a select.
bool QueryCompiler::orderLimitStart(const QuerySpec &spec, QString *text)
{
    if (!spec.ordering.isEmpty()) {
        QString order;
        if (!orderClause(spec.ordering, &order))
            return false;
        *text += u" ORDER BY "_s + order;
    } else if (needsIdOrder(spec)) {
        *text += u" ORDER BY id ASC"_s;
    }
    if (spec.limit >= 0) {
        *text += u" LIMIT $lim"_s;
        m_vars.insert(u"lim"_s, spec.limit);
    }
    if (spec.offset > 0) {
        *text += u" START $start"_s;
        m_vars.insert(u"start"_s, spec.offset);
    }
    return true;
}

QueryCompiler::PageMode QueryCompiler::pageMode(const QuerySpec &spec)
{
    const QStringList &o = spec.ordering;
    if (o.isEmpty() || o == QStringList{u"id"_s})
        return PageMode::IdRange;
    const bool desc = o.first().startsWith(u'-');
    // Keyset pages order ties by id in the key's direction (KeysetPager).
    if (o.size() == 1 || (o.size() == 2 && o.at(1) == (desc ? u"-id"_s : u"id"_s))) {
        const FieldInfo f = spec.info->field(desc ? o.first().mid(1) : o.first());
        if (f.isValid() && f.isIndexed())
            return PageMode::KeySet;
    }
    return PageMode::Offset;
}

CompiledQuery QueryCompiler::page(const QuerySpec &spec, const PageToken &after)
{
    using Pager = Internal::KeysetPager;
    QueryCompiler qc(*spec.info);
    const qint64 size = spec.limit > 0 ? spec.limit : DefaultPageSize;
    Pager::Spec ps;
    ps.table = spec.info->tableName();
    ps.prefix = u"pg_"_s;
    bool ok = spec.where.isEmpty() || qc.condition(spec.where, &ps.condition);
    Pager::Position from;
    switch (pageMode(spec)) {
    case PageMode::IdRange:
        ps.mode = Pager::Mode::IdRange;
        if (after.mode() == PageToken::Mode::IdRange) {
            from.valid = true;
            from.id = after.keys().value(u"id"_s).value<RecordId>();
            from.key = QVariant::fromValue(from.id);
        }
        break;
    case PageMode::KeySet:
        ps.mode = Pager::Mode::Indexed;
        ps.descending = spec.ordering.first().startsWith(u'-');
        ps.path = ps.descending ? spec.ordering.first().mid(1) : spec.ordering.first();
        if (after.mode() == PageToken::Mode::KeySet) {
            from.valid = true;
            from.key = after.keys().value(u"value"_s);
            from.id = after.keys().value(u"id"_s).value<RecordId>();
        }
        break;
    case PageMode::Offset:
        ps.mode = Pager::Mode::Offset;
        ok = ok && qc.orderClause(spec.ordering, &ps.offsetOrder);
        from.offset = rowsAfter(spec.offset, after.offset());
        break;
    }
    if (!ok)
        return finish(qc, {}, false);
    const Pager::Statement page = Pager(ps).page(from, size);
    qc.m_vars.insert(page.vars);
    return finish(qc, page.text, true);
}

PageToken QueryCompiler::nextToken(const QuerySpec &spec, const PageToken &after, const QVariantMap &lastRow,
                                   qint64 pageRows)
{
    const qint64 size = spec.limit > 0 ? spec.limit : DefaultPageSize;
    if (pageRows < size)
        return PageToken::make(PageToken::Mode::End, {}, rowsAfter(after.offset(), pageRows));
    switch (pageMode(spec)) {
    case PageMode::IdRange:
        return PageToken::make(PageToken::Mode::IdRange, {{u"id"_s, lastRow.value(u"id"_s)}},
                               rowsAfter(after.offset(), pageRows));
    case PageMode::KeySet: {
        const QString first = spec.ordering.first();
        const QString name = first.startsWith(u'-') ? first.mid(1) : first;
        return PageToken::make(PageToken::Mode::KeySet,
                               {{u"value"_s, lastRow.value(name)}, {u"id"_s, lastRow.value(u"id"_s)}},
                               rowsAfter(after.offset(), pageRows));
    }
    case PageMode::Offset:
        break;
    }
    return PageToken::make(PageToken::Mode::Offset, {}, rowsAfter(after.offset(), pageRows));
}

} // namespace SurrealQt
