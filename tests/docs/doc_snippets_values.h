// What the examples of docs/values.md (doc_snippets_values.cpp) made, for tst_doc_examples to check.
#pragma once

#include <SurrealQt/decimal.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QList>
#include <QtCore/QVariantMap>

namespace SurrealQt {
class Connection;
}

namespace DocSnippets {

struct ValuesPage
{
    QVariantMap patch;
    bool none = false;
    bool null = false;
    QList<SurrealQt::RecordId> ids; // a, b, t, d, e, f of the page
    QString err;
    SurrealQt::Decimal price;
};

// Runs the page's three blocks; the queries they send are not awaited.
ValuesPage values(SurrealQt::Connection *c);

} // namespace DocSnippets
