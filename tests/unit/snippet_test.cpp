#include "search/snippet.hpp"

#include <catch2/catch.hpp>

using leo::detail::Analyzer;
using leo::detail::make_snippet;

namespace {
std::vector<std::string> marked(const leo::Snippet& s) {
    std::vector<std::string> out;
    for (auto [b, e] : s.highlights) {
        out.push_back(s.text.substr(b, e - b));
    }
    return out;
}

/// One matching sentence between `filler` sentences of filler on either side.
std::string long_answer(int filler) {
    std::string text;
    for (int i = 0; i < filler; ++i) {
        text += "filler words here. ";
    }
    text += "The census counted thirty leopards. ";
    for (int i = 0; i < filler; ++i) {
        text += "more filler text. ";
    }
    return text;
}
} // namespace

TEST_CASE("matched words are highlighted by their terms, in any inflection", "[snippet]") {
    Analyzer a("en");
    auto s = make_snippet("The Amur leopard is rare; Amur Leopards live in forests.",
                          {"amur", "leopard"}, a);
    CHECK(s.text == "The Amur leopard is rare; Amur Leopards live in forests.");
    CHECK(marked(s) == std::vector<std::string>{"Amur", "leopard", "Amur", "Leopards"});
}

TEST_CASE("a long answer is cut around the densest matches, with ellipses", "[snippet]") {
    Analyzer a("en");
    const auto text = long_answer(100);
    auto s = make_snippet(text, {"census", "leopard"}, a, 120);
    CHECK(s.text.size() <= 120 + 10);
    CHECK_THAT(s.text, Catch::StartsWith("… "));
    CHECK_THAT(s.text, Catch::EndsWith(" …"));
    CHECK(marked(s) == std::vector<std::string>{"census", "leopards"});
}

TEST_CASE("a snippet is about two lines of a result page by default", "[snippet]") {
    // Pins the default length (ranking::snippet_bytes): the other tests pass their own.
    Analyzer a("en");
    const auto text = long_answer(60);
    auto s = make_snippet(text, {"census", "leopard"}, a);
    CHECK(s.text.size() > 200);
    CHECK(s.text.size() <= 240 + 10);
}

TEST_CASE("no match gives the answer's start and no highlights", "[snippet]") {
    Analyzer a("en");
    auto s = make_snippet("Nothing to see.", {"zebra"}, a);
    CHECK(s.text == "Nothing to see.");
    CHECK(s.highlights.empty());
}

TEST_CASE("with the indexer's hash bytes only the words they point at are highlighted",
          "[snippet]") {
    Analyzer a("en");
    const std::string text = "The Amur leopard is rare; Amur Leopards live in forests.";
    std::string hashes; // as the indexer writes them: one byte per word's term
    for (const auto& word : a.words(text)) {
        hashes.push_back(leo::detail::term_hash_byte(a.term(word.folded)));
    }
    auto with = make_snippet(text, {"amur", "leopard"}, a, 240, hashes);
    CHECK(marked(with) == std::vector<std::string>{"Amur", "leopard", "Amur", "Leopards"});

    // Bytes that point at no query term: the words are not even stemmed, so none is marked.
    const char other = static_cast<char>(leo::detail::term_hash_byte("amur") ^ 1);
    if (other != leo::detail::term_hash_byte("leopard")) {
        auto none =
            make_snippet(text, {"amur", "leopard"}, a, 240, std::string(hashes.size(), other));
        CHECK(none.highlights.empty());
    }
}
