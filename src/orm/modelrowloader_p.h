#pragma once

// Not public API: the one door through which ORM code outside Model turns a server row into a
// persisted object (Model::loadRow is private so user code cannot fake a loaded state).

#include <SurrealQt/error.h>
#include <SurrealQt/global.h>
#include <SurrealQt/model.h>

#include <QtCore/QMetaType>
#include <QtCore/QVariantMap>

#include <optional>
#include <vector>

namespace SurrealQt {

class ModelInfo;

class SURREALQT_EXPORT ModelRowLoader
{
public:
    static Error load(Model *m, const QVariantMap &row) { return m->loadRow(row); }

    // Loads many rows into objects of one model class with the same result as load(), for a
    // fraction of its cost per row: the field lookup, property indexes and meta-call entry
    // points are worked out once per loader, not once per field and row. A row with a value that
    // does not convert (or an id of another table) goes through load(), so errors stay Model's.
    explicit ModelRowLoader(const ModelInfo &info);
    // The model class whose objects it loads.
    [[nodiscard]] const ModelInfo &info() const { return m_info; }
    // Nothing when the row was loaded, else the error load() returns (no Error is built for a
    // loaded row: building one allocates).
    std::optional<Error> loadInto(Model *m, const QVariantMap &row);

private:
    struct Field
    {
        QString name;
        QMetaType type;
        int relativeIndex = -1; // in the metaobject declaring the property
        const QMetaObject *declaring = nullptr;
        bool writable = false;
        bool anyType = false; // a QVariant property takes any value as it is
    };
    // Rows of one reply share their key strings (the decoder's key cache), so a key's data
    // pointer names its field without comparing text after the first row. A loader kept across
    // replies (a list model's) starts over when full, with the keys of the rows it loads now.
    struct KeySlot
    {
        QString key; // holds the data alive, so its address cannot be reused for other text
        int field = -1;
    };

    int fieldOf(const QString &key);
    bool isOwnTable(const QString &table);

    static constexpr size_t maxKeys = 64;

    const ModelInfo &m_info;
    QString m_table;
    QString m_ownTableText; // held: the last text equal to m_table, so its address is not reused
    std::vector<Field> m_fields;
    std::vector<KeySlot> m_keys;
    size_t m_nextKey = 0; // where the next key of a row in the same order is expected
};

} // namespace SurrealQt
