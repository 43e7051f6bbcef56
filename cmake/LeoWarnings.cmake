# Warning and sanitizer flags, applied per target (never through CMAKE_CXX_FLAGS), as the
# target's own options so that nothing of them is exported with the library.
set(leo_warning_flags $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>)

# Everything leo builds itself gets both.
function(leo_target_defaults target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
    target_compile_options(${target} PRIVATE ${leo_warning_flags})
    if(LEO_SANITIZE)
        target_compile_options(${target} PRIVATE
            -fsanitize=${LEO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=${LEO_SANITIZE})
    endif()
endfunction()
