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
    FileRef(const QString &bucket, const QString &key)
        : m_bucket(bucket)
        , m_key(key)
    {}

    [[nodiscard]] QString bucket() const { return m_bucket; }
    [[nodiscard]] QString key() const { return m_key; }
    [[nodiscard]] bool isValid() const { return !m_bucket.isEmpty(); }

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

SURREALQT_EXPORT QDebug operator<<(QDebug debug, const FileRef &file);

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::FileRef)
