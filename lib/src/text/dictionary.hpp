#pragma once
// The words of a language, from a hunspell dictionary: what tells a real word the index lacks
// ("fond", "bucket") from a typo ("leopadr"), so that spelling correction leaves the first alone.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

class Hunspell;

namespace leo::detail {

/// One language's hunspell dictionary. Loading reads the whole word list (tens of milliseconds
/// for English), so callers open it when a word first needs judging, not up front. Not
/// thread-safe (hunspell keeps state): one per Searcher.
class Dictionary {
public:
    /// The dictionary for `language` (an ISO code such as `en`, `en-GB`, `de_DE`, or a Snowball
    /// name such as `english`) from the first of `folders` that holds one; nullopt when none does.
    /// For a bare code the region that is the language's own (`en_US`, `de_DE`, `fr_FR`) comes
    /// first, then any other, by name.
    [[nodiscard]] static std::optional<Dictionary>
    open(std::string_view language, const std::vector<std::filesystem::path>& folders);
    /// Where Debian's `hunspell-*` packages install their dictionaries.
    [[nodiscard]] static std::vector<std::filesystem::path> system_folders();

    ~Dictionary();
    Dictionary(Dictionary&&) noexcept;
    Dictionary& operator=(Dictionary&&) noexcept;

    /// Whether `word` (UTF-8, any case) is a word of the language: in the list, or a form the
    /// affix rules make of one ("spending", "decreased").
    [[nodiscard]] bool knows(std::string_view word) const;
    /// The `.dic` file it was read from.
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    Dictionary(std::unique_ptr<Hunspell> hunspell, std::filesystem::path path);
    std::unique_ptr<Hunspell> hunspell_;
    std::filesystem::path path_;
    bool utf8_ = true; // the dictionary's charset
};

} // namespace leo::detail
