#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QPointF>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

class GeometryData;

/*! A SurrealDB geometry (CBOR tags 88-94). x is longitude, y latitude. */
class SURREALQT_EXPORT Geometry
{
    Q_GADGET
    Q_PROPERTY(Type type READ type CONSTANT)
    Q_PROPERTY(bool valid READ isValid CONSTANT)
    Q_PROPERTY(QPointF point READ point CONSTANT)

public:
    /*! The GeoJSON kind of geometry. */
    enum Type { Point, Line, Polygon, MultiPoint, MultiLine, MultiPolygon, Collection };
    Q_ENUM(Type)

    /*! A sequence of (longitude, latitude) points. */
    using Points = QList<QPointF>;
    /*! Polygon rings, exterior ring first, then holes. */
    using Rings = QList<Points>;

    Geometry(); // invalid
    /*! Copies share the data (implicitly shared). */
    Geometry(const Geometry &other);
    /*! Moves the data; other becomes invalid. */
    Geometry(Geometry &&other) noexcept;
    /*! Shares other's data. */
    Geometry &operator=(const Geometry &other);
    /*! Takes other's data. */
    Geometry &operator=(Geometry &&other) noexcept;
    ~Geometry();

    /*! A point (x longitude, y latitude). */
    [[nodiscard]] static Geometry fromPoint(QPointF point);
    /*! A point at longitude x, latitude y. */
    [[nodiscard]] static Geometry fromPoint(double x, double y) { return fromPoint(QPointF(x, y)); }
    /*! A line through points. */
    [[nodiscard]] static Geometry fromLine(const Points &points);
    /*! A polygon: the exterior ring, then the holes. */
    [[nodiscard]] static Geometry fromPolygon(const Rings &rings);
    /*! Several points. */
    [[nodiscard]] static Geometry fromMultiPoint(const Points &points);
    /*! Several lines. */
    [[nodiscard]] static Geometry fromMultiLine(const QList<Points> &lines);
    /*! Several polygons. */
    [[nodiscard]] static Geometry fromMultiPolygon(const QList<Rings> &polygons);
    /*! A collection of geometries of any type. */
    [[nodiscard]] static Geometry fromCollection(const QList<Geometry> &geometries);

    /*! False for a default-constructed Geometry. */
    [[nodiscard]] bool isValid() const;
    /*! The kind of geometry (meaningless when invalid). */
    [[nodiscard]] Type type() const;

    /*! Each accessor returns an empty value when the geometry is of another type. */
    [[nodiscard]] QPointF point() const; // Point
    /*! The points of a Line or MultiPoint. */
    [[nodiscard]] Points points() const; // Line, MultiPoint
    /*! The rings of a Polygon. */
    [[nodiscard]] Rings rings() const; // Polygon
    /*! The lines of a MultiLine. */
    [[nodiscard]] QList<Points> lines() const; // MultiLine
    /*! The polygons of a MultiPolygon. */
    [[nodiscard]] QList<Rings> polygons() const; // MultiPolygon
    /*! The members of a Collection. */
    [[nodiscard]] QList<Geometry> geometries() const; // Collection

    /*! `(x, y)` for points, GeoJSON-like SurrealQL objects for the rest. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const Geometry &a, const Geometry &b);
    friend bool operator!=(const Geometry &a, const Geometry &b) { return !(a == b); }

private:
    explicit Geometry(Type type);
    QSharedDataPointer<GeometryData> d;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Geometry &geometry);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Geometry)
