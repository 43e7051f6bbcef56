// Which words of a natural query leo looks for and which it leaves out (natural_query.cpp).

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

// Forty pairs about resetting devices, every answer asking for help; one pair about e-mail.
// "whom" is on one pair only, like "email", but a function word.
struct Devices {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    Devices() {
        std::string page = "+++\ntitle = \"Devices\"\n+++\n";
        for (int i = 0; i < 40; ++i) {
            const auto n = std::to_string(i);
            page.append("## How do I reset device ").append(n).append("?\n\nPress button ");
            page.append(n).append(" for help, then the device resets.\n\n");
        }
        page += "## Where do I send an email?\n\nWrite to whom it may concern at the office.\n";
        write_file(dir / "pages" / "devices.md", page);
        (void)leo::Indexer(config).index_directory(dir / "pages");
    }

    leo::Results ask(const std::string& text) {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        query.limit = 50;
        query.explain = true;
        return searcher.search(query);
    }
};

bool has(const std::vector<std::string>& list, const std::string& word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

bool found(const leo::Results& results, const std::string& id) {
    return std::any_of(results.hits.begin(), results.hits.end(),
                       [&](const leo::Hit& hit) { return hit.id == id; });
}

} // namespace

TEST_CASE("a chatter word rare in the index is looked for, a frequent one dropped", "[query]") {
    Devices site;
    const auto results = site.ask("how do I reset my email please help whom");
    CHECK(found(results, "devices.md#41")); // "email" is on one pair of 41: it names something
    CHECK(has(results.terms_used, "email"));
    CHECK(has(results.terms_used, "reset"));
    for (const char* word : {"how", "do", "i", "my", "please", "help", "whom"}) {
        INFO(word);
        CHECK(has(results.words_dropped, word)); // "help" is on 40 pairs: chatter here;
        // "whom" is grammar, however rare
        CHECK_FALSE(has(results.terms_used, word));
    }
}

TEST_CASE("rare_stop_words = false drops every listed word", "[query]") {
    Devices site;
    site.config.ranking.rare_stop_words = false;
    const auto results = site.ask("how do I reset my email");
    CHECK_FALSE(found(results, "devices.md#41"));
    CHECK(has(results.words_dropped, "email"));
    CHECK_FALSE(has(results.terms_used, "email"));
}

TEST_CASE("the JSON of an explained search lists the terms used and the words dropped", "[query]") {
    Devices site;
    const auto results = site.ask("please reset email");
    auto explained = nlohmann::json::parse(
        leo::results_json(results, {.indent = -1, .explain = true, .qid = {}}));
    CHECK(explained["terms_used"] == nlohmann::json({"reset", "email"}));
    CHECK(explained["words_dropped"] == nlohmann::json({"please"}));
    auto plain = nlohmann::json::parse(leo::results_json(results, {}));
    CHECK_FALSE(plain.contains("terms_used"));
}

namespace {

// A site of one language: two pairs, so the words of the query are rare or absent in the index
// (a function word is dropped however rare it is: rare_stop_words keeps only chatter).
struct OneLanguage {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    OneLanguage(const std::string& language, const std::string& page) {
        config.language = language;
        write_file(dir / "pages" / "page.md", "+++\ntitle = \"T\"\n+++\n" + page);
        (void)leo::Indexer(config).index_directory(dir / "pages");
    }

    leo::Results ask(const std::string& text) {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        query.explain = true;
        return searcher.search(query);
    }
};

struct LanguageCase {
    std::string language;
    std::string page;
    std::string query;
    std::vector<std::string> stop; ///< folded, as words_dropped lists them
    std::vector<std::string> content;
};

} // namespace

TEST_CASE("a language's own stop words are dropped from its queries, its content words kept",
          "[query][languages]") {
    const auto c = GENERATE(values<LanguageCase>({
        {"ar",
         "## ما هي أعراض مرض السكري؟\n\nمن أعراض مرض السكري العطش.\n\n"
         "## كيف يعالج الصداع؟\n\nيعالج الصداع بالراحة.\n",
         "ما هي أعراض مرض السكري",
         {"ما", "هي"},
         {"أعراض", "السكري"}},
        // "für" and "über" are listed with their accents and folded as the query is.
        {"de",
         "## Wie lange dauert die Behandlung?\n\nDie Behandlung dauert zwei Wochen.\n\n"
         "## Was kostet ein Arzt?\n\nEin Arzt kostet Geld.\n",
         "wie lange dauert die Behandlung für Kinder über zehn",
         {"die", "fur", "uber"},
         {"behandlung", "kinder", "lange"}},
        {"fr",
         "## Le traitement était-il efficace ?\n\nLe traitement était efficace.\n\n"
         "## Quel médecin consulter ?\n\nUn médecin généraliste.\n",
         "le traitement était efficace pour les enfants",
         {"le", "etait", "pour", "les"},
         {"traitement", "efficace", "enfants"}},
        // Norwegian's list is one for `no`, `nb` and `nn`.
        {"nn",
         "## Kor lenge varer behandlinga?\n\nBehandlinga varer to veker.\n\n"
         "## Kva kostar ein lege?\n\nEin lege kostar pengar.\n",
         "kor lenge varer behandlinga og ikkje meir",
         {"og", "ikkje"},
         {"behandlinga", "lenge"}},
    }));
    INFO(c.language << ": " << c.query);
    OneLanguage site(c.language, c.page);
    const auto results = site.ask(c.query);
    REQUIRE_FALSE(results.hits.empty());
    for (const auto& word : c.stop) {
        INFO("stop word " << word);
        CHECK(has(results.words_dropped, word));
    }
    for (const auto& word : c.content) {
        INFO("content word " << word);
        CHECK_FALSE(has(results.words_dropped, word));
    }
}

TEST_CASE("a language without a shipped list drops no word", "[query][languages]") {
    // Nepali has a Snowball stemmer and no stop list yet; English's words are not its own.
    OneLanguage site("ne", "## the cause of fever?\n\nthe cause is an infection.\n");
    const auto results = site.ask("the cause of fever");
    CHECK(results.words_dropped.empty());
    CHECK_FALSE(results.hits.empty());
}
