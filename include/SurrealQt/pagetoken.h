#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QMetaType>
#include <QtCore/QVariantMap>

namespace SurrealQt {

/*! Where the next page of a Query starts (see Query::page()). Opaque to callers: keep the one
    a page returned and pass it back. Which way the next page is found depends on the order:
     - by id (or no order): a record-id range `table:last>..`, constant cost per page;
     - by one field with the `index` or `unique` option (ties broken by id): from the last
       row's value; constant cost per page in ascending order; in descending order the engine
       sorts the rows before the position (see docs/models/model-operations.md, paging);
     - any other order: `START <offset>`, whose cost grows with the position. */
class SURREALQT_EXPORT PageToken
{
public:
    /*! How the next page is found (see the class description); End after the last page. */
    enum class Mode { Start, IdRange, KeySet, Offset, End };

    PageToken() = default; // the first page

    /*! How the next page is found. */
    [[nodiscard]] Mode mode() const { return m_mode; }
    /*! The token of the first page (a default-constructed one). */
    [[nodiscard]] bool isStart() const { return m_mode == Mode::Start; }
    /*! No more rows after the page that returned this token. */
    [[nodiscard]] bool isEnd() const { return m_mode == Mode::End; }
    /*! The last row's id and ordering values (IdRange, KeySet). */
    [[nodiscard]] QVariantMap keys() const { return m_keys; }
    /*! Rows already returned (Offset). */
    [[nodiscard]] qint64 offset() const { return m_offset; }

    /*! A token with the given parts; Query builds them, callers keep and pass back the ones it returns. */
    [[nodiscard]] static PageToken make(Mode mode, const QVariantMap &keys, qint64 offset)
    {
        PageToken t;
        t.m_mode = mode;
        t.m_keys = keys;
        t.m_offset = offset;
        return t;
    }

private:
    Mode m_mode = Mode::Start;
    QVariantMap m_keys;
    qint64 m_offset = 0;
};

} // namespace SurrealQt

Q_DECLARE_METATYPE(SurrealQt::PageToken)
