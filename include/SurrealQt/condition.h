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

    \code
    const Condition grownUps = Condition(u"age__gte"_s, 18) && !Condition(u"name__startswith"_s, u"x"_s);
    \endcode

    A lookup is "<field>[__<nested>...][__<operator>]"; the operator defaults to exact.
    Operators: exact, iexact, ne, gt, gte, lt, lte, in, contains, icontains, startswith,
    endswith, isnull. Nested paths address object fields: address__city__startswith.
    A Condition is only a tree of lookups and values: nothing is checked or sent until a
    Query compiles it against its model, where unknown fields or operators are Validation errors. */
class SURREALQT_EXPORT Condition
{
public:
    /*! What a node of the condition tree is. */
    enum class Kind { Empty, Lookup, And, Or, Not };

    Condition(); // empty: matches everything
    /*! One lookup, e.g. Condition(u"age__gte"_s, 18); the value is always sent as a bind variable. */
    Condition(const QString &lookup, const QVariant &value);
    /*! AND of several lookups, in the given order. */
    Condition(std::initializer_list<std::pair<QString, QVariant>> lookups);
    /*! Copies share the tree (implicitly shared, immutable). */
    Condition(const Condition &other);
    /*! Moves the tree; other becomes empty. */
    Condition(Condition &&other) noexcept;
    /*! Shares other's tree. */
    Condition &operator=(const Condition &other);
    /*! Takes other's tree. */
    Condition &operator=(Condition &&other) noexcept;
    ~Condition();

    /*! What this node is. */
    [[nodiscard]] Kind kind() const;
    /*! True for the empty condition, which matches every record. */
    [[nodiscard]] bool isEmpty() const { return kind() == Kind::Empty; }
    /*! Lookup leaves only. */
    [[nodiscard]] QString lookup() const;
    /*! The value of a lookup leaf; invalid for other kinds. */
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
