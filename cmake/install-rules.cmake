include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CLTV_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/cltv")

install(TARGETS cltv_cltv EXPORT cltvTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY include/cltv DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/include/cltv/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/cltv")
if(TARGET cltv_app)
  install(TARGETS cltv_app RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

install(EXPORT cltvTargets NAMESPACE cltv:: DESTINATION "${CLTV_INSTALL_CMAKEDIR}")
configure_package_config_file(cmake/cltvConfig.cmake.in
  "${PROJECT_BINARY_DIR}/cltvConfig.cmake"
  INSTALL_DESTINATION "${CLTV_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cltvConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/cltvConfig.cmake"
  "${PROJECT_BINARY_DIR}/cltvConfigVersion.cmake"
  DESTINATION "${CLTV_INSTALL_CMAKEDIR}")
