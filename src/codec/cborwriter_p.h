#pragma once

// Not public API. Writes CBOR items straight into a QByteArray, with the calls of
// QCborStreamWriter the encoder uses and the same bytes (definite lengths only, doubles always
// in 8 bytes, text as UTF-8). QCborStreamWriter writes through a QBuffer it creates for each
// encode, one QIODevice::write() per item: for a request of a few items that was most of the
// cost of encoding it.

#include <QtCore/QByteArray>
#include <QtCore/qcborcommon.h>
#include <QtCore/QStringView>
#include <QtCore/QtEndian>

#include <cstring>

namespace SurrealQt {

class CborWriter
{
public:
    explicit CborWriter(QByteArray *buffer)
        : m_buffer(buffer)
    {}

    void startArray(quint64 count) { head(4, count); }
    void startMap(quint64 count) { head(5, count); }
    void endArray() {}
    void endMap() {}

    void append(qint64 value)
    {
        if (value >= 0)
            head(0, quint64(value));
        else
            head(1, quint64(-1 - value));
    }
    void append(quint64 value) { head(0, value); }
    void append(QCborTag tag) { head(6, quint64(tag)); }
    void append(bool value) { m_buffer->append(char(value ? 0xf5 : 0xf4)); }
    void append(std::nullptr_t) { m_buffer->append(char(0xf6)); }
    void append(double value)
    {
        char bytes[9];
        bytes[0] = char(0xfb);
        quint64 bits;
        std::memcpy(&bits, &value, sizeof bits);
        qToBigEndian(bits, bytes + 1);
        m_buffer->append(bytes, sizeof bytes);
    }
    void append(const QByteArray &bytes)
    {
        head(2, quint64(bytes.size()));
        m_buffer->append(bytes);
    }
    void append(QStringView text)
    {
        // ASCII, by far the common case, is copied narrowed in place; anything else goes through
        // QString's UTF-8 conversion, as QCborStreamWriter does.
        const char16_t *p = text.utf16();
        const qsizetype n = text.size();
        qsizetype i = 0;
        while (i < n && p[i] < 0x80)
            ++i;
        if (i == n) {
            head(3, quint64(n));
            const qsizetype at = m_buffer->size();
            m_buffer->resize(at + n);
            char *out = m_buffer->data() + at;
            for (qsizetype k = 0; k < n; ++k)
                out[k] = char(p[k]);
            return;
        }
        const QByteArray utf8 = text.toUtf8();
        head(3, quint64(utf8.size()));
        m_buffer->append(utf8);
    }

private:
    void head(int major, quint64 value)
    {
        const char type = char(major << 5);
        if (value < 24) {
            m_buffer->append(char(type | char(value)));
        } else if (value <= 0xff) {
            const char bytes[2] = {char(type | 24), char(value)};
            m_buffer->append(bytes, 2);
        } else if (value <= 0xffff) {
            char bytes[3] = {char(type | 25)};
            qToBigEndian(quint16(value), bytes + 1);
            m_buffer->append(bytes, 3);
        } else if (value <= 0xffffffffu) {
            char bytes[5] = {char(type | 26)};
            qToBigEndian(quint32(value), bytes + 1);
            m_buffer->append(bytes, 5);
        } else {
            char bytes[9] = {char(type | 27)};
            qToBigEndian(value, bytes + 1);
            m_buffer->append(bytes, 9);
        }
    }

    QByteArray *m_buffer;
};

} // namespace SurrealQt
