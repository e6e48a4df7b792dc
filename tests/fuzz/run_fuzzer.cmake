# Runs one libFuzzer target for CTest (tests/fuzz/CMakeLists.txt):
#   -DMODE=replay: every file of CORPUS once (seeds and kept crash inputs), then exit;
#   -DMODE=fuzz:   SECONDS of fuzzing from CORPUS, new inputs into WORK (build tree), crashes into
#                  ARTIFACTS. The fuzzer's exit code is the test's result.
if(MODE STREQUAL "replay")
    file(GLOB inputs ${CORPUS}/*)
    list(LENGTH inputs count)
    message(STATUS "replaying ${count} inputs from ${CORPUS}")
    execute_process(COMMAND ${FUZZER} -runs=0 ${CORPUS} RESULT_VARIABLE rc)
else()
    file(MAKE_DIRECTORY ${WORK} ${ARTIFACTS})
    set(dict)
    if(DICT)
        set(dict -dict=${DICT})
    endif()
    # -timeout: one input running 10 s is a hang; -rss_limit_mb: the decoders must not allocate
    # what the input does not hold; -max_len: replies bigger than this add nothing.
    execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
        -max_len=16384 -print_final_stats=1 -artifact_prefix=${ARTIFACTS} ${dict} ${WORK} ${CORPUS}
        RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${rc}); a crash input is named above: add it to ${CORPUS} once fixed")
endif()
