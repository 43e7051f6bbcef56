#include "snippet.hpp"

#include "schema.hpp"

#include <bitset>
#include <map>

namespace leo::detail {

char term_hash_byte(std::string_view term) {
    return static_cast<char>(schema::fnv1a(term) & 0xFF);
}

Snippet make_snippet(std::string_view text, const std::set<std::string>& terms, Analyzer& analyzer,
                     std::size_t max_bytes, std::string_view word_hashes) {
    struct Mark {
        std::size_t begin;
        std::size_t end;
        std::string term; // empty when the word did not match
    };
    // Stemming every word of every hit's answer was most of a query's time after the match;
    // with the indexer's hash bytes, only a word whose byte is a query term's is stemmed.
    std::bitset<256> wanted;
    for (const auto& term : terms) {
        wanted.set(static_cast<unsigned char>(term_hash_byte(term)));
    }
    std::vector<Mark> words;
    analyzer.for_each_word(text, [&](const std::string& folded, std::size_t begin,
                                     std::size_t end) {
        const auto i = words.size();
        if (i < word_hashes.size() && !wanted.test(static_cast<unsigned char>(word_hashes[i]))) {
            words.push_back({begin, end, std::string()});
            return;
        }
        const auto& term = analyzer.term(folded);
        words.push_back({begin, end, terms.count(term) ? term : std::string()});
    });

    // Slide a window over the words; keep the one with most distinct matched terms, then most
    // matches, then the earliest.
    std::size_t best_first = 0, best_last = 0;
    std::size_t best_distinct = 0, best_count = 0;
    std::map<std::string, std::size_t> in_window;
    std::size_t count = 0;
    for (std::size_t first = 0, last = 0; first < words.size(); ++first) {
        while (last < words.size() && words[last].end - words[first].begin <= max_bytes) {
            if (!words[last].term.empty()) {
                ++in_window[words[last].term];
                ++count;
            }
            ++last;
        }
        if (last == first) {
            last = first + 1; // one word longer than the window: show it alone
            if (!words[first].term.empty()) {
                ++in_window[words[first].term];
                ++count;
            }
        }
        if (in_window.size() > best_distinct ||
            (in_window.size() == best_distinct && count > best_count)) {
            best_distinct = in_window.size();
            best_count = count;
            best_first = first;
            best_last = last;
        }
        if (best_distinct == 0 && first == 0) {
            best_last = last;
        }
        if (!words[first].term.empty()) {
            if (--in_window[words[first].term] == 0) {
                in_window.erase(words[first].term);
            }
            --count;
        }
    }

    Snippet snippet;
    if (words.empty()) {
        snippet.text = std::string(text.substr(0, max_bytes));
        return snippet;
    }
    // Start at the text's beginning when the window is close to it, so sentences stay whole.
    std::size_t from =
        best_first == 0 || words[best_first].begin < 40 ? 0 : words[best_first].begin;
    std::size_t to = best_last >= words.size() ? text.size() : words[best_last - 1].end;
    if (to - from > max_bytes + 40 && from == 0) {
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
        if (!words[i].term.empty() && words[i].begin >= from && words[i].end <= to) {
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
