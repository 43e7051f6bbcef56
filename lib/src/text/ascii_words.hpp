#pragma once
// The analyser's fast path for ASCII text: ICU's word-break rules and NFKC case folding, which
// for ASCII reduce to a few byte tests. Inline, so that a text's words reach their consumer with
// no call through a pointer per word (most of the cost of scanning a short answer).

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace leo::detail::ascii {

inline constexpr std::size_t max_word_bytes = 64; // as Analyzer::max_word_bytes

[[nodiscard]] inline bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
[[nodiscard]] inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
[[nodiscard]] inline bool is_word_byte(char c) {
    return is_alpha(c) || is_digit(c) || c == '_';
}

// ICU's word-break rules (UAX #29 with ICU's root tailoring) restricted to ASCII, where they
// reduce to: runs of letters, digits and '_' (WB5, WB8-10, WB13a/b), joined across one '.' or
// '\'' between two letters (WB6/7), and across one '.', '\'', ',' or ';' between two digits
// (WB11/12). Profiling showed ICU's iterator at a sixth of indexing time on English pages; a test
// checks this path against ICU on random ASCII text. Calls emit(piece, begin, end, is_word) for
// every word and every gap between words, in order.
template <class Emit> void segment(std::string_view text, Emit&& emit) {
    const std::size_t n = text.size();
    std::size_t gap = 0;
    for (std::size_t i = 0; i < n;) {
        if (!is_word_byte(text[i])) {
            ++i;
            continue;
        }
        std::size_t start = i;
        bool alnum = false;
        while (true) {
            for (; i < n && is_word_byte(text[i]); ++i) {
                alnum = alnum || text[i] != '_';
            }
            if (i + 1 < n) {
                char mid = text[i], before = text[i - 1], after = text[i + 1];
                if ((mid == '.' || mid == '\'') && is_alpha(before) && is_alpha(after)) {
                    ++i;
                    continue;
                }
                if ((mid == '.' || mid == '\'' || mid == ',' || mid == ';') && is_digit(before) &&
                    is_digit(after)) {
                    ++i;
                    continue;
                }
            }
            break;
        }
        if (!alnum) {
            continue; // underscores alone are not a word for ICU either
        }
        if (start > gap) {
            emit(text.substr(gap, start - gap), gap, start, false);
        }
        emit(text.substr(start, i - start), start, i, true);
        gap = i;
    }
    if (n > gap) {
        emit(text.substr(gap), gap, n, false);
    }
}

/// NFKC case folding of an ASCII word: lower case, inner punctuation dropped. False when nothing
/// is left or the word is too long to be a term.
[[nodiscard]] inline bool fold(std::string_view word, std::string& out) {
    out.clear();
    for (char c : word) {
        if (c >= 'A' && c <= 'Z') {
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out.push_back(c);
        }
    }
    return !out.empty() && out.size() <= max_word_bytes;
}

} // namespace leo::detail::ascii
