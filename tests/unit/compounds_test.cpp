// Words joined or split otherwise than the site writes them, read from the index's own words
// (compounds.cpp): "e-mail" and "web site" find "email" and "website", "strikethrough" finds
// "strike through"; a query with no such word is planned as before.

#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

struct Site {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    Site() {
        write_file(dir / "pages" / "account.md", "+++\ntitle = \"Account\"\n+++\n"
                                                 "## How do I change my email address?\n\n"
                                                 "Open the settings and type the new email.\n\n"
                                                 "## Where is the website?\n\n"
                                                 "Our website is at example.org.\n\n"
                                                 "## Can I keep my parcels apart?\n\n"
                                                 "Yes, the office keeps them apart.\n");
        write_file(dir / "pages" / "editing.md", "+++\ntitle = \"Editing\"\n+++\n"
                                                 "## How do I strike through text?\n\n"
                                                 "Wrap the words in two tildes to strike "
                                                 "through them.\n\n"
                                                 "## How do I change the font?\n\n"
                                                 "Pick one from the menu.\n");
        (void)leo::Indexer(config).index_directory(dir / "pages");
    }

    leo::Results ask(const std::string& text, bool compounds = true) {
        config.ranking.compounds = compounds;
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        query.limit = 10;
        query.explain = true;
        return searcher.search(query);
    }
};

bool found(const leo::Results& results, const std::string& id) {
    return std::any_of(results.hits.begin(), results.hits.end(),
                       [&](const leo::Hit& hit) { return hit.id == id; });
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

TEST_CASE("a hyphenated word finds the word written joined", "[compounds]") {
    Site site;
    CHECK_FALSE(found(site.ask("e-mail", false), "account.md#1")); // "e" and "mail" are nowhere
    const auto results = site.ask("e-mail");
    REQUIRE_FALSE(results.hits.empty());
    CHECK(results.hits.front().id == "account.md#1");
    CHECK(has(results.compounds, "e mail → email"));
    const auto& parts = results.hits.front().explanation;
    CHECK(std::any_of(parts.begin(), parts.end(), [](const leo::ScorePart& part) {
        return part.feature == "compound" &&
               part.detail.find("e mail → email") != std::string::npos;
    }));
}

TEST_CASE("words written apart, or joined, find the site's way of writing them", "[compounds]") {
    struct Case {
        const char* query;
        const char* id;      ///< the pair that writes it otherwise
        const char* reading; ///< what --explain shows
    };
    for (const auto& c :
         {Case{"web site", "account.md#2", "web site → website"},
          Case{"web sites", "account.md#2", "web sites → websites"},
          Case{"strikethrough", "editing.md#1", "strikethrough → strike through"}}) {
        CAPTURE(c.query);
        Site site;
        CHECK_FALSE(found(site.ask(c.query, false), c.id));
        const auto results = site.ask(c.query);
        REQUIRE_FALSE(results.hits.empty());
        CHECK(results.hits.front().id == c.id);
        CHECK(has(results.compounds, c.reading));
    }
}

TEST_CASE("a query with no joined or split word is unchanged", "[compounds]") {
    Site site;
    for (const char* text : {"change font", "how do I change my address", "strike the text"}) {
        CAPTURE(text);
        const auto on = site.ask(text);
        const auto off = site.ask(text, false);
        CHECK(on.compounds.empty());
        CHECK(on.terms_used == off.terms_used);
        REQUIRE(on.hits.size() == off.hits.size());
        for (std::size_t i = 0; i < on.hits.size(); ++i) {
            CHECK(on.hits[i].id == off.hits[i].id);
            CHECK(on.hits[i].score == off.hits[i].score);
        }
    }
}

TEST_CASE("a function word and the next are not read as one word", "[compounds]") {
    Site site;
    const auto results = site.ask("a part"); // not "apart"
    CHECK(results.compounds.empty());
    CHECK_FALSE(found(results, "account.md#3"));
}
