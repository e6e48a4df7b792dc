#include "orm/modelrowloader_p.h"

#include "codec/numbertypes_p.h"

#include <SurrealQt/fieldinfo.h>
#include <SurrealQt/modelinfo.h>
#include <SurrealQt/none.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QMetaProperty>
#include <QtCore/QSequentialIterable>
#include <QtCore/QVarLengthArray>

using namespace Qt::StringLiterals;

namespace SurrealQt {

ModelRowLoader::ModelRowLoader(const ModelInfo &info)
    : m_info(info)
    , m_table(info.tableName())
{
    const QMetaObject *mo = info.metaObject();
    m_fields.reserve(size_t(info.fields().size()));
    for (const FieldInfo &f : info.fields()) {
        const QMetaProperty p = mo->property(f.propertyIndex());
        Field field;
        field.name = f.name();
        field.type = f.metaType();
        field.declaring = p.enclosingMetaObject();
        field.relativeIndex = p.relativePropertyIndex();
        field.writable = p.isWritable() && field.declaring;
        field.anyType = field.type.id() == QMetaType::QVariant;
        m_fields.push_back(std::move(field));
    }
}

int ModelRowLoader::fieldOf(const QString &key)
{
    // Rows of one reply list their keys in one order: the slot after the last hit is the likely one.
    if (m_nextKey < m_keys.size()) {
        const KeySlot &slot = m_keys[m_nextKey];
        if (slot.key.constData() == key.constData() && slot.key.size() == key.size()) {
            ++m_nextKey;
            return slot.field;
        }
    }
    for (const KeySlot &slot : m_keys) {
        if (slot.key.constData() == key.constData() && slot.key.size() == key.size())
            return slot.field;
    }
    int found = -1;
    for (size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].name == key) {
            found = int(i);
            break;
        }
    }
    // Only text the strings own (literals and raw data may point at reused memory), and bounded:
    // rows whose keys are not shared would otherwise grow it by one per row.
    if (key.data_ptr().isMutable()) {
        if (m_keys.size() == maxKeys)
            m_keys.clear();
        m_keys.push_back({key, found});
        m_nextKey = m_keys.size();
    }
    return found;
}

bool ModelRowLoader::isOwnTable(const QString &table)
{
    // The rows of a reply share one table string (the decoder's key cache): after the first
    // row, a pointer comparison.
    if (!m_ownTableText.isEmpty() && table.constData() == m_ownTableText.constData() &&
        table.size() == m_ownTableText.size())
        return true;
    if (table != m_table)
        return false;
    m_ownTableText = table;
    return true;
}

namespace {

// The types a conversion between plain numbers may end in; between these, QVariant::convert()
// is QMetaType::convert() (every pair can convert).
bool isPlainNumber(int type)
{
    return type == QMetaType::Bool || NumberTypes::isInteger(type) || NumberTypes::isFloat(type);
}

} // namespace

std::optional<Error> ModelRowLoader::loadInto(Model *m, const QVariantMap &row)
{
    const auto slow = [&]() -> std::optional<Error> {
        Error e = load(m, row);
        if (e.isValid())
            return e;
        return std::nullopt;
    };
    m_nextKey = 0;
    // What Model::fromMap does, in the same order and with the same conversions; whatever it
    // would report as an error is left to it.
    const RecordId *newId = nullptr; // the row's own, or parsedId
    RecordId parsedId;
    const qsizetype fieldCount = qsizetype(m_fields.size());
    QVarLengthArray<const QVariant *, 32> values(fieldCount, nullptr);
    for (auto it = row.cbegin(); it != row.cend(); ++it) {
        // Compared inline: comparing with a bare u"id" measures the literal's length for every
        // key, and with a QLatin1StringView it is a call.
        if (it.key().size() == 2 && it.key().at(0) == u'i' && it.key().at(1) == u'd' && !isNone(*it)) {
            if (it->metaType() == QMetaType::fromType<RecordId>()) {
                newId = static_cast<const RecordId *>(it->constData());
                if (!isOwnTable(newId->table()))
                    return slow();
            } else {
                parsedId = RecordId::inTable(m_table, *it);
                if (!parsedId.isValid())
                    return slow();
                newId = &parsedId;
            }
        }
        // The key after the last one matched is the likely one (see fieldOf), checked here
        // without a call.
        int field;
        if (m_nextKey < m_keys.size() && m_keys[m_nextKey].key.constData() == it.key().constData() &&
            m_keys[m_nextKey].key.size() == it.key().size())
            field = m_keys[m_nextKey++].field;
        else
            field = fieldOf(it.key());
        if (field >= 0)
            values[field] = &*it;
    }

    // Only the values that convert get a variant here; reserved, so pointers into it stay valid.
    QVarLengthArray<QVariant, 32> converted;
    converted.reserve(fieldCount);
    for (qsizetype i = 0; i < fieldCount; ++i) {
        const QVariant *value = values[i];
        if (!value)
            continue;
        const Field &f = m_fields[size_t(i)];
        if (f.anyType || value->metaType() == f.type)
            continue;
        QVariant &c = converted.emplace_back();
        if (value->typeId() == QMetaType::LongLong && f.type.id() == QMetaType::Int) {
            // The server's integers into an int property, the usual conversion: what
            // QMetaType::convert() does (a truncating cast), without its converter look-up.
            c = QVariant(int(*static_cast<const qint64 *>(value->constData())));
        } else if (isNone(*value) || isNull(*value)) {
            c = QVariant(f.type);
        } else if (value->metaType().id() == QMetaType::QVariantList &&
                   f.type.id() != QMetaType::QVariantList &&
                   QMetaType::canView(f.type, QMetaType::fromType<QSequentialIterable>())) {
            // A typed list (QStringList, QList<qint64>, ...) filled element by element, as
            // Model::fromMap fills it.
            c = QVariant(f.type);
            QSequentialIterable seq;
            if (!QMetaType::view(f.type, c.data(), QMetaType::fromType<QSequentialIterable>(), &seq))
                return slow();
            const QMetaType itemType = seq.metaContainer().valueMetaType();
            for (const QVariant &element : value->toList()) {
                QVariant v = element;
                if (itemType.id() != QMetaType::QVariant && v.metaType() != itemType && !v.convert(itemType))
                    return slow();
                seq.addValue(v);
            }
        } else if (isPlainNumber(value->typeId()) && isPlainNumber(f.type.id()) && !value->isNull()) {
            // What QVariant::convert() would do, without its copy and converter look-ups.
            c = QVariant(f.type);
            if (!QMetaType::convert(value->metaType(), value->constData(), f.type, c.data()))
                return slow();
        } else {
            c = *value;
            if (!c.convert(f.type))
                return slow();
        }
        values[i] = &c;
    }

    // As QMetaProperty::write() calls the setter, without looking the property up again.
    const bool wasLoading = m->m_loading;
    m->m_loading = true;
    for (qsizetype i = 0; i < fieldCount; ++i) {
        const QVariant *value = values[i];
        const Field &f = m_fields[size_t(i)];
        if (!value || !f.writable)
            continue;
        // The setters take their argument by const reference, so the row's value is passed as
        // it is, without the copy QMetaProperty::write() makes.
        auto *variant = const_cast<QVariant *>(value);
        int status = -1;
        int flags = 0;
        void *argv[] = {f.anyType ? static_cast<void *>(variant) : const_cast<void *>(variant->constData()),
                        variant, &status, &flags};
        if (f.declaring->d.static_metacall)
            f.declaring->d.static_metacall(m, QMetaObject::WriteProperty, f.relativeIndex, argv);
        else
            QMetaObject::metacall(m, QMetaObject::WriteProperty,
                                  f.relativeIndex + f.declaring->propertyOffset(), argv);
    }
    m->m_loading = wasLoading;
    if (newId && newId->isValid() && m->m_id != *newId) {
        m->m_id = *newId;
        Q_EMIT m->idChanged();
    }
    m->setPersisted(true);
    return std::nullopt;
}

} // namespace SurrealQt
