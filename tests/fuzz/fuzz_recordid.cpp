// libFuzzer target: record-id text (RecordId::fromString, and RecordId::inTable with text), as it
// comes from users, URLs and the server's printed ids. Any input parses or fails with a message;
// what parses prints back to text that parses to the same id.

#include <SurrealQt/recordid.h>

#include <QtCore/QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

namespace {
[[noreturn]] void fail(const char *what, const QString &text)
{
    std::fprintf(stderr, "fuzz_recordid: %s: %s\n", what, qPrintable(text));
    std::abort();
}

void check(const QString &text)
{
    QString error;
    const RecordId id = RecordId::fromString(text, &error);
    if (!id.isValid()) {
        if (error.isEmpty())
            fail("refused without a message", text);
        return;
    }
    const QString printed = id.toString();
    QString againError;
    const RecordId again = RecordId::fromString(printed, &againError);
    if (!again.isValid()) {
        std::fprintf(stderr, "printed as %s: %s\n", qPrintable(printed), qPrintable(againError));
        fail("an id's own text does not parse", text);
    }
    if (again != id) {
        std::fprintf(stderr, "printed as %s, read back as %s\n", qPrintable(printed),
                     qPrintable(again.toString()));
        fail("an id's own text names another record", text);
    }
    // The table-bound reading must agree with fromString for the id's own table.
    QString inError;
    const RecordId bound = RecordId::inTable(id.table(), printed, &inError);
    if (bound != id)
        fail("inTable reads an id's text differently", text);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // UTF-8 (how text arrives from files and the network) and, for lone surrogates and the
    // like, the same bytes as UTF-16 code units.
    check(QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size)));
    QString utf16(qsizetype(size / 2), Qt::Uninitialized);
    std::memcpy(utf16.data(), data, size / 2 * sizeof(QChar));
    check(utf16);
    // A key in a known table: whatever it is, it is a record of that table or refused.
    QString error;
    const RecordId key = RecordId::inTable(
        u"user"_s, QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (key.isValid() && key.table() != u"user"_s)
        fail("inTable gave a record of another table", key.toString());
    if (!key.isValid() && error.isEmpty())
        fail("inTable refused without a message", key.toString());
    return 0;
}
