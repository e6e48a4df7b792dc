# Installs the core library and the QML module of the build (as `cmake --install` does, but
# only those two: the tests need nothing else built) into a fresh prefix, for the QML tests that
# import the installed module: its qmldir, plugin, .qmltypes and the plugin's RPATH to the
# libraries.
#   cmake -DBUILD_DIR=dir -DPREFIX=dir -DQML_SUBDIR=lib/.../qt6/qml -P install_module.cmake
file(REMOVE_RECURSE "${PREFIX}")
# The top directory's own rules (the core library, its headers and CMake package; not the
# subdirectories'), then the QML module's directory.
foreach(script_and_local "${BUILD_DIR}/cmake_install.cmake|ON" "${BUILD_DIR}/qml/cmake_install.cmake|OFF")
    string(REPLACE "|" ";" parts "${script_and_local}")
    list(GET parts 0 script)
    list(GET parts 1 local_only)
    execute_process(COMMAND "${CMAKE_COMMAND}" -DCMAKE_INSTALL_PREFIX=${PREFIX}
        -DCMAKE_INSTALL_LOCAL_ONLY=${local_only} -P "${script}"
        RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "installing with ${script} failed (${rc}):\n${err}")
    endif()
endforeach()
set(import "${PREFIX}/${QML_SUBDIR}")
foreach(file qmldir SurrealQtQml.qmltypes)
    if(NOT EXISTS "${import}/SurrealQt/${file}")
        message(FATAL_ERROR "no installed module in ${import} (${file} is missing)")
    endif()
endforeach()
file(GLOB plugin "${import}/SurrealQt/*.so")
if(NOT plugin)
    message(FATAL_ERROR "no plugin in ${import}/SurrealQt")
endif()
message("installed the module into ${import}")
