# Runs qmllint over QML files against the installed SurrealQt module (IMPORT_PATH).
#   cmake -DQMLLINT=path -DIMPORT_PATH=dir -DFILES="a.qml;b.qml" [-DEXPECT_FILE=typos.qml] -P run_qmllint.cmake
# FILES must lint without a single warning or error (unresolved types, unqualified names, unknown
# properties, bad signal handlers, ...). EXPECT_FILE must give exactly the warnings its
# `// expect: <message>` comments name, each on the comment's line: the linter knows the types
# well enough to find a misspelt member (an unknown type would give no such warning, or others).
# Run from a directory without .qmltypes or .qmllint.ini files: qmllint picks those up from its
# working directory (--ignore-settings is no way out: in 6.4 it also drops the -I paths).
set(failed FALSE)
set(total 0)
foreach(file IN LISTS FILES)
    execute_process(COMMAND "${QMLLINT}" -I "${IMPORT_PATH}" "${file}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    string(REGEX MATCHALL "(^|\n)(Warning|Error):" hits "${out}${err}")
    list(LENGTH hits count)
    math(EXPR total "${total} + ${count}")
    message("${file}: ${count} warnings")
    if(NOT rc EQUAL 0 OR count GREATER 0)
        message("${out}${err}")
        set(failed TRUE)
    endif()
endforeach()

if(EXPECT_FILE)
    execute_process(COMMAND "${QMLLINT}" -I "${IMPORT_PATH}" "${EXPECT_FILE}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    set(out "${out}${err}")
    get_filename_component(name "${EXPECT_FILE}" NAME)
    # "<path>/typos.qml:11:55: Property ..." -> "typos.qml:11: Property ..."
    string(REGEX REPLACE "[^\n ]*${name}:([0-9]+):[0-9]+: " "${name}:\\1: " located "${out}")
    file(STRINGS "${EXPECT_FILE}" lines)
    set(line_no 0)
    set(expected 0)
    foreach(line IN LISTS lines)
        math(EXPR line_no "${line_no} + 1")
        if(line MATCHES "// expect: (.*)$")
            math(EXPR expected "${expected} + 1")
            string(FIND "${located}" "${name}:${line_no}: ${CMAKE_MATCH_1}" at)
            if(at EQUAL -1)
                message("${name}:${line_no}: expected warning missing: ${CMAKE_MATCH_1}")
                set(failed TRUE)
            endif()
        endif()
    endforeach()
    string(REGEX MATCHALL "(^|\n)Warning:" hits "${out}")
    list(LENGTH hits count)
    message("${name}: ${count} warnings, ${expected} expected")
    if(NOT count EQUAL expected)
        message("${out}")
        set(failed TRUE)
    endif()
endif()

if(failed)
    message(FATAL_ERROR "qmllint: unexpected warnings (see above)")
endif()
message("qmllint: ${total} warnings in the project's QML files")
