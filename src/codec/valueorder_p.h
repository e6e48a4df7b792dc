#pragma once

// Not public API: the order SurrealDB's ORDER BY and record-id range scans use, so that a row a
// live query announces can be put where the server would have returned it.

#include <QtCore/QVariant>

namespace SurrealQt::ValueOrder {

// <0, 0, >0 like the server's value comparison: NONE < NULL < bool < number < string <
// duration < datetime < uuid < array < object < geometry < bytes < record id; numbers compare by
// value across integer, float and decimal; record ids by table, then key (number < string <
// uuid < array < object).
int compare(const QVariant &a, const QVariant &b);

} // namespace SurrealQt::ValueOrder
