include(CMakePackageConfigHelpers)

install(TARGETS leo EXPORT leoTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/leo DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/leo/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/leo)
install(EXPORT leoTargets NAMESPACE leo:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)
# The build tree is a package too: find_package(leo) with leo_DIR set to it, no install.
export(EXPORT leoTargets NAMESPACE leo:: FILE ${PROJECT_BINARY_DIR}/leoTargets.cmake)
configure_file(${PROJECT_SOURCE_DIR}/cmake/XapianTarget.cmake
               ${PROJECT_BINARY_DIR}/XapianTarget.cmake COPYONLY)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/leoConfig.cmake.in
    ${PROJECT_BINARY_DIR}/leoConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/leoConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/leoConfig.cmake ${PROJECT_BINARY_DIR}/leoConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/XapianTarget.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)

# A static leo's users link its dependencies; a shared one's only with --static. No -std flag:
# the headers need C++20, which the consumer's build chooses.
if(BUILD_SHARED_LIBS)
    set(LEO_PC_REQUIRES Requires.private)
else()
    set(LEO_PC_REQUIRES Requires)
endif()
set(LEO_PC_CFLAGS "")
file(RELATIVE_PATH LEO_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/leo.pc.in ${PROJECT_BINARY_DIR}/leo.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/leo.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/docs/man/leo.toml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completions/leo.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME leo-ask)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completions/leo.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME leo-index)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completions/_leo DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
