#pragma once

// Every SurrealDB value type and how it maps to QVariant:
//   NONE -> SurrealQt::None, NULL -> QVariant::fromValue(nullptr), bool, qint64, double, QString,
//   QByteArray, QVariantList, QVariantMap, QUuid, and the classes below.

#include <SurrealQt/bound.h>
#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/fileref.h>
#include <SurrealQt/future.h>
#include <SurrealQt/geometry.h>
#include <SurrealQt/none.h>
#include <SurrealQt/range.h>
#include <SurrealQt/recordid.h>
#include <SurrealQt/surrealset.h>
#include <SurrealQt/table.h>
