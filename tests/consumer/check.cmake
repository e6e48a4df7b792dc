# Builds SurrealQt from source in Release (-O3, warnings as errors, as CI does once), installs it
# into a scratch prefix, then configures, builds (Release, -Wall -Wextra -Werror) and runs the
# consumer against it: proof that find_package(SurrealQt) works for an outside project, that the
# umbrella header lists every public header, and that -O3-only warnings are caught.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${var} not set")
    endif()
endforeach()
get_filename_component(LIB_SOURCE_DIR "${SOURCE_DIR}/../.." ABSOLUTE)
# Kept between runs (outside the scratch area) so that repeated runs only rebuild what changed.
set(LIB_BUILD_DIR ${BUILD_DIR}/consumer-release-lib)
file(REMOVE_RECURSE ${WORK_DIR})

set(launcher)
find_program(CCACHE ccache)
if(CCACHE)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${LIB_SOURCE_DIR} -B ${LIB_BUILD_DIR} -G Ninja
    -DCMAKE_BUILD_TYPE=Release -DSURREALQT_WARNINGS_AS_ERRORS=ON -DSURREALQT_BUILD_TESTS=OFF
    -DSURREALQT_BUILD_EXAMPLES=OFF -DSURREALQT_BUILD_BENCHMARKS=OFF -DSURREALQT_BUILD_QML=OFF ${launcher}
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
    message(FATAL_ERROR "Release configure of the library failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${LIB_BUILD_DIR} RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "Release build of the library failed (an -O3-only warning?): ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --install ${LIB_BUILD_DIR} --prefix ${WORK_DIR}/prefix
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
    message(FATAL_ERROR "install failed: ${rc}")
endif()

# <SurrealQt/SurrealQt> must include every installed public header.
file(GLOB headers RELATIVE ${WORK_DIR}/prefix/include/SurrealQt ${WORK_DIR}/prefix/include/SurrealQt/*.h)
file(READ ${WORK_DIR}/prefix/include/SurrealQt/SurrealQt umbrella)
set(missing)
foreach(h ${headers})
    string(FIND "${umbrella}" "#include <SurrealQt/${h}>" at)
    if(at EQUAL -1)
        list(APPEND missing ${h})
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "include/SurrealQt/SurrealQt does not include: ${missing}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G Ninja
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "consumer configure failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "consumer build failed: ${rc}")
endif()
set(ENV{LD_LIBRARY_PATH} "${WORK_DIR}/prefix/lib:${WORK_DIR}/prefix/lib/x86_64-linux-gnu")
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "consumer printed: ${out}")
if(rc)
    message(FATAL_ERROR "consumer failed: ${rc}")
endif()
