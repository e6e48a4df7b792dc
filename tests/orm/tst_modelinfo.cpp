// Model declarations, metadata, dirty tracking, toMap/fromMap and validation: pure code.

#include "testmodels.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace SurrealQt;
using namespace Qt::StringLiterals;

class tst_ModelInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tableNames()
    {
        QCOMPARE(ModelInfo::of<User>().tableName(), u"user"_s);
        QCOMPARE(ModelInfo::of<blog::BlogPost>().tableName(), u"post"_s);
        QCOMPARE(ModelInfo::of<blog::BlogPost>().className(), u"blog::BlogPost"_s);
        QCOMPARE(ModelInfo::tableNameFor(u"BlogPost"_s), u"blog_post"_s);
        QCOMPARE(ModelInfo::tableNameFor(u"shop::OrderLine"_s), u"order_line"_s);
        QCOMPARE(ModelInfo::tableNameFor(u"HTTPRequest"_s), u"http_request"_s);
        QCOMPARE(ModelInfo::tableNameFor(u"User2Role"_s), u"user2_role"_s);
        QCOMPARE(ModelInfo::of(&QObject::staticMetaObject), nullptr);
    }

    void fields()
    {
        const ModelInfo &info = ModelInfo::of<User>();
        QCOMPARE(info.fieldNames(), (QStringList{u"name"_s, u"email"_s, u"age"_s, u"address"_s, u"tags"_s,
                                                 u"createdAt"_s, u"updatedAt"_s}));
        const FieldInfo name = info.field(u"name");
        QVERIFY(name.isRequired());
        QCOMPARE(name.maxLength(), 40);
        QCOMPARE(name.description(), u"Full name"_s);
        QCOMPARE(name.type(), FieldInfo::Type::String);
        QCOMPARE(name.surrealType(), u"string"_s);
        QVERIFY(info.field(u"email").isUnique());
        QCOMPARE(info.field(u"age").defaultValue(), QVariant(18));
        QVERIFY(info.field(u"age").isIndexed());
        QVERIFY(info.field(u"createdAt").isAutoNowAdd());
        QVERIFY(info.field(u"updatedAt").isAutoNow());
        QCOMPARE(info.field(u"updatedAt").surrealType(), u"option<datetime>"_s);
        QCOMPARE(info.field(u"tags").surrealType(), u"array<string>"_s);
        QVERIFY(!info.field(u"nosuch").isValid());

        const ModelInfo &all = ModelInfo::of<Everything>();
        QCOMPARE(all.field(u"owner").linkTable(), u"user"_s);
        QCOMPARE(all.field(u"owner").linkModel(), &ModelInfo::of<User>());
        QCOMPARE(all.field(u"owner").surrealType(), u"record<user>"_s);
        QCOMPARE(all.field(u"numbers").surrealType(), u"array<int>"_s);
        QCOMPARE(all.field(u"items").surrealType(), u"array<string>"_s);
        QCOMPARE(all.field(u"maybe").surrealType(), u"option<int>"_s);
        QCOMPARE(all.field(u"price").surrealType(), u"decimal"_s);
        QCOMPARE(all.field(u"span").type(), FieldInfo::Type::Duration);
        QCOMPARE(all.field(u"uuid").type(), FieldInfo::Type::Uuid);
        QCOMPARE(all.field(u"place").type(), FieldInfo::Type::Geometry);
        QCOMPARE(all.field(u"whenMs").type(), FieldInfo::Type::DateTime);
        QCOMPARE(all.field(u"anything").surrealType(), u"any"_s);
        QCOMPARE(all.field(u"dict").type(), FieldInfo::Type::Object);
        QCOMPARE(ModelInfo::of<Doc>().versionField(), u"version"_s);
        QCOMPARE(ModelInfo::find(u"User"_s), &ModelInfo::of<User>());
        QCOMPARE(ModelInfo::find(u"post"_s), &ModelInfo::of<blog::BlogPost>());
    }

    void defaultsAndDirtyTracking()
    {
        User u;
        QCOMPARE(u.age(), 18); // default=18
        QVERIFY(u.isNew());
        QVERIFY(!u.isDirty());
        Everything e;
        QCOMPARE(e.price(), Decimal::fromString(u"9.99"));

        QSignalSpy ageChanged(&u, &User::ageChanged);
        QSignalSpy dirtyChanged(&u, &Model::dirtyChanged);
        u.setAge(30);
        u.setAge(30); // same value: no signal, nothing new
        u.setName(u"Ann"_s);
        QCOMPARE(ageChanged.size(), 1);
        QCOMPARE(dirtyChanged.size(), 1);
        QCOMPARE(u.dirtyFields(), (QStringList{u"name"_s, u"age"_s}));
        // Through the meta-object (QML, item views) it is the same.
        u.setProperty("email", u"a@b.c"_s);
        QVERIFY(u.isDirty(u"email"_s));
        u.clearDirty();
        QVERIFY(!u.isDirty());
        QCOMPARE(dirtyChanged.size(), 2);
    }

    void mapRoundTripKeepsTypes()
    {
        Everything e;
        e.setText(u"t"_s);
        e.setNumber(Q_INT64_C(9007199254740993)); // not representable as a double
        e.setWhen(DateTime(1700000000, 123456789));
        e.setSpan(Duration::fromString(u"1h30m"));
        e.setPrice(Decimal::fromString(u"12345678901234567890.123456789"));
        e.setOwner(RecordId(u"user"_s, u"ann"_s));
        e.setNumbers({1, 2, 3});
        const QVariantMap m = e.toMap();
        QCOMPARE(m.value(u"number"_s).toLongLong(), Q_INT64_C(9007199254740993));
        QCOMPARE(m.value(u"when"_s).value<DateTime>().nanoseconds(), 123456789);
        QCOMPARE(m.value(u"price"_s).value<Decimal>().toString(), u"12345678901234567890.123456789"_s);
        QVERIFY(isNone(m.value(u"nickname"_s))); // optional and empty: NONE, not ""
        QVERIFY(isNone(m.value(u"maybe"_s)));
        QVERIFY(!m.contains(u"id"_s));

        Everything back;
        QVERIFY(!back.fromMap(m).isValid());
        QCOMPARE(back.toMap(), m);
        QVERIFY(!back.isDirty()); // loading is not editing

        // Server shapes: integers arrive as qint64, lists as QVariantList.
        QVariantMap server{{u"numbers"_s, QVariantList{qint64(4), qint64(5)}},
                           {u"id"_s, QVariant::fromValue(RecordId(u"everything"_s, 1))}};
        QVERIFY(!back.fromMap(server).isValid());
        QCOMPARE(back.numbers(), (QList<qint64>{4, 5}));
        QCOMPARE(back.id(), RecordId(u"everything"_s, 1));

        // A value that cannot become the field's type changes nothing.
        const Error bad = back.fromMap({{u"text"_s, u"x"_s}, {u"numbers"_s, u"not a list"_s}});
        QCOMPARE(bad.kind(), Error::Kind::Validation);
        QVERIFY(bad.message().contains(u"Everything.numbers"_s));
        QCOMPARE(back.text(), u"t"_s);
    }

    void validation()
    {
        User u;
        Error e = u.validate();
        QCOMPARE(e.kind(), Error::Kind::Validation);
        QVERIFY2(e.message().contains(u"User.name"_s), qPrintable(e.message()));
        u.setName(QString(41, u'x'));
        u.setEmail(u"a@b.c"_s);
        e = u.validate();
        QVERIFY(e.message().contains(u"longer than 40"_s));
        QVERIFY(e.message().contains(u"User.name"_s));
        u.setName(u"Ann"_s);
        QVERIFY(!u.validate().isValid());

        blog::BlogPost p;
        p.setTitle(u"t"_s);
        p.setAuthor(RecordId(u"post"_s, 1)); // wrong table for link=User
        e = p.validate();
        QVERIFY2(e.message().contains(u"not a record of table user"_s), qPrintable(e.message()));

        Everything any;
        any.setMaybe(u"seven"_s); // type=int
        e = any.validate();
        QVERIFY2(e.message().contains(u"Everything.maybe"_s) && e.message().contains(u"seven"_s),
                 qPrintable(e.message()));
        any.setMaybe(7);
        any.setItems({u"a"_s, 3}); // of=string
        e = any.validate();
        QVERIFY2(e.message().contains(u"Everything.items[1]"_s), qPrintable(e.message()));
    }
};

QTEST_GUILESS_MAIN(tst_ModelInfo)
#include "tst_modelinfo.moc"
