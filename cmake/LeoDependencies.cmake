# Every third-party dependency is found here, once.
find_package(Threads REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
find_package(tomlplusplus 3 REQUIRED)
find_package(yaml-cpp REQUIRED)
# Debian's cmark CMake config insists on the cmark program; its pkg-config file does not.
find_package(PkgConfig REQUIRED)
pkg_check_modules(cmark REQUIRED IMPORTED_TARGET GLOBAL libcmark)
find_package(fmt REQUIRED)
pkg_check_modules(lz4 REQUIRED IMPORTED_TARGET GLOBAL liblz4)
pkg_check_modules(hunspell REQUIRED IMPORTED_TARGET GLOBAL hunspell)
find_package(nlohmann_json 3 REQUIRED)
include(XapianTarget)
if(LEO_BUILD_TOOLS)
    find_package(CLI11 2 REQUIRED)
    # The tools allocate through jemalloc: Xapian's writer makes millions of small allocations,
    # and a full build of the 10k-page speed corpus took 25.2 s with glibc's malloc, 20.3 s with
    # jemalloc (tcmalloc 22.8 s). Not under the sanitizers, which bring their own allocator.
    # Optional: without it the tools work, only slower to index.
    if(NOT LEO_SANITIZE)
        pkg_check_modules(jemalloc QUIET IMPORTED_TARGET GLOBAL jemalloc)
        if(NOT TARGET PkgConfig::jemalloc)
            message(STATUS "jemalloc not found: the tools use the C library's malloc")
        endif()
    endif()
endif()
