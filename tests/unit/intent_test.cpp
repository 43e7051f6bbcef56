#include "text/intent.hpp"

#include <catch2/catch.hpp>
#include <leo/config.hpp>

using namespace leo::detail;

namespace {
std::vector<std::string> terms(Analyzer& a, std::string_view text) {
    std::vector<std::string> out;
    for (const auto& w : a.words(text)) {
        out.push_back(a.term(w.folded));
    }
    return out;
}
} // namespace

TEST_CASE("queries and questions are given the intent their cue words signal", "[intent]") {
    Analyzer a("en");
    IntentLexicon lexicon(leo::effective_intents({}), a);
    auto [text, intent] = GENERATE(table<const char*, const char*>({
        {"amur leopard population", "quantity"},
        {"How many Amur leopards are left 2020?", "quantity"},
        {"when did the war end", "time"},
        {"where do snow leopards live", "place"},
        {"why are leopards endangered", "cause"},
        {"what are the symptoms of flu", "symptom"},
        {"how to treat a burn", "treatment"},
        {"side effects of aspirin", "risk"},
        {"what is glaucoma", "definition"},
    }));
    CAPTURE(text);
    CHECK(lexicon.query_intent(terms(a, text)).value_or("none") == intent);
}

TEST_CASE("a user's intent in leo.toml is recognised", "[intent]") {
    Analyzer a("en");
    leo::Config config;
    config.intents.push_back({"price", {"how much does it cost"}, {"price"}, "number"});
    IntentLexicon lexicon(leo::effective_intents(config), a);
    CHECK(lexicon.question_intent(terms(a, "What is the price of a ticket?")) ==
          std::optional<std::string>("price"));
    CHECK(lexicon.evidence_for("price") == "number");
    CHECK_FALSE(lexicon.query_intent(terms(a, "leopard spots")));
}

TEST_CASE("answers are checked for numbers and years", "[intent]") {
    CHECK(IntentLexicon::answer_evidence({"about", "30", "left"}) == "n");
    CHECK(IntentLexicon::answer_evidence({"since", "2008"}) == "ny");
    CHECK(IntentLexicon::answer_evidence({"none", "here"}).empty());
}
