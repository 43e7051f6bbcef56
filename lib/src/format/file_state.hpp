#pragma once
// The file-state record: what leo remembers of a page file between runs, stored as index
// metadata under the file's key, so that an unchanged file costs one stat().

#include <cstdint>
#include <optional>
#include <string>

namespace leo::detail {

struct FileState {
    std::string path; ///< relative to the indexed folder, generic form
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    std::string content_hash;

    /// The content hash of a page that was given parsed (Indexer::add_page), not read: no
    /// file's hash, so the next walk reads the file and replaces the page's pairs.
    static constexpr const char* unknown_content = "-";

    /// The metadata value decode() reads back.
    [[nodiscard]] std::string encode() const;
    /// nullopt when `text` is not a record of this form.
    [[nodiscard]] static std::optional<FileState> decode(const std::string& text);
};

/// The metadata key of the file `relative`'s state.
[[nodiscard]] std::string file_key(const std::string& relative);

} // namespace leo::detail
