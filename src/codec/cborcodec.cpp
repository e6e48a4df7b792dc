#include "cborcodec_p.h"

#include "cborwriter_p.h"
#include "metatypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QAssociativeIterable>
#include <QtCore/qcborcommon.h>
#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/qfloat16.h>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QSequentialIterable>
#include <QtCore/QStringDecoder>
#include <QtCore/QtEndian>
#include <QtCore/QUuid>
#include <QtCore/QVarLengthArray>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <vector>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

// SurrealDB's tag numbers (core/src/rpc/format/cbor/convert.rs).
enum Tag : quint64 {
    TagDateTimeText = 0,
    TagNone = 6,
    TagTable = 7,
    TagRecordId = 8,
    TagUuidText = 9,
    TagDecimal = 10,
    TagDateTime = 12,
    TagDurationText = 13,
    TagDuration = 14,
    TagFuture = 15,
    TagUuid = 37,
    TagRange = 49,
    TagBoundIncluded = 50,
    TagBoundExcluded = 51,
    TagFile = 55,
    TagSet = 56,
    TagPoint = 88,
    TagLine = 89,
    TagPolygon = 90,
    TagMultiPoint = 91,
    TagMultiLine = 92,
    TagMultiPolygon = 93,
    TagCollection = 94,
};

constexpr qint64 NanosPerSecond = 1'000'000'000;

QString tagName(quint64 tag)
{
    switch (tag) {
    case TagDateTimeText:
    case TagDateTime:
        return u"datetime"_s;
    case TagNone:
        return u"NONE"_s;
    case TagTable:
        return u"table"_s;
    case TagRecordId:
        return u"record id"_s;
    case TagUuidText:
    case TagUuid:
        return u"uuid"_s;
    case TagDecimal:
        return u"decimal"_s;
    case TagDurationText:
    case TagDuration:
        return u"duration"_s;
    case TagFuture:
        return u"future"_s;
    case TagRange:
        return u"range"_s;
    case TagBoundIncluded:
        return u"included bound"_s;
    case TagBoundExcluded:
        return u"excluded bound"_s;
    case TagFile:
        return u"file"_s;
    case TagSet:
        return u"set"_s;
    case TagPoint:
        return u"point"_s;
    case TagLine:
        return u"line"_s;
    case TagPolygon:
        return u"polygon"_s;
    case TagMultiPoint:
        return u"multipoint"_s;
    case TagMultiLine:
        return u"multiline"_s;
    case TagMultiPolygon:
        return u"multipolygon"_s;
    case TagCollection:
        return u"geometry collection"_s;
    }
    return u"unknown"_s;
}

// Names as a SurrealDB user would say them, for error messages.
QString typeName(const QVariant &value)
{
    if (!value.isValid())
        return u"NONE"_s;
    switch (value.typeId()) {
    case QMetaType::Nullptr:
        return u"null"_s;
    case QMetaType::Bool:
        return u"bool"_s;
    case QMetaType::LongLong:
        return u"integer"_s;
    case QMetaType::Double:
        return u"float"_s;
    case QMetaType::QString:
        return u"text"_s;
    case QMetaType::QByteArray:
        return u"bytes"_s;
    case QMetaType::QVariantList:
        return u"array"_s;
    case QMetaType::QVariantMap:
        return u"object"_s;
    case QMetaType::QUuid:
        return u"uuid"_s;
    default:
        break;
    }
    const QMetaType mt = value.metaType();
    if (mt == QMetaType::fromType<None>())
        return u"NONE"_s;
    if (mt == QMetaType::fromType<RecordId>())
        return u"record id"_s;
    if (mt == QMetaType::fromType<Table>())
        return u"table"_s;
    if (mt == QMetaType::fromType<DateTime>())
        return u"datetime"_s;
    if (mt == QMetaType::fromType<Duration>())
        return u"duration"_s;
    if (mt == QMetaType::fromType<Decimal>())
        return u"decimal"_s;
    if (mt == QMetaType::fromType<Range>())
        return u"range"_s;
    if (mt == QMetaType::fromType<Bound>())
        return u"bound"_s;
    if (mt == QMetaType::fromType<Geometry>())
        return u"geometry"_s;
    if (mt == QMetaType::fromType<FileRef>())
        return u"file"_s;
    if (mt == QMetaType::fromType<SurrealSet>())
        return u"set"_s;
    if (mt == QMetaType::fromType<Future>())
        return u"future"_s;
    return QString::fromLatin1(mt.name());
}

struct PathSegment
{
    qsizetype index = -1; // array index, or -1 for a map key
    QStringView key;      // a map's own key or a literal: alive while the segment is on the path
};

// Inline up to 16 levels: encoding a request keeps its path without allocating (a vector made
// three allocations per request).
using EncodePath = QVarLengthArray<PathSegment, 16>;

QString formatPath(const EncodePath &path)
{
    QString out;
    for (const PathSegment &segment : path) {
        if (segment.index >= 0) {
            out += u'[' + QString::number(segment.index) + u']';
        } else {
            if (!out.isEmpty())
                out += u'.';
            out += segment.key;
        }
    }
    return out;
}

// Makes PathSegment push/pop exception- and early-return-safe.
class PathGuard
{
public:
    PathGuard(EncodePath &path, PathSegment segment)
        : m_path(path)
    {
        m_path.push_back(segment);
    }
    ~PathGuard() { m_path.pop_back(); }
    PathGuard(const PathGuard &) = delete;
    PathGuard &operator=(const PathGuard &) = delete;

private:
    EncodePath &m_path;
};

bool isIntegerKey(int typeId)
{
    switch (typeId) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return true;
    default:
        return false;
    }
}

// ---------------------------------------------------------------------------------------------

class Encoder
{
public:
    explicit Encoder(qsizetype reserve = 256)
        : m_writer(&m_buffer)
    {
        m_buffer.reserve(reserve);
    }

    bool run(const QVariant &value) { return encodeValue(value, 0); }

    // The RPC envelope {id, method, params[, session][, txn]}, keys in the order a QVariantMap of
    // them has, written without building that map.
    bool runRequest(qint64 id, QStringView method, const QVariantList &params, const QUuid &session,
                    const QUuid &transaction)
    {
        m_writer.startMap(3 + (session.isNull() ? 0 : 1) + (transaction.isNull() ? 0 : 1));
        m_writer.append(QStringView(u"id"));
        m_writer.append(id);
        m_writer.append(QStringView(u"method"));
        m_writer.append(method);
        m_writer.append(QStringView(u"params"));
        {
            PathGuard guard(m_path, {-1, u"params"});
            if (!encodeList(params, 1))
                return false;
        }
        for (const auto &[key, uuid] : {std::pair{u"session", &session}, std::pair{u"txn", &transaction}}) {
            if (uuid->isNull())
                continue;
            m_writer.append(QStringView(key));
            writeTag(TagUuid);
            m_writer.append(uuid->toRfc4122());
        }
        m_writer.endMap();
        return true;
    }
    QByteArray bytes() const { return m_buffer; }
    CodecError error() const { return m_error; }

private:
    bool fail(const QString &what)
    {
        m_error.path = formatPath(m_path);
        m_error.message = m_error.path.isEmpty() ? what : what + u" at "_s + m_error.path;
        m_error.offset = -1;
        return false;
    }

    bool checkDepth(int depth)
    {
        if (depth > CborCodec::MaxNestingDepth)
            return fail(u"value nested deeper than %1 levels"_s.arg(CborCodec::MaxNestingDepth));
        return true;
    }

    void writeTag(quint64 tag) { m_writer.append(QCborTag(tag)); }

    bool encodeList(const QVariantList &list, int depth)
    {
        m_writer.startArray(quint64(list.size()));
        for (qsizetype i = 0; i < list.size(); ++i) {
            PathGuard guard(m_path, {i, {}});
            if (!encodeValue(list.at(i), depth + 1))
                return false;
        }
        m_writer.endArray();
        return true;
    }

    template<typename Map>
    bool encodeMap(const Map &map, int depth)
    {
        m_writer.startMap(quint64(map.size()));
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            m_writer.append(QStringView(it.key()));
            PathGuard guard(m_path, {-1, it.key()});
            if (!encodeValue(it.value(), depth + 1))
                return false;
        }
        m_writer.endMap();
        return true;
    }

    bool encodeDateTime(const DateTime &dt)
    {
        if (!dt.isValid())
            return fail(u"cannot encode an invalid datetime"_s);
        writeTag(TagDateTime);
        m_writer.startArray(2);
        m_writer.append(qint64(dt.seconds()));
        m_writer.append(qint64(dt.nanoseconds()));
        m_writer.endArray();
        return true;
    }

    bool encodeRecordId(const RecordId &id, int depth)
    {
        if (id.table().isEmpty())
            return fail(u"cannot encode a record id with an empty table name"_s);
        const QVariant key = id.id();
        const int type = key.typeId();
        const bool allowed = isIntegerKey(type) || type == QMetaType::QString ||
                             type == QMetaType::QVariantList || type == QMetaType::QStringList ||
                             type == QMetaType::QVariantMap || type == QMetaType::QVariantHash ||
                             type == QMetaType::QUuid || key.metaType() == QMetaType::fromType<Range>();
        if (!allowed)
            return fail(
                u"record id %1: the key must be an integer, text, array, object, uuid or range, got %2"_s.arg(
                    id.table(), typeName(key)));
        writeTag(TagRecordId);
        m_writer.startArray(2);
        m_writer.append(QStringView(id.table()));
        PathGuard guard(m_path, {-1, u"<record id key>"});
        if (!encodeValue(key, depth + 1))
            return false;
        m_writer.endArray();
        return true;
    }

    bool encodeBound(const Bound &bound, int depth)
    {
        if (bound.isUnbounded()) {
            m_writer.append(nullptr);
            return true;
        }
        writeTag(bound.isIncluded() ? TagBoundIncluded : TagBoundExcluded);
        return encodeValue(bound.value(), depth + 1);
    }

    void encodePoint(QPointF p)
    {
        writeTag(TagPoint);
        m_writer.startArray(2);
        m_writer.append(p.x());
        m_writer.append(p.y());
        m_writer.endArray();
    }

    void encodePoints(quint64 tag, const Geometry::Points &points)
    {
        writeTag(tag);
        m_writer.startArray(quint64(points.size()));
        for (QPointF p : points)
            encodePoint(p);
        m_writer.endArray();
    }

    void encodeLines(quint64 tag, const QList<Geometry::Points> &lines)
    {
        writeTag(tag);
        m_writer.startArray(quint64(lines.size()));
        for (const auto &line : lines)
            encodePoints(TagLine, line);
        m_writer.endArray();
    }

    bool encodeGeometry(const Geometry &g, int depth)
    {
        if (!checkDepth(depth))
            return false;
        if (!g.isValid())
            return fail(u"cannot encode an invalid geometry"_s);
        switch (g.type()) {
        case Geometry::Point:
            encodePoint(g.point());
            return true;
        case Geometry::Line:
            encodePoints(TagLine, g.points());
            return true;
        case Geometry::MultiPoint:
            encodePoints(TagMultiPoint, g.points());
            return true;
        case Geometry::Polygon:
            encodeLines(TagPolygon, g.rings());
            return true;
        case Geometry::MultiLine:
            encodeLines(TagMultiLine, g.lines());
            return true;
        case Geometry::MultiPolygon: {
            const auto polygons = g.polygons();
            writeTag(TagMultiPolygon);
            m_writer.startArray(quint64(polygons.size()));
            for (const auto &polygon : polygons)
                encodeLines(TagPolygon, polygon);
            m_writer.endArray();
            return true;
        }
        case Geometry::Collection: {
            const auto geometries = g.geometries();
            writeTag(TagCollection);
            m_writer.startArray(quint64(geometries.size()));
            for (qsizetype i = 0; i < geometries.size(); ++i) {
                PathGuard guard(m_path, {i, {}});
                if (!encodeGeometry(geometries.at(i), depth + 1))
                    return false;
            }
            m_writer.endArray();
            return true;
        }
        }
        return fail(u"cannot encode a geometry of unknown type"_s);
    }

    bool encodeCustom(const QVariant &value, int depth)
    {
        const QMetaType mt = value.metaType();
        if (mt == QMetaType::fromType<None>()) {
            writeTag(TagNone);
            m_writer.append(nullptr);
            return true;
        }
        if (mt == QMetaType::fromType<RecordId>())
            return encodeRecordId(value.value<RecordId>(), depth);
        if (mt == QMetaType::fromType<Table>()) {
            const Table table = value.value<Table>();
            if (!table.isValid())
                return fail(u"cannot encode an empty table name"_s);
            writeTag(TagTable);
            m_writer.append(QStringView(table.name()));
            return true;
        }
        if (mt == QMetaType::fromType<DateTime>())
            return encodeDateTime(value.value<DateTime>());
        if (mt == QMetaType::fromType<Duration>()) {
            const Duration d = value.value<Duration>();
            if (!d.isValid())
                return fail(u"cannot encode an invalid duration"_s);
            writeTag(TagDuration);
            // Trailing zeros are dropped, exactly as the server writes durations.
            if (d.nanoseconds() != 0) {
                m_writer.startArray(2);
                m_writer.append(quint64(d.seconds()));
                m_writer.append(quint64(d.nanoseconds()));
            } else if (d.seconds() != 0) {
                m_writer.startArray(1);
                m_writer.append(quint64(d.seconds()));
            } else {
                m_writer.startArray(0);
            }
            m_writer.endArray();
            return true;
        }
        if (mt == QMetaType::fromType<Decimal>()) {
            const Decimal d = value.value<Decimal>();
            if (!d.isValid())
                return fail(u"cannot encode an invalid decimal"_s);
            writeTag(TagDecimal);
            m_writer.append(QStringView(d.toString()));
            return true;
        }
        if (mt == QMetaType::fromType<Range>()) {
            const Range r = value.value<Range>();
            writeTag(TagRange);
            m_writer.startArray(2);
            {
                PathGuard guard(m_path, {-1, u"<lower bound>"});
                if (!encodeBound(r.lower(), depth + 1))
                    return false;
            }
            {
                PathGuard guard(m_path, {-1, u"<upper bound>"});
                if (!encodeBound(r.upper(), depth + 1))
                    return false;
            }
            m_writer.endArray();
            return true;
        }
        if (mt == QMetaType::fromType<Bound>())
            return encodeBound(value.value<Bound>(), depth);
        if (mt == QMetaType::fromType<Geometry>())
            return encodeGeometry(value.value<Geometry>(), depth);
        if (mt == QMetaType::fromType<FileRef>()) {
            const FileRef f = value.value<FileRef>();
            writeTag(TagFile);
            m_writer.startArray(2);
            m_writer.append(QStringView(f.bucket()));
            m_writer.append(QStringView(f.key()));
            m_writer.endArray();
            return true;
        }
        if (mt == QMetaType::fromType<SurrealSet>()) {
            writeTag(TagSet);
            return encodeList(value.value<SurrealSet>().values(), depth);
        }
        if (mt == QMetaType::fromType<qfloat16>()) {
            m_writer.append(double(float(value.value<qfloat16>())));
            return true;
        }
        if (mt == QMetaType::fromType<Future>()) {
            writeTag(TagFuture);
            return encodeValue(value.value<Future>().value(), depth + 1);
        }
        return encodeGeneric(value, depth);
    }

    // Any other registered Qt container (QList<int>, QMap<QString, double>, ...).
    bool encodeGeneric(const QVariant &value, int depth)
    {
        const QMetaType mt = value.metaType();
        if (QMetaType::canView(mt, QMetaType::fromType<QSequentialIterable>())) {
            const QSequentialIterable iterable = value.value<QSequentialIterable>();
            QVariantList list;
            for (const QVariant &element : iterable)
                list.append(element);
            return encodeList(list, depth);
        }
        if (QMetaType::canView(mt, QMetaType::fromType<QAssociativeIterable>())) {
            const QAssociativeIterable iterable = value.value<QAssociativeIterable>();
            QVariantMap map;
            for (auto it = iterable.begin(); it != iterable.end(); ++it) {
                const QVariant key = it.key();
                if (key.typeId() != QMetaType::QString)
                    return fail(u"cannot encode %1: object keys must be text, got %2"_s.arg(
                        QString::fromLatin1(mt.name()), typeName(key)));
                map.insert(key.toString(), it.value());
            }
            return encodeMap(map, depth);
        }
        // QUrl, QRegularExpression, QTime, QChar, ... have no SurrealDB equivalent. Failing here
        // beats QCborValue's tags 32/35, which the server answers by rejecting the whole request.
        return fail(u"cannot encode a value of type %1: it is not a SurrealDB value"_s.arg(
            QString::fromLatin1(mt.name() ? mt.name() : "unknown")));
    }

    bool encodeValue(const QVariant &value, int depth)
    {
        if (!checkDepth(depth))
            return false;
        if (!value.isValid()) {
            writeTag(TagNone);
            m_writer.append(nullptr);
            return true;
        }
        switch (value.typeId()) {
        case QMetaType::Nullptr:
            m_writer.append(nullptr);
            return true;
        case QMetaType::Bool:
            m_writer.append(value.toBool());
            return true;
        case QMetaType::Int:
        case QMetaType::Short:
        case QMetaType::SChar:
        case QMetaType::Char:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::UInt:
        case QMetaType::UShort:
        case QMetaType::UChar:
            m_writer.append(qint64(value.toLongLong()));
            return true;
        case QMetaType::ULong:
        case QMetaType::ULongLong: {
            const quint64 u = value.toULongLong();
            if (u > quint64(std::numeric_limits<qint64>::max()))
                return fail(u"integer %1 does not fit SurrealDB's 64-bit signed integers (the server would "
                            "silently wrap it); send it as a Decimal"_s.arg(u));
            m_writer.append(qint64(u));
            return true;
        }
        case QMetaType::Double:
        case QMetaType::Float:
            m_writer.append(value.toDouble());
            return true;
        case QMetaType::QString:
            m_writer.append(QStringView(value.toString()));
            return true;
        case QMetaType::QByteArray:
            m_writer.append(value.toByteArray());
            return true;
        case QMetaType::QVariantList:
        case QMetaType::QStringList:
            return encodeList(value.toList(), depth);
        case QMetaType::QVariantMap:
            return encodeMap(value.toMap(), depth);
        case QMetaType::QVariantHash:
            return encodeMap(value.toHash(), depth);
        case QMetaType::QUuid: {
            writeTag(TagUuid);
            m_writer.append(value.toUuid().toRfc4122());
            return true;
        }
        case QMetaType::QDateTime: {
            const QDateTime dt = value.toDateTime();
            if (!dt.isValid())
                return fail(u"cannot encode an invalid QDateTime"_s);
            return encodeDateTime(DateTime(dt));
        }
        case QMetaType::QDate: {
            const QDate date = value.toDate();
            if (!date.isValid())
                return fail(u"cannot encode an invalid QDate"_s);
            return encodeDateTime(DateTime(date.startOfDay(Qt::UTC)));
        }
        case QMetaType::QJsonValue:
            return encodeValue(value.toJsonValue().toVariant(), depth);
        case QMetaType::QJsonObject:
            return encodeValue(value.toJsonObject().toVariantMap(), depth);
        case QMetaType::QJsonArray:
            return encodeValue(value.toJsonArray().toVariantList(), depth);
        case QMetaType::QJsonDocument:
            return encodeValue(value.toJsonDocument().toVariant(), depth);
        default:
            return encodeCustom(value, depth);
        }
    }

    QByteArray m_buffer; // declared before m_writer, which writes into it
    CborWriter m_writer;
    EncodePath m_path;
    CodecError m_error;
};

// ---------------------------------------------------------------------------------------------

class Decoder
{
public:
    explicit Decoder(QByteArrayView bytes)
        : m_data(reinterpret_cast<const uchar *>(bytes.data()))
        , m_size(bytes.size())
    {}
    // A failed decode leaves entries on the shared stack: released here, the capacity stays
    // (decodes never nest in one thread).
    ~Decoder() { m_entries.clear(); }
    Decoder(const Decoder &) = delete;
    Decoder &operator=(const Decoder &) = delete;

    bool run(QVariant *out)
    {
        if (m_size == 0)
            return fail(0, u"empty buffer, expected one CBOR item"_s);
        if (!item(out, 0))
            return false;
        if (m_pos != m_size)
            return fail(m_pos, u"%1 trailing bytes after the CBOR item"_s.arg(m_size - m_pos));
        return true;
    }

    // The top-level map's entries in wire order, without building it (see decodeMapEntries()).
    // Reads keys and values as map() does, so errors, paths and offsets are decode()'s.
    bool runEntries(CborCodec::MapEntries *out)
    {
        if (m_size == 0)
            return fail(0, u"empty buffer, expected one CBOR item"_s);
        Head head;
        if (!readHead(&head))
            return false;
        Q_ASSERT(head.major == MajorMap);
        if (!mapFits(head))
            return false;
        SegmentGuard guard(m_path, {});
        for (quint64 i = 0;; ++i) {
            m_path.back().key = nullptr;
            bool end = false;
            Head keyHead;
            if (!nextKey(head, i, &end, &keyHead))
                return false;
            if (end)
                break;
            QString name;
            if (!key(keyHead, &name))
                return false;
            m_path.back().key = &name;
            QVariant value;
            if (!item(&value, 1))
                return false;
            m_path.back().key = nullptr;
            // Repeats are kept (the reader takes the last): looking each key up here would make
            // a hostile map of many keys quadratic.
            out->append({std::move(name), std::move(value)});
        }
        if (m_pos != m_size)
            return fail(m_pos, u"%1 trailing bytes after the CBOR item"_s.arg(m_size - m_pos));
        return true;
    }

    CodecError error() const { return m_error; }

private:
    // The decoder parses the buffer itself (it always has the whole message): every read is
    // bounds-checked against m_size, and every declared length or count is checked against the
    // bytes that remain before anything is allocated for it.
    enum Major : int {
        MajorUnsigned = 0,
        MajorNegative = 1,
        MajorBytes = 2,
        MajorText = 3,
        MajorArray = 4,
        MajorMap = 5,
        MajorTag = 6,
        MajorSimple = 7,
    };
    static constexpr uchar InfoIndefinite = 31; // indefinite length, or the break stop code
    static constexpr uchar BreakByte = 0xff;

    // The head of one data item: initial byte plus argument.
    struct Head
    {
        qint64 offset = 0; // of the initial byte
        int major = 0;
        uchar info = 0;    // additional information, the low 5 bits of the initial byte
        quint64 value = 0; // length, count, tag number, integer, simple value or float bits

        bool indefinite() const { return info == InfoIndefinite; }
        bool isBreak() const { return major == MajorSimple && info == InfoIndefinite; }
    };

    // A position in the value tree: an array index, a map key, or nothing yet (a map whose
    // key is being read). The key points at a QString alive in map() while it is set.
    struct Segment
    {
        qsizetype index = -1;
        const QString *key = nullptr;
    };
    // Inline up to 16 levels, like the encoder's: no allocation per decode for the path.
    using DecodePath = QVarLengthArray<Segment, 16>;

    class SegmentGuard
    {
    public:
        SegmentGuard(DecodePath &path, Segment segment)
            : m_path(path)
        {
            m_path.push_back(segment);
        }
        ~SegmentGuard() { m_path.pop_back(); }
        SegmentGuard(const SegmentGuard &) = delete;
        SegmentGuard &operator=(const SegmentGuard &) = delete;

    private:
        DecodePath &m_path;
    };

    static constexpr qsizetype KeyCacheSize = 64;
    static constexpr qsizetype MaxCachedKeySize = 32;
    // Map keys repeat from record to record, and from frame to frame on one connection ("id",
    // "result", "action", a table's field names): equal keys share one QString (implicit
    // sharing) instead of allocating a new one each time. Entries keep a copy of the key's bytes,
    // so the cache outlives the buffer it was filled from; one per thread, nothing to lock.
    struct CachedKey
    {
        char bytes[MaxCachedKeySize];
        qsizetype size = -1;
        QString text;
    };
    static CachedKey *keyCache()
    {
        static thread_local CachedKey cache[KeyCacheSize];
        return cache;
    }
    // The entries of the maps being read, innermost last (see map()); per thread too, so its
    // capacity stays from one decode to the next.
    static std::vector<std::pair<QString, QVariant>> &entryStack()
    {
        static thread_local std::vector<std::pair<QString, QVariant>> entries;
        return entries;
    }
    std::vector<std::pair<QString, QVariant>> &m_entries = entryStack();

    static constexpr qsizetype ShapeCacheSize = 16;
    static constexpr quint64 MaxShapeSize = 64;
    static constexpr int MaxShapeMisses = 4;
    // The rows of a reply, and of the replies after it, have the same keys in the same order. A
    // map whose keys match a shape's one for one is built by copying the shape's tree (copying a
    // std::map clones its nodes without comparing keys or rebalancing) and decoding each value
    // into its node; the key comparisons and tree insertions cost more than decoding the values.
    // A shape is only made for a signature (entry count and first key) seen twice in a row, and
    // a signature that keeps missing stops being followed, so varied maps cost little extra.
    struct ShapeKeys
    {
        std::map<QString, QVariant> map; // the values are left invalid
        std::vector<QByteArray> utf8;    // the keys as they come on the wire, in order
    };
    struct Shape
    {
        QString first; // held, so a pointer comparison with it cannot match reused memory
        quint64 count = 0;
        int misses = 0;
        // Shared with the map() following it: a nested map may replace the slot's keys meanwhile.
        std::shared_ptr<const ShapeKeys> keys;
    };
    static Shape *shapeCache()
    {
        static thread_local Shape cache[ShapeCacheSize];
        return cache;
    }
    Shape *const m_shapes = shapeCache();

    // Keys read through the key cache share their data, so equal keys are usually one pointer.
    static bool sameKey(const QString &a, const QString &b)
    {
        return a.size() == b.size() && (a.constData() == b.constData() || a == b);
    }

    Shape &shapeFor(const QString &first, quint64 count)
    {
        const auto bits = quintptr(first.constData());
        return m_shapes[((bits >> 4) ^ (bits >> 12) ^ count) % ShapeCacheSize];
    }

    qint64 remaining() const { return m_size - m_pos; }

    QString formatPath() const
    {
        QString out;
        for (const Segment &segment : m_path) {
            if (segment.index >= 0) {
                out += u'[' + QString::number(segment.index) + u']';
            } else if (segment.key) {
                if (!out.isEmpty())
                    out += u'.';
                out += *segment.key;
            }
        }
        return out;
    }

    bool fail(qint64 offset, const QString &what)
    {
        m_error.path = formatPath();
        m_error.offset = offset;
        m_error.message = what;
        if (!m_error.path.isEmpty())
            m_error.message += u" at "_s + m_error.path;
        m_error.message += u" (byte %1)"_s.arg(offset);
        return false;
    }

    bool truncated(qint64 offset) { return fail(offset, u"unexpected end of data (truncated message)"_s); }

    bool malformed(qint64 offset, const QString &what)
    {
        return fail(offset, u"malformed CBOR: %1"_s.arg(what));
    }

    bool tagFail(qint64 offset, quint64 tag, const QString &what)
    {
        return fail(offset, u"tag %1 (%2): %3"_s.arg(tag).arg(tagName(tag), what));
    }

    // Reads the head at m_pos and moves past it. An indefinite length (major types 2 to 5) and
    // the break stop code come back with info 31 for the caller to judge; reserved additional
    // information and indefinite lengths on other major types are malformed.
    bool readHead(Head *head)
    {
        // Most heads carry their argument in the initial byte: kept inline, the rest is a call.
        head->offset = m_pos;
        if (m_pos < m_size && (m_data[m_pos] & 0x1f) < 24) [[likely]] {
            head->major = m_data[m_pos] >> 5;
            head->info = m_data[m_pos] & 0x1f;
            head->value = head->info;
            m_pos += 1;
            return true;
        }
        return readLongHead(head);
    }

    Q_NEVER_INLINE bool readLongHead(Head *head)
    {
        if (m_pos >= m_size)
            return truncated(m_pos);
        const uchar *p = m_data + m_pos;
        head->major = p[0] >> 5;
        head->info = p[0] & 0x1f;
        if (head->info < 24) {
            head->value = head->info;
            m_pos += 1;
            return true;
        }
        switch (head->info) {
        case 24:
            if (remaining() < 2)
                return truncated(head->offset);
            head->value = p[1];
            m_pos += 2;
            return true;
        case 25:
            if (remaining() < 3)
                return truncated(head->offset);
            head->value = qFromBigEndian<quint16>(p + 1);
            m_pos += 3;
            return true;
        case 26:
            if (remaining() < 5)
                return truncated(head->offset);
            head->value = qFromBigEndian<quint32>(p + 1);
            m_pos += 5;
            return true;
        case 27:
            if (remaining() < 9)
                return truncated(head->offset);
            head->value = qFromBigEndian<quint64>(p + 1);
            m_pos += 9;
            return true;
        case InfoIndefinite:
            if ((head->major >= MajorBytes && head->major <= MajorMap) || head->major == MajorSimple) {
                head->value = 0;
                m_pos += 1;
                return true;
            }
            return malformed(head->offset, u"indefinite length on major type %1"_s.arg(head->major));
        default:
            return malformed(head->offset, u"reserved additional information %1"_s.arg(head->info));
        }
    }

    // At a break stop code ending an indefinite-length item? Consumes it. Fails at the end of data.
    bool atBreak(bool *isBreak)
    {
        if (m_pos >= m_size)
            return truncated(m_pos);
        *isBreak = m_data[m_pos] == BreakByte;
        if (*isBreak)
            ++m_pos;
        return true;
    }

    // A definite-length string payload: checked against what remains, then skipped over.
    bool payload(const Head &head, const uchar **begin)
    {
        if (head.value > quint64(remaining()))
            return fail(head.offset, u"%1 string declares %2 bytes but only %3 remain"_s
                                         .arg(head.major == MajorText ? u"text"_s : u"byte"_s)
                                         .arg(head.value)
                                         .arg(remaining()));
        *begin = m_data + m_pos;
        m_pos += qint64(head.value);
        return true;
    }

    static bool isAscii(const uchar *p, qsizetype n)
    {
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 word;
            std::memcpy(&word, p + i, sizeof word);
            if (word & 0x8080808080808080ULL)
                return false;
        }
        for (; i < n; ++i) {
            if (p[i] & 0x80)
                return false;
        }
        return true;
    }

    // Strict UTF-8: invalid and truncated sequences are errors; a leading BOM stays U+FEFF.
    static bool fromUtf8(const uchar *p, qsizetype n, QString *out)
    {
        const auto *chars = reinterpret_cast<const char *>(p);
        if (isAscii(p, n)) {
            *out = QString::fromLatin1(chars, n);
            return true;
        }
        QStringDecoder decoder(QStringDecoder::Utf8,
                               QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        *out = decoder.decode(QByteArrayView(chars, n));
        return !decoder.hasError();
    }

    // Each chunk of an indefinite-length string must be a definite-length string of the same
    // major type (and, for text, valid UTF-8 on its own).
    bool chunks(const Head &head, QString *text, QByteArray *bytes)
    {
        for (;;) {
            bool end = false;
            if (!atBreak(&end))
                return false;
            if (end)
                return true;
            Head chunk;
            if (!readHead(&chunk))
                return false;
            if (chunk.major != head.major || chunk.indefinite())
                return malformed(chunk.offset, u"invalid chunk in an indefinite-length string"_s);
            const uchar *begin = nullptr;
            if (!payload(chunk, &begin))
                return false;
            const qsizetype size = qsizetype(chunk.value);
            if (head.major == MajorText) {
                QString piece;
                if (!fromUtf8(begin, size, &piece))
                    return fail(head.offset, u"text string is not valid UTF-8"_s);
                *text += piece;
            } else {
                bytes->append(reinterpret_cast<const char *>(begin), size);
            }
        }
    }

    bool text(const Head &head, QString *out)
    {
        if (head.indefinite())
            return chunks(head, out, nullptr);
        const uchar *begin = nullptr;
        if (!payload(head, &begin))
            return false;
        if (!fromUtf8(begin, qsizetype(head.value), out))
            return fail(head.offset, u"text string is not valid UTF-8"_s);
        return true;
    }

    bool key(const Head &head, QString *out)
    {
        if (head.indefinite() || head.value > quint64(MaxCachedKeySize) || head.value > quint64(remaining()))
            return text(head, out);
        const qsizetype size = qsizetype(head.value);
        const uchar *begin = m_data + m_pos;
        quint32 hash = quint32(size);
        for (qsizetype i = 0; i < size; ++i)
            hash = hash * 31 + begin[i];
        CachedKey &cached = m_keys[(hash ^ (hash >> 7)) % KeyCacheSize];
        if (cached.size == size && std::memcmp(cached.bytes, begin, size_t(size)) == 0) {
            m_pos += size;
            *out = cached.text;
            return true;
        }
        if (!text(head, out))
            return false;
        std::memcpy(cached.bytes, begin, size_t(size));
        cached.size = size;
        cached.text = *out;
        return true;
    }

    bool bytes(const Head &head, QByteArray *out)
    {
        if (head.indefinite())
            return chunks(head, nullptr, out);
        const uchar *begin = nullptr;
        if (!payload(head, &begin))
            return false;
        *out = QByteArray(reinterpret_cast<const char *>(begin), qsizetype(head.value));
        return true;
    }

    bool array(const Head &head, QVariantList *out, int depth)
    {
        if (!head.indefinite()) {
            // Every element takes at least one byte.
            if (head.value > quint64(remaining()))
                return fail(head.offset,
                            u"array declares %1 elements but only %2 bytes remain"_s.arg(head.value)
                                .arg(remaining()));
            // Bounded, so a lying count cannot make us reserve much more than the input holds.
            out->reserve(qsizetype(std::min<quint64>(head.value, 4096)));
        }
        SegmentGuard guard(m_path, {});
        for (qsizetype i = 0;; ++i) {
            if (head.indefinite()) {
                bool end = false;
                if (!atBreak(&end))
                    return false;
                if (end)
                    return true;
            } else if (quint64(i) == head.value) {
                return true;
            }
            m_path.back().index = i;
            QVariant element;
            if (!item(&element, depth + 1))
                return false;
            out->append(std::move(element));
        }
    }

    // Before entry i of the map with this head: false on an error; *end at its end (the count
    // reached, or an indefinite length's break, consumed); otherwise *key is the entry's key
    // head, text (the server rejects other keys).
    bool nextKey(const Head &head, quint64 i, bool *end, Head *key)
    {
        if (head.indefinite()) {
            if (!atBreak(end))
                return false;
        } else {
            *end = i == head.value;
        }
        if (*end)
            return true;
        if (!readHead(key))
            return false;
        if (key->isBreak())
            return malformed(key->offset, u"unexpected break"_s);
        if (key->major != MajorText)
            return fail(key->offset, u"object key must be text (the server rejects other keys)"_s);
        return true;
    }

    // A definite map's entry count against the bytes left: every entry takes at least two.
    bool mapFits(const Head &head)
    {
        if (head.indefinite() || head.value <= quint64(remaining()) / 2)
            return true;
        return fail(head.offset,
                    u"map declares %1 entries but only %2 bytes remain"_s.arg(head.value).arg(remaining()));
    }

    bool map(const Head &head, QVariantMap *out, int depth)
    {
        if (!mapFits(head))
            return false;
        // Without a shape to follow, built as a std::map and handed to QMap whole. The entries
        // are gathered first (on one stack that nested maps share) and inserted last to first,
        // each before the smallest so far: with keys in ascending order (the server sorts them)
        // that costs one comparison per entry, where appending with an end() hint costs two. A
        // repeated key keeps the last value, because the last one is inserted first and
        // emplace_hint() does not replace. A shape never has a repeated key, so a map with one
        // leaves the shape at that key and takes this path.
        const size_t base = m_entries.size();
        SegmentGuard guard(m_path, {});
        const bool shapeable = !head.indefinite() && head.value <= MaxShapeSize;
        Shape *shape = nullptr;
        std::shared_ptr<const ShapeKeys> followed;
        std::map<QString, QVariant> built;
        auto node = built.end(); // the next entry the shape expects, while following one
        bool following = false;
        for (quint64 i = 0;; ++i) {
            m_path.back().key = nullptr;
            bool end = false;
            Head keyHead;
            if (!nextKey(head, i, &end, &keyHead))
                return false;
            if (end)
                break;
            if (following && node != built.end()) {
                // Compared as bytes, so a key that matches is never turned into a QString.
                const QByteArray &expected = followed->utf8[size_t(i)];
                if (!keyHead.indefinite() && keyHead.value == quint64(expected.size()) &&
                    keyHead.value <= quint64(remaining()) &&
                    std::memcmp(m_data + m_pos, expected.constData(), size_t(expected.size())) == 0) {
                    m_pos += expected.size();
                    m_path.back().key = &node->first;
                    if (!item(&node->second, depth + 1))
                        return false;
                    ++node;
                    continue;
                }
            }
            QString name;
            if (!key(keyHead, &name))
                return false;
            if (i == 0 && shapeable) {
                shape = &shapeFor(name, head.value);
                if (shape->count == head.value && shape->misses < MaxShapeMisses && shape->keys &&
                    sameKey(shape->first, name)) {
                    followed = shape->keys;
                    built = followed->map;
                    node = built.begin();
                    following = true;
                }
            }
            if (following) {
                if (node != built.end() && sameKey(node->first, name)) {
                    m_path.back().key = &node->first;
                    if (!item(&node->second, depth + 1))
                        return false;
                    ++node;
                    continue;
                }
                // Off the shape: the entries read so far join the general path.
                for (auto it = built.begin(); it != node; ++it)
                    m_entries.emplace_back(it->first, std::move(it->second));
                built.clear();
                following = false;
                ++shape->misses;
            }
            m_path.back().key = &name;
            QVariant value;
            if (!item(&value, depth + 1))
                return false;
            m_path.back().key = nullptr;
            m_entries.emplace_back(std::move(name), std::move(value));
        }
        if (following) {
            *out = QVariantMap(std::move(built));
            return true;
        }
        // A signature seen for the second time in a row gets its shape, and a shape left midway
        // is made again from this map, until it has missed MaxShapeMisses times.
        bool makeShape = false;
        if (shape) {
            // The first key is still on the stack: compare before the entries move out.
            if (shape->count == head.value && sameKey(shape->first, m_entries[base].first)) {
                makeShape = shape->misses < MaxShapeMisses;
            } else {
                shape->first = m_entries[base].first;
                shape->count = head.value;
                shape->misses = 0;
                shape->keys.reset();
            }
        }
        std::map<QString, QVariant> entries;
        auto hint = entries.begin();
        for (size_t i = m_entries.size(); i-- > base;)
            hint = entries.emplace_hint(hint, std::move(m_entries[i].first), std::move(m_entries[i].second));
        m_entries.resize(base);
        if (makeShape && entries.size() == head.value) {
            auto keys = std::make_shared<ShapeKeys>();
            keys->utf8.reserve(entries.size());
            for (const auto &entry : entries) {
                keys->map.emplace_hint(keys->map.end(), entry.first, QVariant());
                keys->utf8.push_back(entry.first.toUtf8());
            }
            shape->keys = std::move(keys);
        }
        *out = QVariantMap(std::move(entries));
        return true;
    }

    // Through qfloat16 and float, like QCborStreamReader, so NaN payloads come out the same.
    static double halfToDouble(quint16 bits)
    {
        const auto half = std::bit_cast<qfloat16>(bits);
        return double(float(half));
    }

    // item() writes into variants that hold nothing yet (fresh locals, or the nodes a shape's
    // tree was copied with): constructed in place, a value skips QVariant's move assignment and
    // the two destructor calls it costs. An invalid QVariant owns nothing, so its storage is
    // reused without running its destructor.
    template<typename T>
    static void put(QVariant *out, T &&value)
    {
        if (out->isValid()) [[unlikely]]
            *out = QVariant(std::forward<T>(value));
        else
            new (out) QVariant(std::forward<T>(value));
    }

    bool item(QVariant *out, int depth)
    {
        const qint64 offset = m_pos;
        if (depth > CborCodec::MaxNestingDepth)
            return fail(offset, u"nesting deeper than %1 levels"_s.arg(CborCodec::MaxNestingDepth));
        Head head;
        if (!readHead(&head))
            return false;
        switch (head.major) {
        case MajorUnsigned:
            if (head.value > quint64(std::numeric_limits<qint64>::max()))
                return fail(offset,
                            u"integer %1 is outside SurrealDB's 64-bit signed range"_s.arg(head.value));
            put(out, qint64(head.value));
            return true;
        case MajorNegative:
            // The value is -1 - argument.
            if (head.value > quint64(std::numeric_limits<qint64>::max()))
                return fail(offset, u"negative integer -%1 is outside SurrealDB's 64-bit signed range"_s.arg(
                                        head.value == std::numeric_limits<quint64>::max()
                                            ? u"18446744073709551616"_s
                                            : QString::number(head.value + 1)));
            put(out, -1 - qint64(head.value));
            return true;
        case MajorBytes: {
            QByteArray data;
            if (!bytes(head, &data))
                return false;
            put(out, data);
            return true;
        }
        case MajorText: {
            QString string;
            if (!text(head, &string))
                return false;
            put(out, string);
            return true;
        }
        case MajorArray: {
            QVariantList list;
            if (!array(head, &list, depth))
                return false;
            put(out, list);
            return true;
        }
        case MajorMap: {
            QVariantMap object;
            if (!map(head, &object, depth))
                return false;
            put(out, object);
            return true;
        }
        case MajorTag:
            return tagged(head.value, offset, out, depth + 1);
        case MajorSimple:
            break;
        }
        switch (head.info) {
        case 20:
            put(out, false);
            return true;
        case 21:
            put(out, true);
            return true;
        case 22:
        case 23: // the server reads undefined as NULL too
            put(out, QVariant::fromValue(nullptr));
            return true;
        case 24:
            if (head.value < 32) // the two-byte form is only for values 32..255
                return malformed(offset, u"illegal simple value %1"_s.arg(head.value));
            return fail(offset, u"unsupported CBOR simple value %1"_s.arg(head.value));
        case 25:
            put(out, halfToDouble(quint16(head.value)));
            return true;
        case 26: {
            const quint32 bits = quint32(head.value);
            float f;
            std::memcpy(&f, &bits, sizeof f);
            put(out, double(f));
            return true;
        }
        case 27: {
            const quint64 bits = head.value;
            double d;
            std::memcpy(&d, &bits, sizeof d);
            put(out, d);
            return true;
        }
        case InfoIndefinite:
            return malformed(offset, u"unexpected break"_s);
        default:
            return fail(offset, u"unsupported CBOR simple value %1"_s.arg(head.value));
        }
    }

    // Reads the tag content as text.
    bool taggedText(quint64 tag, qint64 offset, int depth, QString *text)
    {
        QVariant v;
        if (!item(&v, depth))
            return false;
        if (v.typeId() != QMetaType::QString)
            return tagFail(offset, tag, u"expected text, got %1"_s.arg(typeName(v)));
        *text = v.toString();
        return true;
    }

    bool taggedList(quint64 tag, qint64 offset, int depth, QVariantList *list, qsizetype expectedSize = -1)
    {
        QVariant v;
        if (!item(&v, depth))
            return false;
        if (v.typeId() != QMetaType::QVariantList)
            return tagFail(offset, tag, u"expected an array, got %1"_s.arg(typeName(v)));
        *list = v.toList();
        if (expectedSize >= 0 && list->size() != expectedSize)
            return tagFail(
                offset, tag,
                u"expected an array with %1 elements, got %2"_s.arg(expectedSize).arg(list->size()));
        return true;
    }

    // A record id's usual content, [table, key] with a definite-length text table, read without
    // building the array, the table through the key cache (every row of a reply names the same
    // table). *pair stays false for any other form, which the general path reads; errors come out
    // as the general path reports them.
    bool recordIdPair(int depth, bool *pair, QString *table, QVariant *value)
    {
        *pair = false;
        if (depth + 1 > CborCodec::MaxNestingDepth || remaining() < 3)
            return true;
        const uchar *p = m_data + m_pos;
        if (p[0] != 0x82 || (p[1] >> 5) != MajorText || (p[1] & 0x1f) == InfoIndefinite)
            return true;
        *pair = true;
        ++m_pos;
        SegmentGuard guard(m_path, {});
        m_path.back().index = 0;
        Head head;
        if (!readHead(&head) || !key(head, table))
            return false;
        m_path.back().index = 1;
        return item(value, depth + 1);
    }

    bool duration(qint64 offset, QVariant *out)
    {
        // Read directly: the seconds are unsigned 64-bit and may exceed what item() accepts.
        Head head;
        if (!readHead(&head))
            return false;
        if (head.isBreak())
            return malformed(head.offset, u"unexpected break"_s);
        if (head.major != MajorArray)
            return tagFail(offset, TagDuration, u"expected an array [seconds, nanoseconds]"_s);
        if (!head.indefinite() && head.value > 2)
            return tagFail(offset, TagDuration, u"expected at most 2 elements, got %1"_s.arg(head.value));
        quint64 parts[2] = {0, 0};
        int count = 0;
        for (;;) {
            if (head.indefinite()) {
                bool end = false;
                if (!atBreak(&end))
                    return false;
                if (end)
                    break;
            } else if (quint64(count) == head.value) {
                break;
            }
            if (count == 2)
                return tagFail(offset, TagDuration, u"expected at most 2 elements"_s);
            Head element;
            if (!readHead(&element))
                return false;
            if (element.isBreak())
                return malformed(element.offset, u"unexpected break"_s);
            if (element.major != MajorUnsigned)
                return tagFail(offset, TagDuration, u"elements must be non-negative integers"_s);
            parts[count++] = element.value;
        }
        if (parts[1] >= quint64(NanosPerSecond))
            return tagFail(offset, TagDuration, u"nanoseconds %1 out of range"_s.arg(parts[1]));
        *out = QVariant::fromValue(Duration(parts[0], parts[1]));
        return true;
    }

    bool geometryList(quint64 tag, qint64 offset, int depth, Geometry::Type elementType, QList<Geometry> *out)
    {
        QVariantList list;
        if (!taggedList(tag, offset, depth, &list))
            return false;
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QVariant &v = list.at(i);
            if (v.metaType() != QMetaType::fromType<Geometry>() ||
                (tag != TagCollection && v.value<Geometry>().type() != elementType))
                return tagFail(
                    offset, tag,
                    u"element %1 must be a %2, got %3"_s.arg(i).arg(
                        tag == TagCollection ? u"geometry"_s : tagName(TagPoint + quint64(elementType)),
                        v.metaType() == QMetaType::fromType<Geometry>()
                            ? tagName(TagPoint + quint64(v.value<Geometry>().type()))
                            : typeName(v)));
            out->append(v.value<Geometry>());
        }
        return true;
    }

    bool tagged(quint64 tag, qint64 offset, QVariant *out, int depth)
    {
        if (depth > CborCodec::MaxNestingDepth)
            return fail(offset, u"nesting deeper than %1 levels"_s.arg(CborCodec::MaxNestingDepth));
        switch (tag) {
        case TagNone: {
            // The server ignores the content (6(5) is NONE); it must still be well-formed.
            QVariant ignored;
            if (!item(&ignored, depth))
                return false;
            *out = QVariant::fromValue(None{});
            return true;
        }
        case TagDateTimeText: {
            QString text, error;
            if (!taggedText(tag, offset, depth, &text))
                return false;
            const DateTime dt = DateTime::fromString(text, &error);
            if (!dt.isValid())
                return tagFail(offset, tag, error);
            *out = QVariant::fromValue(dt);
            return true;
        }
        case TagDateTime: {
            QVariantList list;
            if (!taggedList(tag, offset, depth, &list, 2))
                return false;
            if (list.at(0).typeId() != QMetaType::LongLong)
                return tagFail(offset, tag,
                               u"seconds must be an integer, got %1"_s.arg(typeName(list.at(0))));
            if (list.at(1).typeId() != QMetaType::LongLong)
                return tagFail(offset, tag,
                               u"nanoseconds must be an integer, got %1"_s.arg(typeName(list.at(1))));
            const qint64 nanos = list.at(1).toLongLong();
            if (nanos < 0 || nanos >= NanosPerSecond)
                return tagFail(offset, tag, u"nanoseconds %1 out of range 0..999999999"_s.arg(nanos));
            *out = QVariant::fromValue(DateTime(list.at(0).toLongLong(), nanos));
            return true;
        }
        case TagTable: {
            QString text;
            if (!taggedText(tag, offset, depth, &text))
                return false;
            if (text.isEmpty()) // the encoder refuses it: what decodes must encode again
                return tagFail(offset, tag, u"the name must not be empty"_s);
            *out = QVariant::fromValue(Table(text));
            return true;
        }
        case TagRecordId: {
            const auto validKey = [&](const QVariant &key) {
                const int kt = key.typeId();
                if (kt != QMetaType::LongLong && kt != QMetaType::QString && kt != QMetaType::QVariantList &&
                    kt != QMetaType::QVariantMap && kt != QMetaType::QUuid &&
                    key.metaType() != QMetaType::fromType<Range>())
                    return tagFail(
                        offset, tag,
                        u"key must be an integer, text, array, object, uuid or range, got %1"_s.arg(
                            typeName(key)));
                return true;
            };
            bool pair = false;
            QString table;
            QVariant key;
            if (!recordIdPair(depth, &pair, &table, &key))
                return false;
            if (pair) {
                if (table.isEmpty()) // the encoder refuses it: what decodes must encode again
                    return tagFail(offset, tag, u"table must not be empty"_s);
                if (!validKey(key))
                    return false;
                put(out, QVariant::fromValue(RecordId(table, key)));
                return true;
            }
            QVariant v;
            if (!item(&v, depth))
                return false;
            if (v.typeId() == QMetaType::QString) {
                // The server accepts 8("tb:key") and parses it with SurrealQL rules.
                QString error;
                const RecordId id = RecordId::parse(v.toString(), &error);
                if (!id.isValid())
                    return tagFail(offset, tag, error);
                *out = QVariant::fromValue(id);
                return true;
            }
            if (v.typeId() != QMetaType::QVariantList)
                return tagFail(offset, tag, u"expected an array [table, key], got %1"_s.arg(typeName(v)));
            const QVariantList list = v.toList();
            if (list.size() != 2)
                return tagFail(offset, tag, u"expected an array with 2 elements, got %1"_s.arg(list.size()));
            if (list.at(0).typeId() != QMetaType::QString)
                return tagFail(offset, tag, u"table must be text, got %1"_s.arg(typeName(list.at(0))));
            if (list.at(0).toString().isEmpty())
                return tagFail(offset, tag, u"table must not be empty"_s);
            if (!validKey(list.at(1)))
                return false;
            *out = QVariant::fromValue(RecordId(list.at(0).toString(), list.at(1)));
            return true;
        }
        case TagUuidText: {
            QString text;
            if (!taggedText(tag, offset, depth, &text))
                return false;
            const QUuid uuid = QUuid::fromString(text);
            if (text.size() != 36 || (uuid.isNull() && text != u"00000000-0000-0000-0000-000000000000"))
                return tagFail(offset, tag, u"\"%1\" is not a UUID"_s.arg(text.left(64)));
            *out = uuid;
            return true;
        }
        case TagUuid: {
            QVariant v;
            if (!item(&v, depth))
                return false;
            if (v.typeId() != QMetaType::QByteArray)
                return tagFail(offset, tag, u"expected 16 bytes, got %1"_s.arg(typeName(v)));
            const QByteArray bytes = v.toByteArray();
            if (bytes.size() != 16)
                return tagFail(offset, tag, u"expected 16 bytes, got %1"_s.arg(bytes.size()));
            *out = QUuid::fromRfc4122(bytes);
            return true;
        }
        case TagDecimal: {
            QString text, error;
            if (!taggedText(tag, offset, depth, &text))
                return false;
            const Decimal d = Decimal::fromString(text, &error);
            if (!d.isValid())
                return tagFail(offset, tag, error);
            *out = QVariant::fromValue(d);
            return true;
        }
        case TagDurationText: {
            QString text, error;
            if (!taggedText(tag, offset, depth, &text))
                return false;
            const Duration d = Duration::fromString(text, &error);
            if (!d.isValid())
                return tagFail(offset, tag, error);
            *out = QVariant::fromValue(d);
            return true;
        }
        case TagDuration:
            return duration(offset, out);
        case TagFuture: {
            QVariant v;
            if (!item(&v, depth))
                return false;
            *out = QVariant::fromValue(Future(v));
            return true;
        }
        case TagRange: {
            QVariantList list;
            if (!taggedList(tag, offset, depth, &list, 2))
                return false;
            Bound bounds[2];
            for (int i = 0; i < 2; ++i) {
                const QVariant &b = list.at(i);
                if (b.typeId() == QMetaType::Nullptr)
                    continue;
                if (b.metaType() != QMetaType::fromType<Bound>())
                    return tagFail(offset, tag,
                                   u"%1 bound must be null, tag 50 or tag 51, got %2"_s.arg(
                                       i == 0 ? u"lower"_s : u"upper"_s, typeName(b)));
                bounds[i] = b.value<Bound>();
            }
            *out = QVariant::fromValue(Range(bounds[0], bounds[1]));
            return true;
        }
        case TagBoundIncluded:
        case TagBoundExcluded: {
            QVariant v;
            if (!item(&v, depth))
                return false;
            *out = QVariant::fromValue(tag == TagBoundIncluded ? Bound::included(v) : Bound::excluded(v));
            return true;
        }
        case TagFile: {
            QVariantList list;
            if (!taggedList(tag, offset, depth, &list, 2))
                return false;
            if (list.at(0).typeId() != QMetaType::QString || list.at(1).typeId() != QMetaType::QString)
                return tagFail(offset, tag, u"bucket and key must be text"_s);
            *out = QVariant::fromValue(FileRef(list.at(0).toString(), list.at(1).toString()));
            return true;
        }
        case TagSet: {
            QVariantList list;
            if (!taggedList(tag, offset, depth, &list))
                return false;
            *out = QVariant::fromValue(SurrealSet(list));
            return true;
        }
        case TagPoint: {
            QVariantList list;
            if (!taggedList(tag, offset, depth, &list, 2))
                return false;
            double xy[2];
            for (int i = 0; i < 2; ++i) {
                const int t = list.at(i).typeId();
                if (t != QMetaType::LongLong && t != QMetaType::Double)
                    return tagFail(offset, tag,
                                   u"coordinates must be numbers, got %1"_s.arg(typeName(list.at(i))));
                xy[i] = list.at(i).toDouble();
            }
            *out = QVariant::fromValue(Geometry::fromPoint(xy[0], xy[1]));
            return true;
        }
        case TagLine:
        case TagMultiPoint: {
            QList<Geometry> points;
            if (!geometryList(tag, offset, depth, Geometry::Point, &points))
                return false;
            Geometry::Points coords;
            for (const Geometry &p : points)
                coords.append(p.point());
            *out = QVariant::fromValue(tag == TagLine ? Geometry::fromLine(coords)
                                                      : Geometry::fromMultiPoint(coords));
            return true;
        }
        case TagPolygon:
        case TagMultiLine: {
            QList<Geometry> lines;
            if (!geometryList(tag, offset, depth, Geometry::Line, &lines))
                return false;
            if (tag == TagPolygon && lines.isEmpty())
                return tagFail(offset, tag, u"a polygon needs at least one ring"_s);
            QList<Geometry::Points> rings;
            for (const Geometry &l : lines)
                rings.append(l.points());
            *out = QVariant::fromValue(tag == TagPolygon ? Geometry::fromPolygon(rings)
                                                         : Geometry::fromMultiLine(rings));
            return true;
        }
        case TagMultiPolygon: {
            QList<Geometry> polygons;
            if (!geometryList(tag, offset, depth, Geometry::Polygon, &polygons))
                return false;
            QList<Geometry::Rings> all;
            for (const Geometry &p : polygons)
                all.append(p.rings());
            *out = QVariant::fromValue(Geometry::fromMultiPolygon(all));
            return true;
        }
        case TagCollection: {
            QList<Geometry> geometries;
            if (!geometryList(tag, offset, depth, Geometry::Point, &geometries))
                return false;
            *out = QVariant::fromValue(Geometry::fromCollection(geometries));
            return true;
        }
        default:
            return fail(offset, u"unknown CBOR tag %1 (not a SurrealDB value)"_s.arg(tag));
        }
    }

    const uchar *m_data;
    qint64 m_size;
    qint64 m_pos = 0;
    DecodePath m_path;
    CodecError m_error;
    CachedKey *const m_keys = keyCache();
};

} // namespace

QByteArray CborCodec::encode(const QVariant &value, CodecError *error)
{
    registerMetaTypes();
    Encoder encoder;
    if (!encoder.run(value)) {
        if (error)
            *error = encoder.error();
        return {};
    }
    if (error)
        *error = {};
    return encoder.bytes();
}

QByteArray CborCodec::encodeRequest(qint64 id, QStringView method, const QVariantList &params,
                                    const QUuid &session, const QUuid &transaction, CodecError *error)
{
    registerMetaTypes();
    Encoder encoder(64 + 32 * params.size());
    if (!encoder.runRequest(id, method, params, session, transaction)) {
        if (error)
            *error = encoder.error();
        return {};
    }
    if (error)
        *error = {};
    return encoder.bytes();
}

namespace {

// One decode of bytes by run: the value into *out (when given), or the error.
template<typename T>
bool decodeWith(QByteArrayView bytes, T *out, CodecError *error, bool (Decoder::*run)(T *))
{
    registerMetaTypes();
    Decoder decoder(bytes);
    T value;
    if (!(decoder.*run)(&value)) {
        if (error)
            *error = decoder.error();
        return false;
    }
    if (error)
        *error = {};
    if (out)
        *out = std::move(value);
    return true;
}

} // namespace

bool CborCodec::decodeMapEntries(QByteArrayView bytes, MapEntries *out, bool *isMap, CodecError *error)
{
    *isMap = !bytes.isEmpty() && (uchar(bytes.front()) >> 5) == 5;
    return *isMap && decodeWith(bytes, out, error, &Decoder::runEntries);
}

bool CborCodec::decode(QByteArrayView bytes, QVariant *out, CodecError *error)
{
    return decodeWith(bytes, out, error, &Decoder::run);
}

QCborValue CborCodec::toCbor(const QVariant &value, CodecError *error)
{
    const QByteArray bytes = encode(value, error);
    if (bytes.isEmpty())
        return {};
    return QCborValue::fromCbor(bytes);
}

bool CborCodec::fromCbor(const QCborValue &value, QVariant *out, CodecError *error)
{
    return decode(value.toCbor(), out, error);
}

} // namespace SurrealQt
