#pragma once
// CommonMark (cmark) → a flat list of headings and the plain text of the blocks between them.

#include <cstddef>
#include <leo/page.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// One top-level block of a Markdown document, reduced to plain text.
struct Block {
    int heading_level = 0; ///< 1–6 for a heading, 0 for any other block
    std::string text;      ///< plain text: markup and raw HTML dropped, entities decoded
    std::size_t line = 0;  ///< 1-based line in the parsed text
    /// An HTML page's heading: its `id` as written, empty when it has none. Unset for Markdown,
    /// whose heading ids the parser makes.
    std::optional<std::string> id;
    /// A definition list (`Term` then `: definition` lines): its terms and definitions, plain.
    std::vector<std::pair<std::string, std::string>> definitions;
};

/// Parses `markdown` with cmark and returns its top-level blocks in order.
[[nodiscard]] std::vector<Block> markdown_blocks(std::string_view markdown);

/// Hugo's `github` heading id: lower case, letters, digits, `-` and `_` kept, spaces to `-`.
[[nodiscard]] std::string github_anchor(std::string_view heading);

/// The heading id Hugo makes of `heading` in `style` (before duplicates are numbered).
[[nodiscard]] std::string heading_anchor(std::string_view heading, AnchorStyle style);

/// Drops Hugo shortcode tags (`{{< name >}}`, `{{% /name %}}`) from rendered text.
[[nodiscard]] std::string strip_shortcodes(std::string_view text);

} // namespace leo::detail
