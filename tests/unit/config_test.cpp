#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <leo/config.hpp>
#include <leo/error.hpp>
#include <leo_tool/settings.hpp>

using leo::test::TempDir;
using leo::test::write_file;

TEST_CASE("leo.toml sets every documented key", "[config]") {
    TempDir dir;
    write_file(dir / "leo.toml", R"(database = "site.leo"
language = "de"
index_drafts = true
exclude = ["drafts/*"]
[questions]
min_level = 2
max_level = 3
[ranking]
mode = "bm25"
proximity = false
wordnet = true
question_weight = 2.5
rerank_depth = 40
[synonyms]
auto = ["car"]
[intents.price]
query = ["cost"]
question = ["price"]
answer = "number"
)");
    auto config = leo::load_config(dir / "leo.toml");
    CHECK(config.database == dir / "site.leo");
    CHECK(config.language == "de");
    CHECK(config.index_drafts);
    CHECK(config.exclude == std::vector<std::string>{"drafts/*"});
    CHECK(config.parse.max_question_level == 3);
    CHECK(config.ranking.mode == leo::RankingMode::bm25);
    CHECK_FALSE(config.ranking.proximity);
    CHECK(config.ranking.wordnet);
    CHECK(config.ranking.question_weight == 2.5);
    CHECK(config.ranking.rerank_depth == 40);
    CHECK(config.synonyms.at("auto") == std::vector<std::string>{"car"});
    REQUIRE(config.intents.size() == 1);
    CHECK(config.intents[0].answer_evidence == "number");
}

TEST_CASE("an unknown key names its place and the nearest known key", "[config]") {
    TempDir dir;
    write_file(dir / "leo.toml", "language = \"en\"\n[ranking]\n  proximty = true\n");
    try {
        (void)leo::load_config(dir / "leo.toml");
        FAIL("no error");
    } catch (const leo::ConfigError& e) {
        CHECK(e.line() == 3);
        CHECK(e.column() == 3);
        CHECK_THAT(
            e.what(),
            Catch::EndsWith(
                "leo.toml:3:3: unknown key 'proximty' in [ranking] (did you mean 'proximity'?)"));
    }
}

TEST_CASE("values of the wrong type and bad TOML are errors with a place", "[config]") {
    TempDir dir;
    auto [text, message] = GENERATE(table<const char*, const char*>({
        {"language = 3\n", "'language' must be a string"},
        {"[ranking]\nmode = \"fancy\"\n", "'mode' must be \"leo\" or \"bm25\""},
        {"[questions]\nmin_level = 4\nmax_level = 2\n", "question levels"},
        {"language = \n", ""},
    }));
    write_file(dir / "leo.toml", text);
    try {
        (void)leo::load_config(dir / "leo.toml");
        FAIL("no error for " << text);
    } catch (const leo::ConfigError& e) {
        CHECK(e.line() > 0);
        CHECK_THAT(e.what(), Catch::Contains(message));
    }
}

TEST_CASE("find_config walks up to the nearest leo.toml", "[config]") {
    TempDir dir;
    write_file(dir / "leo.toml", "");
    std::filesystem::create_directories(dir / "a" / "b");
    auto found = leo::find_config(dir / "a" / "b");
    REQUIRE(found);
    CHECK(std::filesystem::equivalent(*found, dir / "leo.toml"));
}

TEST_CASE("the shipped lexicons load and user entries extend them", "[config]") {
    leo::Config config;
    config.intents.push_back({"quantity", {"tally"}, {}, ""});
    config.intents.push_back({"price", {"cost"}, {"price"}, "number"});
    config.synonyms["heart attack"] = {"myocardial infarction"};
    auto intents = leo::effective_intents(config);
    auto quantity = std::find_if(intents.begin(), intents.end(),
                                 [](const auto& r) { return r.name == "quantity"; });
    REQUIRE(quantity != intents.end());
    CHECK(std::count(quantity->query_cues.begin(), quantity->query_cues.end(), "tally") == 1);
    CHECK(quantity->answer_evidence == "number");
    CHECK(std::any_of(intents.begin(), intents.end(),
                      [](const auto& r) { return r.name == "price"; }));
    auto synonyms = leo::effective_synonyms(config);
    CHECK(synonyms.count("kidney") == 1);
    CHECK(synonyms.at("heart attack") == std::vector<std::string>{"myocardial infarction"});
}

TEST_CASE("the tools: the --db flag beats LEO_DB, which beats leo.toml", "[config][tool]") {
    TempDir dir;
    write_file(dir / "leo.toml", "database = \"from-file\"\n");
    ::setenv("LEO_DB", (dir / "from-env").c_str(), 1);
    auto from_env = leo::tool::resolve_config(dir / "leo.toml", std::nullopt);
    auto from_flag = leo::tool::resolve_config(dir / "leo.toml", dir / "from-flag");
    ::unsetenv("LEO_DB");
    auto from_file = leo::tool::resolve_config(dir / "leo.toml", std::nullopt);
    CHECK(from_env.database == dir / "from-env");
    CHECK(from_flag.database == dir / "from-flag");
    CHECK(from_file.database == dir / "from-file");
}

TEST_CASE("a ranking mode is one of its two names", "[config]") {
    CHECK(leo::ranking_mode("leo") == leo::RankingMode::leo);
    CHECK(leo::ranking_mode("bm25") == leo::RankingMode::bm25);
    CHECK_FALSE(leo::ranking_mode("BM25").has_value());
    CHECK_FALSE(leo::ranking_mode("").has_value());
}
