#pragma once
// Pages saved as UTF-16 or UTF-32 (Windows editors do it, with a byte-order mark) are read as the
// text they hold rather than refused for the NUL bytes of their wide code units.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace leo::detail {

/// Why a wide-encoded page could not be decoded, and on which (decoded) line.
struct EncodingProblem {
    std::size_t line = 0;
    /// e.g. `encoded as UTF-16 LE, broken at byte 42: an unpaired surrogate`
    std::string reason;
};

/// The encoding a byte-order mark at the start of `bytes` names (`UTF-16 LE`, `UTF-32 BE`, …),
/// or nothing for UTF-8 and text without one.
[[nodiscard]] std::optional<std::string_view> wide_encoding(std::string_view bytes);

/// `bytes` re-encoded as UTF-8 without the byte-order mark when they start with a UTF-16 or
/// UTF-32 one; left as they are otherwise. `prefix`: `bytes` is the start of a file, so a code
/// unit cut at the end is dropped rather than reported.
[[nodiscard]] std::optional<EncodingProblem> decode_wide_page(std::string& bytes,
                                                              bool prefix = false);

} // namespace leo::detail
