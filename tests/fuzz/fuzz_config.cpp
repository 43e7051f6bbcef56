// libFuzzer target: any bytes as leo.toml either load or throw leo::Error (a ConfigError
// naming file:line:col), never a crash.
#include "scratch_file.hpp"

#include <cstddef>
#include <cstdint>
#include <leo/config.hpp>
#include <leo/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file =
        leo_fuzz::write_scratch(leo_fuzz::scratch_folder("config"), "leo.toml", data, size);
    try {
        (void)leo::load_config(file);
    } catch (const leo::Error&) {
        // a clear error is the promised outcome for a bad leo.toml
    }
    return 0;
}
