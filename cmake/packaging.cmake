# Debian package (cpack -G DEB in the build directory → cltv_<version>_<arch>.deb):
# the binary, the man page, the shell completions, the headers, the static
# library and its CMake package. Depends is computed from the binary's shared
# libraries by dpkg-shlibdeps (Debian package dpkg-dev).

install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}" RENAME copyright)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cltv)
set(CPACK_PACKAGE_VENDOR "The cltv developers")
set(CPACK_PACKAGE_CONTACT "The cltv developers <maintainers@users.noreply.h-seed-06b3836f.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "cltv computes customer lifetime value, LTV:CAC and payback from a few inputs
(ARPU, churn, margin, CAC) or from a transaction log, checks the 3x rule and
fits BG/NBD, Gamma-Gamma and sBG models. The package holds the cltv command
with its man page and bash, zsh and fish completions, and the C++ library
(static, headers and CMake package: find_package(cltv)).")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES ON)  # the executable; install() never strips a static library
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # cltv_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# find_package(cltv) needs NLopt's CMake package; the completions need a shell.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, libnlopt-dev")
# `--from postgresql://` loads libpq at run time (dlopen), so shlibdeps cannot
# see it: recommended, not required.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libpq5")
# zlib is loaded on the first gzip input (dlopen) too, but a .gz log is an
# everyday input: required. CPack adds the shared libraries shlibdeps finds.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "zlib1g (>= 1:1.2.6)")
include(CPack)
