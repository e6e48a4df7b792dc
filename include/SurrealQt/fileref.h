#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace SurrealQt {

/*! A reference to a file in a bucket (CBOR tag 55), SurrealQL `f"bucket:/key"`. */
class SURREALQT_EXPORT FileRef
{
    Q_GADGET
    Q_PROPERTY(QString bucket READ bucket CONSTANT)
    Q_PROPERTY(QString key READ key CONSTANT)

public:
    FileRef() = default;
    /*! The file key in bucket (the key usually starts with `/`). */
    FileRef(const QString &bucket, const QString &key)
        : m_bucket(bucket)
        , m_key(key)
    {}

    /*! The bucket's name. */
    [[nodiscard]] QString bucket() const { return m_bucket; }
    /*! The file's path inside the bucket. */
    [[nodiscard]] QString key() const { return m_key; }
    /*! False without a bucket name. */
    [[nodiscard]] bool isValid() const { return !m_bucket.isEmpty(); }

    /*! SurrealQL text: `f"bucket:/key"`, quotes and backslashes escaped. */
    Q_INVOKABLE [[nodiscard]] QString toString() const;

    friend bool operator==(const FileRef &a, const FileRef &b)
    {
        return a.m_bucket == b.m_bucket && a.m_key == b.m_key;
    }
    friend bool operator!=(const FileRef &a, const FileRef &b) { return !(a == b); }

private:
    QString m_bucket;
    QString m_key;
};

/*! Prints toString() for qDebug(). */
SURREALQT_EXPORT QDebug operator<<(QDebug debug, const FileRef &file);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::FileRef)
