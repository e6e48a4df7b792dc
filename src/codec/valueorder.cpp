#include "codec/valueorder_p.h"

#include "codec/numbertypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QUuid>

namespace SurrealQt::ValueOrder {

namespace {

enum Rank {
    RankNone,
    RankNull,
    RankBool,
    RankNumber,
    RankString,
    RankDuration,
    RankDatetime,
    RankUuid,
    RankArray,
    RankObject,
    RankGeometry,
    RankBytes,
    RankRecord,
    RankOther
};

Rank rankOf(const QVariant &v)
{
    if (!v.isValid() || isNone(v))
        return RankNone;
    switch (v.metaType().id()) {
    case QMetaType::Nullptr:
        return RankNull;
    case QMetaType::Bool:
        return RankBool;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return RankNumber;
    case QMetaType::QString:
        return RankString;
    case QMetaType::QUuid:
        return RankUuid;
    case QMetaType::QVariantList:
        return RankArray;
    case QMetaType::QVariantMap:
        return RankObject;
    case QMetaType::QByteArray:
        return RankBytes;
    default:
        break;
    }
    const QMetaType t = v.metaType();
    if (t == QMetaType::fromType<Decimal>())
        return RankNumber;
    if (t == QMetaType::fromType<Duration>())
        return RankDuration;
    if (t == QMetaType::fromType<DateTime>())
        return RankDatetime;
    if (t == QMetaType::fromType<Geometry>())
        return RankGeometry;
    if (t == QMetaType::fromType<RecordId>())
        return RankRecord;
    return RankOther;
}

template<typename T>
int cmp(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

bool isInteger(const QVariant &v)
{
    return NumberTypes::isInteger(v.typeId());
}

double toDouble(const QVariant &v)
{
    if (v.metaType() == QMetaType::fromType<Decimal>())
        return v.value<Decimal>().toDouble();
    return v.toDouble();
}

int compareKeys(const QVariant &a, const QVariant &b)
{
    // Record-id keys: number < string < uuid < array < object < range.
    auto keyRank = [](const QVariant &k) {
        switch (rankOf(k)) {
        case RankNumber:
            return 0;
        case RankString:
            return 1;
        case RankUuid:
            return 2;
        case RankArray:
            return 3;
        case RankObject:
            return 4;
        default:
            return 5;
        }
    };
    const int ra = keyRank(a);
    const int rb = keyRank(b);
    if (ra != rb)
        return cmp(ra, rb);
    return compare(a, b);
}

} // namespace

int compare(const QVariant &a, const QVariant &b)
{
    const Rank ra = rankOf(a);
    const Rank rb = rankOf(b);
    if (ra != rb)
        return cmp(int(ra), int(rb));
    switch (ra) {
    case RankNone:
    case RankNull:
        return 0;
    case RankBool:
        return cmp(a.toBool(), b.toBool());
    case RankNumber:
        if (isInteger(a) && isInteger(b))
            return cmp(a.toLongLong(), b.toLongLong());
        if (a.metaType() == QMetaType::fromType<Decimal>() && b.metaType() == QMetaType::fromType<Decimal>())
            return Decimal::compare(a.value<Decimal>(), b.value<Decimal>());
        return cmp(toDouble(a), toDouble(b));
    case RankString:
        return a.toString().compare(b.toString());
    case RankDuration: {
        const auto x = a.value<Duration>(), y = b.value<Duration>();
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    case RankDatetime: {
        const auto x = a.value<DateTime>(), y = b.value<DateTime>();
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    case RankUuid:
        return cmp(a.toUuid(), b.toUuid());
    case RankArray: {
        const QVariantList x = a.toList(), y = b.toList();
        for (qsizetype i = 0; i < qMin(x.size(), y.size()); ++i) {
            if (const int c = compare(x.at(i), y.at(i)))
                return c;
        }
        return cmp(x.size(), y.size());
    }
    case RankObject: {
        const QVariantMap x = a.toMap(), y = b.toMap();
        auto i = x.cbegin(), j = y.cbegin();
        for (; i != x.cend() && j != y.cend(); ++i, ++j) {
            if (const int c = i.key().compare(j.key()))
                return c;
            if (const int c = compare(i.value(), j.value()))
                return c;
        }
        return cmp(x.size(), y.size());
    }
    case RankBytes:
        return cmp(a.toByteArray(), b.toByteArray());
    case RankRecord: {
        const auto x = a.value<RecordId>(), y = b.value<RecordId>();
        if (const int c = x.table().compare(y.table()))
            return c;
        return compareKeys(x.id(), y.id());
    }
    case RankGeometry:
    case RankOther:
        break;
    }
    return 0;
}

} // namespace SurrealQt::ValueOrder
