#include "support.hpp"

#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <map>
#include <string>
#include <vector>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

// "sickness" is in WordNet's first sense of "illness"; neither is in lib/data/synonyms.toml.
const std::map<std::string, std::string> pages{
    {"a.md", "## How long does the sickness last?\n\nAbout a week.\n"},
    {"b.md", "## Is the illness catching?\n\nIt spreads by touch.\n"},
    {"c.md", "## Where is the station?\n\nNear the bridge.\n"},
};

leo::Config index_in(const TempDir& dir, const std::string& language) {
    for (const auto& [name, text] : pages) {
        write_file(dir / "pages" / name, text);
    }
    auto config = leo::test::config_in(dir);
    config.language = language;
    leo::Indexer indexer(config);
    (void)indexer.index_directory(dir / "pages");
    return config;
}

std::vector<std::string> ids(leo::Config config, bool wordnet, const std::string& text) {
    config.ranking.wordnet = wordnet;
    leo::Searcher searcher(config);
    leo::Query query;
    query.text = text;
    std::vector<std::string> out;
    for (const auto& hit : searcher.search(query).hits) {
        out.push_back(hit.id);
    }
    return out;
}

} // namespace

TEST_CASE("a WordNet synonym finds a pair, below the pair saying the word", "[searcher][wordnet]") {
    TempDir dir;
    const auto config = index_in(dir, "en");
    CHECK(ids(config, false, "illness") == std::vector<std::string>{"b.md#1"});
    CHECK(ids(config, true, "illness") == std::vector<std::string>{"b.md#1", "a.md#1"});
    // A plural is looked up by its singular, as WordNet's morphy does.
    CHECK(ids(config, true, "illnesses") == std::vector<std::string>{"b.md#1", "a.md#1"});
    // A word WordNet does not expand finds what it found before.
    CHECK(ids(config, true, "station") == std::vector<std::string>{"c.md#1"});
}

TEST_CASE("WordNet expands only the words of an English index", "[searcher][wordnet]") {
    TempDir dir;
    const auto config = index_in(dir, "de");
    CHECK(ids(config, true, "illness") == std::vector<std::string>{"b.md#1"});
}
