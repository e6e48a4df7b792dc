#pragma once

#include <QtCore/qglobal.h>

#if defined(SURREALQT_BUILD_LIBRARY)
#define SURREALQT_EXPORT Q_DECL_EXPORT
#else
#define SURREALQT_EXPORT Q_DECL_IMPORT
#endif
