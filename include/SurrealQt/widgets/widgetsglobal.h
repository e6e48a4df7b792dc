#pragma once

// The export macro of SurrealQt::Widgets (libSurrealQtWidgets), the optional library of Qt Widgets
// helpers. It is a separate library so that the core (SurrealQt::SurrealQt) never links QtWidgets:
// find_package(SurrealQt COMPONENTS Widgets) and link SurrealQt::Widgets to use it.

#include <QtCore/qglobal.h>

#if defined(SURREALQT_BUILD_WIDGETS_LIBRARY)
#define SURREALQT_WIDGETS_EXPORT Q_DECL_EXPORT
#else
#define SURREALQT_WIDGETS_EXPORT Q_DECL_IMPORT
#endif
