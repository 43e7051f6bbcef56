#pragma once
// Small text facts the parser needs: where bytes are, whether they are valid UTF-8.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace leo::detail {

/// 1-based line and column (in characters) of a byte offset.
struct Location {
    std::size_t line = 1;
    std::size_t column = 1;
};

[[nodiscard]] Location locate(std::string_view text, std::size_t offset);

/// Offset of the first byte that is not valid UTF-8, if any.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/// `\r\n` and lone `\r` become `\n`.
[[nodiscard]] std::string normalise_line_ends(std::string_view text);

/// Runs of white space become one space; leading and trailing space is dropped.
[[nodiscard]] std::string collapse_spaces(std::string_view text);

} // namespace leo::detail
