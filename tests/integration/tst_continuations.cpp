// The library must not bind a future's continuation to a QObject (`then(this, …)`,
// `onFailed(obj, …)`, `onCanceled(obj, …)`): in Qt 6.4 that continuation reads the object's
// QPointer on the finishing thread, asserts in a debug build and cancels the future in a release
// build when the object died first. The library delivers through Internal::deliverTo /
// Internal::PostBox (src/core/postbox_p.h) instead; see docs/threading.md.
//
// The scan reads the code as the compiler does: comments and string literals are blanked
// first, so neither hides a call nor raises a false alarm, and a call split over lines is still
// one call. It also proves it looked: enough files, and the detector itself is checked on
// known-good and known-bad text.

#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

// Comments and string/char literals replaced by spaces (newlines kept, so line numbers hold).
QString codeOnly(const QString &text)
{
    QString out = text;
    enum { Code, Line, Block, Str, Chr, Raw } state = Code;
    QString rawEnd;
    // True when the identifier run that ends right before `at` is empty or a literal's
    // encoding prefix (u'x', u8"x", LR"(x)"), so `at` starts a literal rather than ending a
    // word (1'000 is a digit separator, not a character literal).
    auto literalStarts = [&text](qsizetype at) {
        qsizetype s = at;
        while (s > 0 && (text.at(s - 1).isLetterOrNumber() || text.at(s - 1) == u'_'))
            --s;
        const QStringView word = QStringView(text).mid(s, at - s);
        return word.isEmpty() || word == u"u" || word == u"U" || word == u"L" || word == u"u8";
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar n = i + 1 < text.size() ? text.at(i + 1) : QChar();
        auto blank = [&](qsizetype at) {
            if (out.at(at) != u'\n')
                out[at] = u' ';
        };
        switch (state) {
        case Code:
            if (c == u'/' && n == u'/') {
                state = Line;
                blank(i);
            } else if (c == u'/' && n == u'*') {
                state = Block;
                blank(i);
                blank(++i);
            } else if (c == u'R' && n == u'"' && literalStarts(i)) {
                const qsizetype open = text.indexOf(u'(', i + 2);
                rawEnd = u')' + text.mid(i + 2, open - i - 2) + u'"';
                state = Raw;
                for (qsizetype k = i; k <= open; ++k)
                    blank(k);
                i = open;
            } else if (c == u'"') {
                state = Str;
                blank(i);
            } else if (c == u'\'' && literalStarts(i)) {
                state = Chr;
                blank(i);
            }
            break;
        case Line:
            if (c == u'\n')
                state = Code;
            else
                blank(i);
            break;
        case Block:
            blank(i);
            if (c == u'*' && n == u'/') {
                blank(++i);
                state = Code;
            }
            break;
        case Str:
        case Chr:
            blank(i);
            if (c == u'\\') {
                blank(++i);
            } else if ((state == Str && c == u'"') || (state == Chr && c == u'\'')) {
                state = Code;
            }
            break;
        case Raw:
            if (text.mid(i, rawEnd.size()) == rawEnd) {
                for (qsizetype k = i; k < i + rawEnd.size(); ++k)
                    blank(k);
                i += rawEnd.size() - 1;
                state = Code;
            } else {
                blank(i);
            }
            break;
        }
    }
    return out;
}

// A continuation whose first argument is an object (this, a pointer variable, a member, a
// call's result) rather than the lambda itself or a QtFuture::Launch policy.
const QRegularExpression boundContinuation(
    uR"(\b(then|onFailed|onCanceled)\s*\(\s*(?!QtFuture\s*::)(?!\[)(?!std\s*::)([A-Za-z_][\w:.>\-]*(?:\(\))?)\s*,)"_s);

QStringList findings(const QString &code, const QString &file)
{
    QStringList found;
    const QString clean = codeOnly(code);
    auto it = boundContinuation.globalMatch(clean);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const int line = int(clean.left(m.capturedStart()).count(u'\n')) + 1;
        found << u"%1:%2: %3(%4, …)"_s.arg(file).arg(line).arg(m.captured(1), m.captured(2));
    }
    return found;
}

} // namespace

class tst_Continuations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The detector itself: it must see the forms that were in the library, and not be fooled
    // by comments, strings, or continuations that take the lambda or a launch policy first.
    void detectorSeesBoundContinuations_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("hits");
        QTest::newRow("this") << u"f.then(this, [](int) {});"_s << 1;
        QTest::newRow("split over lines") << u"f\n    .then(this,\n  [] {})\n    .onFailed(m, [] {});"_s << 2;
        QTest::newRow("pointer variable") << u"gate.then(client, [] {});"_s << 1;
        QTest::newRow("member call") << u"x.then(d->q, [] {}).onCanceled(obj.get(), [] {});"_s << 2;
        QTest::newRow("onCanceled") << u"f.onCanceled(this, [] {});"_s << 1;
        QTest::newRow("lambda first") << u"f.then([](int v) { return v; }).onFailed([] {});"_s << 0;
        QTest::newRow("launch policy") << u"f.then(QtFuture::Launch::Sync, [] {});"_s << 0;
        QTest::newRow("line comment") << u"// f.then(this, [] {});\nint x;"_s << 0;
        QTest::newRow("block comment") << u"/* f.then(this,\n [] {}); */ int y;"_s << 0;
        QTest::newRow("string") << u"auto s = \"f.then(this, x)\"; auto t = u\"\\\"then(this, \"_s;"_s << 0;
        QTest::newRow("raw string") << u"auto s = R\"x(f.then(this, [] {}))x\";"_s << 0;
        QTest::newRow("after a string") << u"auto s = \"a\\\\\"; f.then(this, [] {});"_s << 1;
        QTest::newRow("char literal") << u"char q = '\"'; f.then(this, [] {});"_s << 1;
        QTest::newRow("prefixed literals")
            << u"auto a = u'\"'; auto b = uR\"(then(this, x))\"; int n = 1'000;"_s << 0;
        QTest::newRow("chained, context-free") << u"f.then(g).then(QtFuture::Launch::Sync, h);"_s << 0;
    }

    void detectorSeesBoundContinuations()
    {
        QFETCH(QString, code);
        QFETCH(int, hits);
        const QStringList found = findings(code, u"sample"_s);
        QVERIFY2(found.size() == hits, qPrintable(found.join(u"; "_s)));
    }

    void noBoundContinuationsInTheLibrary()
    {
        const QString root = QStringLiteral(SURREALQT_SOURCE_DIR);
        QStringList found;
        int files = 0;
        for (const char *dir : {"src", "qml"}) {
            QDirIterator it(root + u'/' + QLatin1StringView(dir), {u"*.cpp"_s, u"*.h"_s}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                QFile file(path);
                QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
                ++files;
                found << findings(QString::fromUtf8(file.readAll()), path.mid(root.size() + 1));
            }
        }
        // The library has about a hundred source files: far fewer means the scan looked in the
        // wrong place and would pass for nothing.
        QVERIFY2(files > 60, qPrintable(u"scanned only %1 files under %2"_s.arg(files).arg(root)));
        QVERIFY2(found.isEmpty(),
                 qPrintable(u"continuations bound to an object (use Internal::deliverTo):\n"_s +
                            found.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(tst_Continuations)
#include "tst_continuations.moc"
