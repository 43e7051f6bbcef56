# Xapian 1.4's CMake config only sets variables; wrap them once in an imported target.
if(NOT TARGET Xapian::xapian)
    if(NOT xapian_FOUND)
        find_package(xapian 1.4 REQUIRED)
    endif()
    add_library(Xapian::xapian UNKNOWN IMPORTED)
    set_target_properties(Xapian::xapian PROPERTIES
        IMPORTED_LOCATION "${XAPIAN_SHARED_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}")
endif()
