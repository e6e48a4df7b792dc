# Schema generation and migration against the real engine; included by tests/orm/CMakeLists.txt.
surrealqt_integration_test(tst_schema ${CMAKE_CURRENT_LIST_DIR}/tst_schema.cpp ${CMAKE_CURRENT_LIST_DIR}/testmodels.h)
