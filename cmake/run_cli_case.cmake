# Golden CLI test driver: cmake -DCLTV=<binary> -DCASE_DIR=<dir> -DWORKING_DIR=<dir> -P run_cli_case.cmake
#
# A case directory holds:
#   args             one argument per line (empty lines ignored)
#   stdin            optional: fed to the binary's standard input
#   expected.stdout  expected standard output (exact)
#   expected.rc      expected exit code
#   expected.stderr  optional: expected standard error (exact); every error case has one
# With the environment variable CLTV_BLESS=1 the expected files are rewritten
# from the actual run (review the diff before committing).

file(STRINGS "${CASE_DIR}/args" args_lines ENCODING UTF-8)
set(args "")
foreach(line IN LISTS args_lines)
  if(NOT line STREQUAL "")
    list(APPEND args "${line}")
  endif()
endforeach()

set(input_option "")
if(EXISTS "${CASE_DIR}/stdin")
  set(input_option INPUT_FILE "${CASE_DIR}/stdin")
endif()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env NO_COLOR=1 "${CLTV}" ${args}
  WORKING_DIRECTORY "${WORKING_DIR}"
  ${input_option}
  OUTPUT_VARIABLE actual_stdout
  ERROR_VARIABLE actual_stderr
  RESULT_VARIABLE actual_rc)

if(DEFINED ENV{CLTV_BLESS} AND "$ENV{CLTV_BLESS}" STREQUAL "1")
  file(WRITE "${CASE_DIR}/expected.stdout" "${actual_stdout}")
  file(WRITE "${CASE_DIR}/expected.rc" "${actual_rc}\n")
  if(NOT actual_stderr STREQUAL "" OR EXISTS "${CASE_DIR}/expected.stderr")
    file(WRITE "${CASE_DIR}/expected.stderr" "${actual_stderr}")
  endif()
  message(STATUS "blessed ${CASE_DIR}")
  return()
endif()

set(failed FALSE)
file(READ "${CASE_DIR}/expected.rc" expected_rc)
string(STRIP "${expected_rc}" expected_rc)
if(NOT actual_rc STREQUAL expected_rc)
  message(SEND_ERROR "exit code: expected ${expected_rc}, got ${actual_rc}\nstderr: ${actual_stderr}")
  set(failed TRUE)
endif()
file(READ "${CASE_DIR}/expected.stdout" expected_stdout)
if(NOT actual_stdout STREQUAL expected_stdout)
  message(SEND_ERROR "stdout differs.\n--- expected\n${expected_stdout}\n--- actual\n${actual_stdout}")
  set(failed TRUE)
endif()
if(EXISTS "${CASE_DIR}/expected.stderr")
  file(READ "${CASE_DIR}/expected.stderr" expected_stderr)
  if(NOT actual_stderr STREQUAL expected_stderr)
    message(SEND_ERROR "stderr differs.\n--- expected\n${expected_stderr}\n--- actual\n${actual_stderr}")
    set(failed TRUE)
  endif()
elseif(NOT actual_stderr STREQUAL "")
  message(SEND_ERROR "unexpected stderr (add expected.stderr if intended):\n${actual_stderr}")
  set(failed TRUE)
endif()
if(failed)
  message(FATAL_ERROR "case ${CASE_DIR} failed")
endif()
