#pragma once
// For the fuzz targets that read a file: each input written to one file of a folder of this
// process's own, removed at exit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace leo_fuzz {

/// The folder `leo-fuzz-KIND-PID` in the temp folder; one per process (one kind a target).
inline const std::filesystem::path& scratch_folder(const char* kind) {
    static const std::filesystem::path folder = [kind] {
        auto path = std::filesystem::temp_directory_path() /
                    (std::string("leo-fuzz-") + kind + "-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    static const bool cleanup_registered =
        std::atexit([] { std::filesystem::remove_all(folder); }) == 0;
    (void)cleanup_registered;
    return folder;
}

/// `data` written to `folder/name`, replacing what the last input left there.
inline std::filesystem::path write_scratch(const std::filesystem::path& folder, const char* name,
                                           const std::uint8_t* data, std::size_t size) {
    auto file = folder / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return file;
}

} // namespace leo_fuzz
