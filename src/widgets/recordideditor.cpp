#include "recordideditor_p.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;

namespace SurrealQt {

RecordIdEditor::RecordIdEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QLabel(this))
    , m_key(new QLineEdit(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_table);
    layout->addWidget(m_key, 1);
    m_table->setTextFormat(Qt::PlainText);
    m_table->setBuddy(m_key);
    m_key->setFrame(false);
    setFocusProxy(m_key);
    setAutoFillBackground(true);
}

RecordId RecordIdEditor::recordId() const
{
    const QString text = m_key->text().trimmed();
    if (text.isEmpty())
        return {};
    const QString table = m_original.table();
    if (table.isEmpty())
        return RecordId::fromString(text);
    const QVariant key = m_original.id();
    if (key.metaType().id() == QMetaType::LongLong) {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        // Text that is no integer makes a text key.
        return ok ? RecordId(table, n) : RecordId(table, text);
    }
    if (key.metaType().id() == QMetaType::QString)
        return RecordId(table, text);
    // Other keys (uuid, array, object) are edited as the server prints them.
    return RecordId::fromString(RecordId(table, qint64(0)).toString().chopped(1) + text);
}

void RecordIdEditor::setRecordId(const RecordId &id)
{
    m_original = id;
    const QString table = id.isValid() ? id.table() : QString();
    m_table->setText(table.isEmpty() ? QString() : table + u':');
    m_table->setVisible(!table.isEmpty());
    const QVariant key = id.id();
    if (!id.isValid())
        m_key->clear();
    else if (key.metaType().id() == QMetaType::LongLong)
        m_key->setText(QString::number(key.toLongLong()));
    else if (key.metaType().id() == QMetaType::QString)
        m_key->setText(key.toString());
    else
        m_key->setText(id.toString().mid(RecordId(table, qint64(0)).toString().size() - 1));
    m_key->selectAll();
}

} // namespace SurrealQt
