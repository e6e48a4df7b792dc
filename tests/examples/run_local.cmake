# contacts started without --url, as a new user starts it: its own database (LocalServer) in its
# data folder. A contact added by one run is still there in the next run (a new process, a new
# server on the same files).   cmake -DAPP=path -DWORK_DIR=dir -P run_local.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
# The data folder follows XDG_DATA_HOME (QStandardPaths::AppDataLocation).
set(ENV{XDG_DATA_HOME} "${WORK_DIR}/data")
set(ENV{QT_QPA_PLATFORM} offscreen)
string(RANDOM LENGTH 8 ALPHABET abcdefghij name)
set(name "Local ${name}")

execute_process(COMMAND "${APP}" --add-contact "${name},local@example.com" --quit
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("first run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "contacts without --url could not add a contact (exit ${rc})")
endif()
if(NOT EXISTS "$ENV{XDG_DATA_HOME}/contacts/surrealdb/credentials.json")
    message(FATAL_ERROR "no LocalServer data folder under $ENV{XDG_DATA_HOME}/contacts/surrealdb")
endif()

execute_process(COMMAND "${APP}" --dump-rows
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
message("second run (${rc}):\n${out}${err}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "contacts without --url could not list its contacts (exit ${rc})")
endif()
string(FIND "${out}" "${name}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "the contact added by the first run is not there in the second")
endif()
