// Opening an index to bring it up to date changes nothing when nothing changed.

#include "support.hpp"

#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <set>
#include <string>
#include <xapian.h>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

Xapian::rev revision(const leo::Config& config) {
    return Xapian::Database(config.database.string()).get_revision();
}

std::set<std::string> synonyms_of(const leo::Config& config, const std::string& key) {
    Xapian::Database db(config.database.string());
    return {db.synonyms_begin(key), db.synonyms_end(key)};
}

} // namespace

TEST_CASE("a run with nothing to change leaves the index at the same revision", "[indexer][open]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    config.synonyms["pangolin"] = {"scaly anteater"};
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    const auto built = revision(config);
    REQUIRE(synonyms_of(config, "pangolin") == std::set<std::string>{"anteat", "scali"});
    for (int run = 0; run < 2; ++run) {
        leo::Indexer indexer(config);
        auto report = indexer.index_directory(dir / "pages");
        CHECK(report.indexed == 0);
        CHECK(report.unchanged == 1);
    }
    CHECK(revision(config) == built);
    {
        leo::Indexer opened_only(config);
        opened_only.commit();
    }
    CHECK(revision(config) == built);
}

TEST_CASE("synonyms changed in leo.toml are written, and only then", "[indexer][open]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    config.synonyms["pangolin"] = {"anteater"};
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    const auto built = revision(config);
    config.synonyms["pangolin"] = {"armadillo"};
    config.synonyms["quokka"] = {"wallaby"};
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    CHECK(revision(config) > built);
    CHECK(synonyms_of(config, "pangolin") == std::set<std::string>{"armadillo"});
    CHECK(synonyms_of(config, "quokka") == std::set<std::string>{"wallabi"});
    config.synonyms.erase("quokka");
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    CHECK(synonyms_of(config, "quokka").empty()); // taken out of leo.toml, gone from the index
    CHECK(synonyms_of(config, "pangolin") == std::set<std::string>{"armadillo"});
}
