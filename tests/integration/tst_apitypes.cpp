// Issue 14: include/ has no QVariant parameter where a typed one exists. Every `QVariant`
// parameter of a public header is either on the allow-list below, with the reason it cannot
// be typed (any SurrealDB value, a QML entry point next to a typed C++ overload, a Qt
// override, the server's reply as it came), or this test fails and names it. A stale entry
// (the parameter is gone) fails too, so the list stays true. The detector is checked on
// known-bad text first, so the test proves it can fail.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

struct Param
{
    QString header;   // file name, e.g. "connection.h"
    QString function; // the name before the parameter list
    QString name;     // the parameter's name
    int line = 0;
    [[nodiscard]] QString key() const { return header + u'|' + function + u'|' + name; }
};

// Comments replaced by spaces (newlines kept, so line numbers hold); string literals are rare
// in headers and never contain "QVariant &".
QString withoutComments(const QString &text)
{
    QString out = text;
    for (qsizetype i = 0; i + 1 < out.size(); ++i) {
        if (out.at(i) == u'/' && out.at(i + 1) == u'/') {
            while (i < out.size() && out.at(i) != u'\n')
                out[i++] = u' ';
        } else if (out.at(i) == u'/' && out.at(i + 1) == u'*') {
            while (i + 1 < out.size() && !(out.at(i) == u'*' && out.at(i + 1) == u'/')) {
                if (out.at(i) != u'\n')
                    out[i] = u' ';
                ++i;
            }
            if (i + 1 < out.size()) {
                out[i] = u' ';
                out[i + 1] = u' ';
            }
        }
    }
    return out;
}

// Every `QVariant &name` / `QVariant name` parameter, with the function whose parameter list
// holds it (the identifier before the innermost open parenthesis).
QList<Param> qvariantParams(const QString &header, const QString &text)
{
    static const QRegularExpression param(uR"(\b(?:const\s+)?QVariant\s*&?\s*(\w+)\s*(?=[,)=]))"_s);
    const QString code = withoutComments(text);
    QList<Param> found;
    auto it = param.globalMatch(code);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        int depth = 0;
        qsizetype at = m.capturedStart() - 1;
        for (; at >= 0; --at) {
            const QChar c = code.at(at);
            if (c == u')')
                ++depth;
            else if (c == u'(' && depth-- == 0)
                break;
            else if ((c == u';' || c == u'{' || c == u'}') && depth == 0) {
                at = -1;
                break;
            }
        }
        if (at < 0)
            continue; // not in a parameter list (a member, a local)
        qsizetype end = at;
        while (end > 0 && code.at(end - 1).isSpace())
            --end;
        qsizetype start = end;
        while (start > 0 && (code.at(start - 1).isLetterOrNumber() || code.at(start - 1) == u'_'))
            --start;
        const QString function = code.mid(start, end - start);
        if (function.isEmpty() || function == u"Q_PROPERTY" || function == u"decltype")
            continue;
        found.append(
            Param{header, function, m.captured(1), int(code.left(m.capturedStart()).count(u'\n')) + 1});
    }
    return found;
}

// header|function|parameter -> why it stays a QVariant.
const QHash<QString, QString> &allowList()
{
    static const QString anyValue = u"any SurrealDB value (number, text, record id, object, ...)"_s;
    static const QString keyOrText =
        u"a key alone (42, \"ann\", an array) or record-id text; the typed RecordId overload is next to it"_s;
    static const QString untypedTarget =
        u"untyped call: a target with no typed form (record range, list of ids, text); "
        "the RecordId/Table overloads are next to it"_s;
    static const QString untypedData =
        u"untyped call: the data as the server takes it (map, or list for insert); "
        "the typed overloads take QVariantMap/QVariantList"_s;
    static const QString qmlEntry = u"Q_INVOKABLE entry point for QML; a typed C++ overload is next to it"_s;
    static const QString qmlSignal =
        u"signal also connected from QML, where the id arrives as a variant; C++ reads value<RecordId>()"_s;
    static const QString serverValue = u"the server's value as it came (a record, a diff, NONE)"_s;
    static const QHash<QString, QString> list = {
        {u"bound.h|included|value"_s, anyValue},
        {u"bound.h|excluded|value"_s, anyValue},
        {u"bound.h|Bound|value"_s, anyValue},
        {u"condition.h|Condition|value"_s, anyValue},
        {u"connection.h|let|value"_s, anyValue},
        {u"fieldinfo.h|check|value"_s, u"validates whatever the property holds"_s},
        {u"future.h|Future|value"_s, anyValue},
        {u"livenotification.h|LiveNotification|record"_s, serverValue},
        {u"livenotification.h|LiveNotification|result"_s, serverValue},
        {u"livequery.h|created|record"_s, serverValue},
        {u"livequery.h|updated|record"_s, serverValue},
        {u"livequery.h|deleted|recordId"_s, qmlSignal},
        {u"livequery.h|deleted|before"_s, serverValue},
        {u"model.h|setId|idOrKey"_s, keyOrText},
        {u"querylistmodel.h|rowOf|recordId"_s, qmlEntry},
        {u"querylistmodel.h|setField|value"_s, anyValue},
        {u"querylistmodel.h|setData|value"_s, u"QAbstractItemModel override"_s},
        {u"querylistmodel.h|writeFailed|recordId"_s, qmlSignal},
        {u"none.h|isNone|value"_s, u"a predicate on any value"_s},
        {u"none.h|isNull|value"_s, u"a predicate on any value"_s},
        {u"query.h|filter|value"_s, anyValue},
        {u"query.h|exclude|value"_s, anyValue},
        {u"query.h|get|idOrKey"_s, keyOrText},
        {u"query.h|getSync|idOrKey"_s, keyOrText},
        {u"querybase.h|fetchOne|idOrKey"_s, keyOrText},
        {u"querybase.h|fetchOneSync|idOrKey"_s, keyOrText},
        {u"querybase.h|recordId|idOrKey"_s,
         u"reads a key or record-id text into a RecordId: the conversion itself"_s},
        {u"queryresult.h|fromServer|reply"_s, serverValue},
        {u"recordid.h|RecordId|id"_s,
         u"a key of any type (number, text, array, object); the typed key constructors are next to it"_s},
        {u"recordid.h|inTable|idOrKey"_s,
         u"a key alone (42, \"ann\", an array) or record-id text, to be read"_s},
        {u"queryinterface.h|select|what"_s, untypedTarget},
        {u"queryinterface.h|create|what"_s, untypedTarget},
        {u"queryinterface.h|create|data"_s, untypedData},
        {u"queryinterface.h|insert|table"_s, untypedTarget},
        {u"queryinterface.h|insert|data"_s, untypedData},
        {u"queryinterface.h|insertRelation|table"_s, untypedTarget},
        {u"queryinterface.h|insertRelation|data"_s, untypedData},
        {u"queryinterface.h|upsert|what"_s, untypedTarget},
        {u"queryinterface.h|upsert|data"_s, untypedData},
        {u"queryinterface.h|merge|what"_s, untypedTarget},
        {u"queryinterface.h|merge|data"_s, untypedData},
        {u"queryinterface.h|remove|what"_s, untypedTarget},
        {u"requestinterface.h|update|what"_s, untypedTarget},
        {u"requestinterface.h|update|data"_s, untypedData},
        {u"requestinterface.h|patch|what"_s, untypedTarget},
        {u"requestinterface.h|relate|from"_s, untypedTarget},
        {u"requestinterface.h|relate|edge"_s, untypedTarget},
        {u"requestinterface.h|relate|to"_s, untypedTarget},
        {u"requestinterface.h|relate|data"_s, untypedData},
        {u"syncconnection.h|select|what"_s, untypedTarget},
        {u"syncconnection.h|create|what"_s, untypedTarget},
        {u"syncconnection.h|create|data"_s, untypedData},
        {u"syncconnection.h|insert|table"_s, untypedTarget},
        {u"syncconnection.h|insert|data"_s, untypedData},
        {u"syncconnection.h|insertRelation|table"_s, untypedTarget},
        {u"syncconnection.h|insertRelation|data"_s, untypedData},
        {u"syncconnection.h|update|what"_s, untypedTarget},
        {u"syncconnection.h|update|data"_s, untypedData},
        {u"syncconnection.h|upsert|what"_s, untypedTarget},
        {u"syncconnection.h|upsert|data"_s, untypedData},
        {u"syncconnection.h|merge|what"_s, untypedTarget},
        {u"syncconnection.h|merge|data"_s, untypedData},
        {u"syncconnection.h|patch|what"_s, untypedTarget},
        {u"syncconnection.h|remove|what"_s, untypedTarget},
        {u"syncconnection.h|relate|from"_s, untypedTarget},
        {u"syncconnection.h|relate|edge"_s, untypedTarget},
        {u"syncconnection.h|relate|to"_s, untypedTarget},
        {u"syncconnection.h|relate|data"_s, untypedData},
        {u"syncconnection.h|let|value"_s, anyValue},
    };
    return list;
}

// An entry whose reason promises a typed overload "next to it": the header must declare the same
// function with a RecordId or Table parameter.
bool promisesTypedTwin(const QString &reason)
{
    return reason.contains(u"overload"_s) && reason.contains(u"next to it"_s);
}

bool hasTypedTwin(const QString &code, const QString &function)
{
    const QRegularExpression twin(u"\\b"_s + QRegularExpression::escape(function) +
                                  uR"(\s*\([^;{]*?\bconst\s+(?:RecordId|Table)\s*&)"_s);
    return twin.match(code).hasMatch();
}

} // namespace

class tst_ApiTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectorFindsParameters()
    {
        const QString bad =
            u"class X {\n  // void f(const QVariant &c);\n  void g(int a, const QVariant &id,\n"
            "         const QVariant &data = {});\n  QVariant m_v;\n  void h(QVariant v);\n};"_s;
        const QList<Param> found = qvariantParams(u"x.h"_s, bad);
        QStringList keys;
        for (const Param &p : found)
            keys.append(p.key());
        QCOMPARE(keys, (QStringList{u"x.h|g|id"_s, u"x.h|g|data"_s, u"x.h|h|v"_s}));
        QCOMPARE(found.at(1).line, 4);
    }

    void noUntypedParameterOutsideTheAllowList()
    {
        const QDir dir(QStringLiteral(SURREALQT_SOURCE_DIR "/include/SurrealQt"));
        const QStringList headers = dir.entryList({u"*.h"_s}, QDir::Files, QDir::Name);
        QVERIFY2(headers.size() > 40, "the scan did not find the public headers");
        QStringList unexplained;
        QStringList noTwin;
        QSet<QString> seen;
        for (const QString &h : headers) {
            QFile f(dir.filePath(h));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(f.readAll());
            const QString code = withoutComments(text);
            for (const Param &p : qvariantParams(h, text)) {
                seen.insert(p.key());
                if (promisesTypedTwin(allowList().value(p.key())) && !hasTypedTwin(code, p.function))
                    noTwin.append(u"include/SurrealQt/%1:%2: %3 has no RecordId/Table overload"_s.arg(h)
                                      .arg(p.line)
                                      .arg(p.function));
                if (!allowList().contains(p.key()))
                    unexplained.append(
                        u"include/SurrealQt/%1:%2: %3(... QVariant %4 ...)"_s.arg(h).arg(p.line).arg(
                            p.function, p.name));
            }
        }
        noTwin.removeDuplicates();
        QVERIFY2(noTwin.isEmpty(),
                 qPrintable(u"QVariant entry points whose typed C++ overload is missing:\n"_s +
                            noTwin.join(u'\n')));
        QVERIFY2(unexplained.isEmpty(),
                 qPrintable(u"QVariant parameters without a reason (type them, or add them to the allow-list "
                            "with one):\n"_s +
                            unexplained.join(u'\n')));
        QStringList stale;
        for (auto it = allowList().cbegin(); it != allowList().cend(); ++it)
            if (!seen.contains(it.key()))
                stale.append(it.key());
        stale.sort();
        QVERIFY2(stale.isEmpty(),
                 qPrintable(u"allow-list entries with no such parameter any more:\n"_s + stale.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(tst_ApiTypes)
#include "tst_apitypes.moc"
