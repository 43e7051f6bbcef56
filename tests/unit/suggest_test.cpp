#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <leo/json.hpp>
#include <leo/searcher.hpp>
#include <nlohmann/json.hpp>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

struct Fixture {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    Fixture() {
        write_file(dir / "pages" / "leopards.txt", leo::test::leopard_page);
        // "lamp" three times, "lantern" once: frequency orders the completions of "la".
        write_file(dir / "pages" / "lamps.md",
                   "## Which lamp is brightest?\n\nThe lamp with the most lumens; a lamp, not a "
                   "lantern.\n");
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }

    leo::Suggestions suggest(const std::string& text, std::size_t completions = 8) {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        return searcher.suggest(query, completions);
    }
};

} // namespace

TEST_CASE("an unfinished last word is completed from the index, most frequent first", "[suggest]") {
    Fixture f;
    auto s = f.suggest("la");
    REQUIRE(s.completions.size() >= 2);
    CHECK(s.completions[0] == "lamp");
    CHECK(std::find(s.completions.begin(), s.completions.end(), "lantern") != s.completions.end());
    for (const auto& word : s.completions) {
        CHECK(word.starts_with("la"));
    }
    CHECK(f.suggest("la", 1).completions.size() == 1);
}

TEST_CASE("the hits while typing are those of the query with its last word completed",
          "[suggest]") {
    Fixture f;
    auto s = f.suggest("how many amur leop");
    REQUIRE_FALSE(s.results.hits.empty());
    CHECK(s.results.hits.front().id == "leopards.txt#1");
    CHECK(s.query == "how many amur leop");
    CHECK(s.results.query == "how many amur leop");
}

TEST_CASE("the last word is folded before it is completed", "[suggest]") {
    Fixture f;
    CHECK(f.suggest("LAMP").completions.front() == "lamp");
}

TEST_CASE("nothing is completed after a space, for syntax, or for an unknown prefix", "[suggest]") {
    Fixture f;
    CHECK(f.suggest("lamp ").completions.empty());
    CHECK(f.suggest("tag:la").completions.empty());
    CHECK(f.suggest("\"la").completions.empty());
    CHECK(f.suggest("zzqx").completions.empty());
    CHECK(f.suggest("").completions.empty());
    CHECK(f.suggest("").results.hits.empty());
}

TEST_CASE("the suggestions JSON is the results JSON plus the completions", "[suggest][json]") {
    Fixture f;
    auto s = f.suggest("how many amur leop");
    auto suggestions = nlohmann::json::parse(leo::suggestions_json(s));
    auto results = nlohmann::json::parse(leo::results_json(s.results));
    CHECK(suggestions["completions"] == nlohmann::json(s.completions));
    suggestions.erase("completions");
    CHECK(suggestions == results);
    CHECK(results["hits"][0]["id"] == "leopards.txt#1");
}

TEST_CASE("the revision label changes when a commit is reopened", "[suggest][searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    auto before = searcher.revision();
    CHECK_FALSE(before.empty());
    write_file(f.dir / "pages" / "new.md", "## Is this new?\n\nYes.\n");
    {
        leo::Indexer indexer(f.config);
        (void)indexer.index_directory(f.dir / "pages");
    }
    CHECK(searcher.revision() == before);
    searcher.reopen();
    CHECK(searcher.revision() != before);
}
