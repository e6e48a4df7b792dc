#pragma once

// Models shared by the ORM tests.

#include <SurrealQt/model.h>
#include <SurrealQt/values.h>

#include <QtCore/QDateTime>
#include <QtCore/QUuid>

class User : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(User)
    Q_CLASSINFO("name", "required maxLength=40 description='Full name'")
    Q_CLASSINFO("email", "required unique")
    Q_CLASSINFO("age", "default=18 index")
    Q_CLASSINFO("createdAt", "autoNowAdd optional")
    Q_CLASSINFO("updatedAt", "autoNow optional")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QString, email, setEmail)
    SURREALQT_FIELD(int, age, setAge)
    SURREALQT_FIELD(QVariantMap, address, setAddress)
    SURREALQT_FIELD(QStringList, tags, setTags)
    SURREALQT_FIELD(SurrealQt::DateTime, createdAt, setCreatedAt)
    SURREALQT_FIELD(SurrealQt::DateTime, updatedAt, setUpdatedAt)
};

namespace blog {
// Explicit table name; a record link to User.
class BlogPost : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(BlogPost)
    Q_CLASSINFO("table", "post")
    Q_CLASSINFO("title", "required")
    Q_CLASSINFO("author", "link=User")
    SURREALQT_FIELD(QString, title, setTitle)
    SURREALQT_FIELD(SurrealQt::RecordId, author, setAuthor)
    SURREALQT_FIELD(QList<qint64>, scores, setScores)
};
} // namespace blog

// A field of every SurrealDB type.
class Everything : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Everything)
    Q_CLASSINFO("owner", "link=User")
    Q_CLASSINFO("nickname", "optional")
    Q_CLASSINFO("maybe", "type=int optional")
    Q_CLASSINFO("items", "of=string")
    Q_CLASSINFO("price", "default=9.99")
    SURREALQT_FIELD(QString, text, setText)
    SURREALQT_FIELD(qint64, number, setNumber)
    SURREALQT_FIELD(double, real, setReal)
    SURREALQT_FIELD(bool, flag, setFlag)
    SURREALQT_FIELD(SurrealQt::DateTime, when, setWhen)
    SURREALQT_FIELD(QDateTime, whenMs, setWhenMs)
    SURREALQT_FIELD(SurrealQt::Duration, span, setSpan)
    SURREALQT_FIELD(SurrealQt::Decimal, price, setPrice)
    SURREALQT_FIELD(QUuid, uuid, setUuid)
    SURREALQT_FIELD(SurrealQt::Geometry, place, setPlace)
    SURREALQT_FIELD(QByteArray, blob, setBlob)
    SURREALQT_FIELD(SurrealQt::RecordId, owner, setOwner)
    SURREALQT_FIELD(QVariantList, items, setItems)
    SURREALQT_FIELD(QList<qint64>, numbers, setNumbers)
    SURREALQT_FIELD(QVariantMap, dict, setDict)
    SURREALQT_FIELD(QVariant, anything, setAnything)
    SURREALQT_FIELD(QVariant, maybe, setMaybe)
    SURREALQT_FIELD(QString, nickname, setNickname)
};

// Optimistic locking through a version field.
class Doc : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Doc)
    Q_CLASSINFO("versionField", "version")
    SURREALQT_FIELD(QString, body, setBody)
    SURREALQT_FIELD(qint64, version, setVersion)
};

// A list of record links (array<record<user>>).
class Team : public SurrealQt::Model
{
    Q_OBJECT
    SURREALQT_MODEL(Team)
    Q_CLASSINFO("members", "link=User")
    SURREALQT_FIELD(QString, name, setName)
    SURREALQT_FIELD(QList<SurrealQt::RecordId>, members, setMembers)
};
