#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <limits>
#include <map>
#include <set>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

struct Fixture {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    Fixture() {
        write_file(dir / "pages" / "leopards.txt", leo::test::leopard_page);
        write_file(
            dir / "pages" / "cafe.md",
            "+++\ntitle = \"Cafés\"\ntags = [\"food\"]\n+++\n## Where is the Cafe Mozart?\n\n"
            "It stands on the Hauptstrasse in Vienna.\n\n## Is the café open on Sunday?\n\n"
            "Yes, from nine.\n");
        write_file(dir / "pages" / "ja.md",
                   "+++\ntitle = \"質問\"\nlang = \"ja\"\n+++\n"
                   "## 東京タワーの高さは?\n\n東京タワーの高さは三百三十三メートルです。\n");
        write_file(dir / "pages" / "copy-a.md",
                   "## Refund policy?\n\nRefunds take five working days.\n");
        write_file(dir / "pages" / "copy-b.md",
                   "## How long do refunds take?\n\nRefunds take five working days.\n");
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }

    leo::Results ask(const std::string& text, std::size_t limit = 10) {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        query.limit = limit;
        return searcher.search(query);
    }
};

std::vector<std::string> ids(const leo::Results& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) {
        out.push_back(h.id);
    }
    return out;
}

} // namespace

TEST_CASE("a hit carries everything an answer needs", "[searcher]") {
    Fixture f;
    auto results = f.ask("amur leopards left in the russian forests");
    REQUIRE_FALSE(results.hits.empty());
    const auto& hit = results.hits.front();
    CHECK(hit.rank == 1);
    CHECK(hit.id == "leopards.txt#1");
    CHECK(hit.question == "How many Amur leopards are left in the wild?");
    CHECK(hit.title == "Saving leopards");
    CHECK(hit.url == "/saving-leopards/#how-many-amur-leopards-are-left-in-the-wild");
    CHECK(hit.path == "leopards.txt");
    CHECK(hit.score > 0);
    CHECK_FALSE(hit.snippet.highlights.empty());
}

TEST_CASE("a question asking for a quantity finds the how-many answer first", "[searcher]") {
    Fixture f;
    CHECK(ids(f.ask("amur leopard population")).front() == "leopards.txt#1");
    CHECK(ids(f.ask("number of amur leopards")).front() == "leopards.txt#1");
}

TEST_CASE("empty answers are never returned", "[searcher]") {
    Fixture f;
    auto found = ids(f.ask("what will be done next year", 50));
    CHECK(std::find(found.begin(), found.end(), "leopards.txt#3") == found.end());
}

TEST_CASE("accents and ß fold both ways", "[searcher]") {
    Fixture f;
    CHECK(ids(f.ask("hauptstraße")).front() == "cafe.md#1");
    auto cafe = ids(f.ask("café"));
    CHECK(std::find(cafe.begin(), cafe.end(), "cafe.md#1") != cafe.end());
    CHECK(ids(f.ask("CAFE sunday")).front() == "cafe.md#2");
}

TEST_CASE("a Japanese word finds the Japanese answer", "[searcher]") {
    Fixture f;
    auto found = ids(f.ask("東京タワー"));
    REQUIRE_FALSE(found.empty());
    CHECK(found.front() == "ja.md#1");
}

TEST_CASE("identical answers fold into one hit that counts its copies", "[searcher]") {
    Fixture f;
    auto results = f.ask("refunds five working days");
    REQUIRE_FALSE(results.hits.empty());
    CHECK(results.hits.front().duplicates == 1);
    std::size_t refund_hits = 0;
    for (const auto& h : results.hits) {
        refund_hits += h.answer == "Refunds take five working days.";
    }
    CHECK(refund_hits == 1);
}

TEST_CASE("tags filter, offset and limit window the results", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    leo::Query query;
    query.text = "open";
    query.tags = {"food"};
    for (const auto& hit : searcher.search(query).hits) {
        CHECK(hit.path == "cafe.md");
    }
    query.text = "leopards";
    query.tags.clear();
    query.limit = 1;
    auto first = searcher.search(query);
    query.offset = 1;
    auto second = searcher.search(query);
    REQUIRE(first.hits.size() == 1);
    REQUIRE(second.hits.size() == 1);
    CHECK(first.hits[0].id != second.hits[0].id);
    CHECK(second.hits[0].rank == 2);
}

TEST_CASE("a window of 2^64-1 answers neither wraps nor comes back empty", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    leo::Query query;
    query.text = "leopards";
    query.limit = std::numeric_limits<std::size_t>::max();
    auto all = searcher.search(query);
    CHECK(all.hits.size() >= 2);
    CHECK(all.hits.size() <= leo::max_limit);
    query.offset = 1;
    auto skipped = searcher.search(query);
    REQUIRE(skipped.hits.size() == all.hits.size() - 1);
    CHECK(skipped.hits[0].id == all.hits[1].id);
    query.offset = std::numeric_limits<std::size_t>::max();
    CHECK(searcher.search(query).hits.empty());
}

TEST_CASE("query syntax works: phrases, NOT, field prefixes", "[searcher]") {
    Fixture f;
    CHECK(ids(f.ask("\"snow leopards\"")).front() == "leopards.txt#2");
    for (const auto& id : ids(f.ask("leopards NOT zoos"))) {
        CHECK(id != "leopards.txt#4");
    }
    CHECK(ids(f.ask("question:zoos")).front() == "leopards.txt#4");
    CHECK(ids(f.ask("tag:food sunday")).front() == "cafe.md#2");
}

// The index keeps no positions: a phrase is matched as its words, then checked in the text.
TEST_CASE("a phrase finds only the pairs where its words stand together", "[searcher]") {
    Fixture f;
    write_file(f.dir / "pages" / "apart.md",
               "## Is there snow where leopards live?\n\nLeopards avoid deep snow.\n");
    (void)leo::Indexer(f.config).index_directory(f.dir / "pages");
    auto together = ids(f.ask("\"snow leopards\""));
    CHECK(std::find(together.begin(), together.end(), "apart.md#1") == together.end());
    CHECK(std::find(together.begin(), together.end(), "leopards.txt#2") != together.end());
    auto near = ids(f.ask("snow NEAR/3 leopards"));
    CHECK(std::find(near.begin(), near.end(), "apart.md#1") != near.end());
    auto words = ids(f.ask("snow leopards"));
    CHECK(std::find(words.begin(), words.end(), "apart.md#1") != words.end());
}

TEST_CASE("a misspelt word is corrected and said so", "[searcher]") {
    Fixture f;
    auto results = f.ask("amur leoprds");
    REQUIRE(results.corrected_query);
    CHECK(results.used_correction);
    CHECK_THAT(*results.corrected_query, Catch::Contains("leopards"));
    CHECK_FALSE(results.hits.empty());
}

// Xapian's corrector offers a more frequent word close to any word ("snow" -> "how"); leo keeps
// its corrections of the words the index does not know, and no operator counts as a word.
TEST_CASE("a query with syntax has only its unknown words corrected", "[searcher]") {
    Fixture f;
    auto results = f.ask("snow NEAR/3 leoprds");
    REQUIRE(results.corrected_query);
    CHECK(*results.corrected_query == "snow NEAR/3 leopards");
    CHECK_FALSE(f.ask("snow NEAR/3 leopards").corrected_query);
    CHECK_FALSE(f.ask("leopards AND zoos").corrected_query);
}

// Each word is an edit or two from a word of the site that a frequency-only corrector chose.
TEST_CASE("a real word the site lacks is searched as typed", "[searcher]") {
    Fixture f;
    write_file(f.dir / "pages" / "files.md",
               "## How do I find a shared file?\n\nYou decide who sees it before sending the link, "
               "but a folder may contain others.\n");
    {
        leo::Indexer indexer(f.config);
        (void)indexer.index_directory(f.dir / "pages");
    }
    for (const char* text : {"fond", "scared", "divide", "spending", "buy", "constrain",
                             "fond of a scared file", "\"shared file\" divide"}) {
        INFO(text);
        CHECK_FALSE(f.ask(text).corrected_query);
    }
    CHECK(f.ask("sahred file").corrected_query == "shared file");
}

TEST_CASE("a correction can be declined and is still reported", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    leo::Query query;
    query.text = "amur leoprds";
    query.correct = false;
    auto natural = searcher.search(query);
    REQUIRE(natural.corrected_query);
    CHECK(*natural.corrected_query == "amur leopards");
    CHECK_FALSE(natural.used_correction);
    query.text = "snow NEAR/3 leoprds";
    auto syntax = searcher.search(query);
    REQUIRE(syntax.corrected_query);
    CHECK_FALSE(syntax.used_correction);
    CHECK(syntax.hits.empty()); // "leoprds" as typed is on no pair
}

TEST_CASE("a wildcard or a quoted phrase is never corrected", "[searcher]") {
    Fixture f;
    auto wildcard = f.ask("leop*");
    CHECK_FALSE(wildcard.corrected_query);
    REQUIRE_FALSE(wildcard.hits.empty()); // the words starting so: leopards
    CHECK_THAT(wildcard.hits.front().question, Catch::Contains("leopards"));
    CHECK_FALSE(f.ask("\"amur leoprds\" zoos").corrected_query);
}

// Read as syntax, the quoted aside would be a strict phrase that no answer holds.
TEST_CASE("a pasted question with quotation marks is read as a question", "[searcher]") {
    Fixture f;
    for (const char* text :
         {R"(how many "leopards live in the wild")", R"(why are "snow leopards killed)",
          R"(how do zoos (and studbooks) help leopards?)"}) {
        INFO(text);
        CHECK_FALSE(f.ask(text).hits.empty());
    }
    CHECK(f.ask(R"("leopards live in the wild")").hits.empty()); // only a phrase: syntax
}

TEST_CASE("a field name or a filter value is never taken for a typo", "[searcher]") {
    Fixture f;
    for (const char* text :
         {"leopards tag:big-cats", "tag:questions leopards", "title:leopards zoos"}) {
        INFO(text);
        auto results = f.ask(text);
        CHECK_FALSE(results.corrected_query);
        CHECK_FALSE(results.hits.empty());
    }
}

TEST_CASE("bad queries get results or nothing, never an exception", "[searcher]") {
    Fixture f;
    std::string huge;
    for (int i = 0; i < 20000; ++i) {
        huge += "leopard ";
    }
    auto text = GENERATE_COPY(values<std::string>(
        {"", "   ", "\"unbalanced", "((leopard", "leopard)", "AND", "NOT", "-", "+", "OR OR OR",
         "nosuchprefix:leopard", "tag:", "\"\"", "NEAR", "leopard NEAR/ zoo", huge,
         "a\x01\x02\x1b[31mb", "bad \xFF\xFE utf8", "*", "~",
         // found by fuzz_query (see tests/lsan.supp)
         "((a Oroot AND Oroot AND NEAR/3 d"}));
    CAPTURE(text.substr(0, 40));
    CHECK_NOTHROW(f.ask(text));
}

TEST_CASE("plain BM25 mode is one setting away", "[searcher]") {
    Fixture f;
    f.config.ranking.mode = leo::RankingMode::bm25;
    auto results = f.ask("leopards");
    CHECK_FALSE(results.hits.empty());
}

TEST_CASE("explain names where the score came from", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    leo::Query query;
    query.text = "amur leopard population";
    query.explain = true;
    auto results = searcher.search(query);
    REQUIRE_FALSE(results.hits.empty());
    std::vector<std::string> features;
    for (const auto& part : results.hits.front().explanation) {
        features.push_back(part.feature);
    }
    CHECK(std::find(features.begin(), features.end(), "question") != features.end());
    CHECK(std::find(features.begin(), features.end(), "intent") != features.end());
}

// A long question is mostly context; the share of it that a pair holds would measure the
// pair's length (second_stage.cpp), so only short queries are scored by coverage.
TEST_CASE("coverage scores a short question and not a long one", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    auto features_of_top = [&](const std::string& text) {
        leo::Query query;
        query.text = text;
        query.explain = true;
        auto results = searcher.search(query);
        std::set<std::string> features;
        if (!results.hits.empty()) {
            for (const auto& part : results.hits.front().explanation) {
                features.insert(part.feature);
            }
        }
        return features;
    };
    CHECK(features_of_top("amur leopards in the wild").count("coverage") == 1);
    const auto long_question = features_of_top(
        "my class visited the zoo last spring and the keeper told our teacher about the amur "
        "leopards from the russian forests near the chinese border, so I wondered how many "
        "amur leopards are left in the wild today");
    CHECK_FALSE(long_question.empty());
    CHECK(long_question.count("coverage") == 0);
    CHECK(long_question.count("question+answer") == 1);
}

// Natural queries score the question and title fields after the match, from the rank record;
// queries with syntax still run the fields' queries in the matcher. Both must weigh the same.
TEST_CASE("question and title weigh the same scored after the match as inside it", "[searcher]") {
    Fixture f;
    leo::Searcher searcher(f.config);
    auto parts = [&](const std::string& text) {
        leo::Query query;
        query.text = text;
        query.explain = true;
        auto results = searcher.search(query);
        std::map<std::string, std::map<std::string, double>> out; // hit id -> feature -> score
        for (const auto& hit : results.hits) {
            for (const auto& part : hit.explanation) {
                out[hit.id][part.feature] = part.value;
            }
        }
        return out;
    };
    // "amur leopards" is natural; "amur OR leopards" goes through the QueryParser.
    auto natural = parts("amur leopards");
    auto parsed = parts("amur OR leopards");
    REQUIRE(natural.size() >= 2);
    for (const auto& [id, features] : natural) {
        INFO(id);
        REQUIRE(parsed.count(id));
        CHECK(features.at("question+answer") ==
              Approx(parsed[id].at("question+answer")).epsilon(1e-9));
        CHECK(features.at("question") == Approx(parsed[id].at("question")).epsilon(1e-9));
        CHECK(features.at("title") == Approx(parsed[id].at("title")).epsilon(1e-9));
    }
    CHECK(natural.begin()->second.at("title") > 0); // "leopards" is in the page title
}

// A word on most pairs is not walked: it adds to the candidates the other words chose, and a
// query of nothing but such words chooses by the questions that hold them.
TEST_CASE("common words score candidates without choosing them", "[searcher]") {
    TempDir dir;
    std::string page = "+++\ntitle = \"Cats\"\n+++\n";
    for (int i = 0; i < 12; ++i) {
        page += "## Question " + std::to_string(i) + " about cats?\n\nCats sleep a lot";
        page += i == 3 ? ", and the ocelot hunts at night.\n\n" : ".\n\n";
    }
    page += "## Do cats purr?\n\nThey purr when content.\n\n";
    write_file(dir / "pages" / "cats.md", page);
    auto config = leo::test::config_in(dir);
    config.ranking.common_word_min_pairs = 0;
    config.ranking.common_word_share = 0.5; // "cats" and "sleep" are on 12 of 13 pairs
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    leo::Query query;

    query.text = "cats ocelot";
    auto mixed = searcher.search(query);
    REQUIRE_FALSE(mixed.hits.empty());
    CHECK(mixed.hits.front().id == "cats.md#4");
    CHECK(mixed.total >= 12); // every pair holding the common word matches the query too

    // Only common words: the pairs whose question holds them are the candidates.
    query.text = "cats sleep";
    query.explain = true;
    auto common = searcher.search(query);
    REQUIRE_FALSE(common.hits.empty());
    for (const auto& hit : common.hits) {
        CHECK_THAT(hit.question, Catch::Contains("cats"));
        double first_stage = 0;
        for (const auto& part : hit.explanation) {
            if (part.feature == "question+answer") {
                CHECK(part.value > 0); // "sleep" scored from the rank record
                CHECK_THAT(part.detail, Catch::Contains("common words"));
            }
            if (part.feature == "question+answer" || part.feature == "question" ||
                part.feature == "title") {
                first_stage += part.value;
            }
        }
        CHECK(first_stage > 0);
    }
}

// Of a query of common words only, the questions holding all of them come first; when too
// few do, the questions holding any of them fill the list.
TEST_CASE("common words choose the questions holding all of them, then any", "[searcher]") {
    TempDir dir;
    std::string page = "+++\ntitle = \"Pets\"\n+++\n";
    for (int i = 0; i < 10; ++i) {
        page += "## Question " + std::to_string(i) + " about cats?\n\nCats sleep a lot.\n\n";
    }
    page += "## Why do cats sleep so much?\n\nCats sleep to save energy.\n\n";
    page += "## Where do cats sleep?\n\nCats sleep anywhere warm.\n\n";
    write_file(dir / "pages" / "pets.md", page);
    auto config = leo::test::config_in(dir);
    config.ranking.common_word_min_pairs = 0;
    config.ranking.common_word_share = 0.5;
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    leo::Query query;
    query.text = "cats sleep";
    query.limit = 3;
    auto results = searcher.search(query);
    REQUIRE(results.hits.size() == 3);
    std::set<std::string> first_two{results.hits[0].id, results.hits[1].id};
    CHECK(first_two == std::set<std::string>{"pets.md#11", "pets.md#12"});
    CHECK_THAT(results.hits[2].question, Catch::Contains("about cats"));
}

// How a word becomes common: on more than a share of the pairs, on more than a number of pairs
// whatever the share, or an intent cue once it is frequent at all.
TEST_CASE("a word is common by share, by count, or as a frequent intent cue", "[searcher]") {
    TempDir dir;
    std::string page = "+++\ntitle = \"Birds\"\n+++\n";
    for (int i = 0; i < 12; ++i) {
        page += "## Question " + std::to_string(i) + " on finches?\n\nThe population of finches";
        page += i == 3 ? " grows where the ocelot is gone.\n\n" : " is stable.\n\n";
    }
    for (int i = 0; i < 8; ++i) {
        page += "## Question " + std::to_string(i) + " on sparrows?\n\nSparrows nest in eaves.\n\n";
    }
    write_file(dir / "pages" / "birds.md", page);
    auto config = leo::test::config_in(dir);
    (void)leo::Indexer(config).index_directory(dir / "pages");
    // Whether the query's first word was scored as a common word (from the rank records).
    auto common = [&](const leo::Config& c, const std::string& text) {
        leo::Searcher searcher(c);
        leo::Query query;
        query.text = text;
        query.explain = true;
        auto results = searcher.search(query);
        REQUIRE_FALSE(results.hits.empty());
        CHECK(results.hits.front().id == "birds.md#4");
        for (const auto& part : results.hits.front().explanation) {
            if (part.feature == "question+answer" &&
                part.detail.find("common words") != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    auto c = config;
    c.ranking.common_word_share = 0.9; // no word is on 90% of the pairs...
    c.ranking.common_word_min_pairs = 0;
    c.ranking.common_word_max_pairs = 0;
    CHECK_FALSE(common(c, "finches ocelot"));
    c.ranking.common_word_max_pairs = 11; // ...but "finches" is on more than 11
    CHECK(common(c, "finches ocelot"));
    c.ranking.common_word_max_pairs = 0;
    c.ranking.common_word_min_pairs = 5;
    CHECK(common(c, "population ocelot")); // a cue on at least 5 pairs
    c.ranking.common_word_min_pairs = 20;
    CHECK_FALSE(common(c, "population ocelot")); // not frequent enough to leave out
}

TEST_CASE("lang: filters whatever the case the page or the query writes it in", "[searcher]") {
    TempDir dir;
    write_file(dir / "pages" / "de.md",
               "+++\nlang = \"DE\"\n+++\n## Wie hoch ist der Turm?\n\nHundert Meter.\n");
    write_file(dir / "pages" / "en.md",
               "+++\nlang = \"en\"\n+++\n## How high is the Turm?\n\nA hundred metres.\n");
    auto config = leo::test::config_in(dir);
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    for (const char* text : {"turm lang:de", "turm lang:DE"}) {
        leo::Query query;
        query.text = text;
        auto results = searcher.search(query);
        INFO(text);
        REQUIRE(results.hits.size() == 1);
        CHECK(results.hits.front().path == "de.md");
    }
}

TEST_CASE("a page of a site's other language is found through its own stems", "[searcher]") {
    TempDir dir;
    write_file(dir / "pages" / "homes.md", "## Which homes are running?\n\nHouses and flats.\n");
    write_file(dir / "pages" / "homes.de.md",
               "## Gibt es Wohnungen?\n\nJa, und Häuser mit Gärten.\n");
    auto config = leo::test::config_in(dir);
    config.parse.languages = {{"en", "", ""}, {"de", "", "/de"}};
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    // English stems miss all of these (`wohnungen`, `hauser`, `garten` stay whole), on the
    // page or in the query (`hausern`).
    for (const char* text : {"Wohnung", "Wohnungen", "Haus", "Häusern", "Garten"}) {
        leo::Query query;
        query.text = text;
        auto results = searcher.search(query);
        INFO(text);
        REQUIRE(results.hits.size() == 1);
        CHECK(results.hits.front().path == "homes.de.md");
        CHECK_FALSE(results.corrected_query); // a German stem is no typo
    }
    leo::Query english;
    english.text = "run";
    auto results = searcher.search(english);
    REQUIRE(results.hits.size() == 1);
    CHECK(results.hits.front().path == "homes.md");
}

TEST_CASE("opening a missing index says how to build it", "[searcher]") {
    TempDir dir;
    auto config = leo::test::config_in(dir);
    CHECK_THROWS_WITH(leo::Searcher(config), Catch::Contains("run leo-index to build it"));
}
