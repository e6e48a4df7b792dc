#pragma once

// Not public API: the editor SurrealItemDelegate gives a SurrealQt::DateTime. QDateTimeEdit holds
// milliseconds at most, so it edits the date and time to the second (in UTC, as stored) and a
// second field the fraction in nanoseconds.

#include <SurrealQt/datetime.h>

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QDateTimeEdit;
QT_END_NAMESPACE

namespace SurrealQt {

class NanosecondSpinBox;

class DateTimeEditor : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(SurrealQt::DateTime dateTime READ dateTime WRITE setDateTime USER true)

public:
    explicit DateTimeEditor(QWidget *parent = nullptr);

    [[nodiscard]] DateTime dateTime() const;
    void setDateTime(const DateTime &value);

    [[nodiscard]] QDateTimeEdit *dateTimeEdit() const { return m_edit; }
    [[nodiscard]] NanosecondSpinBox *fractionEdit() const { return m_fraction; }

private:
    QDateTimeEdit *m_edit;
    NanosecondSpinBox *m_fraction;
};

} // namespace SurrealQt
