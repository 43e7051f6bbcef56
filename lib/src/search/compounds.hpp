#pragma once
// Words joined or split otherwise than the site writes them: "web site" for "website", "e-mail"
// for "email" (the analyser splits it at the hyphen), "strikethrough" for "strike through". Read
// at query time from the index's own vocabulary, so nothing is re-indexed and no list is kept:
// two adjacent query words whose joined term the index holds also match that term, and a word
// the index has never seen that it holds as two words matches those two.

#include "text/analyzer.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A query's words as the index writes them.
struct Compound {
    std::vector<std::string> written;       ///< the query's words, folded: two when joined
    std::vector<std::string> written_terms; ///< ... and their terms
    std::vector<std::string> read;          ///< the words the index holds, folded: two when split
    std::vector<std::string> terms;         ///< ... and their terms
    [[nodiscard]] bool joined() const { return written.size() == 2; }
    /// "web site → website", "strikethrough → strike through": for --explain.
    [[nodiscard]] std::string describe() const;
};

/// A joined word is at least this many letters: shorter ones ("ab", "eg") are mostly
/// abbreviations that happen to be spelled like two letters side by side.
inline constexpr std::size_t min_joined_letters = 4;
/// Each half of a split word is at least this many letters: shorter halves ("a", "in", "al-")
/// are articles, prefixes and particles that would split almost any unknown word.
inline constexpr std::size_t min_split_letters = 3;

/// True when only spaces or hyphens stand between `a` and `b` in `text` (not a comma, a full
/// stop or another word); `hyphen` says whether a hyphen did.
[[nodiscard]] bool adjacent(std::string_view text, const Word& a, const Word& b, bool& hyphen);

/// `a` and `b` (folded) written as one word, when the index holds its term and the term is
/// neither half's own.
[[nodiscard]] std::optional<Compound> joined_word(const Xapian::Database& db, Analyzer& analyzer,
                                                  const std::string& a, const std::string& b);

/// The two words of the index that `folded` (a word the index does not hold) is written of,
/// each at least min_split_letters long; of several splits, the one whose rarer half is in the
/// most pairs.
[[nodiscard]] std::optional<Compound> split_word(const Xapian::Database& db, Analyzer& analyzer,
                                                 const std::string& folded);

} // namespace leo::detail
