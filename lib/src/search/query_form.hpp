#pragma once
// Whether a query is a question written in words or a query written in leo's syntax. A pasted
// question holds quotation marks, brackets and dashes as punctuation (`what does "ls -l" show`,
// `is it ok "for 30 days"`); read as syntax, they would make a strict phrase of a quoted aside
// and a NOT of a dash.

#include <functional>
#include <string_view>
#include <vector>

namespace leo::detail {

/// True when `text`, though it holds syntax characters, reads as natural text and its quotes,
/// brackets, dashes and operators are punctuation: its quotes are unbalanced; or it holds a
/// question mark; or it has more than `max_query_words` words; or it holds a quoted part and a
/// function word (`is_stop_word`, given a lower-cased word) outside the quotes, as sentences
/// have and keyword queries do not. A field prefix (`tag:`, `title:`…) is always syntax: the
/// caller checks for it first.
[[nodiscard]] bool reads_as_text(std::string_view text,
                                 const std::function<bool(std::string_view)>& is_stop_word);

/// Words above which a query is a sentence, not a keyword query with syntax.
inline constexpr std::size_t max_query_words = 8;

/// Content words above which a query is a long question (a forum post, an e-mail).
inline constexpr std::size_t long_query_terms = 12;

/// Per-word weight multipliers of a query, from each word's IDF: 1 for every word of a query of
/// at most long_query_terms words; for a longer one, idf / the query's highest idf. In a long
/// question the words that say what it is about are its rarest, and the many others (history,
/// greetings, "I have been", "my doctor") would otherwise add up to more than they do: BM25
/// already weighs a word by its idf, so this weighs it by idf squared, relative to the query.
[[nodiscard]] std::vector<double> long_query_weights(const std::vector<double>& idf);

/// The weight multiplier of a word the query says `occurrences` times: BM25's query-term
/// saturation with ranking::repeated_word_k3. A question names its subject again and again
/// ("my son's asthma … his asthma inhaler … asthma at night"); its asides once.
[[nodiscard]] double repeated_word_weight(int occurrences);

} // namespace leo::detail
