#pragma once
// Front matter: TOML between `+++` fences (toml++), YAML between `---` fences (yaml-cpp).

#include <cstddef>
#include <leo/page.hpp>
#include <string_view>

namespace leo::detail {

/// A page split at its front-matter fences.
struct SplitPage {
    std::string_view front_matter; ///< between the fences, empty when none
    char fence = 0;                ///< '+' for TOML, '-' for YAML, 0 for none
    std::string_view body;
    std::size_t body_line = 1; ///< 1-based line of the body's first line in the file
};

/// Splits at the fences. Throws PageError when a fence is opened and never closed.
[[nodiscard]] SplitPage split_front_matter(std::string_view text,
                                           const std::filesystem::path& path);

/// Reads the fields leo knows. Throws PageError with the line and column of a syntax error or
/// of a field of the wrong type.
[[nodiscard]] FrontMatter parse_front_matter(const SplitPage& split,
                                             const std::filesystem::path& path);

/// `2023-10-15`, RFC 3339 and `15 Oct 2023` become ISO 8601; anything else is nullopt.
[[nodiscard]] std::optional<std::string> normalise_date(std::string_view text);

} // namespace leo::detail
