// libFuzzer target: the lookup/filter compiler (src/orm/querycompiler.cpp) with field paths,
// `field__op` lookups, values, orderings and page tokens made from the input, as user-driven
// filters (the typed Condition path the docs recommend for user input) would make them.
// Every query compiles or is refused with an Error that says why; nothing crashes; and no value
// reaches the SurrealQL text: values travel only as bind variables.

#include "orm/querycompiler_p.h"
#include "testmodels.h"

#include <SurrealQt/modelinfo.h>
#include <SurrealQt/values.h>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {
[[noreturn]] void fail(const char *what, const QString &text)
{
    std::fprintf(stderr, "fuzz_querycompiler: %s: %s\n", what, qPrintable(text));
    std::abort();
}

// Marked text values: if one shows up in the compiled text, a value was spliced into SurrealQL.
const QString marker = u"\u2063zq"_s;

QString text(FuzzedDataProvider &in, size_t max = 24)
{
    return QString::fromUtf8(in.ConsumeRandomLengthString(max));
}

QString fieldPath(FuzzedDataProvider &in)
{
    static const QStringList names{u"name"_s, u"email"_s,     u"age"_s, u"address"_s,
                                   u"tags"_s, u"createdAt"_s, u"id"_s,  u"nope"_s};
    static const QStringList ops = QueryCompiler::operators();
    QString path =
        in.ConsumeBool() ? names.at(in.ConsumeIntegralInRange<qsizetype>(0, names.size() - 1)) : text(in);
    const int extra = in.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < extra; ++i) {
        path += u"__"_s;
        path += in.ConsumeBool() && !ops.isEmpty()
                    ? ops.at(in.ConsumeIntegralInRange<qsizetype>(0, ops.size() - 1))
                    : text(in, 12);
    }
    // The marker is for values only (a field path may quote anything, that is not a value).
    return path.remove(marker);
}

QVariant value(FuzzedDataProvider &in, int depth = 0)
{
    switch (in.ConsumeIntegralInRange(0, depth < 2 ? 9 : 7)) {
    case 0:
        return {};
    case 1:
        return in.ConsumeBool();
    case 2:
        return in.ConsumeIntegral<qint64>();
    case 3:
        return in.ConsumeFloatingPoint<double>();
    case 4:
        return marker + text(in);
    case 5:
        return QVariant::fromValue(RecordId(u"user"_s, in.ConsumeIntegral<qint64>()));
    case 6:
        return QVariant::fromValue(RecordId(marker + text(in, 8), marker + text(in, 8)));
    case 7:
        return QVariant::fromValue(None());
    case 8: {
        QVariantList list;
        const int n = in.ConsumeIntegralInRange(0, 4);
        for (int i = 0; i < n; ++i)
            list.append(value(in, depth + 1));
        return list;
    }
    default: {
        QVariantMap map;
        const int n = in.ConsumeIntegralInRange(0, 3);
        for (int i = 0; i < n; ++i)
            map.insert(text(in, 8), value(in, depth + 1));
        return map;
    }
    }
}

Condition condition(FuzzedDataProvider &in, int depth = 0)
{
    switch (in.ConsumeIntegralInRange(0, depth < 4 ? 4 : 1)) {
    case 0:
        return {};
    case 1:
        return Condition(fieldPath(in), value(in));
    case 2:
        return condition(in, depth + 1) && condition(in, depth + 1);
    case 3:
        return condition(in, depth + 1) || condition(in, depth + 1);
    default:
        return !condition(in, depth + 1);
    }
}

void checkNoValueInText(const CompiledQuery &q, const QVariant &v)
{
    if (v.metaType().id() == QMetaType::QString) {
        if (q.text.contains(marker))
            fail("a value reached the SurrealQL text", q.text);
    } else if (v.metaType().id() == QMetaType::QVariantList) {
        for (const QVariant &item : v.toList())
            checkNoValueInText(q, item);
    }
}

void check(const CompiledQuery &q)
{
    if (!q.isOk()) {
        if (q.error.message().isEmpty())
            fail("refused without a message", q.text);
        return;
    }
    if (q.text.isEmpty())
        fail("compiled to nothing", q.text);
    // Markers may be in field names (hostile keys are quoted identifiers), never in a value:
    // every value of the query went to q.vars.
    for (const QVariant &bound : q.vars)
        checkNoValueInText(q, bound);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider in(data, size);
    QuerySpec spec;
    spec.info = &ModelInfo::of<User>();
    spec.where = condition(in);
    const int orderings = in.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < orderings; ++i)
        spec.ordering.append((in.ConsumeBool() ? u"-"_s : QString()) + fieldPath(in));
    spec.limit = in.ConsumeIntegralInRange<qint64>(-2, 1000);
    spec.offset = in.ConsumeIntegralInRange<qint64>(-2, 1000);

    switch (in.ConsumeIntegralInRange(0, 6)) {
    case 0:
        check(QueryCompiler::select(spec));
        break;
    case 1:
        check(QueryCompiler::count(spec));
        break;
    case 2:
        check(QueryCompiler::exists(spec));
        break;
    case 3: {
        QVariantMap data;
        data.insert(fieldPath(in), value(in));
        check(QueryCompiler::updateMany(spec, data));
        break;
    }
    case 4:
        check(QueryCompiler::deleteMany(spec));
        break;
    case 5:
        check(QueryCompiler::values(spec, {fieldPath(in), fieldPath(in)}));
        break;
    default: {
        QVariantMap keys;
        keys.insert(fieldPath(in), value(in));
        keys.insert(u"id"_s, value(in));
        const auto mode = static_cast<PageToken::Mode>(in.ConsumeIntegralInRange(0, 4));
        const PageToken after = PageToken::make(mode, keys, in.ConsumeIntegral<qint64>());
        const CompiledQuery page = QueryCompiler::page(spec, after);
        check(page);
        QVariantMap lastRow;
        lastRow.insert(fieldPath(in), value(in));
        lastRow.insert(u"id"_s, value(in));
        (void)QueryCompiler::nextToken(spec, after, lastRow, in.ConsumeIntegralInRange<qint64>(-1, 200));
        break;
    }
    }
    return 0;
}
