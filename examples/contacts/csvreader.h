#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QIODevice;

// Reads a CSV file whose first record names the fields (RFC 4180: fields separated by commas,
// "quoted" fields may hold commas, doubled quotes and line breaks). Strict on purpose: an
// import that silently shifts or drops columns is worse than one that refuses the file, so any
// malformed record stops the read with an error naming its line, before anything is written.
class CsvReader
{
public:
    struct Result
    {
        QStringList header;
        QList<QStringList> records;
        // Empty when the whole file was read.
        QString error;
        // The (1-based) line the error is on, 0 without an error.
        int errorLine = 0;
        // The line each record starts on, to name it in later errors.
        QList<int> lines;

        [[nodiscard]] bool isOk() const { return error.isEmpty(); }
    };

    static Result read(QIODevice *device);
    // read() on a file; the error names the file ("bad.csv, line 3: …"), also when it cannot be
    // opened or holds a header only, so the menu and the command line refuse a file alike.
    static Result readFile(const QString &fileName);
    // One record written on a single line ("Ada, Countess",x → two fields), for command-line
    // values; error is set when the text is not one well-formed record.
    static QStringList splitRecord(const QString &text, QString *error);
    // The inverse for output: fields joined by commas, quoted when they need it, so what
    // `contacts --dump-rows` prints reads back through read().
    static QString joinRecord(const QStringList &fields);
};
