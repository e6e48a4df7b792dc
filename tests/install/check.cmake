# The installed package, used as an outside project would: installs the already built tree
# (default options, the QML module included) into a scratch prefix, then configures, builds and
# runs two fresh projects against it, the server's URL from the test fixture:
#  - cpp/: find_package(SurrealQt COMPONENTS Widgets), Release with -Wall -Wextra -Werror (so -O3-only warnings in the
#    public headers show up), offline checks and a write read back through the engine;
#  - qml/: find_package(SurrealQt COMPONENTS Qml); check.qml run by the `qml` tool with the
#    installed import path and by a C++ app linking SurrealQt::Qml.
# Nothing of the build tree is on any path: only the prefix.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR URL_FILE QML_TOOL)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${var} not set")
    endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

if(DEFINED ENV{SURREALQT_TEST_URL} AND NOT "$ENV{SURREALQT_TEST_URL}" STREQUAL "")
    set(url "$ENV{SURREALQT_TEST_URL}")
    set(user "$ENV{SURREALQT_TEST_USER}")
    set(pass "$ENV{SURREALQT_TEST_PASS}")
else()
    file(READ "${URL_FILE}" url)
    string(STRIP "${url}" url)
    set(user root)
    set(pass root)
endif()

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
    message(STATUS "${what}:\n${out}${err}")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc})")
    endif()
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# <SurrealQt/SurrealQt> must include every installed public header.
file(GLOB headers RELATIVE ${prefix}/include/SurrealQt ${prefix}/include/SurrealQt/*.h)
file(READ ${prefix}/include/SurrealQt/SurrealQt umbrella)
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

# The installed libraries must be found through their RPATHs and the prefix alone.
unset(ENV{LD_LIBRARY_PATH})
unset(ENV{QML_IMPORT_PATH})
unset(ENV{QML2_IMPORT_PATH})
set(ENV{QT_QPA_PLATFORM} offscreen)

foreach(project cpp qml)
    run("configure the ${project} consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/${project} -B ${WORK_DIR}/${project}
        -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
    run("build the ${project} consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/${project})
endforeach()

run("the C++ consumer" ${WORK_DIR}/cpp/consumer ${url} ${user} ${pass})

# LocalServer with the installed surreal-local, its npm packages fetched as docs/localserver.md says.
set(local_server ${prefix}/share/surrealqt/surreal-local)
run("npm ci in the installed surreal-local" npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY ${local_server})
execute_process(COMMAND ${WORK_DIR}/cpp/consumer --local ${WORK_DIR}/local-data
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message(STATUS "the C++ consumer on a LocalServer:\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the C++ consumer on a LocalServer failed (${rc})")
endif()
string(FIND "${err}" "starting ${local_server}/surreal-local" at)
if(at EQUAL -1)
    message(FATAL_ERROR "LocalServer did not run the installed surreal-local (${local_server})")
endif()

# surrealqt-inspect, installed: models from an existing database, compiled (-Werror) and used
# against it (inspect/main.cpp: no schema change planned, records read and written).
run("create the database to inspect" ${WORK_DIR}/cpp/consumer ${url} ${user} ${pass}
    ${SOURCE_DIR}/inspect/schema.surql)
set(ENV{SURREALQT_PASS} "${pass}")
run("surrealqt-inspect" ${prefix}/bin/surrealqt-inspect --url ${url} --namespace install --database inspect
    --user ${user} --out ${WORK_DIR}/inspect-generated)
unset(ENV{SURREALQT_PASS})
file(GLOB generated ${WORK_DIR}/inspect-generated/*.h)
foreach(header ${generated})
    file(READ ${header} text)
    message(STATUS "${header}:\n${text}")
endforeach()
run("configure the inspect consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/inspect -B ${WORK_DIR}/inspect -G Ninja
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} -DGENERATED_DIR=${WORK_DIR}/inspect-generated)
run("build the inspect consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/inspect)
run("the generated models" ${WORK_DIR}/inspect/inspected ${url} ${user} ${pass})

file(READ ${WORK_DIR}/qml/import-path.txt import_path)
string(FIND "${import_path}" "${prefix}/" at)
if(NOT at EQUAL 0)
    message(FATAL_ERROR "SurrealQt_QML_IMPORT_PATH is '${import_path}', not under the prefix ${prefix}")
endif()
run("check.qml in the qml tool" ${QML_TOOL} -I ${import_path} ${SOURCE_DIR}/qml/check.qml -- ${url} ${user} ${pass})
run("check.qml in an app linking SurrealQt::Qml" ${WORK_DIR}/qml/qmlconsumer -- ${url} ${user} ${pass})
