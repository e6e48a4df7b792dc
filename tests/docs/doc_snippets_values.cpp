// The examples of docs/values.md, run by tst_doc_examples::valuesPage(), which checks what they
// claim. A block starts with the #include the page shows: inside the function it expands to
// nothing, because this file includes the header at the top.

#include "doc_snippets_values.h"

#include <SurrealQt/connection.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

using namespace Qt::StringLiterals;

namespace DocSnippets {

ValuesPage values(SurrealQt::Connection *c)
{
    ValuesPage out;
    {
        // [none-null]
#include <SurrealQt/none.h>

        QVariantMap patch{{u"nickname"_s, SurrealQt::noneValue()}, // remove the field
                          {u"middle"_s, SurrealQt::nullValue()}};  // store null
        const bool none = SurrealQt::isNone(QVariant()); // true: an invalid QVariant is sent as NONE
        const bool null = SurrealQt::isNull(SurrealQt::nullValue()); // true
        // [none-null]
        out.patch = patch;
        out.none = none;
        out.null = null;
    }
    {
        // [record-ids]
#include <SurrealQt/recordid.h>
#include <SurrealQt/table.h>

        SurrealQt::RecordId a(u"person"_s, 42);      // person:42 (any integer type → qint64)
        SurrealQt::RecordId b(u"person"_s, "tobie"); // person:tobie (QString, Latin-1, UTF-8 text)
        SurrealQt::RecordId t(u"person"_s, u"42"_s); // string key: person:⟨42⟩, not person:42
        SurrealQt::RecordId d(u"temp"_s, QVariant(QVariantList{u"london"_s, 2024})); // array key
        QString err;
        SurrealQt::RecordId e = SurrealQt::RecordId::fromString(u"person:⟨a b⟩"_s, &err);
        SurrealQt::RecordId f = SurrealQt::RecordId::inTable(u"person"_s, u"person:42"_s, &err); // person:42
        c->query(u"SELECT * FROM $t"_s, {{u"t"_s, QVariant::fromValue(SurrealQt::Table(u"person"_s))}});
        // [record-ids]
        out.ids = {a, b, t, d, e, f};
        out.err = err;
    }
    {
        // [decimal]
#include <SurrealQt/decimal.h>

        const SurrealQt::Decimal price = SurrealQt::Decimal::fromString(u"19.990"_s); // "19.99"
        c->query(u"UPDATE item:1 SET price = $p"_s, {{u"p"_s, QVariant::fromValue(price)}});
        // [decimal]
        out.price = price;
    }
    return out;
}

} // namespace DocSnippets
