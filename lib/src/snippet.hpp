#pragma once
// leo's own highlighter: it marks words by the analyser's terms, so what is highlighted is
// exactly what matched (Xapian's MSet::snippet re-tokenises with other rules and escapes HTML).

#include "analyzer.hpp"

#include <leo/searcher.hpp>

#include <set>
#include <string>
#include <string_view>

namespace leo::detail {

/// The window of at most `max_bytes` of `text` holding the most distinct `terms`, with every
/// matching word marked. Cut points fall between words and are shown as `…`.
[[nodiscard]] Snippet make_snippet(std::string_view text, const std::set<std::string>& terms,
                                   Analyzer& analyzer, std::size_t max_bytes = 240);

} // namespace leo::detail
