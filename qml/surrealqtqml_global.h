#pragma once

#include <QtCore/qglobal.h>

#if defined(SURREALQT_QML_BUILD_LIBRARY)
#define SURREALQT_QML_EXPORT Q_DECL_EXPORT
#else
#define SURREALQT_QML_EXPORT Q_DECL_IMPORT
#endif
