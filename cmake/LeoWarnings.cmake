# Warning and sanitizer flags, applied per target (never through CMAKE_CXX_FLAGS).
add_library(leo_warnings INTERFACE)
target_compile_options(leo_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>)

add_library(leo_sanitizers INTERFACE)
if(LEO_SANITIZE)
    target_compile_options(leo_sanitizers INTERFACE
        -fsanitize=${LEO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(leo_sanitizers INTERFACE -fsanitize=${LEO_SANITIZE})
endif()

# Everything leo builds itself gets both.
function(leo_target_defaults target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
    target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:leo_warnings>
                                            $<BUILD_INTERFACE:leo_sanitizers>)
endfunction()
