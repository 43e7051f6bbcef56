#pragma once
// Reading a page file without trusting what the walk saw: between its stat and the read, a page
// can become a FIFO (an open would wait for a writer forever), a device, or grow without bound.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace leo::detail {

/// A page file's bytes, or why they were not read.
struct PageFile {
    std::string text;
    /// e.g. `cannot read: Permission denied`, `not a regular file`, `page is … over the limit`
    std::optional<std::string> problem;
    /// The line `problem` is on, when it is on one (a broken UTF-16 character); 0 otherwise.
    std::size_t line = 0;
};

/// `page is 50.0 MB, over the limit of 16.0 MB (max_page_mb in leo.toml)`
[[nodiscard]] std::string over_limit_message(std::uint64_t size, std::size_t max_bytes);

/// Reads the regular file `path` whole if it holds at most `max_bytes`; never blocks on a FIFO
/// and never reads more than `max_bytes + 1` bytes, whatever the file does meanwhile. A page
/// saved as UTF-16 or UTF-32 with a byte-order mark comes back as UTF-8.
[[nodiscard]] PageFile read_page_file(const std::filesystem::path& path, std::size_t max_bytes);

/// The first `bytes` bytes of the regular file `path` (as UTF-8); empty when it is none or cannot
/// be read.
[[nodiscard]] std::string read_page_start(const std::filesystem::path& path, std::size_t bytes);

} // namespace leo::detail
