# Schema generation and migration against the real engine; included by tests/orm/CMakeLists.txt.
surrealqt_integration_test(tst_schema ${CMAKE_CURRENT_LIST_DIR}/tst_schema.cpp ${CMAKE_CURRENT_LIST_DIR}/testmodels.h)
# Record links, graph edges and the record cache (orm-relations); doc_snippets_relations.cpp
# holds docs/models/relations.md's examples, compiled and run by the test.
surrealqt_integration_test(tst_relations ${CMAKE_CURRENT_LIST_DIR}/tst_relations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/doc_snippets_relations.cpp ${CMAKE_CURRENT_LIST_DIR}/testmodels.h)
