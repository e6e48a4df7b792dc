#include "csvreader.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtCore/QTextStream>

using namespace Qt::StringLiterals;

namespace {

struct Record
{
    QStringList fields;
    int line = 0;
    bool end = false;
    QString error;
    int errorLine = 0;
};

// One record, which may span several lines when a quoted field holds line breaks.
Record readRecord(QTextStream &in, int *lineNo)
{
    Record r;
    if (in.atEnd()) {
        r.end = true;
        return r;
    }
    r.line = *lineNo + 1;
    QString field;
    bool quoted = false;
    bool afterQuote = false; // a quoted field ended; only a comma or the end of line may follow
    while (!in.atEnd()) {
        const QString line = in.readLine();
        ++*lineNo;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const QChar c = line.at(i);
            if (quoted) {
                if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else if (c == u'"') {
                    quoted = false;
                    afterQuote = true;
                } else {
                    field += c;
                }
            } else if (c == u',') {
                r.fields.append(field);
                field.clear();
                afterQuote = false;
            } else if (afterQuote) {
                r.error = u"line %1, column %2: text after a closing quote (a quote inside a "
                          u"quoted field is written \"\")"_s.arg(*lineNo)
                              .arg(i + 1);
                r.errorLine = *lineNo;
                return r;
            } else if (c == u'"') {
                if (!field.isEmpty()) {
                    r.error = u"line %1, column %2: a quote inside an unquoted field (quote the whole "
                              u"field and double the quote)"_s.arg(*lineNo)
                                  .arg(i + 1);
                    r.errorLine = *lineNo;
                    return r;
                }
                quoted = true;
            } else {
                field += c;
            }
        }
        if (!quoted)
            break;
        field += u'\n';
    }
    if (quoted) {
        r.error = u"line %1: a quoted field opened here is never closed"_s.arg(r.line);
        r.errorLine = r.line;
        return r;
    }
    r.fields.append(field);
    return r;
}

bool isBlank(const QStringList &fields)
{
    return fields.size() == 1 && fields.first().trimmed().isEmpty();
}

} // namespace

CsvReader::Result CsvReader::read(QIODevice *device)
{
    Result result;
    QTextStream in(device);
    int lineNo = 0;
    auto fail = [&result](const QString &error, int line) {
        result.error = error;
        result.errorLine = line;
        result.records.clear();
        result.lines.clear();
        return result;
    };

    Record header;
    do {
        header = readRecord(in, &lineNo);
    } while (!header.end && header.error.isEmpty() && isBlank(header.fields));
    if (header.end)
        return fail(u"the file is empty (the first line must name the fields)"_s, 1);
    if (!header.error.isEmpty())
        return fail(header.error, header.errorLine);
    QSet<QString> seen;
    for (qsizetype i = 0; i < header.fields.size(); ++i) {
        const QString name = header.fields.at(i).trimmed();
        if (name.isEmpty())
            return fail(u"line %1: column %2 of the header has no name"_s.arg(header.line).arg(i + 1),
                        header.line);
        if (seen.contains(name))
            return fail(u"line %1: the header names \"%2\" twice"_s.arg(header.line).arg(name), header.line);
        seen.insert(name);
        result.header.append(name);
    }

    for (;;) {
        Record r = readRecord(in, &lineNo);
        if (r.end)
            break;
        if (!r.error.isEmpty())
            return fail(r.error, r.errorLine);
        if (isBlank(r.fields))
            continue;
        if (r.fields.size() != result.header.size())
            return fail(u"line %1: %2 fields, but the header (line %3) names %4"_s.arg(r.line)
                            .arg(r.fields.size())
                            .arg(header.line)
                            .arg(result.header.size()),
                        r.line);
        result.records.append(r.fields);
        result.lines.append(r.line);
    }
    return result;
}

CsvReader::Result CsvReader::readFile(const QString &fileName)
{
    Result result;
    const QString shortName = QFileInfo(fileName).fileName();
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        result.error = u"Cannot open %1: %2"_s.arg(fileName, file.errorString());
        return result;
    }
    result = read(&file);
    if (!result.isOk())
        result.error = u"%1, %2"_s.arg(shortName, result.error);
    else if (result.records.isEmpty())
        result.error = u"%1 holds no records (only a header)"_s.arg(shortName);
    return result;
}

QStringList CsvReader::splitRecord(const QString &text, QString *error)
{
    QString copy = text;
    QTextStream in(&copy, QIODevice::ReadOnly);
    int lineNo = 0;
    Record r = readRecord(in, &lineNo);
    if (r.end)
        r.fields = {QString()};
    if (r.error.isEmpty() && !in.atEnd())
        r.error = u"one record on one line expected"_s;
    if (!r.error.isEmpty()) {
        // The value is a single line: "line 1, column 7: …" → "column 7: …".
        if (error)
            *error = r.error.startsWith(u"line 1, "_s)   ? r.error.mid(8)
                     : r.error.startsWith(u"line 1: "_s) ? r.error.mid(8)
                                                         : r.error;
        return {};
    }
    return r.fields;
}

QString CsvReader::joinRecord(const QStringList &fields)
{
    QStringList out;
    out.reserve(fields.size());
    for (const QString &f : fields) {
        if (f.contains(u',') || f.contains(u'"') || f.contains(u'\n') || f.contains(u'\r'))
            out.append(u'"' + QString(f).replace(u"\""_s, u"\"\""_s) + u'"');
        else
            out.append(f);
    }
    return out.join(u',');
}
