#pragma once
// WordNet's synonyms of English words (lib/data/wordnet.tsv, made by scripts/wordnet_lexicon.py):
// for each word, the other single words of its most frequent sense. Compiled in.

#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// The WordNet synonyms of `folded` (a folded English word), or an empty list.
[[nodiscard]] const std::vector<std::string>& wordnet_synonyms(std::string_view folded);

} // namespace leo::detail
