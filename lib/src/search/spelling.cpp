#include "search/spelling.hpp"

#include "search/ranking_constants.hpp"

#include <utility>

namespace leo::detail {

namespace {

std::size_t code_points(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

bool same_first_letter(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) {
        return false;
    }
    const auto lead = static_cast<unsigned char>(a.front());
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return a.substr(0, length) == b.substr(0, length);
}

// How often the site uses a word of its spelling table (Xapian 1.4 has no direct lookup).
Xapian::doccount spelling_frequency(const Xapian::Database& lexicon, const std::string& word) {
    auto it = lexicon.spellings_begin();
    it.skip_to(word);
    return it != lexicon.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

} // namespace

Speller::Speller(std::string language, std::vector<std::filesystem::path> folders)
    : language_(std::move(language)), folders_(std::move(folders)) {}

const std::optional<Dictionary>& Speller::dictionary() {
    if (!loaded_) {
        loaded_ = true;
        dictionary_ = Dictionary::open(language_, folders_);
    }
    return dictionary_;
}

bool Speller::has_dictionary() {
    return dictionary().has_value();
}

bool Speller::is_word(std::string_view typed, std::string_view folded) {
    const auto& dict = dictionary();
    return dict && (dict->knows(typed) || dict->knows(folded));
}

std::optional<std::string> Speller::correction(std::string_view typed, std::string_view folded,
                                               const Xapian::Database& lexicon) {
    const bool judged = has_dictionary();
    if (judged && is_word(typed, folded)) {
        return std::nullopt;
    }
    const auto letters = code_points(folded);
    if (!judged && letters < ranking::min_letters_to_correct) {
        return std::nullopt;
    }
    // Short words get one edit (see max_letters_for_one_edit), and a correction keeps the first
    // letter, which typos rarely touch.
    const unsigned edits = !judged || letters <= ranking::max_letters_for_one_edit ? 1 : 2;
    auto suggestion = lexicon.get_spelling_suggestion(std::string(folded), edits);
    if (suggestion.empty() || !same_first_letter(suggestion, folded)) {
        return std::nullopt;
    }
    if (!judged && spelling_frequency(lexicon, suggestion) < min_frequency) {
        return std::nullopt;
    }
    return suggestion;
}

} // namespace leo::detail
