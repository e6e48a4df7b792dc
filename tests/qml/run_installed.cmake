# Installs the build (the core library and the QML module) into a fresh prefix, then runs a Qt Quick Test file and a `qml` tool script against the
# installed module alone: its qmldir, plugin, .qmltypes and the plugin's RPATH to the libraries.
#   cmake -DBUILD_DIR=dir -DPREFIX=dir -DQML_SUBDIR=lib/.../qt6/qml -DRUNNER=tst_qml -DTEST_FILE=x.qml[|y.qml]
#         -DQML=qml -DSCRIPT=hello.qml -DURL_FILE=path -DEXPECT=regex -P run_installed.cmake
file(REMOVE_RECURSE "${PREFIX}")
# Only the core library and the QML module have install rules (no examples or tests).
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
set(import "${PREFIX}/${QML_SUBDIR}")
if(NOT EXISTS "${import}/SurrealQt/qmldir" OR NOT EXISTS "${import}/SurrealQt/SurrealQtQml.qmltypes")
    message(FATAL_ERROR "no installed module in ${import}")
endif()

if(DEFINED ENV{SURREALQT_TEST_URL} AND NOT "$ENV{SURREALQT_TEST_URL}" STREQUAL "")
    set(url "$ENV{SURREALQT_TEST_URL}")
else()
    file(READ "${URL_FILE}" url)
    string(STRIP "${url}" url)
endif()

set(ENV{SURREALQT_QML_INSTALLED_IMPORT_PATH} "${import}")
# TEST_FILE: one Qt Quick Test file, or several separated by "|".
string(REPLACE "|" ";" test_files "${TEST_FILE}")
foreach(test_file IN LISTS test_files)
    execute_process(COMMAND "${RUNNER}" -input "${test_file}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
    message("${out}${err}")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${test_file} against the installed module failed (${rc})")
    endif()
endforeach()

set(ENV{QML_IMPORT_PATH} "${import}")
execute_process(COMMAND "${QML}" "${SCRIPT}" -- "${url}" root root
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "${EXPECT}")
    message(FATAL_ERROR "${SCRIPT} against the installed module failed (${rc})")
endif()
