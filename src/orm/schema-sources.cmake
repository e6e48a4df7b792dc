# Schema generation and migration; included by src/orm/CMakeLists.txt.
target_sources(SurrealQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schemachange.cpp)
target_sources(SurrealQt PUBLIC FILE_SET HEADERS BASE_DIRS ${SURREALQT_INCLUDE_DIR} FILES
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/schema.h
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/schemachange.h
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/schemaoptions.h)
# Record links, graph edges and the optional record cache (orm-relations).
target_sources(SurrealQt PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/modelrowloader_p.h
    ${CMAKE_CURRENT_LIST_DIR}/relations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/recordcache.cpp)
target_sources(SurrealQt PUBLIC FILE_SET HEADERS BASE_DIRS ${SURREALQT_INCLUDE_DIR} FILES
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/fetchresult.h
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/recordcache.h
    ${SURREALQT_INCLUDE_DIR}/SurrealQt/relations.h)
