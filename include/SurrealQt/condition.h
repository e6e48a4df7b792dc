#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QList>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <initializer_list>
#include <utility>

namespace SurrealQt {

class ConditionData;

/*! A filter condition: Django-style lookups combined with &&, || and !.

      Condition(u"age__gte"_s, 18) && !Condition(u"name__startswith"_s, u"x"_s)

    A lookup is "<field>[__<nested>...][__<operator>]"; the operator defaults to exact.
    Operators: exact, iexact, ne, gt, gte, lt, lte, in, contains, icontains, startswith,
    endswith, isnull. Nested paths address object fields: address__city__startswith.
    A Condition is only a tree of lookups and values: nothing is checked or sent until a
    Query compiles it against its model, where unknown fields or operators are Validation errors. */
class SURREALQT_EXPORT Condition
{
public:
    enum class Kind { Empty, Lookup, And, Or, Not };

    Condition(); // empty: matches everything
    Condition(const QString &lookup, const QVariant &value);
    /*! AND of several lookups, in the given order. */
    Condition(std::initializer_list<std::pair<QString, QVariant>> lookups);
    Condition(const Condition &other);
    Condition(Condition &&other) noexcept;
    Condition &operator=(const Condition &other);
    Condition &operator=(Condition &&other) noexcept;
    ~Condition();

    [[nodiscard]] Kind kind() const;
    [[nodiscard]] bool isEmpty() const { return kind() == Kind::Empty; }
    /*! Lookup leaves only. */
    [[nodiscard]] QString lookup() const;
    [[nodiscard]] QVariant value() const;
    /*! And, Or: both sides; Not: one child. */
    [[nodiscard]] QList<Condition> children() const;

    friend SURREALQT_EXPORT Condition operator&&(const Condition &a, const Condition &b);
    friend SURREALQT_EXPORT Condition operator||(const Condition &a, const Condition &b);
    friend SURREALQT_EXPORT Condition operator!(const Condition &c);

private:
    friend class ConditionBuilder;
    QSharedDataPointer<ConditionData> d;
};

} // namespace SurrealQt
