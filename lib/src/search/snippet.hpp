#pragma once
// leo's own highlighter: it marks words by the analyser's terms, so what is highlighted is
// exactly what matched (Xapian's MSet::snippet re-tokenises with other rules and escapes HTML).

#include "format/term_positions.hpp"
#include "search/ranking_constants.hpp"
#include "text/analyzer.hpp"

#include <leo/searcher.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// A byte of `term`'s hash. The indexer stores one per word of an answer (`word_hashes`), so
/// the highlighter stems only the few words whose byte matches a query term's.
[[nodiscard]] char term_hash_byte(std::string_view term);

/// The window of at most `max_bytes` of `text` holding the most distinct `terms`, with every
/// matching word marked. Cut points fall between words and are shown as `…`. `word_hashes`, when
/// given, holds term_hash_byte() of each word of `text` as the analyser splits it.
[[nodiscard]] Snippet make_snippet(std::string_view text, const std::set<std::string>& terms,
                                   Analyzer& analyzer,
                                   std::size_t max_bytes = ranking::snippet_bytes,
                                   std::string_view word_hashes = {});

/// The same from `text`'s words already matched (match_words()) against `term_count` terms.
[[nodiscard]] Snippet make_snippet(std::string_view text, const std::vector<WordMatch>& words,
                                   std::size_t term_count,
                                   std::size_t max_bytes = ranking::snippet_bytes);

} // namespace leo::detail
