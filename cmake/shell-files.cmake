# Shell completions and the man page, generated at build time by the built
# binary (so they always match its options), and installed where bash, zsh,
# fish and man look for them.
#   completions: `cltv completion bash|zsh|fish` walks the CLI11 definition
#   man page:    help2man (Debian package help2man) from --help/--version, with
#                every subcommand's --help (doc/man-commands.sh) and
#                doc/cltv.h2m (exit status, environment, files)

set(CLTV_SHELL_DIR "${PROJECT_BINARY_DIR}/shell")
# Debian's zsh reads /usr/share/zsh/vendor-completions; for a /usr/local
# install use share/zsh/site-functions.
set(CLTV_INSTALL_ZSH_COMPLETIONDIR "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions"
  CACHE STRING "Where `cmake --install` puts the zsh completion (_cltv), relative to the prefix")

set(cltv_shell_files "")
foreach(shell_file IN ITEMS "bash:cltv.bash" "zsh:_cltv" "fish:cltv.fish")
  string(REPLACE ":" ";" shell_file "${shell_file}")
  list(GET shell_file 0 shell)
  list(GET shell_file 1 file)
  add_custom_command(
    OUTPUT "${CLTV_SHELL_DIR}/${file}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CLTV_SHELL_DIR}"
    COMMAND sh -c "\"$0\" completion ${shell} > \"$1.tmp\" && mv \"$1.tmp\" \"$1\""
      "$<TARGET_FILE:cltv_app>" "${CLTV_SHELL_DIR}/${file}"
    DEPENDS cltv_app
    COMMENT "Generating the ${shell} completion"
    VERBATIM)
  list(APPEND cltv_shell_files "${CLTV_SHELL_DIR}/${file}")
endforeach()

install(FILES "${CLTV_SHELL_DIR}/cltv.bash"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME cltv)
install(FILES "${CLTV_SHELL_DIR}/_cltv" DESTINATION "${CLTV_INSTALL_ZSH_COMPLETIONDIR}")
install(FILES "${CLTV_SHELL_DIR}/cltv.fish"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")

find_program(HELP2MAN help2man)
if(HELP2MAN)
  add_custom_command(
    OUTPUT "${CLTV_SHELL_DIR}/cltv.1"
    COMMAND sh "${PROJECT_SOURCE_DIR}/doc/man-commands.sh" "$<TARGET_FILE:cltv_app>"
      "${CLTV_SHELL_DIR}/commands.h2m"
    COMMAND "${HELP2MAN}" --no-info --section=1
      "--name=customer lifetime value, LTV:CAC and the 3x rule"
      "--include=${CLTV_SHELL_DIR}/commands.h2m" "--include=${PROJECT_SOURCE_DIR}/doc/cltv.h2m"
      "--output=${CLTV_SHELL_DIR}/cltv.1" "$<TARGET_FILE:cltv_app>"
    DEPENDS cltv_app "${PROJECT_SOURCE_DIR}/doc/man-commands.sh" "${PROJECT_SOURCE_DIR}/doc/cltv.h2m"
    COMMENT "Generating the man page cltv.1 (help2man)"
    VERBATIM)
  list(APPEND cltv_shell_files "${CLTV_SHELL_DIR}/cltv.1")
  install(FILES "${CLTV_SHELL_DIR}/cltv.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(WARNING "help2man not found (Debian: apt-get install help2man): no man page")
endif()

add_custom_target(cltv_shell_files ALL DEPENDS ${cltv_shell_files})
