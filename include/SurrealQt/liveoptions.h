#pragma once

#include <SurrealQt/global.h>

#include <QtCore/QObject>

namespace SurrealQt {

/*! How Connection::live(Table, LiveOptions) subscribes. A type of its own, not a bool, so that
    live(table, this) can only mean "parent = this" and never silently switch a mode on. */
struct SURREALQT_EXPORT LiveOptions
{
    Q_GADGET

public:
    /*! What each LiveNotification::result() carries. */
    enum class Mode {
        Records, //!< each notification carries the record after the change (before it, for a delete)
        Diff,    //!< each notification carries the change as JSON Patch operations
    };
    Q_ENUM(Mode)

    /*! Records unless set. */
    Mode mode = Mode::Records;
};

} // namespace SurrealQt
