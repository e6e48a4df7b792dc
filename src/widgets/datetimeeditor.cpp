#include "datetimeeditor_p.h"

#include "nanosecondspinbox_p.h"

#include <QtWidgets/QDateTimeEdit>
#include <QtWidgets/QHBoxLayout>

using namespace Qt::StringLiterals;

namespace SurrealQt {

DateTimeEditor::DateTimeEditor(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QDateTimeEdit(this))
    , m_fraction(new NanosecondSpinBox(this))
{
    m_edit->setTimeSpec(Qt::UTC);
    m_edit->setDisplayFormat(u"yyyy-MM-dd HH:mm:ss"_s);
    // QDateTimeEdit's default minimum is 1752; it can go down to year 100.
    m_edit->setMinimumDateTime(QDateTime(QDate(100, 1, 1), QTime(0, 0), Qt::UTC));
    m_edit->setAccessibleName(tr("Date and time (UTC)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_edit, 3);
    layout->addWidget(m_fraction, 2);
    setFocusProxy(m_edit);
    setAutoFillBackground(true);
}

DateTime DateTimeEditor::dateTime() const
{
    const QDateTime dt = m_edit->dateTime();
    if (!dt.isValid())
        return {};
    return DateTime(dt.toSecsSinceEpoch(), m_fraction->value());
}

void DateTimeEditor::setDateTime(const DateTime &value)
{
    const DateTime v = value.isValid() ? value : DateTime(DateTime::currentDateTime().seconds(), 0);
    m_edit->setDateTime(QDateTime::fromSecsSinceEpoch(v.seconds(), Qt::UTC));
    m_fraction->setValue(v.nanoseconds());
}

} // namespace SurrealQt
