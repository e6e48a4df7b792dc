// Tables and fields with hostile names, through every helper that writes the name into the
// query text: a name the server reads as a keyword or a value (`FROM true` is the value true,
// `FROM NONE` nothing) must still name the table, or the helpers answer silently wrong.

#include "futurewait.h"
#include "testserver.h"

#include <SurrealQt/connectionoptions.h>
#include <SurrealQt/crudhelpers.h>
#include <SurrealQt/databasemanager.h>
#include <SurrealQt/pagecursor.h>
#include <SurrealQt/table.h>

#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

// Waits for the future; a failure fails the test (and returns from it) instead of aborting the run.
#define RESULT(future, out)                                                                                  \
    do {                                                                                                     \
        auto f_ = (future);                                                                                  \
        const SurrealQt::Error e_ = failureOf(f_);                                                           \
        QVERIFY2(!e_.isValid(), qPrintable(e_.toString()));                                                  \
        out = f_.result();                                                                                   \
    } while (false)

namespace {

// Every word SurrealQL's lexer knows (SurrealDB 3.0: keywords, operators, types, languages,
// algorithms, distances), plus the value words and a few function namespaces.
const QStringList &allKeywords()
{
    static const QStringList words = [] {
        const char *list =
            "ACCESS AFTER ALGORITHM ALL ALTER ALWAYS ANALYZE ANALYZER API AS ASCENDING ASC ASCII ASSERT AT "
            "AUTHENTICATE AUTO BACKEND BATCH BEARER BEFORE BEGIN BLANK BM25 BREAK BUCKET BY CAMEL CANCEL "
            "CASCADE CHANGEFEED CHANGES CAPACITY CLASS COMMENT COMMIT CONCURRENTLY CONFIG CONTENT CONTINUE "
            "CREATE DATABASE DB DEFAULT DEFINE DELETE DESCENDING DESC DIFF DIMENSION DISTANCE DIST "
            "DOC_IDS_CACHE DOC_IDS_ORDER DOC_LENGTHS_CACHE DOC_LENGTHS_ORDER DROP DUPLICATE EDGENGRAM EFC "
            "EVENT ELSE END ENFORCED EXCLUDE EXISTS EXPIRE EXPIRED EXPLAIN EXPUNGE EXTEND_CANDIDATES false "
            "FETCH FIELD FIELDS COLUMNS FILTERS FLEXIBLE FLEXI FLEX FOR FROM FULL FULLTEXT FUNCTION "
            "FUNCTIONS "
            "GRANT GRAPHQL GROUP HEADERS HIGHLIGHTS HNSW IGNORE INCLUDE INDEX INFO INSERT INTO IF IS ISSUER "
            "JWT JWKS KEY KEEP_PRUNED_CONNECTIONS KILL LET LIMIT LIVE LOWERCASE LM M M0 MAPPER MIDDLEWARE ML "
            "MERGE MODEL MTREE MTREE_CACHE NAMESPACE NS NGRAM NO NOINDEX NONE NULL NUMERIC OMIT ON ONLY "
            "OPTION ORDER ORIGINAL OVERWRITE PARALLEL PARAM PASSHASH PASSWORD PATCH PERMISSIONS "
            "POSTINGS_CACHE POSTINGS_ORDER PUNCT PURGE RANGE READONLY REJECT RELATE RELATION REBUILD "
            "REFERENCE REFRESH REMOVE REPLACE RETURN REVOKE REVOKED ROLES ROOT KV SCHEMAFULL SCHEMAFUL "
            "SCHEMALESS SCOPE SC SEARCH SELECT SEQUENCE SESSION SET SHOW SIGNIN SIGNUP SINCE SLEEP SNOWBALL "
            "SPLIT START STRUCTURE TABLE TABLES TB TEMPFILES TERMS_CACHE TERMS_ORDER THEN THROW TIMEOUT TO "
            "TOKENIZERS TOKEN TRANSACTION true TYPE UNIQUE UNSET UPDATE UPSERT UPPERCASE URL USE USER VALUE "
            "VALUES VERSION VS WHEN WHERE WITH ALLINSIDE ANDKW ANYINSIDE INSIDE INTERSECTS NONEINSIDE "
            "NOTINSIDE OR OUTSIDE NOT AND COLLATE CONTAINSALL CONTAINSANY CONTAINSNONE CONTAINSNOT CONTAINS "
            "IN OUT NORMAL ANY ARRAY GEOMETRY RECORD FUTURE BOOL BYTES DATETIME DECIMAL DURATION FLOAT fn "
            "INT NUMBER OBJECT REGEX STRING UUID ULID RAND REFERENCES FEATURE LINE POINT POLYGON MULTIPOINT "
            "MULTILINE MULTIPOLYGON COLLECTION FILE ARABIC ARA AR DANISH DAN DA DUTCH NLD NL ENGLISH ENG EN "
            "FINNISH FIN FI FRENCH FRA FR GERMAN DEU DE GREEK ELL EL HUNGARIAN HUN HU ITALIAN ITA IT "
            "NORWEGIAN NOR PORTUGUESE POR PT ROMANIAN RON RO RUSSIAN RUS RU SPANISH SPA ES SWEDISH SWE SV "
            "TAMIL TAM TA TURKISH TUR TR EDDSA ES256 ES384 ES512 HS256 HS384 HS512 PS256 PS384 PS512 RS256 "
            "RS384 RS512 CHEBYSHEV COSINE EUCLIDEAN JACCARD HAMMING MANHATTAN MINKOWSKI PEARSON F64 F32 I64 "
            "I32 I16 GET POST PUT TRACE NaN Infinity nan infinity math time rand count string type array "
            "object record duration d s ms us ns h w y dec f";
        QStringList out;
        for (const QByteArray &w : QByteArray(list).split(' '))
            if (!w.isEmpty())
                out.append(QString::fromLatin1(w));
        // Lower case too: the lexer ignores case.
        const QStringList upper = out;
        for (const QString &w : upper)
            out.append(w.toLower());
        out.removeDuplicates();
        return out;
    }();
    return words;
}

} // namespace

class tst_HostileNames : public QObject
{
    Q_OBJECT

    std::unique_ptr<DatabaseManager> m_db;
    QString m_ns;

    Connection *c() { return m_db->connection(); }

    // Two records, made with the name bound (never spliced), so the setup cannot be fooled.
    void makeTable(const QString &name, int rows)
    {
        for (int i = 1; i <= rows; ++i) {
            const QueryResult r = AWAIT(c()->query(u"CREATE type::record($tb, $id) CONTENT { n: $id }"_s,
                                                   {{u"tb"_s, name}, {u"id"_s, i}}));
            QVERIFY2(r.isOk(), qPrintable(name + u": "_s + r.firstError().toString()));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestServer::url().isValid(), "no server: set SURREALQT_TEST_URL or run through ctest");
        m_ns = TestServer::uniqueName("hostile_");
        m_db = std::make_unique<DatabaseManager>(
            TestServer::url(), m_ns, u"test"_s, Credentials::root(TestServer::user(), TestServer::pass()),
            ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        AWAIT_VOID(m_db->open());
    }

    void cleanupTestCase()
    {
        if (m_db)
            AWAIT(c()->query(u"REMOVE NAMESPACE IF EXISTS type::string($ns)"_s, {{u"ns"_s, m_ns}}));
    }

    void helpersOnHostileTable_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n :
             {"true", "false", "NONE",   "NULL",  "null", "NaN", "Infinity", "SELECT", "WHERE",
              "FROM", "AND",   "RETURN", "VALUE", "rand", "IF",  "per son",  "a`b",    "`",
              "a\\b", "tâble", "表",     "1abc",  "123",  "a-b", "a⟩b",      "x;y"})
            QTest::newRow(n) << QString::fromUtf8(n);
    }

    // count, selectMany, updateMany, deleteMany and PageCursor on a table named like a keyword, a
    // value, or with characters that need quoting: the table's own rows, and only those.
    void helpersOnHostileTable()
    {
        QFETCH(QString, name);
        makeTable(name, 2);
        CrudHelpers h(c());
        const Table t(name);
        qint64 n = 0;
        RESULT(h.count(t), n);
        QCOMPARE(n, qint64(2));
        RESULT(h.count(t, u"n > $min"_s, {{u"min"_s, 1}}), n);
        QCOMPARE(n, qint64(1));
        QVariantList rows;
        RESULT(h.selectMany(t, {}, {}, -1, 0, u"n"_s), rows);
        QCOMPARE(rows.size(), 2);
        for (const QVariant &row : rows)
            QCOMPARE(row.toMap().value(u"id"_s).value<RecordId>().table(), name);
        RESULT(h.updateMany(t, u"n = $n"_s, {{u"n"_s, 2}}, {{u"m"_s, 5}}, CrudHelpers::UpdateMode::Merge),
               rows);
        QCOMPARE(rows.size(), 1);
        PageCursor::Page page;
        RESULT(PageCursor(c(), t, 10).fetch(), page);
        QCOMPARE(page.rows.size(), 2);
        RESULT(PageCursor(c(), t, 10).orderBy(u"n"_s).fetch(), page);
        QCOMPARE(page.rows.size(), 2);
        RESULT(h.deleteMany(t, u"n = $n"_s, {{u"n"_s, 1}}), rows);
        QCOMPARE(rows.size(), 1);
        RESULT(h.count(t), n);
        QCOMPARE(n, qint64(1));
        bool there = false;
        RESULT(h.exists(RecordId(name, 2)), there);
        QVERIFY(there);
    }

    // The rule for leaving a name unquoted, checked against the engine: every word its lexer
    // knows, as a table of one row, counted and read through the helpers.
    void everyKeywordNamesItsTable()
    {
        // A database of its own: the tables above already use some of these names.
        DatabaseManager kw(TestServer::url(), m_ns, u"keywords"_s,
                           Credentials::root(TestServer::user(), TestServer::pass()),
                           ConnectionOptions{.sockets = ConnectionOptions::Sockets::Single});
        QVERIFY(!failureOf(kw.open()).isValid());
        Connection *const k = kw.connection();
        CrudHelpers h(k);
        QStringList wrong;
        for (const QString &word : allKeywords()) {
            const QueryResult made =
                AWAIT(k->query(u"CREATE type::record($tb, 1) CONTENT { n: 1 }"_s, {{u"tb"_s, word}}));
            QVERIFY2(made.isOk(), qPrintable(word + u": "_s + made.firstError().toString()));
            const QFuture<qint64> n = h.count(Table(word));
            const Error e = failureOf(n);
            if (e.isValid() || n.result() != 1) {
                wrong.append(u"%1 (%2)"_s.arg(word, e.isValid() ? e.message() : QString::number(n.result())));
                continue;
            }
            const QFuture<QVariantList> sel = h.selectMany(Table(word));
            const Error se = failureOf(sel);
            if (se.isValid()) {
                wrong.append(u"%1 (select: %2)"_s.arg(word, se.message()));
                continue;
            }
            const QVariantList rows = sel.result();
            if (rows.size() != 1 || rows.first().toMap().value(u"id"_s).value<RecordId>().table() != word)
                wrong.append(u"%1 (select: %2 rows)"_s.arg(word).arg(rows.size()));
        }
        QVERIFY2(wrong.isEmpty(), qPrintable(u"tables answered wrongly: "_s + wrong.join(u", "_s)));
    }

    // Field paths written into the text: `ORDER BY true` orders by the constant true, not by the
    // field, and `WHERE true = $h_data.true` would match every record.
    void hostileFieldNames()
    {
        const QString tb = u"hostile_fields"_s;
        CrudHelpers h(c());
        QVERIFY(AWAIT(c()->query(u"CREATE type::record($tb, 1) CONTENT { `true`: 'b', `where`: 'b' };"
                                 "CREATE type::record($tb, 2) CONTENT { `true`: 'c', `where`: 'c' };"
                                 "CREATE type::record($tb, 3) CONTENT { `true`: 'a', `where`: 'a' }"_s,
                                 {{u"tb"_s, tb}}))
                    .isOk());
        QVariantList rows;
        RESULT(h.selectMany(Table(tb), {}, {}, -1, 0, u"true"_s), rows);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).toMap().value(u"true"_s).toString(), u"a"_s);
        QCOMPARE(rows.at(2).toMap().value(u"true"_s).toString(), u"c"_s);
        PageCursor::Page page;
        RESULT(PageCursor(c(), Table(tb), 2).orderBy(u"true"_s, Qt::DescendingOrder).fetch(), page);
        QCOMPARE(page.rows.size(), 2);
        QCOMPARE(page.rows.at(0).toMap().value(u"true"_s).toString(), u"c"_s);
        // Upsert by a key field named like a keyword: the record with that key is merged into, a
        // new key makes a new record. (SurrealDB 3.0.2 itself cannot keep an index on fields
        // named true, NONE or select: its stored definition reads back as the value.)
        QVariantMap stored;
        RESULT(h.upsertOne(Table(tb), u"where"_s, {{u"where"_s, u"a"_s}, {u"n"_s, 7}}, true), stored);
        RESULT(h.upsertOne(Table(tb), u"where"_s, {{u"where"_s, u"d"_s}, {u"n"_s, 9}}), stored);
        qint64 n = 0;
        RESULT(h.count(Table(tb)), n);
        QCOMPARE(n, qint64(4));
        RESULT(h.count(Table(tb), u"n = 7"_s), n);
        QCOMPARE(n, qint64(1));
    }
};

QTEST_GUILESS_MAIN(tst_HostileNames)
#include "tst_hostilenames.moc"
