#include "analyzer.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("query folding keeps the syntax and folds the words", "[analyzer]") {
    Analyzer a("en");
    std::vector<std::string> prefixes{"tag", "title"};
    CHECK(a.fold_query("Café AND Straße", prefixes) == "cafe AND strasse");
    CHECK(a.fold_query("\"Big Cats\" -Snow", prefixes) == "\"big cats\" -snow");
    CHECK(a.fold_query("title:Leopards tag:Questions", prefixes) == "title:leopards tag:questions");
    CHECK(a.fold_query("and or not", prefixes) == "and or not");
    CHECK(a.fold_query("日本語の質問", prefixes).find(' ') != std::string::npos);
    CHECK(a.fold_query("a\x01" "b", prefixes) == "a b");
}

TEST_CASE("language codes map to Snowball names", "[analyzer]") {
    CHECK(Analyzer::snowball_name("en") == "english");
    CHECK(Analyzer::snowball_name("de-AT") == "german");
    CHECK(Analyzer::snowball_name("ja") == "ja");
}
