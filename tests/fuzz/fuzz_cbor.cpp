// libFuzzer target: SurrealDB's CBOR dialect as it arrives from the network.
// Any input must decode, or fail with a CodecError that has a message; never crash, hang or
// allocate beyond what the input justifies. What decodes must encode again, and encoding is
// stable: decode(encode(v)) encodes to the same bytes (no value changes meaning on a round trip).

#include "codec/cborcodec_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace SurrealQt;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &bytes)
{
    std::fprintf(stderr, "fuzz_cbor: %s (%lld bytes)\n", what, static_cast<long long>(bytes.size()));
    std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QVariant value;
    CodecError error;
    if (!CborCodec::decode(input, &value, &error)) {
        if (!error.isError())
            fail("decode failed without a message", input.toByteArray());
        return 0;
    }
    CodecError encodeError;
    const QByteArray once = CborCodec::encode(value, &encodeError);
    if (encodeError.isError() || once.isEmpty()) {
        std::fprintf(stderr, "encode error: %s\n", qPrintable(encodeError.message));
        fail("a decoded value does not encode", input.toByteArray());
    }
    QVariant again;
    CodecError againError;
    if (!CborCodec::decode(once, &again, &againError)) {
        std::fprintf(stderr, "decode error: %s\n", qPrintable(againError.message));
        fail("our own encoding does not decode", once);
    }
    if (CborCodec::encode(again) != once)
        fail("a round trip changed the value", once);
    return 0;
}
