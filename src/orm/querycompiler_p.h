#pragma once

// Not public API: turns a query description into SurrealQL text plus bind variables.
// Pure code (no connection), unit-tested in tests/orm/tst_querycompiler.cpp.

#include <SurrealQt/condition.h>
#include <SurrealQt/error.h>
#include <SurrealQt/fieldinfo.h>
#include <SurrealQt/pagetoken.h>

#include "connection/recordwrite_p.h"

#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <optional>

namespace SurrealQt {

class ModelInfo;

struct QuerySpec
{
    const ModelInfo *info = nullptr;
    Condition where;
    QStringList ordering; // "name", "-age", "address__city"
    qint64 limit = -1;
    qint64 offset = -1;
};

struct CompiledQuery
{
    QString text;
    QVariantMap vars;
    Error error; // valid: nothing may be sent
    // updateMany() and deleteMany(): the write whose text and vars these are, which reads the answer.
    std::optional<Internal::RecordWrite> write;
    [[nodiscard]] bool isOk() const { return !error.isValid(); }
};

class SURREALQT_EXPORT QueryCompiler
{
public:
    enum class PageMode { IdRange, KeySet, Offset };
    static constexpr qint64 DefaultPageSize = 100;

    explicit QueryCompiler(const ModelInfo &info);

    [[nodiscard]] static CompiledQuery select(const QuerySpec &spec);
    [[nodiscard]] static CompiledQuery count(const QuerySpec &spec);
    [[nodiscard]] static CompiledQuery exists(const QuerySpec &spec);
    [[nodiscard]] static CompiledQuery updateMany(const QuerySpec &spec, const QVariantMap &data);
    [[nodiscard]] static CompiledQuery deleteMany(const QuerySpec &spec);
    [[nodiscard]] static CompiledQuery values(const QuerySpec &spec, const QStringList &fields);
    // One page after the given token (see PageToken for the three ways).
    [[nodiscard]] static CompiledQuery page(const QuerySpec &spec, const PageToken &after);
    // How pages of this ordering continue.
    [[nodiscard]] static PageMode pageMode(const QuerySpec &spec);
    // The token after a page whose last row is lastRow, pageRows rows long.
    [[nodiscard]] static PageToken nextToken(const QuerySpec &spec, const PageToken &after,
                                             const QVariantMap &lastRow, qint64 pageRows);

    // Building blocks, public for the tests.
    QString bind(const QVariant &value);
    [[nodiscard]] QString tableName() const;
    // "address__city" -> "address.city"; the first segment must be a field (or id).
    bool fieldPath(const QString &path, QString *out, FieldInfo *field = nullptr, bool *nested = nullptr);
    bool condition(const Condition &condition, QString *out);
    bool orderClause(const QStringList &ordering, QString *out);
    [[nodiscard]] const QVariantMap &vars() const { return m_vars; }
    [[nodiscard]] Error error() const { return m_error; }

    static const QStringList &operators();

private:
    bool fail(const QString &message);
    bool lookup(const QString &lookup, const QVariant &value, QString *out);
    bool whereClause(const Condition &where, QString *out);
    bool orderLimitStart(const QuerySpec &spec, QString *text);
    QVariant normalised(const QVariant &value, const FieldInfo &field, bool isId, QString *error) const;

    const ModelInfo &m_info;
    QVariantMap m_vars;
    int m_next = 0;
    Error m_error;
};

} // namespace SurrealQt
