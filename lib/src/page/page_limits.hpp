#pragma once
// Bounds on what one page may cost to parse. cmark builds a node for each container marker,
// bracket and line, and each question becomes a Xapian document, so a page within
// max_page_mb could still take gigabytes: the caps below cut such a page, with a warning.

#include <cstddef>
#include <leo/page.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// Questions (headings, setext underlines, definition terms) read from one page. Measured: a
/// 12 MB page of 1M `## q` headings took 2.4 GB (about 2.4 KB a question, as pairs and
/// documents), and 100,000 on a 2.7 MB page 253 MB, too close to the 300 MiB goal; 10,000
/// cost about 25 MB, and a real Q&A page holds a few hundred.
inline constexpr std::size_t max_pairs_per_page = 10'000;
/// Blockquote and list levels opened on one line. Measured: one line of 8M `>` took 1.1 GB
/// (about 140 bytes a level, one cmark node each); no page a reader can follow nests deeper
/// than a handful.
inline constexpr std::size_t max_nesting_depth = 32;
/// Longest run of one markup character (`[`, `*`, `>`, …) kept. Measured: 8M `[` took
/// 1.5 GB (about 190 bytes each: cmark makes a node and a bracket entry per `[`).
inline constexpr std::size_t max_inline_run = 256;
/// Lines, container markers and markup runs read from one page, each about one cmark node
/// (140–190 bytes). Measured: 1M of them (`a` paragraphs) peaked at 220 MB, half at 140 MB;
/// a real page has a few thousand.
inline constexpr std::size_t max_markup_per_page = 500'000;

/// A page body within the caps above, and the warnings for what was cut.
struct BoundedMarkdown {
    std::string text;
    std::vector<PageWarning> warnings;
};

/// `body` with over-deep container prefixes and long markup runs cut, and the text after
/// the cap of questions or markup dropped. `first_line`: the body's first line in the file.
[[nodiscard]] BoundedMarkdown bound_markdown(std::string_view body, std::size_t first_line);

} // namespace leo::detail
