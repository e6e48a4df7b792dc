# Runs a plain .qml script with the `qml` tool against the test server, as docs/qml shows.
#   cmake -DQML=path/to/qml -DSCRIPT=file.qml -DIMPORT_PATH=dir -DURL_FILE=path -DEXPECT=regex -P run_qml_tool.cmake
if(DEFINED ENV{SURREALQT_TEST_URL} AND NOT "$ENV{SURREALQT_TEST_URL}" STREQUAL "")
    set(url "$ENV{SURREALQT_TEST_URL}")
else()
    file(READ "${URL_FILE}" url)
    string(STRIP "${url}" url)
endif()
set(ENV{QML_IMPORT_PATH} "${IMPORT_PATH}")
execute_process(COMMAND "${QML}" "${SCRIPT}" -- "${url}" root root
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qml ${SCRIPT} exited with ${rc}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
    message(FATAL_ERROR "output does not match '${EXPECT}'")
endif()
