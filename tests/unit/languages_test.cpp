// Every language Xapian can stem indexes and answers; one it cannot is indexed unstemmed.

#include "support.hpp"
#include "text/analyzer.hpp"

#include <catch2/catch.hpp>
#include <leo/config.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <sstream>
#include <string>
#include <vector>
#include <xapian.h>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

std::vector<std::string> snowball_languages() {
    std::vector<std::string> names;
    std::istringstream in(Xapian::Stem::get_available_languages());
    for (std::string name; in >> name;) {
        names.push_back(name);
    }
    return names;
}

// Builds an index from leo.toml with `language = <language>` and asks it a question.
void index_and_ask(const std::string& language) {
    TempDir dir;
    write_file(dir / "pages" / "a.md", leo::test::leopard_page);
    // A lone tatweel (`ـ`), which Arabic's stemmer strips to nothing, as forum text has it.
    write_file(dir / "pages" / "ar.md",
               "## ما هو الفهد؟\n\nالفهد ـ حيوان مفترس يعيش في الغابات.\n");
    write_file(dir / "leo.toml", "language = \"" + language + "\"\n");
    auto config = leo::load_config(dir / "leo.toml");
    {
        leo::Indexer indexer(config);
        auto report = indexer.index_directory(dir / "pages");
        CHECK(report.failed == 0);
        CHECK(report.indexed == 2);
    }
    leo::Searcher searcher(config);
    for (const char* text : {"How many Amur leopards are left?", "الفهد"}) {
        leo::Query query;
        query.text = text;
        auto results = searcher.search(query);
        CAPTURE(text);
        CHECK_FALSE(results.hits.empty());
    }
}

} // namespace

TEST_CASE("every Snowball language of this Xapian indexes and answers", "[languages]") {
    auto names = snowball_languages();
    REQUIRE_FALSE(names.empty());
    for (const auto& name : names) {
        CAPTURE(name);
        CHECK(leo::language_is_stemmed(name));
        index_and_ask(name);
    }
}

TEST_CASE("ISO codes name their stemmer, whatever their case", "[languages]") {
    for (const char* code : {"ar", "AR", "ar-EG", "hy", "eu", "ca", "da", "nl", "en", "en_GB",
                             "fi", "fr", "de",    "hu", "id", "ga", "it", "lt", "ne", "nb",
                             "nn", "no", "pt",    "ro", "ru", "es", "sv", "ta", "tr", "English"}) {
        CAPTURE(code);
        CHECK(leo::language_is_stemmed(code));
    }
    CHECK(leo::detail::Analyzer::snowball_name("AR") == "arabic");
    index_and_ask("ar");
}

TEST_CASE("a language leo cannot stem is indexed unstemmed, not refused", "[languages]") {
    for (const char* code : {"ja", "zh", "th", "el", "xx", "klingon", "none", ""}) {
        CAPTURE(code);
        CHECK_FALSE(leo::language_is_stemmed(code));
        leo::detail::Analyzer analyzer(code);
        CHECK(analyzer.term("leopards") == "leopards");
    }
    index_and_ask("ja");
    index_and_ask("xx");
}
