#include "term_positions.hpp"

#include "schema.hpp"
#include "snippet.hpp"

#include <algorithm>
#include <bitset>

namespace leo::detail {
namespace {

// Adds the positions of `terms` in `text` (its words numbered from `first`) to `out`; `hashes`
// holds a byte per word (none: every word is stemmed). Returns the next free position.
Xapian::termpos scan(std::string_view text, std::string_view hashes,
                     const std::vector<std::string>& terms, Xapian::termpos first,
                     Analyzer& analyzer, TermPositions& out) {
    std::bitset<256> wanted;
    for (const auto& term : terms) {
        wanted.set(static_cast<unsigned char>(term_hash_byte(term)));
    }
    std::size_t word = 0;
    Xapian::termpos pos = first;
    analyzer.for_each_word(text, [&](const std::string& folded, std::size_t, std::size_t) {
        const auto i = word++;
        const auto here = pos++;
        if (i < hashes.size() && !wanted.test(static_cast<unsigned char>(hashes[i]))) {
            return;
        }
        const auto& term = analyzer.term(folded);
        for (std::size_t t = 0; t < terms.size(); ++t) {
            if (terms[t] == term) {
                out[t].push_back(here);
            }
        }
    });
    return pos;
}

} // namespace

TermPositions text_positions(const StoredPair& pair, const std::vector<std::string>& terms,
                             Analyzer& analyzer) {
    TermPositions out(terms.size());
    // The question's words are numbered from 1 and the answer's after a gap, as the indexer
    // numbered them when it kept positions.
    auto next = scan(pair.question, pair.question_word_hashes, terms, 1, analyzer, out);
    (void)scan(pair.answer, pair.answer_word_hashes, terms, next + schema::field_gap, analyzer,
               out);
    return out;
}

TermPositions question_positions(const StoredPair& pair, const std::vector<std::string>& terms,
                                 Analyzer& analyzer) {
    TermPositions out(terms.size());
    (void)scan(pair.question, pair.question_word_hashes, terms, 1, analyzer, out);
    return out;
}

TermPositions title_positions(std::string_view title, const std::vector<std::string>& terms,
                              Analyzer& analyzer) {
    TermPositions out(terms.size());
    (void)scan(title, {}, terms, 1, analyzer, out);
    return out;
}

} // namespace leo::detail
