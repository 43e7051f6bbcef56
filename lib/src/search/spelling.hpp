#pragma once
// When a query word is a typo, and what it should read: a word is corrected only when the index
// has never seen it and the language's dictionary does not know it either, so a real word that
// the site happens not to use ("fond", "bucket") is searched for as typed.

#include "text/dictionary.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// The spelling policy of one Searcher. The dictionary is read the first time a word needs
/// judging (most queries have none). Not thread-safe.
///
/// Without a dictionary for the language, leo is conservative: only a word of five letters or
/// more is corrected, by a single edit, to a word the site uses at least `min_frequency` times,
/// since a word leo cannot judge is more often a real word than a typo.
class Speller {
public:
    /// `language`: the index's (`en`, `de`, `arabic`…); dictionaries are looked for in `folders`.
    explicit Speller(std::string language,
                     std::vector<std::filesystem::path> folders = Dictionary::system_folders());

    /// Whether the language's dictionary knows the word, as typed or as folded. False when there
    /// is no dictionary.
    [[nodiscard]] bool is_word(std::string_view typed, std::string_view folded);
    /// Whether a dictionary was found for the language.
    [[nodiscard]] bool has_dictionary();
    /// The correction of a word the index does not hold, from the spelling table of `lexicon`,
    /// or nullopt to leave it as typed.
    [[nodiscard]] std::optional<std::string>
    correction(std::string_view typed, std::string_view folded, const Xapian::Database& lexicon);

    /// Least spelling-table frequency of a correction made without a dictionary.
    static constexpr Xapian::doccount min_frequency = 5;

private:
    const std::optional<Dictionary>& dictionary();
    std::string language_;
    std::vector<std::filesystem::path> folders_;
    bool loaded_ = false;
    std::optional<Dictionary> dictionary_;
};

} // namespace leo::detail
