// As-you-type search: the last word of what was typed is taken as a prefix of an indexed word.

#include <algorithm>
#include <leo/searcher.hpp>

namespace leo {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The unfinished word at the end of `text`: empty when the text ends with a space, or when the
// word carries query syntax (`tag:`, a quote, `+`), which a completion would drop.
std::string_view last_word(std::string_view text) {
    std::size_t begin = text.size();
    while (begin > 0 && !is_space(text[begin - 1])) {
        --begin;
    }
    auto word = text.substr(begin);
    const bool plain = std::all_of(word.begin(), word.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z') || c == '\'' || c == '.';
    });
    return plain ? word : std::string_view();
}

} // namespace

Suggestions Searcher::suggest(const Query& query, std::size_t completions) {
    Suggestions out;
    out.query = query.text;
    auto word = last_word(query.text);
    if (!word.empty() && completions > 0) {
        out.completions = words_starting(word, completions);
    }
    Query completed = query;
    if (!out.completions.empty()) {
        completed.text = query.text.substr(0, query.text.size() - word.size());
        completed.text += out.completions.front();
    }
    out.results = search(completed);
    out.results.query = query.text;
    return out;
}

} // namespace leo
