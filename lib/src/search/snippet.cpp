#include "search/snippet.hpp"

#include "format/schema.hpp"
#include "search/ranking_constants.hpp"

#include <algorithm>

namespace leo::detail {

char term_hash_byte(std::string_view term) {
    return static_cast<char>(schema::fnv1a(term) & 0xFF);
}

Snippet make_snippet(std::string_view text, const std::set<std::string>& terms, Analyzer& analyzer,
                     std::size_t max_bytes, std::string_view word_hashes) {
    const std::vector<std::string> listed(terms.begin(), terms.end());
    return make_snippet(text, match_words(text, word_hashes, listed, analyzer), listed.size(),
                        max_bytes);
}

Snippet make_snippet(std::string_view text, const std::vector<WordMatch>& words,
                     std::size_t term_count, std::size_t max_bytes) {
    // Slide a window over the words; keep the one with most distinct matched terms, then most
    // matches, then the earliest.
    std::size_t best_first = 0, best_last = 0;
    std::size_t best_distinct = 0, best_count = 0;
    std::vector<std::size_t> in_window(term_count, 0);
    std::size_t distinct = 0;
    std::size_t count = 0;
    auto enter = [&](const WordMatch& w) {
        if (w.term >= 0) {
            distinct += in_window[static_cast<std::size_t>(w.term)]++ == 0;
            ++count;
        }
    };
    for (std::size_t first = 0, last = 0; first < words.size(); ++first) {
        while (last < words.size() && words[last].end - words[first].begin <= max_bytes) {
            enter(words[last]);
            ++last;
        }
        if (last == first) {
            last = first + 1; // one word longer than the window: show it alone
            enter(words[first]);
        }
        if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
            best_distinct = distinct;
            best_count = count;
            best_first = first;
            best_last = last;
        }
        if (best_distinct == 0 && first == 0) {
            best_last = last;
        }
        if (words[first].term >= 0) {
            distinct -= --in_window[static_cast<std::size_t>(words[first].term)] == 0;
            --count;
        }
    }

    Snippet snippet;
    if (words.empty()) {
        snippet.text = std::string(text.substr(0, max_bytes));
        return snippet;
    }
    // Start at the text's beginning when the window is close to it, so sentences stay whole.
    std::size_t from = best_first == 0 || words[best_first].begin < ranking::snippet_lead_bytes
                           ? 0
                           : words[best_first].begin;
    std::size_t to = best_last >= words.size() ? text.size() : words[best_last - 1].end;
    if (to - from > max_bytes + ranking::snippet_lead_bytes && from == 0) {
        to = words[best_last - 1].end;
    }
    if (best_last >= words.size() && text.size() - words.back().end > 0) {
        to = text.size();
    }
    std::string prefix = from > 0 ? "… " : "";
    snippet.text = prefix;
    for (char c : text.substr(from, to - from)) {
        snippet.text.push_back(c == '\n' ? ' ' : c);
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i].term >= 0 && words[i].begin >= from && words[i].end <= to) {
            snippet.highlights.emplace_back(words[i].begin - from + prefix.size(),
                                            words[i].end - from + prefix.size());
        }
    }
    if (to < text.size()) {
        snippet.text += " …";
    }
    return snippet;
}

} // namespace leo::detail
