#pragma once

#include <SurrealQt/widgets/widgetsglobal.h>

#include <QtCore/QHash>
#include <QtCore/QMetaType>
#include <QtCore/QPointer>
#include <QtWidgets/QStyledItemDelegate>

QT_BEGIN_NAMESPACE
class QAbstractItemModel;
QT_END_NAMESPACE

namespace SurrealQt {

/*!
    \class SurrealQt::SurrealItemDelegate
    \brief An item delegate that edits and shows the SurrealDB types Qt has no editor for.

    Set it on a QTableView / QListView (`view.setItemDelegate(new SurrealItemDelegate(&view))`)
    over a QueryListModel, a ModelListModel (through any QAbstractProxyModel) or any model whose
    Qt::EditRole holds these types. For a cell holding a

    - SurrealQt::DateTime: a date-and-time editor (to the second, in UTC) plus a field for the
      fraction of the second in nanoseconds; the nanoseconds are kept exactly;
    - SurrealQt::Decimal: a line edit taking plain digits; the text becomes a Decimal exactly,
      never through a double;
    - SurrealQt::Duration: a line edit taking durations as people write them ("1h 30m", "250ms");
    - SurrealQt::RecordId: the table shown fixed and the key edited, or, where
      setRecordChoices() gave the column a model of records, a combo box of those records.

    Every other cell gets QStyledItemDelegate's editor and text. Closing an editor without a change
    writes nothing (setData() is not called). The value written is the typed value
    (QVariant::fromValue(Decimal) and so on), which both list models store as it is.

    The typed value of a cell is found by storedValue(): the list models give Qt::EditRole and
    Qt::DisplayRole in types Qt's own editors take, so the delegate reads the column's field role.

    Cells shown through these editors read as people read them (displayText()):
    "2024-05-01 12:30:00.123456789 UTC", "12.50", "1h 30m", the linked record's display text when
    the column has record choices, else its id "author:tobie".

    Lives in the optional SurrealQt::Widgets library. Use it on the GUI thread only.
*/
class SURREALQT_WIDGETS_EXPORT SurrealItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    /*! Creates the delegate; \a parent owns it (usually the view). */
    explicit SurrealItemDelegate(QObject *parent = nullptr);
    /*! Destroys the delegate; the record-choice models are not owned and are left alone. */
    ~SurrealItemDelegate() override;

    /*!
        Edits the cells of \a column as \a type even where they hold no value yet (a field that is
        NONE in this record): the QMetaType of DateTime, Decimal, Duration or RecordId, e.g.
        `QMetaType::fromType<SurrealQt::Decimal>()`. An invalid QMetaType removes the hint. A cell
        that holds a value is always edited as the type of that value.
    */
    void setColumnType(int column, QMetaType type);
    /*! The type set with setColumnType() for \a column, an invalid QMetaType if none. */
    [[nodiscard]] QMetaType columnType(int column) const;

    /*!
        Edits the record links of \a column with a combo box of the rows of \a records (for
        example a QueryListModel or ModelListModel of the linked table): each row's
        Qt::DisplayRole is what the combo box and the cell show, and its record id what is
        stored. The id is read from \a idRole when given; otherwise from QueryListModel::recordId(),
        ModelListModel::IdRole, or, for any other model, Qt::UserRole. Only rows the model has
        loaded are offered (a paged model: call fetchAll() on it first for a long list).
        \a records is not owned; nullptr removes the choices.
    */
    void setRecordChoices(int column, QAbstractItemModel *records, int idRole = -1);
    /*! The model set with setRecordChoices() for \a column, nullptr if none. */
    [[nodiscard]] QAbstractItemModel *recordChoices(int column) const;

    /*!
        The typed value behind \a index: for a QueryListModel, the value of the column's field
        (its field role); for a ModelListModel, the display field's property value; through
        proxies (QAbstractProxyModel) to their source; for any other model, Qt::EditRole.
        An invalid QVariant (or a NONE value) when the cell holds nothing.
    */
    [[nodiscard]] static QVariant storedValue(const QModelIndex &index);

    /*! Text for \a value as people read it (see the class description); other types as
        QStyledItemDelegate shows them. */
    [[nodiscard]] QString displayText(const QVariant &value, const QLocale &locale) const override;
    /*! The editor for the cell's type (see the class description), or QStyledItemDelegate's. */
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    /*! Fills an editor made by createEditor() with the cell's typed value. */
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    /*! Writes the editor's typed value with setData(Qt::EditRole), and nothing when it equals the
        stored value or the editor holds no valid value. */
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    /*! Sets the cell's text from its typed value (storedValue()), so that the display does not
        show the model's SurrealQL text for these types. */
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    struct Choices
    {
        QPointer<QAbstractItemModel> model;
        int idRole = -1;
    };
    [[nodiscard]] QMetaType editType(const QModelIndex &index, const QVariant &stored) const;
    [[nodiscard]] QString choiceText(int column, const QVariant &id) const;

    QHash<int, QMetaType> m_columnTypes;
    QHash<int, Choices> m_choices;
};

} // namespace SurrealQt
