#include "cborcodec_p.h"

#include "metatypes_p.h"

#include <SurrealQt/values.h>

#include <QtCore/QAssociativeIterable>
#include <QtCore/QCborStreamReader>
#include <QtCore/QCborStreamWriter>
#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QSequentialIterable>
#include <QtCore/QStringDecoder>
#include <QtCore/QUuid>

#include <cstring>
#include <limits>
#include <map>
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
    QString key;
};

QString formatPath(const std::vector<PathSegment> &path)
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
    PathGuard(std::vector<PathSegment> &path, PathSegment segment)
        : m_path(path)
    {
        m_path.push_back(std::move(segment));
    }
    ~PathGuard() { m_path.pop_back(); }
    PathGuard(const PathGuard &) = delete;
    PathGuard &operator=(const PathGuard &) = delete;

private:
    std::vector<PathSegment> &m_path;
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
    Encoder()
        : m_writer(&m_buffer)
    {}

    bool run(const QVariant &value) { return encodeValue(value, 0); }
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
        PathGuard guard(m_path, {-1, u"<record id key>"_s});
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
                PathGuard guard(m_path, {-1, u"<lower bound>"_s});
                if (!encodeBound(r.lower(), depth + 1))
                    return false;
            }
            {
                PathGuard guard(m_path, {-1, u"<upper bound>"_s});
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
    QCborStreamWriter m_writer;
    std::vector<PathSegment> m_path;
    CodecError m_error;
};

// ---------------------------------------------------------------------------------------------

class Decoder
{
public:
    explicit Decoder(QByteArrayView bytes)
        : m_reader(QByteArray::fromRawData(bytes.data(), bytes.size()))
        , m_data(bytes.data())
        , m_size(bytes.size())
    {}

    bool run(QVariant *out)
    {
        if (m_size == 0)
            return fail(0, u"empty buffer, expected one CBOR item"_s);
        if (!item(out, 0))
            return false;
        const qint64 end = m_reader.currentOffset();
        if (end != m_size)
            return fail(end, u"%1 trailing bytes after the CBOR item"_s.arg(m_size - end));
        return true;
    }

    CodecError error() const { return m_error; }

private:
    qint64 remaining() const { return m_size - m_reader.currentOffset(); }

    bool fail(qint64 offset, const QString &what)
    {
        m_error.path = formatPath(m_path);
        m_error.offset = offset;
        m_error.message = what;
        if (!m_error.path.isEmpty())
            m_error.message += u" at "_s + m_error.path;
        m_error.message += u" (byte %1)"_s.arg(offset);
        return false;
    }

    bool readerFailed(qint64 offset)
    {
        const QCborError error = m_reader.lastError();
        if (error == QCborError::EndOfFile || error == QCborError::NoError)
            return fail(offset, u"unexpected end of data (truncated message)"_s);
        return fail(offset, u"malformed CBOR: %1"_s.arg(error.toString()));
    }

    bool tagFail(qint64 offset, quint64 tag, const QString &what)
    {
        return fail(offset, u"tag %1 (%2): %3"_s.arg(tag).arg(tagName(tag), what));
    }

    // The payload of the definite-length string (major type 3 for text, 2 for bytes) at the
    // reader's position when it lies entirely inside the buffer; false otherwise (indefinite
    // length, a declared length past the end, ...), and then readString() deals with it.
    bool definiteString(int majorType, qint64 offset, const char **begin, qsizetype *size) const
    {
        if (offset < 0 || offset >= m_size)
            return false;
        const auto *p = reinterpret_cast<const uchar *>(m_data + offset);
        if ((p[0] >> 5) != majorType)
            return false;
        const uchar info = p[0] & 0x1f;
        qint64 header;
        quint64 length;
        const qint64 available = m_size - offset;
        if (info < 24) {
            header = 1;
            length = info;
        } else if (info <= 27) {
            header = qint64(1) + (qint64(1) << (info - 24));
            if (header > available)
                return false;
            length = 0;
            for (qint64 i = 1; i < header; ++i)
                length = (length << 8) | p[i];
        } else {
            return false;
        }
        // Checked before anything is allocated: the declared length must fit in what remains.
        if (header > available || length > quint64(available - header))
            return false;
        *begin = m_data + offset + header;
        *size = qsizetype(length);
        return true;
    }

    static bool isAscii(const char *p, qsizetype n)
    {
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 word;
            std::memcpy(&word, p + i, sizeof word);
            if (word & 0x8080808080808080ULL)
                return false;
        }
        for (; i < n; ++i) {
            if (uchar(p[i]) & 0x80)
                return false;
        }
        return true;
    }

    // Strict UTF-8: invalid and truncated sequences are errors; a leading BOM is kept as U+FEFF.
    static bool fromUtf8(const char *p, qsizetype n, QString *out)
    {
        if (isAscii(p, n)) {
            *out = QString::fromLatin1(p, n);
            return true;
        }
        QStringDecoder decoder(QStringDecoder::Utf8,
                               QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        *out = decoder.decode(QByteArrayView(p, n));
        return !decoder.hasError();
    }

    // Moves the reader past the string it is on without copying it (next() would read it
    // into a temporary QString or QByteArray).
    bool skipString(qint64 offset)
    {
        for (;;) {
            const auto r = m_reader.readStringChunk(nullptr, 0);
            if (r.status == QCborStreamReader::EndOfString)
                return true;
            if (r.status == QCborStreamReader::Error)
                return readerFailed(offset);
        }
    }

    // A text string, straight from the buffer when it has a definite length; the chunked
    // reader handles everything else (and reports the errors).
    bool readText(QString *string)
    {
        const qint64 offset = m_reader.currentOffset();
        const char *begin;
        qsizetype size;
        if (!definiteString(3, offset, &begin, &size))
            return readString(true, string, nullptr);
        if (!fromUtf8(begin, size, string))
            return fail(offset, u"text string is not valid UTF-8"_s);
        return skipString(offset);
    }

    bool readBytes(QByteArray *bytes)
    {
        const qint64 offset = m_reader.currentOffset();
        const char *begin;
        qsizetype size;
        if (!definiteString(2, offset, &begin, &size))
            return readString(false, nullptr, bytes);
        *bytes = QByteArray(begin, size);
        return skipString(offset);
    }

    bool readString(bool text, QString *string, QByteArray *bytes)
    {
        const qint64 offset = m_reader.currentOffset();
        for (;;) {
            // Checked before Qt allocates: a declared length is untrusted until the bytes exist.
            const qsizetype chunk = m_reader.currentStringChunkSize();
            if (chunk < 0)
                return readerFailed(offset);
            if (chunk > remaining())
                return fail(offset, u"%1 string declares %2 bytes but only %3 remain"_s
                                        .arg(text ? u"text"_s : u"byte"_s)
                                        .arg(chunk)
                                        .arg(remaining()));
            if (text) {
                auto r = m_reader.readString();
                if (r.status == QCborStreamReader::EndOfString)
                    return true;
                if (r.status == QCborStreamReader::Error) {
                    if (m_reader.lastError() == QCborError::InvalidUtf8String)
                        return fail(offset, u"text string is not valid UTF-8"_s);
                    return readerFailed(offset);
                }
                *string += r.data;
            } else {
                auto r = m_reader.readByteArray();
                if (r.status == QCborStreamReader::EndOfString)
                    return true;
                if (r.status == QCborStreamReader::Error)
                    return readerFailed(offset);
                *bytes += r.data;
            }
        }
    }

    bool array(QVariantList *out, int depth)
    {
        const qint64 offset = m_reader.currentOffset();
        if (m_reader.isLengthKnown() && m_reader.length() > quint64(remaining()))
            return fail(offset,
                        u"array declares %1 elements but only %2 bytes remain"_s.arg(m_reader.length())
                            .arg(remaining()));
        if (!m_reader.enterContainer())
            return readerFailed(offset);
        for (qsizetype i = 0;; ++i) {
            if (m_reader.lastError() != QCborError::NoError)
                return readerFailed(m_reader.currentOffset());
            if (!m_reader.hasNext())
                break;
            PathGuard guard(m_path, {i, {}});
            QVariant element;
            if (!item(&element, depth + 1))
                return false;
            out->append(std::move(element));
        }
        if (!m_reader.leaveContainer() || m_reader.lastError() != QCborError::NoError)
            return readerFailed(m_reader.currentOffset());
        return true;
    }

    bool map(QVariantMap *out, int depth)
    {
        const qint64 offset = m_reader.currentOffset();
        if (m_reader.isLengthKnown() && m_reader.length() > quint64(remaining()) / 2)
            return fail(offset, u"map declares %1 entries but only %2 bytes remain"_s.arg(m_reader.length())
                                    .arg(remaining()));
        if (!m_reader.enterContainer())
            return readerFailed(offset);
        for (;;) {
            if (m_reader.lastError() != QCborError::NoError)
                return readerFailed(m_reader.currentOffset());
            if (!m_reader.hasNext())
                break;
            const qint64 keyOffset = m_reader.currentOffset();
            const auto keyType = m_reader.type();
            if (keyType == QCborStreamReader::Invalid)
                return readerFailed(keyOffset);
            if (keyType != QCborStreamReader::String)
                return fail(keyOffset, u"object key must be text (the server rejects other keys)"_s);
            QString key;
            if (!readText(&key))
                return false;
            PathGuard guard(m_path, {-1, key});
            QVariant value;
            if (!item(&value, depth + 1))
                return false;
            out->insert(key, std::move(value));
        }
        if (!m_reader.leaveContainer() || m_reader.lastError() != QCborError::NoError)
            return readerFailed(m_reader.currentOffset());
        return true;
    }

    bool item(QVariant *out, int depth)
    {
        const qint64 offset = m_reader.currentOffset();
        if (depth > CborCodec::MaxNestingDepth)
            return fail(offset, u"nesting deeper than %1 levels"_s.arg(CborCodec::MaxNestingDepth));
        if (m_reader.lastError() != QCborError::NoError)
            return readerFailed(offset);
        switch (m_reader.type()) {
        case QCborStreamReader::UnsignedInteger: {
            const quint64 v = m_reader.toUnsignedInteger();
            if (v > quint64(std::numeric_limits<qint64>::max()))
                return fail(offset, u"integer %1 is outside SurrealDB's 64-bit signed range"_s.arg(v));
            *out = qint64(v);
            m_reader.next();
            return true;
        }
        case QCborStreamReader::NegativeInteger: {
            // QCborNegativeInteger holds the magnitude; 0 stands for -2^64.
            const quint64 magnitude = quint64(m_reader.toNegativeInteger());
            constexpr quint64 MinMagnitude = quint64(1) << 63;
            if (magnitude == 0 || magnitude > MinMagnitude)
                return fail(offset,
                            u"negative integer -%1 is outside SurrealDB's 64-bit signed range"_s.arg(
                                magnitude == 0 ? u"18446744073709551616"_s : QString::number(magnitude)));
            *out = magnitude == MinMagnitude ? std::numeric_limits<qint64>::min() : -qint64(magnitude);
            m_reader.next();
            return true;
        }
        case QCborStreamReader::ByteArray: {
            QByteArray bytes;
            if (!readBytes(&bytes))
                return false;
            *out = bytes;
            return true;
        }
        case QCborStreamReader::String: {
            QString text;
            if (!readText(&text))
                return false;
            *out = std::move(text);
            return true;
        }
        case QCborStreamReader::Array: {
            QVariantList list;
            if (!array(&list, depth))
                return false;
            *out = list;
            return true;
        }
        case QCborStreamReader::Map: {
            QVariantMap object;
            if (!map(&object, depth))
                return false;
            *out = object;
            return true;
        }
        case QCborStreamReader::Tag: {
            const quint64 tag = quint64(m_reader.toTag());
            if (!m_reader.next())
                return readerFailed(m_reader.currentOffset());
            return tagged(tag, offset, out, depth + 1);
        }
        case QCborStreamReader::SimpleType: {
            switch (m_reader.toSimpleType()) {
            case QCborSimpleType::False:
                *out = false;
                break;
            case QCborSimpleType::True:
                *out = true;
                break;
            case QCborSimpleType::Null:
            case QCborSimpleType::Undefined: // the server reads undefined as NULL too
                *out = QVariant::fromValue(nullptr);
                break;
            default:
                return fail(offset, u"unsupported CBOR simple value %1"_s.arg(int(m_reader.toSimpleType())));
            }
            m_reader.next();
            return true;
        }
        case QCborStreamReader::Float16:
            *out = double(float(m_reader.toFloat16()));
            m_reader.next();
            return true;
        case QCborStreamReader::Float:
            *out = double(m_reader.toFloat());
            m_reader.next();
            return true;
        case QCborStreamReader::Double:
            *out = m_reader.toDouble();
            m_reader.next();
            return true;
        case QCborStreamReader::Invalid:
            return readerFailed(offset);
        }
        return fail(offset, u"unsupported CBOR item"_s);
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

    bool duration(qint64 offset, QVariant *out)
    {
        // Read directly: the seconds are unsigned 64-bit and may exceed what item() accepts.
        const qint64 inner = m_reader.currentOffset();
        if (m_reader.lastError() != QCborError::NoError)
            return readerFailed(inner);
        if (m_reader.type() != QCborStreamReader::Array)
            return tagFail(offset, TagDuration, u"expected an array [seconds, nanoseconds]"_s);
        if (m_reader.isLengthKnown() && m_reader.length() > 2)
            return tagFail(offset, TagDuration,
                           u"expected at most 2 elements, got %1"_s.arg(m_reader.length()));
        if (!m_reader.enterContainer())
            return readerFailed(inner);
        quint64 parts[2] = {0, 0};
        int count = 0;
        for (;;) {
            if (m_reader.lastError() != QCborError::NoError)
                return readerFailed(m_reader.currentOffset());
            if (!m_reader.hasNext())
                break;
            if (count == 2)
                return tagFail(offset, TagDuration, u"expected at most 2 elements"_s);
            if (m_reader.type() == QCborStreamReader::Invalid)
                return readerFailed(m_reader.currentOffset());
            if (m_reader.type() != QCborStreamReader::UnsignedInteger)
                return tagFail(offset, TagDuration, u"elements must be non-negative integers"_s);
            parts[count++] = m_reader.toUnsignedInteger();
            m_reader.next();
        }
        if (!m_reader.leaveContainer() || m_reader.lastError() != QCborError::NoError)
            return readerFailed(m_reader.currentOffset());
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
            *out = QVariant::fromValue(Table(text));
            return true;
        }
        case TagRecordId: {
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
            const QVariant &key = list.at(1);
            const int kt = key.typeId();
            if (kt != QMetaType::LongLong && kt != QMetaType::QString && kt != QMetaType::QVariantList &&
                kt != QMetaType::QVariantMap && kt != QMetaType::QUuid &&
                key.metaType() != QMetaType::fromType<Range>())
                return tagFail(offset, tag,
                               u"key must be an integer, text, array, object, uuid or range, got %1"_s.arg(
                                   typeName(key)));
            *out = QVariant::fromValue(RecordId(list.at(0).toString(), key));
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

    QCborStreamReader m_reader;
    const char *m_data;
    qint64 m_size;
    std::vector<PathSegment> m_path;
    CodecError m_error;
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

bool CborCodec::decode(QByteArrayView bytes, QVariant *out, CodecError *error)
{
    registerMetaTypes();
    Decoder decoder(bytes);
    QVariant value;
    if (!decoder.run(&value)) {
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
