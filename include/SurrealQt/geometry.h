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
    enum Type { Point, Line, Polygon, MultiPoint, MultiLine, MultiPolygon, Collection };
    Q_ENUM(Type)

    using Points = QList<QPointF>;
    /*! Polygon rings, exterior ring first, then holes. */
    using Rings = QList<Points>;

    Geometry(); // invalid
    Geometry(const Geometry &other);
    Geometry(Geometry &&other) noexcept;
    Geometry &operator=(const Geometry &other);
    Geometry &operator=(Geometry &&other) noexcept;
    ~Geometry();

    [[nodiscard]] static Geometry fromPoint(QPointF point);
    [[nodiscard]] static Geometry fromPoint(double x, double y) { return fromPoint(QPointF(x, y)); }
    [[nodiscard]] static Geometry fromLine(const Points &points);
    [[nodiscard]] static Geometry fromPolygon(const Rings &rings);
    [[nodiscard]] static Geometry fromMultiPoint(const Points &points);
    [[nodiscard]] static Geometry fromMultiLine(const QList<Points> &lines);
    [[nodiscard]] static Geometry fromMultiPolygon(const QList<Rings> &polygons);
    [[nodiscard]] static Geometry fromCollection(const QList<Geometry> &geometries);

    [[nodiscard]] bool isValid() const;
    [[nodiscard]] Type type() const;

    /*! Each accessor returns an empty value when the geometry is of another type. */
    [[nodiscard]] QPointF point() const;              // Point
    [[nodiscard]] Points points() const;              // Line, MultiPoint
    [[nodiscard]] Rings rings() const;                // Polygon
    [[nodiscard]] QList<Points> lines() const;        // MultiLine
    [[nodiscard]] QList<Rings> polygons() const;      // MultiPolygon
    [[nodiscard]] QList<Geometry> geometries() const; // Collection

    /*! `(x, y)` for points, GeoJSON-like SurrealQL objects for the rest. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend SURREALQT_EXPORT bool operator==(const Geometry &a, const Geometry &b);
    friend bool operator!=(const Geometry &a, const Geometry &b) { return !(a == b); }

private:
    explicit Geometry(Type type);
    QSharedDataPointer<GeometryData> d;
};

SURREALQT_EXPORT QDebug operator<<(QDebug debug, const Geometry &geometry);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::Geometry)
