#include <SurrealQt/fileref.h>

#include "valueformatter_p.h"

#include <QtCore/QDebug>

using namespace Qt::StringLiterals;

namespace SurrealQt {

QString FileRef::toString() const
{
    QString text = m_bucket + u':' + m_key;
    text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u"f\""_s + text + u'"';
}

QDebug operator<<(QDebug debug, const FileRef &file)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "SurrealQt::FileRef(" << file.toString() << ')';
    return debug;
}

} // namespace SurrealQt
