# qml-tasks started without --url, as a new user starts it: its own database (LocalServer) in its
# data folder, with HOME and XDG_DATA_HOME of the test's own. A task added by one run is still
# there in the next run (a new process, a new server on the same files).
#   cmake -DAPP=path -DWORK_DIR=dir -P run_local_qmltasks.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/home")
set(ENV{HOME} "${WORK_DIR}/home")
# The data folder follows XDG_DATA_HOME (QStandardPaths::AppDataLocation).
set(ENV{XDG_DATA_HOME} "${WORK_DIR}/data")
set(ENV{QT_QPA_PLATFORM} offscreen)
string(RANDOM LENGTH 8 ALPHABET abcdefghij word)
set(title "Water the plants ${word}")

execute_process(COMMAND "${APP}" --add-task "${title}" --timeout 100
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("first run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qml-tasks without --url could not add a task (exit ${rc})")
endif()
if(NOT EXISTS "$ENV{XDG_DATA_HOME}/qml-tasks/surrealdb/credentials.json")
    message(FATAL_ERROR "no LocalServer data folder under $ENV{XDG_DATA_HOME}/qml-tasks/surrealdb")
endif()

execute_process(COMMAND "${APP}" --list-tasks --timeout 100
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("second run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "qml-tasks without --url could not list its tasks (exit ${rc})")
endif()
string(FIND "${out}" "${title}\n" at)
if(at EQUAL -1)
    message(FATAL_ERROR "the task added by the first run is not there in the second")
endif()
