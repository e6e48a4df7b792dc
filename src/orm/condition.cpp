#include <SurrealQt/condition.h>

#include <QtCore/QSharedData>

namespace SurrealQt {

class ConditionData : public QSharedData
{
public:
    Condition::Kind kind = Condition::Kind::Empty;
    QString lookup;
    QVariant value;
    QList<Condition> children;
};

Condition::Condition()
    : d(new ConditionData)
{}

Condition::Condition(const QString &lookup, const QVariant &value)
    : d(new ConditionData)
{
    d->kind = Kind::Lookup;
    d->lookup = lookup;
    d->value = value;
}

Condition::Condition(std::initializer_list<std::pair<QString, QVariant>> lookups)
    : d(new ConditionData)
{
    for (const auto &[lookup, value] : lookups)
        *this = *this && Condition(lookup, value);
}

Condition::Condition(const Condition &other) = default;
Condition::Condition(Condition &&other) noexcept = default;
Condition &Condition::operator=(const Condition &other) = default;
Condition &Condition::operator=(Condition &&other) noexcept = default;
Condition::~Condition() = default;

Condition::Kind Condition::kind() const
{
    return d->kind;
}
QString Condition::lookup() const
{
    return d->lookup;
}
QVariant Condition::value() const
{
    return d->value;
}
QList<Condition> Condition::children() const
{
    return d->children;
}

namespace {
Condition combine(Condition::Kind kind, const Condition &a, const Condition &b);
}

class ConditionBuilder
{
public:
    static Condition make(Condition::Kind kind, const QList<Condition> &children)
    {
        Condition c;
        c.d->kind = kind;
        c.d->children = children;
        return c;
    }
};

namespace {
Condition combine(Condition::Kind kind, const Condition &a, const Condition &b)
{
    // An empty condition is the neutral element, so filters can be built up in a loop.
    if (a.isEmpty())
        return b;
    if (b.isEmpty())
        return a;
    return ConditionBuilder::make(kind, {a, b});
}
} // namespace

Condition operator&&(const Condition &a, const Condition &b)
{
    return combine(Condition::Kind::And, a, b);
}

Condition operator||(const Condition &a, const Condition &b)
{
    return combine(Condition::Kind::Or, a, b);
}

Condition operator!(const Condition &c)
{
    if (c.isEmpty())
        return c;
    return ConditionBuilder::make(Condition::Kind::Not, {c});
}

} // namespace SurrealQt
