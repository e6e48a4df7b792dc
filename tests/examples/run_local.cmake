# An example app started without --url, as a new user starts it: its own database (LocalServer)
# in its data folder, with HOME and XDG_DATA_HOME of the test's own. What one run adds is still
# there in the next run (a new process, a new server on the same files).
#   cmake -DAPP=path -DWORK_DIR=dir -DDATA_NAME=contacts "-DADD_ARGS=--add-contact|{name},x@y.z|--quit"
#         -DLIST_ARGS=--dump-rows -P run_local.cmake
# The arguments are separated by "|"; {name} in ADD_ARGS stands for a fresh random name, which the
# second run's output must show.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/home")
set(ENV{HOME} "${WORK_DIR}/home")
# The data folder follows XDG_DATA_HOME (QStandardPaths::AppDataLocation).
set(ENV{XDG_DATA_HOME} "${WORK_DIR}/data")
set(ENV{QT_QPA_PLATFORM} offscreen)
string(RANDOM LENGTH 8 ALPHABET abcdefghij word)
set(name "Local ${word}")
string(REPLACE "{name}" "${name}" add_args "${ADD_ARGS}")
string(REPLACE "|" ";" add_args "${add_args}")
string(REPLACE "|" ";" list_args "${LIST_ARGS}")

execute_process(COMMAND "${APP}" ${add_args}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("first run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${DATA_NAME} without --url could not add \"${name}\" (exit ${rc})")
endif()
if(NOT EXISTS "$ENV{XDG_DATA_HOME}/${DATA_NAME}/surrealdb/credentials.json")
    message(FATAL_ERROR "no LocalServer data folder under $ENV{XDG_DATA_HOME}/${DATA_NAME}/surrealdb")
endif()

execute_process(COMMAND "${APP}" ${list_args}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("second run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${DATA_NAME} without --url could not list what it stored (exit ${rc})")
endif()
string(FIND "${out}" "${name}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "\"${name}\", added by the first run, is not there in the second")
endif()
