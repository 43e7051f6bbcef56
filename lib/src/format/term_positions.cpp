#include "format/term_positions.hpp"

#include "format/schema.hpp"
#include "search/snippet.hpp"

#include <algorithm>
#include <bitset>

namespace leo::detail {

std::vector<WordMatch> match_words(std::string_view text, std::string_view hashes,
                                   const std::vector<std::string>& terms, Analyzer& analyzer) {
    std::bitset<256> wanted;
    for (const auto& term : terms) {
        wanted.set(static_cast<unsigned char>(term_hash_byte(term)));
    }
    std::vector<WordMatch> words;
    words.reserve(hashes.size());
    auto match = [&](const std::string& folded) {
        const auto& term = analyzer.term(folded);
        const auto at = std::find(terms.begin(), terms.end(), term);
        if (at != terms.end()) {
            words.back().term = static_cast<int>(at - terms.begin());
        }
    };
    auto wanted_word = [&](std::size_t i) {
        return i >= hashes.size() || wanted.test(static_cast<unsigned char>(hashes[i]));
    };
    if (!hashes.empty() && ascii::is_ascii(text)) {
        // The analyser's own ASCII path, folding only the words whose hash byte is wanted: an
        // ASCII piece of at most 64 bytes always folds to a word, so the others need no copy.
        std::string folded;
        ascii::segment(text, [&](std::string_view piece, std::size_t begin, std::size_t end,
                                 bool is_word) {
            if (!is_word || (piece.size() > ascii::max_word_bytes && !ascii::fold(piece, folded))) {
                return;
            }
            const auto i = words.size();
            words.push_back({begin, end, -1});
            if (wanted_word(i) && ascii::fold(piece, folded)) {
                match(folded);
            }
        });
        return words;
    }
    analyzer.for_each_word(text,
                           [&](const std::string& folded, std::size_t begin, std::size_t end) {
                               const auto i = words.size();
                               words.push_back({begin, end, -1});
                               if (wanted_word(i)) {
                                   match(folded);
                               }
                           });
    return words;
}

namespace {

// Adds each matched word's position, numbered from `first`, to its term's list.
void add_positions(const std::vector<WordMatch>& words, Xapian::termpos first, TermPositions& out) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i].term >= 0) {
            out[static_cast<std::size_t>(words[i].term)].push_back(first +
                                                                   static_cast<Xapian::termpos>(i));
        }
    }
}

} // namespace

TermPositions text_positions(const std::vector<WordMatch>& question,
                             const std::vector<WordMatch>& answer, std::size_t term_count) {
    TermPositions out(term_count);
    // The question's words are numbered from 1 and the answer's after a gap, as the indexer
    // numbered them when it kept positions.
    add_positions(question, 1, out);
    add_positions(answer, static_cast<Xapian::termpos>(question.size()) + 1 + schema::field_gap,
                  out);
    return out;
}

TermPositions text_positions(const StoredPair& pair, const std::vector<std::string>& terms,
                             Analyzer& analyzer) {
    return text_positions(match_words(pair.question, pair.question_word_hashes, terms, analyzer),
                          match_words(pair.answer, pair.answer_word_hashes, terms, analyzer),
                          terms.size());
}

TermPositions question_positions(const StoredPair& pair, const std::vector<std::string>& terms,
                                 Analyzer& analyzer) {
    TermPositions out(terms.size());
    add_positions(match_words(pair.question, pair.question_word_hashes, terms, analyzer), 1, out);
    return out;
}

TermPositions title_positions(std::string_view title, const std::vector<std::string>& terms,
                              Analyzer& analyzer) {
    TermPositions out(terms.size());
    add_positions(match_words(title, {}, terms, analyzer), 1, out);
    return out;
}

} // namespace leo::detail
