#include "text/analyzer.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <tuple>

using leo::detail::Analyzer;

namespace {
std::vector<std::string> folded(Analyzer& a, std::string_view text) {
    std::vector<std::string> out;
    for (const auto& w : a.words(text)) {
        out.push_back(w.folded);
    }
    return out;
}
} // namespace

TEST_CASE("words are case, width and accent folded", "[analyzer]") {
    Analyzer a("en");
    auto [text, expected] = GENERATE(table<const char*, const char*>({
        {"Straße", "strasse"},
        {"Café", "cafe"},
        {"CAFÉ", "cafe"},
        {"naïve", "naive"},
        {"Ｆｕｌｌｗｉｄｔｈ", "fullwidth"},
        {"don't", "dont"},
        {"ﬁsh", "fish"},
    }));
    CHECK(folded(a, text) == std::vector<std::string>{expected});
}

TEST_CASE("marks that carry meaning outside Latin scripts are kept", "[analyzer]") {
    Analyzer a("ja");
    auto words = folded(a, "がっこう");
    REQUIRE_FALSE(words.empty());
    CHECK(words.front().find("が") != std::string::npos);
}

TEST_CASE("Japanese, Chinese and Thai runs are split into words", "[analyzer]") {
    Analyzer a("en");
    CHECK(folded(a, "日本語の質問に答えます").size() > 2);
    CHECK(folded(a, "我们喜欢搜索引擎").size() > 2);
    CHECK(folded(a, "ภาษาไทยง่ายนิดเดียว").size() > 2);
}

TEST_CASE("word offsets point at the original bytes", "[analyzer]") {
    Analyzer a("en");
    std::string text = "Où est la Straße?";
    auto words = a.words(text);
    REQUIRE(words.size() == 4);
    CHECK(text.substr(words[3].begin, words[3].end - words[3].begin) == "Straße");
}

TEST_CASE("terms are stems, numbers stay as they are", "[analyzer]") {
    Analyzer a("en");
    CHECK(a.term("leopards") == "leopard");
    CHECK(a.term("running") == "run");
    CHECK(a.term("2020") == "2020");
    Analyzer none("ja");
    CHECK(none.term("leopards") == "leopards");
}

TEST_CASE("a page of another language is stemmed by its own stemmer", "[analyzer]") {
    Analyzer a("en");
    CHECK(a.page_stemmer("de") == "german");
    CHECK(a.page_stemmer("sv-SE") == "swedish");
    // Analysed as the index is: its own language, none, or one Xapian cannot stem.
    CHECK(a.page_stemmer("en-gb").empty());
    CHECK(a.page_stemmer("").empty());
    CHECK(a.page_stemmer("ja").empty());
    CHECK(Analyzer("none").page_stemmer("de").empty());
    CHECK(a.term("wohnungen") == "wohnungen");
    CHECK(a.term("wohnungen", "german") == "wohnung");
    CHECK(a.term("fragorna", "swedish") == "frag");
    CHECK(a.term("running", "") == "run");
    CHECK(a.term("2020", "german") == "2020");
}

TEST_CASE("query folding keeps the syntax and folds the words", "[analyzer]") {
    Analyzer a("en");
    std::vector<std::string> prefixes{"tag", "title"};
    CHECK(a.fold_query("Café AND Straße", prefixes) == "cafe AND strasse");
    CHECK(a.fold_query("\"Big Cats\" -Snow", prefixes) == "\"big cats\" -snow");
    CHECK(a.fold_query("title:Leopards tag:Questions", prefixes) == "title:leopards tag:questions");
    CHECK(a.fold_query("and or not", prefixes) == "and or not");
    CHECK(a.fold_query("日本語の質問", prefixes).find(' ') != std::string::npos);
    CHECK(a.fold_query("a\x01"
                       "b",
                       prefixes) == "a b");
}

TEST_CASE("language codes map to Snowball names", "[analyzer]") {
    CHECK(Analyzer::snowball_name("en") == "english");
    CHECK(Analyzer::snowball_name("de-AT") == "german");
    CHECK(Analyzer::snowball_name("ja") == "ja");
}

TEST_CASE("the ASCII fast path splits exactly as ICU does", "[analyzer]") {
    Analyzer fast("en");
    Analyzer icu("en");
    icu.force_icu(true);
    const std::string alphabet = "abcXYZ019 .'\",;:_-!?()\t\n/&";
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::size_t>(state >> 33);
    };
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        for (std::size_t i = 0, n = 1 + next() % 40; i < n; ++i) {
            text.push_back(alphabet[next() % alphabet.size()]);
        }
        auto a = fast.words(text);
        auto b = icu.words(text);
        std::vector<std::tuple<std::string, std::size_t, std::size_t>> ta, tb;
        for (const auto& w : a) {
            ta.emplace_back(w.folded, w.begin, w.end);
        }
        for (const auto& w : b) {
            tb.emplace_back(w.folded, w.begin, w.end);
        }
        CAPTURE(text);
        REQUIRE(ta == tb);
        // The parser reads runs of spaces as one: compare the folded queries that way.
        auto squeeze = [](std::string q) {
            q.erase(std::unique(q.begin(), q.end(),
                                [](char x, char y) { return x == ' ' && y == ' '; }),
                    q.end());
            return q;
        };
        REQUIRE(squeeze(fast.fold_query(text, {"tag"})) == squeeze(icu.fold_query(text, {"tag"})));
    }
    for (const char* text : {"don't stop", "e.g. U.S.A.", "3.14 and 1,000;2", "a_b __init__",
                             "rock'n'roll", "end. Next", "x.1 1.x", "'quoted' dogs'"}) {
        CAPTURE(text);
        auto a = fast.words(text);
        auto b = icu.words(text);
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].folded == b[i].folded);
            CHECK(a[i].begin == b[i].begin);
        }
    }
}
