include(CMakePackageConfigHelpers)

install(TARGETS leo EXPORT leoTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/leo DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT leoTargets NAMESPACE leo:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/leoConfig.cmake.in
    ${PROJECT_BINARY_DIR}/leoConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/leoConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/leoConfig.cmake ${PROJECT_BINARY_DIR}/leoConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/XapianTarget.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/leo)

file(RELATIVE_PATH LEO_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/leo.pc.in ${PROJECT_BINARY_DIR}/leo.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/leo.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/docs/man/leo.toml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${PROJECT_SOURCE_DIR}/completions/leo.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME leo-ask)
install(FILES ${PROJECT_SOURCE_DIR}/completions/leo.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME leo-index)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_leo DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
