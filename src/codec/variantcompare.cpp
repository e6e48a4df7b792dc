#include "variantcompare_p.h"

namespace SurrealQt {

namespace {

enum class Kind { Signed, Unsigned, Floating, Other };

Kind kindOf(int typeId)
{
    switch (typeId) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::Char:
        return Kind::Signed;
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::ULong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return Kind::Unsigned;
    case QMetaType::Double:
    case QMetaType::Float:
        return Kind::Floating;
    default:
        return Kind::Other;
    }
}

} // namespace

bool VariantCompare::equals(const QVariant &a, const QVariant &b)
{
    const Kind ka = kindOf(a.typeId());
    const Kind kb = kindOf(b.typeId());
    if (ka != Kind::Other || kb != Kind::Other) {
        if (ka == Kind::Floating || kb == Kind::Floating)
            return ka == kb && a.toDouble() == b.toDouble();
        if (ka == Kind::Other || kb == Kind::Other)
            return false;
        if (ka == kb)
            return ka == Kind::Signed ? a.toLongLong() == b.toLongLong() : a.toULongLong() == b.toULongLong();
        // Signed against unsigned: equal only when the signed one is not negative.
        const QVariant &s = ka == Kind::Signed ? a : b;
        const QVariant &u = ka == Kind::Signed ? b : a;
        return s.toLongLong() >= 0 && quint64(s.toLongLong()) == u.toULongLong();
    }
    if (a.metaType() != b.metaType())
        return false;
    switch (a.typeId()) {
    case QMetaType::QVariantList: {
        const QVariantList la = a.toList();
        const QVariantList lb = b.toList();
        if (la.size() != lb.size())
            return false;
        for (qsizetype i = 0; i < la.size(); ++i) {
            if (!equals(la.at(i), lb.at(i)))
                return false;
        }
        return true;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap ma = a.toMap();
        const QVariantMap mb = b.toMap();
        if (ma.size() != mb.size())
            return false;
        for (auto ia = ma.cbegin(), ib = mb.cbegin(); ia != ma.cend(); ++ia, ++ib) {
            if (ia.key() != ib.key() || !equals(ia.value(), ib.value()))
                return false;
        }
        return true;
    }
    default:
        // Same type: the type's own operator== (the value classes use this function in turn).
        return a == b;
    }
}

} // namespace SurrealQt
