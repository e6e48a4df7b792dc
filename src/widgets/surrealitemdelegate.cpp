#include <SurrealQt/widgets/surrealitemdelegate.h>

#include "datetimeeditor_p.h"
#include "durationvalidator_p.h"
#include "recordideditor_p.h"

#include <SurrealQt/datetime.h>
#include <SurrealQt/decimal.h>
#include <SurrealQt/duration.h>
#include <SurrealQt/modellistmodel.h>
#include <SurrealQt/none.h>
#include <SurrealQt/querylistmodel.h>
#include <SurrealQt/recordid.h>

#include <QtCore/QAbstractProxyModel>
#include <QtCore/QRegularExpression>
#include <QtGui/QRegularExpressionValidator>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;

namespace SurrealQt {

namespace {

template<typename T>
bool holds(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<T>();
}

bool isSurrealType(QMetaType type)
{
    return type == QMetaType::fromType<DateTime>() || type == QMetaType::fromType<Decimal>() ||
           type == QMetaType::fromType<Duration>() || type == QMetaType::fromType<RecordId>();
}

bool isEmpty(const QVariant &v)
{
    return !v.isValid() || isNone(v) || isNull(v);
}

// "2024-05-01 12:30:00.123456789 UTC": the server's RFC 3339 text, spaced for reading.
QString dateTimeText(const DateTime &dt)
{
    QString text = dt.toString();
    if (text.size() > 10 && text.at(10) == u'T')
        text[10] = u' ';
    if (text.endsWith(u'Z'))
        text = text.chopped(1) + u" UTC"_s;
    return text;
}

// "1h 30m 5s 250ms": the server's duration text with a space between its parts.
QString durationText(const Duration &d)
{
    static const QRegularExpression partEnd(u"(?<=[a-zµ])(?=[0-9])"_s);
    return d.toString().replace(partEnd, u" "_s);
}

QString decimalText(const Decimal &d, const QLocale &locale)
{
    QString text = d.toString();
    if (locale.decimalPoint() != u"."_s)
        text.replace(u'.', locale.decimalPoint());
    return text;
}

// Decimal text as typed: the C locale's point, or the user's.
Decimal decimalFromText(QString text, const QLocale &locale)
{
    text = text.trimmed();
    if (locale.decimalPoint() != u"."_s)
        text.replace(locale.decimalPoint(), u"."_s);
    return Decimal::fromString(text);
}

// A row's record id in a model given as record choices.
QVariant choiceId(const QAbstractItemModel *model, int row, int idRole)
{
    if (idRole >= 0)
        return model->data(model->index(row, 0), idRole);
    if (auto *q = qobject_cast<const QueryListModel *>(model))
        return q->recordId(row);
    if (qobject_cast<const ModelListModel *>(model))
        return model->data(model->index(row, 0), ModelListModel::IdRole);
    return model->data(model->index(row, 0), Qt::UserRole);
}

bool sameId(const QVariant &a, const QVariant &b)
{
    return holds<RecordId>(a) && holds<RecordId>(b) && a.value<RecordId>() == b.value<RecordId>();
}

bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.metaType() != b.metaType())
        return false;
    if (holds<DateTime>(a))
        return a.value<DateTime>() == b.value<DateTime>();
    if (holds<Decimal>(a))
        return a.value<Decimal>() == b.value<Decimal>();
    if (holds<Duration>(a))
        return a.value<Duration>() == b.value<Duration>();
    if (holds<RecordId>(a))
        return a.value<RecordId>() == b.value<RecordId>();
    return a == b;
}

} // namespace

SurrealItemDelegate::SurrealItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

SurrealItemDelegate::~SurrealItemDelegate() = default;

void SurrealItemDelegate::setColumnType(int column, QMetaType type)
{
    if (isSurrealType(type))
        m_columnTypes.insert(column, type);
    else
        m_columnTypes.remove(column);
}

QMetaType SurrealItemDelegate::columnType(int column) const
{
    return m_columnTypes.value(column);
}

void SurrealItemDelegate::setRecordChoices(int column, QAbstractItemModel *records, int idRole)
{
    if (records)
        m_choices.insert(column, Choices{records, idRole});
    else
        m_choices.remove(column);
}

QAbstractItemModel *SurrealItemDelegate::recordChoices(int column) const
{
    return m_choices.value(column).model;
}

QVariant SurrealItemDelegate::storedValue(const QModelIndex &index)
{
    QModelIndex source = index;
    const QAbstractItemModel *model = index.model();
    while (auto *proxy = qobject_cast<const QAbstractProxyModel *>(model)) {
        source = proxy->mapToSource(source);
        model = source.model();
    }
    if (!source.isValid())
        return {};
    // Both list models give Qt::EditRole in types Qt's own editors take (a QDateTime holds
    // milliseconds; decimals, durations and links are text): the field role has the stored value.
    if (auto *q = qobject_cast<const QueryListModel *>(model)) {
        QString field = q->columns().isEmpty() ? q->displayField() : q->columns().value(source.column());
        if (field.isEmpty())
            field = u"id"_s;
        const int role = q->roleForField(field);
        return role >= 0 ? q->data(source, role) : q->get(source.row()).value(field);
    }
    if (auto *m = qobject_cast<const ModelListModel *>(model)) {
        const int i = m->fieldNames().indexOf(m->displayField());
        if (i >= 0)
            return m->data(source, ModelListModel::FirstFieldRole + i);
    }
    return index.data(Qt::EditRole);
}

QMetaType SurrealItemDelegate::editType(const QModelIndex &index, const QVariant &stored) const
{
    if (isSurrealType(stored.metaType()))
        return stored.metaType();
    if (isEmpty(stored)) {
        if (m_choices.contains(index.column()))
            return QMetaType::fromType<RecordId>();
        return m_columnTypes.value(index.column());
    }
    return {};
}

QString SurrealItemDelegate::choiceText(int column, const QVariant &id) const
{
    const Choices c = m_choices.value(column);
    if (!c.model)
        return {};
    if (auto *q = qobject_cast<const QueryListModel *>(c.model.data()); q && c.idRole < 0) {
        const int row = q->rowOf(id);
        return row >= 0 ? q->data(q->index(row, 0), Qt::DisplayRole).toString() : QString();
    }
    for (int row = 0; row < c.model->rowCount(); ++row) {
        if (sameId(choiceId(c.model, row, c.idRole), id))
            return c.model->data(c.model->index(row, 0), Qt::DisplayRole).toString();
    }
    return {};
}

QString SurrealItemDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    if (holds<DateTime>(value))
        return value.value<DateTime>().isValid() ? dateTimeText(value.value<DateTime>()) : QString();
    if (holds<Decimal>(value))
        return decimalText(value.value<Decimal>(), locale);
    if (holds<Duration>(value))
        return durationText(value.value<Duration>());
    if (holds<RecordId>(value))
        return value.value<RecordId>().toString();
    return QStyledItemDelegate::displayText(value, locale);
}

void SurrealItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant stored = storedValue(index);
    if (!isSurrealType(stored.metaType()))
        return;
    option->features |= QStyleOptionViewItem::HasDisplay;
    if (holds<RecordId>(stored)) {
        const QString shown = choiceText(index.column(), stored);
        if (!shown.isEmpty()) {
            option->text = shown;
            return;
        }
    }
    option->text = displayText(stored, option->locale);
}

QWidget *SurrealItemDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                           const QModelIndex &index) const
{
    const QMetaType type = editType(index, storedValue(index));
    if (type == QMetaType::fromType<DateTime>())
        return new DateTimeEditor(parent);
    if (type == QMetaType::fromType<Decimal>()) {
        auto *edit = new QLineEdit(parent);
        edit->setFrame(false);
        // Plain digits with the C locale's point or the user's; no exponent, as the server takes none.
        const QString point = QRegularExpression::escape(option.locale.decimalPoint());
        edit->setValidator(new QRegularExpressionValidator(
            QRegularExpression(u"^\\s*[+-]?[0-9]*(?:(?:\\.|%1)[0-9]*)?\\s*$"_s.arg(point)), edit));
        edit->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return edit;
    }
    if (type == QMetaType::fromType<Duration>()) {
        auto *edit = new QLineEdit(parent);
        edit->setFrame(false);
        edit->setValidator(new DurationValidator(edit));
        edit->setPlaceholderText(tr("e.g. 1h 30m"));
        return edit;
    }
    if (type == QMetaType::fromType<RecordId>()) {
        const Choices c = m_choices.value(index.column());
        if (c.model) {
            auto *combo = new QComboBox(parent);
            for (int row = 0; row < c.model->rowCount(); ++row)
                combo->addItem(c.model->data(c.model->index(row, 0), Qt::DisplayRole).toString(),
                               choiceId(c.model, row, c.idRole));
            return combo;
        }
        return new RecordIdEditor(parent);
    }
    return QStyledItemDelegate::createEditor(parent, option, index);
}

void SurrealItemDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    const QVariant stored = storedValue(index);
    const QMetaType type = editType(index, stored);
    if (auto *e = qobject_cast<DateTimeEditor *>(editor); e && type == QMetaType::fromType<DateTime>()) {
        e->setDateTime(stored.value<DateTime>());
        return;
    }
    if (auto *e = qobject_cast<RecordIdEditor *>(editor); e && type == QMetaType::fromType<RecordId>()) {
        e->setRecordId(stored.value<RecordId>());
        return;
    }
    if (auto *combo = qobject_cast<QComboBox *>(editor); combo && type == QMetaType::fromType<RecordId>()) {
        int at = -1;
        for (int i = 0; i < combo->count() && at < 0; ++i) {
            if (sameId(combo->itemData(i), stored))
                at = i;
        }
        combo->setCurrentIndex(at);
        return;
    }
    if (auto *edit = qobject_cast<QLineEdit *>(editor)) {
        if (type == QMetaType::fromType<Decimal>()) {
            edit->setText(holds<Decimal>(stored) ? decimalText(stored.value<Decimal>(), edit->locale())
                                                 : QString());
            return;
        }
        if (type == QMetaType::fromType<Duration>()) {
            edit->setText(holds<Duration>(stored) ? durationText(stored.value<Duration>()) : QString());
            return;
        }
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void SurrealItemDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                       const QModelIndex &index) const
{
    const QVariant stored = storedValue(index);
    const QMetaType type = editType(index, stored);
    QVariant value;
    if (auto *e = qobject_cast<DateTimeEditor *>(editor); e && type == QMetaType::fromType<DateTime>()) {
        if (e->dateTime().isValid())
            value = QVariant::fromValue(e->dateTime());
    } else if (auto *e = qobject_cast<RecordIdEditor *>(editor);
               e && type == QMetaType::fromType<RecordId>()) {
        if (e->recordId().isValid())
            value = QVariant::fromValue(e->recordId());
    } else if (auto *combo = qobject_cast<QComboBox *>(editor);
               combo && type == QMetaType::fromType<RecordId>()) {
        value = combo->currentData();
    } else if (auto *edit = qobject_cast<QLineEdit *>(editor);
               edit && (type == QMetaType::fromType<Decimal>() || type == QMetaType::fromType<Duration>())) {
        if (type == QMetaType::fromType<Decimal>()) {
            const Decimal d = decimalFromText(edit->text(), edit->locale());
            if (d.isValid())
                value = QVariant::fromValue(d);
        } else {
            const Duration d = Duration::fromString(edit->text().remove(u' '));
            if (d.isValid() && !edit->text().trimmed().isEmpty())
                value = QVariant::fromValue(d);
        }
    } else {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    // Nothing valid typed, or the value it had: nothing is written.
    if (!value.isValid() || sameValue(value, stored))
        return;
    model->setData(index, value, Qt::EditRole);
}

} // namespace SurrealQt
