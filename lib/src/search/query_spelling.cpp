// The spelling of a query with syntax: Xapian's QueryParser suggests, leo keeps only the
// suggestions for words the index and the language do not know.

#include "search/query_plan.hpp"

#include <algorithm>

namespace leo::detail {

// The content words of a query with syntax that are neither in the index nor words of the
// language: the sign of a typo. A field name before `:`, the value of a filter (`tag:howto`),
// an operator (`NEAR`), a window's size (`NEAR/3`), a wildcard's stem (`leop*`) and the words
// of a quoted phrase, which the user typed exactly as meant, are not corrected.
std::set<std::string> QueryPlanner::unknown_words(const std::string& text) {
    static constexpr std::string_view operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    std::set<std::string> unknown;
    std::size_t filter_end = 0; // a filter's value runs to the next space
    for (const auto& word : analyzer_.words(text)) {
        if (word.begin < filter_end) {
            continue;
        }
        const auto raw = std::string_view(text).substr(word.begin, word.end - word.begin);
        const auto before = std::string_view(text).substr(0, word.begin);
        const bool quoted = std::count(before.begin(), before.end(), '"') % 2 == 1;
        if (std::find(std::begin(operators), std::end(operators), raw) != std::end(operators) ||
            (word.begin > 0 && text[word.begin - 1] == '/') || quoted ||
            (word.end < text.size() && text[word.end] == '*')) {
            continue;
        }
        const bool names_field = word.end < text.size() && text[word.end] == ':' &&
                                 std::find(query_prefixes.begin(), query_prefixes.end(),
                                           word.folded) != query_prefixes.end();
        if (names_field) {
            if (word.folded != "question" && word.folded != "title") {
                filter_end = std::min(text.find_first_of(" \t\n", word.end), text.size());
            }
            continue;
        }
        if (!stopper_(word.folded) && reader_.db.get_termfreq(analyzer_.term(word.folded)) == 0 &&
            !speller_.is_word(raw, word.folded)) {
            unknown.insert(word.folded);
        }
    }
    return unknown;
}

// Xapian's corrected query, with only the unknown words changed: it "corrects" any word that
// a more frequent one is close to, and leo indexes stems, so good words would change too.
std::string QueryPlanner::keep_corrections_of(const std::string& folded,
                                              const std::string& corrected,
                                              const std::set<std::string>& unknown) {
    const auto before = analyzer_.words(folded);
    const auto after = analyzer_.words(corrected);
    if (before.size() != after.size()) {
        return {};
    }
    std::string out;
    std::size_t copied = 0;
    bool changed = false;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (unknown.count(before[i].folded) && after[i].folded != before[i].folded) {
            out += folded.substr(copied, before[i].begin - copied);
            out += after[i].folded;
            copied = before[i].end;
            changed = true;
        }
    }
    return changed ? out + folded.substr(copied) : std::string();
}

} // namespace leo::detail
