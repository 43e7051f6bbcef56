#include "format/term_positions.hpp"
#include "search/snippet.hpp"
#include "store/document_store.hpp"

#include <catch2/catch.hpp>

using leo::detail::Analyzer;
using leo::detail::StoredPair;

namespace {

// A stored pair as the indexer writes it: the texts and a hash byte per word's term.
StoredPair stored(Analyzer& a, std::string question, std::string answer) {
    StoredPair pair;
    pair.question = std::move(question);
    pair.answer = std::move(answer);
    for (const auto& word : a.words(pair.question)) {
        pair.question_word_hashes.push_back(leo::detail::term_hash_byte(a.term(word.folded)));
    }
    for (const auto& word : a.words(pair.answer)) {
        pair.answer_word_hashes.push_back(leo::detail::term_hash_byte(a.term(word.folded)));
    }
    return pair;
}

} // namespace

TEST_CASE("positions run through question and answer with a gap between them", "[positions]") {
    Analyzer a("en");
    auto pair =
        stored(a, "How fast do leopards run?", "A leopard runs at 58 km/h; leopards climb.");
    auto found = leo::detail::text_positions(pair, {"leopard", "run", "zebra"}, a);
    REQUIRE(found.size() == 3);
    // Question words 1-5; the answer starts after the gap of 100: "a" is 106.
    CHECK(found[0] == std::vector<Xapian::termpos>{4, 107, 113});
    CHECK(found[1] == std::vector<Xapian::termpos>{5, 108});
    CHECK(found[2].empty());
    CHECK(leo::detail::question_positions(pair, {"leopard"}, a)[0] ==
          std::vector<Xapian::termpos>{4});
    CHECK(leo::detail::title_positions("Leopards and their prey", {"prey", "leopard"}, a) ==
          leo::detail::TermPositions{{4}, {1}});
}

TEST_CASE("only words whose hash byte matches are stemmed and compared", "[positions]") {
    Analyzer a("en");
    auto pair = stored(a, "Where do leopards live?", "Leopards live in forests.");
    // Bytes pointing at no query term: nothing is found although the words are there.
    const char other = static_cast<char>(leo::detail::term_hash_byte("leopard") ^ 1);
    pair.question_word_hashes.assign(pair.question_word_hashes.size(), other);
    pair.answer_word_hashes.assign(pair.answer_word_hashes.size(), other);
    CHECK(leo::detail::text_positions(pair, {"leopard"}, a)[0].empty());
}

TEST_CASE("matching words splits a text exactly as the analyser does", "[positions]") {
    Analyzer a("en");
    const std::string text = "Don't split e.g. 3.14 or __init__; " + std::string(70, 'x') +
                             " then " + std::string(30, 'y') + "-" + std::string(40, 'z') + " end.";
    auto pair = stored(a, "", text);
    const auto expected = a.words(text);
    const auto words = leo::detail::match_words(text, pair.answer_word_hashes, {"end"}, a);
    REQUIRE(words.size() == expected.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
        CHECK(words[i].begin == expected[i].begin);
        CHECK(words[i].end == expected[i].end);
        CHECK((words[i].term == 0) == (expected[i].folded == "end"));
    }
}
