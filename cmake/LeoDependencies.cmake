# Every third-party dependency is found here, once.
find_package(Threads REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
find_package(tomlplusplus 3 REQUIRED)
find_package(yaml-cpp REQUIRED)
# Debian's cmark CMake config insists on the cmark program; its pkg-config file does not.
find_package(PkgConfig REQUIRED)
pkg_check_modules(cmark REQUIRED IMPORTED_TARGET GLOBAL libcmark)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
include(XapianTarget)
if(LEO_BUILD_TOOLS)
    find_package(CLI11 2 REQUIRED)
endif()
