#pragma once

// Not public API: the editor SurrealItemDelegate gives a SurrealQt::RecordId: the table is shown,
// fixed, and the key is edited. A key keeps its kind: an integer key stays an integer while the
// text is one, a text key stays text even when it is digits ("42" is author:⟨42⟩). Without a
// table (an empty cell) the whole id is typed: "author:tobie".

#include <SurrealQt/recordid.h>

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
QT_END_NAMESPACE

namespace SurrealQt {

class RecordIdEditor : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(SurrealQt::RecordId recordId READ recordId WRITE setRecordId USER true)

public:
    explicit RecordIdEditor(QWidget *parent = nullptr);

    // Invalid when the key text does not make a key (empty, or an id that does not parse).
    [[nodiscard]] RecordId recordId() const;
    void setRecordId(const RecordId &id);

    [[nodiscard]] QLineEdit *keyEdit() const { return m_key; }

private:
    QLabel *m_table;
    QLineEdit *m_key;
    RecordId m_original;
};

} // namespace SurrealQt
