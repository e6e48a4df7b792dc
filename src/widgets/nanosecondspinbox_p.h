#pragma once

// Not public API: the fraction of a second in nanoseconds, shown as nine digits after a point
// (".123456789"). Typing fewer digits means the leading ones (".5" is half a second).

#include <QtWidgets/QSpinBox>

namespace SurrealQt {

class NanosecondSpinBox : public QSpinBox
{
    Q_OBJECT

public:
    explicit NanosecondSpinBox(QWidget *parent = nullptr);

protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
};

} // namespace SurrealQt
