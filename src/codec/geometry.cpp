#include <SurrealQt/geometry.h>

#include "valueformatter_p.h"

#include <QtCore/QDebug>
#include <QtCore/QSharedData>

using namespace Qt::StringLiterals;

namespace SurrealQt {

class GeometryData : public QSharedData
{
public:
    Geometry::Type type = Geometry::Point;
    // Only the member that matches the type is used.
    Geometry::Points points;         // Point (one element), Line, MultiPoint
    QList<Geometry::Points> lines;   // Polygon rings, MultiLine
    QList<Geometry::Rings> polygons; // MultiPolygon
    QList<Geometry> geometries;      // Collection
};

namespace {

QString coords(QPointF p)
{
    return u'[' + ValueFormatter::formatDouble(p.x()) + u", "_s + ValueFormatter::formatDouble(p.y()) + u']';
}

QString coords(const Geometry::Points &points)
{
    QStringList parts;
    for (QPointF p : points)
        parts << coords(p);
    return u'[' + parts.join(u", "_s) + u']';
}

QString coords(const QList<Geometry::Points> &lines)
{
    QStringList parts;
    for (const auto &l : lines)
        parts << coords(l);
    return u'[' + parts.join(u", "_s) + u']';
}

QString coords(const QList<Geometry::Rings> &polygons)
{
    QStringList parts;
    for (const auto &p : polygons)
        parts << coords(p);
    return u'[' + parts.join(u", "_s) + u']';
}

} // namespace

Geometry::Geometry() = default;
Geometry::Geometry(const Geometry &other) = default;
Geometry::Geometry(Geometry &&other) noexcept = default;
Geometry &Geometry::operator=(const Geometry &other) = default;
Geometry &Geometry::operator=(Geometry &&other) noexcept = default;
Geometry::~Geometry() = default;

Geometry::Geometry(Type type)
    : d(new GeometryData)
{
    d->type = type;
}

Geometry Geometry::fromPoint(QPointF point)
{
    Geometry g(Point);
    g.d->points = {point};
    return g;
}

Geometry Geometry::fromLine(const Points &points)
{
    Geometry g(Line);
    g.d->points = points;
    return g;
}

Geometry Geometry::fromPolygon(const Rings &rings)
{
    Geometry g(Polygon);
    g.d->lines = rings;
    return g;
}

Geometry Geometry::fromMultiPoint(const Points &points)
{
    Geometry g(MultiPoint);
    g.d->points = points;
    return g;
}

Geometry Geometry::fromMultiLine(const QList<Points> &lines)
{
    Geometry g(MultiLine);
    g.d->lines = lines;
    return g;
}

Geometry Geometry::fromMultiPolygon(const QList<Rings> &polygons)
{
    Geometry g(MultiPolygon);
    g.d->polygons = polygons;
    return g;
}

Geometry Geometry::fromCollection(const QList<Geometry> &geometries)
{
    Geometry g(Collection);
    g.d->geometries = geometries;
    return g;
}

bool Geometry::isValid() const
{
    return d.constData() != nullptr;
}

Geometry::Type Geometry::type() const
{
    return d ? d->type : Point;
}

QPointF Geometry::point() const
{
    return d && d->type == Point && !d->points.isEmpty() ? d->points.first() : QPointF();
}

Geometry::Points Geometry::points() const
{
    return d && (d->type == Line || d->type == MultiPoint) ? d->points : Points();
}

Geometry::Rings Geometry::rings() const
{
    return d && d->type == Polygon ? d->lines : Rings();
}

QList<Geometry::Points> Geometry::lines() const
{
    return d && d->type == MultiLine ? d->lines : QList<Points>();
}

QList<Geometry::Rings> Geometry::polygons() const
{
    return d && d->type == MultiPolygon ? d->polygons : QList<Rings>();
}

QList<Geometry> Geometry::geometries() const
{
    return d && d->type == Collection ? d->geometries : QList<Geometry>();
}

QString Geometry::toString() const
{
    if (!d)
        return {};
    switch (d->type) {
    case Point:
        return u'(' + ValueFormatter::formatDouble(point().x()) + u", "_s +
               ValueFormatter::formatDouble(point().y()) + u')';
    case Line:
        return u"{ type: 'LineString', coordinates: "_s + coords(d->points) + u" }"_s;
    case Polygon:
        return u"{ type: 'Polygon', coordinates: "_s + coords(d->lines) + u" }"_s;
    case MultiPoint:
        return u"{ type: 'MultiPoint', coordinates: "_s + coords(d->points) + u" }"_s;
    case MultiLine:
        return u"{ type: 'MultiLineString', coordinates: "_s + coords(d->lines) + u" }"_s;
    case MultiPolygon:
        return u"{ type: 'MultiPolygon', coordinates: "_s + coords(d->polygons) + u" }"_s;
    case Collection: {
        QStringList parts;
        for (const Geometry &g : d->geometries)
            parts << g.toString();
        return u"{ type: 'GeometryCollection', geometries: ["_s + parts.join(u", "_s) + u"] }"_s;
    }
    }
    return {};
}

bool operator==(const Geometry &a, const Geometry &b)
{
    if (a.d == b.d)
        return true;
    if (!a.d || !b.d || a.d->type != b.d->type)
        return false;
    return a.d->points == b.d->points && a.d->lines == b.d->lines && a.d->polygons == b.d->polygons &&
           a.d->geometries == b.d->geometries;
}

QDebug operator<<(QDebug debug, const Geometry &geometry)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::Geometry(" << geometry.toString() << ')';
    return debug;
}

} // namespace SurrealQt
