#pragma once
// An HTML content page (`content/x.html` with front matter, which Hugo publishes as it is) →
// the same flat list of headings and text blocks a Markdown page gives.

#include "page/markdown.hpp"

#include <cstddef>
#include <filesystem>
#include <leo/page.hpp>
#include <string_view>
#include <vector>

namespace leo::detail {

/// What an HTML body yields: its blocks, and the warning when the cap of questions cut it.
struct HtmlBlocks {
    std::vector<Block> blocks;
    std::vector<PageWarning> warnings;
};

/// The headings (`<h1>`…`<h6>`, each with its `id` as written, or none: Hugo makes no ids in
/// HTML it does not render) and, between them, one block of text: tags, comments, scripts and
/// styles dropped, entities decoded, white space collapsed, a line per paragraph or cell.
/// `first_line`: the body's first line in the file. Linear in the body; at most
/// max_pairs_per_page headings.
[[nodiscard]] HtmlBlocks html_blocks(std::string_view html, std::size_t first_line);

/// True for the extensions Hugo reads as HTML content: `.html`, `.htm`.
[[nodiscard]] bool is_html_page(const std::filesystem::path& path);

} // namespace leo::detail
